"""Social work in the browser: plan a visit, record it, draft and sign a social contract, and
see both on the family's timeline (the case file page of the cases context) and the chronology."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ostoja.core import dates


@pytest.mark.django_db(transaction=True)
def test_visit_and_contract_reach_the_timeline(
    page: Any, login: Any, live_server: Any, shot: Any
) -> None:
    from ostoja.cases.models import Case
    from ostoja.core.dates import today
    from ostoja.web.demo import load_demo

    load_demo(now=dates.now())
    case = Case.objects.filter(unit__code="ro1", worker__username="socjalny").order_by("pk")[1]
    on = today()
    login("socjalny")

    # plan a visit for today
    page.goto(f"{live_server.url}/praca-socjalna/sprawy/{case.pk}/")
    page.click("text=Zaplanuj wizytę")
    page.fill("#id_planned_on", on.isoformat())
    page.fill("#id_purpose", "Ocena sytuacji po zgłoszeniu z MZB")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Wizyta zaplanowana." in page.content()
    page.click("section[aria-labelledby=visits] a[href*='/praca-socjalna/wizyty/'] >> nth=0")
    page.wait_for_load_state()

    # record the outcome: it becomes a note and the visit closes
    page.fill("#id_text", "Rodzina w domu; ustalono kontrakt socjalny.")
    page.click("text=Zapisz wynik i zamknij wizytę")
    page.wait_for_load_state()
    assert "Wynik wizyty zapisany" in page.content()

    # draft the social contract
    page.click("text=Nowy kontrakt socjalny")
    page.fill("#id_situation", "Zadłużenie czynszowe, utrata pracy.")
    page.fill("#id_main_goal", "Podjęcie zatrudnienia.")
    # actions and review dates are form rows (issue 17)
    page.fill("#id_dzialania-0-description", "Rejestracja w PUP")
    page.fill("#id_dzialania-0-due_on", (on + timedelta(days=7)).isoformat())
    page.select_option("#id_dzialania-1-party", "pracownik")
    page.fill("#id_dzialania-1-description", "Pomoc w napisaniu CV")
    page.fill("#id_valid_to", (on + timedelta(days=90)).isoformat())
    page.fill("#id_przeglady-0-due_on", (on + timedelta(days=30)).isoformat())
    page.click("text=Zapisz projekt")
    page.wait_for_load_state()
    assert "projekt (niepodpisany)" in page.content()

    # sign it: both dates prefilled with today, the art. 11 instruction confirmed
    page.check("#id_consequences_explained")
    page.click("text=Zapisz podpisy i zawrzyj kontrakt")
    page.wait_for_load_state()
    assert "zawarty — w realizacji" in page.content()
    assert "Zmień projekt" not in page.content()  # the content is frozen
    shot("socialwork-contract-signed")

    # both on the case file's timeline (cases page), filtered to social work
    page.goto(f"{live_server.url}/sprawy/{case.pk}/?rodzaj=praca_socjalna")
    content = page.content()
    assert "Notatka: wizyta (w miejscu zamieszkania)" in content
    assert "Zawarto kontrakt socjalny" in content
    shot("socialwork-case-timeline")

    # and on the chronology, with the keyboard-usable calendar showing the visit as done
    page.goto(f"{live_server.url}/praca-socjalna/sprawy/{case.pk}/")
    assert "Rodzina w domu; ustalono kontrakt socjalny." in page.content()
    page.goto(f"{live_server.url}/praca-socjalna/wizyty/kalendarz/")
    page.keyboard.press("Tab")
    assert page.locator("table.calendar a").count() >= 1

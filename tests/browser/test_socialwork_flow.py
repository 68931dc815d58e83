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


# ------------------------------------------------------------------ the contract page by keyboard


def _tab_to(page: Any, predicate: str, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Tab nie dochodzi do: {predicate}")


def _press(page: Any, text: str) -> None:
    """Tab to the button with ``text`` and press Enter, waiting for the next page."""
    _tab_to(page, f"el.tagName === 'BUTTON' && el.textContent.trim() === '{text}'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def _type(page: Any, field_id: str, text: str) -> None:
    _tab_to(page, f"el.id === '{field_id}'")
    page.keyboard.type(text)


def _summary_has_focus(page: Any) -> str:
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')"), (
        "fokus nie trafił do podsumowania błędów"
    )
    return page.locator("[data-error-summary]").inner_text()


@pytest.mark.django_db(transaction=True)
def test_contract_page_refusals_by_keyboard(
    page: Any, login: Any, live_server: Any, shot: Any
) -> None:
    """Issue 17: a refused button of the contract page puts the focus on the error summary at
    the top; its link leads to the field; the annex's actions are rows with an "add row"."""
    from django.contrib.auth import get_user_model

    from ostoja.core.dates import today
    from ostoja.socialwork import services as svc
    from ostoja.socialwork.models import ContractAnnex, ContractBreach
    from ostoja.socialwork.tests.factories import make_case
    from ostoja.web.demo import load_demo

    load_demo(now=dates.now())
    worker = get_user_model().objects.get(username="socjalny")
    case = make_case(worker=worker)
    on = today()
    draft = svc.contract_draft(
        case=case,
        person=case.household.memberships.first().person,
        user=worker,
        data={"kind": "A", "situation": "Sytuacja.", "main_goal": "Cel.",
              "valid_from": on, "valid_to": on + timedelta(days=90)},
        actions_person=[svc.ActionLine("Rejestracja w PUP", None)],
        actions_worker=[svc.ActionLine("Wsparcie", None)],
        review_dates=[on + timedelta(days=30)],
    )  # fmt: skip
    contract = svc.contract_sign(
        contract=draft, worker_signed_on=on, person_signed_on=on, consequences_explained=True,
        user=worker, today=on, expected_version=draft.version,
    )  # fmt: skip
    login("socjalny")
    page.goto(f"{live_server.url}/praca-socjalna/kontrakty/{contract.pk}/")

    # A breach without its description: the summary takes the focus and names the field.
    _press(page, "Odnotuj naruszenie")
    assert "Opis naruszenia" in _summary_has_focus(page)
    assert not ContractBreach.objects.exists()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_description"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_description"
    assert "id_description_error" in (
        page.get_attribute("#id_description", "aria-describedby") or ""
    )
    shot("socialwork-contract-breach-errors")

    # The annex: add a row without a script, then a deadline without a description.
    page.goto(f"{live_server.url}/praca-socjalna/kontrakty/{contract.pk}/")
    _type(page, "id_aneks-changes", "Przedłużenie o miesiąc.")
    _press(page, "Dodaj wiersz działania")
    assert page.locator("#id_aneks-dzialania-2-description").count() == 1
    assert page.input_value("#id_aneks-changes") == "Przedłużenie o miesiąc."
    _tab_to(page, "el.id === 'id_aneks-dzialania-2-due_on'")
    page.fill("#id_aneks-dzialania-2-due_on", (on + timedelta(days=7)).isoformat())
    _press(page, "Zapisz aneks")
    assert "Nowe działania, wiersz 3" in _summary_has_focus(page)
    assert not ContractAnnex.objects.exists()
    page.fill("#id_aneks-dzialania-2-description", "Warsztaty umiejętności")
    _press(page, "Zapisz aneks")
    assert "Aneks nr 1 zapisany." in page.inner_text("main")
    assert ContractAnnex.objects.get(contract=contract).actions.count() == 1

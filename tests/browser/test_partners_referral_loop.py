"""Cooperation in the browser — a referral's full loop: the social worker refers a client to the
food bank (FEPŻ threshold checked), the food bank's account answers and records the outcome,
and both come back on the family's case file timeline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ostoja.core import dates


@pytest.mark.django_db(transaction=True)
def test_referral_feedback_reaches_the_case_file(
    page: Any, login: Any, live_server: Any, shot: Any
) -> None:
    from ostoja.cases.models import Case
    from ostoja.partners.models import Referral
    from ostoja.web.demo import load_demo

    load_demo(now=dates.now())
    referred = set(Referral.objects.values_list("case_id", flat=True))
    case = next(
        c
        for c in Case.objects.filter(unit__code="ro1", worker__username="socjalny").order_by("pk")
        if c.pk not in referred
    )
    on = dates.today()

    # 1. the social worker issues a food-aid referral from the case file
    login("socjalny")
    page.goto(f"{live_server.url}/sprawy/{case.pk}/")
    page.click(f"a[href='/wspolpraca/sprawy/{case.pk}/skierowania/']")
    page.wait_for_load_state()
    page.select_option("#id_service", "pomoc_zywnosciowa")
    page.select_option("#id_partner", label="Bank Żywności")
    page.fill("#id_reason", "ubóstwo (art. 7 pkt 1 u.p.s.)")
    page.fill("#id_valid_to", (on + timedelta(days=180)).isoformat())
    page.fill("#id_household_size", "1")
    page.fill("#id_monthly_income", "2700.00")  # above 265 % of 1010 zł
    page.click("text=Wystaw skierowanie")
    page.wait_for_load_state()
    assert "przekracza próg programu FEPŻ" in page.content()
    page.fill("#id_monthly_income", "1200.00")
    page.click("text=Wystaw skierowanie")
    page.wait_for_load_state()
    assert "Wystawiono skierowanie" in page.content()
    shot("partners-referral-issued")
    number = Referral.objects.get(case=case).number

    # 2. the food bank's account answers and records the outcome (no PESEL on its pages)
    page.context.clear_cookies()
    login("bank_zywnosci")
    page.goto(f"{live_server.url}/wspolpraca/partner/")
    assert number in page.content()
    page.click(f"text=Odpowiedz: {number}")
    page.check("input[name=action][value=accept]")
    page.fill("#id_note", "Zapraszamy w czwartki, ul. Zagnańska.")
    page.click("text=Przekaż odpowiedź")
    page.wait_for_load_state()
    assert "Odpowiedź przekazana" in page.content()
    page.click(f"text=Odpowiedz: {number}")
    page.check("input[name=action][value=complete]")
    page.fill("#id_note", "Wydano 2 paczki żywnościowe.")
    page.click("text=Przekaż odpowiedź")
    page.wait_for_load_state()
    shot("partners-portal-feedback")
    person = Referral.objects.get(number=number).person
    assert person.pesel is None or person.pesel not in page.content()

    # 3. the outcome is on the family's case file timeline
    page.context.clear_cookies()
    login("socjalny")
    page.goto(f"{live_server.url}/sprawy/{case.pk}/?rodzaj=skierowanie")
    content = page.content()
    assert f"Skierowanie {number}" in content
    assert "Odpowiedź partnera" in content
    assert "Wydano 2 paczki żywnościowe." in content
    shot("partners-case-timeline")

"""Care services in the browser (issue 15): a care-services order from a decision, the first
month's hours, the client's monthly bill, and the provider's invoice checked against them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest


@pytest.mark.django_db(transaction=True)
def test_care_order_to_first_bill_and_invoice_check(
    page: Any, login: Any, live_server: Any, shot: Any
) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.care import services as svc
    from ostoja.core.dates import today
    from ostoja.org.demo import load_demo_organisation
    from ostoja.socialwork.tests.factories import make_case

    on = today()
    load_demo_organisation(on=on)
    worker = get_user_model().objects.get(username="socjalny")
    case = make_case(worker=worker, name="Rodzina Testowa-Opiekuńcza")
    provider = svc.provider_create(name="Stowarzyszenie Opieka Test", kind="ngo", actor=worker)
    svc.contract_add(
        provider=provider, number="UO/1", service_kind="uo", hourly_rate=Decimal("32.50"),
        valid_from=on - timedelta(days=30), valid_to=None, actor=worker,
    )  # fmt: skip
    svc.carer_add(provider=provider, first_name="Barbara", last_name="Opiekuńska", actor=worker)
    month = on.replace(day=1)

    login("socjalny")
    page.goto(f"{live_server.url}/uslugi/")
    page.click("text=Nowe zlecenie usług")
    page.select_option("#id_case", str(case.pk))
    page.fill("#id_decision_number", "DPS-UO.8310.1.2026")
    page.check("input[name=scope][value=zakupy]")
    page.check("input[name=scope][value=higiena]")
    page.fill("#id_hours_per_day", "2")
    page.fill("#id_days_per_week", "5")
    page.fill("#id_hours_per_month", "40")
    page.fill("#id_period_from", month.isoformat())
    page.fill("#id_period_until", (month + timedelta(days=300)).isoformat())
    page.fill("#id_place", "Kielce, ul. Próbna 1")
    page.check("#id_living_alone")
    page.fill("#id_income", "1300.00")
    page.check("#id_single")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Zapisano zlecenie usług." in page.content()
    assert "10% ceny za godzinę" in page.content()

    # the first month's hours from the carer's timesheet
    page.fill("#id_month", month.strftime("%Y-%m"))
    page.fill("#id_hours_delivered", "38")
    page.click("text=Zapisz godziny")
    page.wait_for_load_state()
    assert "Zapisano godziny za miesiąc." in page.content()
    order_url = page.url

    # the head of the district issues the client's bill
    page.context.clear_cookies()
    login("kierownik")
    page.goto(order_url)
    page.click("text=Wystaw rachunek")
    page.wait_for_load_state()
    content = page.content()
    assert "Wystawiono rachunek za miesiąc." in content and "123,50" in content
    shot("care-first-monthly-bill")

    # the provider's invoice checked against the timesheets
    page.click("nav.subnav >> text=Sprawdzanie faktur")
    page.select_option("#id_provider", str(provider.pk))
    page.fill("#id_number", "FV/1/TEST")
    page.fill("#id_month", month.strftime("%Y-%m"))
    page.fill("#id_hours_invoiced", "40")
    page.fill("#id_amount_invoiced", "1300.00")
    page.click("text=Sprawdź fakturę")
    page.wait_for_load_state()
    result = page.locator("#wynik").inner_text()
    assert "niezgodna" in result and "38" in result
    shot("care-invoice-check")

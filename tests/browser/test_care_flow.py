"""Care services in the browser (issue 15): a care-services order, its decision through the
decisions workflow, the first month's hours, the client's monthly bill, and the provider's
invoice checked against them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.browser.a11y import axe_violations


def _logout(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/konto/logout/")
    page.click("main button[type=submit]")


def _world(contract_number: str) -> tuple[Any, Any, Any]:
    """The demo organisation, a ready case of ro1 and a provider with a contract: the case,
    the provider and the first day of this month."""
    from django.contrib.auth import get_user_model

    from ostoja.care import services as svc
    from ostoja.core.dates import today
    from ostoja.decisions.tests.factories import make_ready_application
    from ostoja.org.demo import load_demo_organisation

    on = today()
    load_demo_organisation(on=on)
    case = make_ready_application("zasilek_celowy", unit="ro1", received_on=on).case
    worker = get_user_model().objects.get(username="socjalny")
    provider = svc.provider_create(name="Stowarzyszenie Opieka Test", kind="ngo", actor=worker)
    svc.contract_add(
        provider=provider, number=contract_number, service_kind="uo",
        hourly_rate=Decimal("32.50"), valid_from=on - timedelta(days=30), valid_to=None,
        actor=worker,
    )  # fmt: skip
    svc.carer_add(provider=provider, first_name="Barbara", last_name="Opiekuńska", actor=worker)
    return case, provider, on.replace(day=1)


def _type_order(page: Any, case: Any, month: Any, income: str) -> None:
    """The new-order form filled as a worker would (not yet sent)."""
    page.select_option("#id_case", str(case.pk))
    page.check("input[name=scope][value=zakupy]")
    page.check("input[name=scope][value=higiena]")
    page.fill("#id_hours_per_day", "2")
    page.fill("#id_days_per_week", "5")
    page.fill("#id_hours_per_month", "40")
    page.fill("#id_period_from", month.isoformat())
    page.fill("#id_period_until", (month + timedelta(days=300)).isoformat())
    page.fill("#id_place", "Kielce, ul. Próbna 1")
    page.check("#id_living_alone")
    page.fill("#id_income", income)
    page.check("#id_single")


@pytest.mark.django_db(transaction=True)
def test_care_order_to_first_bill_and_invoice_check(
    page: Any, login: Any, live_server: Any, shot: Any
) -> None:
    """The order is typed without a paper decision, so its decision goes through the workflow
    (art. 50 u.p.s.; projekt → sprawdzenie → podpis → doręczenie); hours are refused at their
    field until the decision is enforceable (art. 130 KPA; here rygor natychmiastowej
    wykonalności, art. 108 § 1 KPA, so from delivery)."""
    from ostoja.care.models import CareOrder
    from ostoja.core.dates import today

    on = today()
    case, provider, month = _world("UO/1")

    # 1. socjalny types the order — no paper decision: it will be decided in Ostoja
    login("socjalny")
    page.goto(f"{live_server.url}/uslugi/")
    page.click("text=Nowe zlecenie usług")
    _type_order(page, case, month, "1300.00")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Zapisano zlecenie usług." in page.content()
    assert "10% ceny za godzinę" in page.content()
    order_url = page.url

    # no hours before the decision: refused at the month field, the summary on top
    page.fill("#id_month", month.strftime("%Y-%m"))
    page.fill("#id_hours_delivered", "38")
    page.click("text=Zapisz godziny")
    page.wait_for_load_state()
    assert "nie ma jeszcze decyzji" in page.inner_text("#id_month_error")
    assert "nie ma jeszcze decyzji" in page.inner_text("[data-error-summary]")
    assert axe_violations(page) == []  # the error state is accessible (WCAG 2.1 AA)

    # the decision drafted from the order, immediately enforceable (art. 108 § 1 KPA)
    page.check("#id_dec_immediate")
    page.fill("#id_dec_immediate_reason", "osoba samotna wymaga pomocy od zaraz")
    page.click("text=Przygotuj projekt decyzji")
    page.wait_for_load_state()
    assert "Przygotowano projekt decyzji" in page.content()
    assert "nie jest jeszcze wykonalna" in page.content()
    order = CareOrder.objects.get()
    assert order.decision is not None and order.decision.status == "projekt"
    _logout(page, live_server)

    # 2. kierownik checks, signs (DYR/7/2025 covers care services) and records delivery
    login("kierownik")
    page.goto(f"{live_server.url}/decyzje/{order.decision_id}/")
    page.click("button:has-text('Sprawdź')")
    page.wait_for_load_state()
    page.click("button:has-text('Podpisz decyzję')")
    page.wait_for_load_state()
    assert "Podpisana" in page.inner_text("#status")
    deliver = page.locator("form", has=page.locator("button:has-text('Zarejestruj doręczenie')"))
    deliver.locator("select[name=channel]").select_option("osobiscie")
    deliver.locator("input[name=delivered_on]").fill(on.isoformat())
    deliver.get_by_role("button", name="Zarejestruj doręczenie").click()
    page.wait_for_load_state()
    assert "Doręczona" in page.inner_text("#status")
    order.decision.refresh_from_db()
    page.goto(order_url)
    assert f"Decyzja jest wykonalna od {on:%-d.%m.%Y}" in page.content()
    assert order.decision.number in page.inner_text("dl.facts")
    _logout(page, live_server)

    # 3. the first month's hours from the carer's timesheet
    login("socjalny")
    page.goto(order_url)
    page.fill("#id_month", month.strftime("%Y-%m"))
    page.fill("#id_hours_delivered", "38")
    page.click("text=Zapisz godziny")
    page.wait_for_load_state()
    assert "Zapisano godziny za miesiąc." in page.content()
    _logout(page, live_server)

    # 4. the head of the district issues the client's bill
    login("kierownik")
    page.goto(order_url)
    page.click("text=Wystaw rachunek")
    page.wait_for_load_state()
    content = page.content()
    assert "Wystawiono rachunek za miesiąc." in content and "123,50" in content
    shot("care-first-monthly-bill")

    # 4a. the client paid part of it at the cash desk: the rest stays to pay
    page.click("text=Wpłata części lub z inną datą")
    page.wait_for_load_state()
    assert page.input_value("#id_wpl_amount") == "123.50"
    shot("care-payment-panel")
    page.fill("#id_wpl_amount", "50")
    page.click("#wplata + p + form >> text=Zapisz wpłatę")
    page.wait_for_load_state()
    content = page.content()
    assert "Zapisano wpłatę." in content
    assert "wpłacono 50,00\xa0zł, pozostaje 73,50\xa0zł" in page.inner_text("#miesiace").replace(
        " zł", "\xa0zł"
    )
    assert page.get_by_role("button", name="Zapisz wpłatę reszty").is_visible()
    shot("care-partial-payment")

    # 5. the provider's invoice checked against the timesheets
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


@pytest.mark.django_db(transaction=True)
def test_care_order_with_an_exemption_on_request(
    page: Any, login: Any, live_server: Any, shot: Any
) -> None:
    """Art. 50 ust. 6 u.p.s.: the worker types an order whose client asked to be partly
    exempted from the fee; the order page shows the table's rate, the exemption and the rate
    after it, and stays accessible."""
    from ostoja.care.models import CareOrder
    from ostoja.core.dates import today

    case, _provider, month = _world("UO/2")
    login("socjalny")
    page.goto(f"{live_server.url}/uslugi/zlecenia/nowe/")
    _type_order(page, case, month, "2500.00")
    page.get_by_label("Zwolnienie z opłaty na wniosek").select_option("czesciowe")
    page.get_by_label("Zwolnienie częściowe: procent opłaty objęty zwolnieniem").fill("50")
    page.get_by_label("Data wniosku o zwolnienie").fill(today().isoformat())
    page.get_by_label("Okoliczności uzasadniające zwolnienie").fill("koszty leczenia")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Zapisano zlecenie usług." in page.content()
    order = CareOrder.objects.get()
    before = Decimal(order.fee_exemption["rate_before"])
    assert order.fee_rate == (before / 2).quantize(Decimal("0.01"))
    text = page.inner_text("#order-exemption")
    assert "koszty leczenia" in text and "art. 50 ust. 6 u.p.s." in text
    assert axe_violations(page) == []
    shot("care_05_order_fee_exemption")


def _signed_order(contract_number: str) -> tuple[Any, date]:
    """An order from this month (40 h, shopping) whose decision, drafted in Ostoja, is signed;
    and the first day of next month."""
    from django.contrib.auth import get_user_model

    from ostoja.care import services as svc
    from ostoja.core import dates
    from ostoja.decisions import services as dservices
    from ostoja.registry.models import Person

    case, provider, month = _world(contract_number)
    users = {u.username: u for u in get_user_model().objects.all()}
    person = Person.objects.filter(memberships__household=case.household).first()
    order = svc.care_order_create(
        case=case, person=person, decision_number="", service_kind="uo", scope=["zakupy"],
        hours_per_day=Decimal("2"), days_per_week=5, hours_per_month=Decimal("40"),
        period_from=month, period_until=month + timedelta(days=400), place="Kielce, ul. Próbna 1",
        living_alone=True, contract=provider.contracts.get(), income=Decimal("2500.00"),
        single=True, actor=users["socjalny"], on=dates.today(),
    )  # fmt: skip
    d = svc.care_order_decision_draft(
        order=order, actor=users["socjalny"], on=dates.today(), expected_version=order.version
    )
    dservices.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    dservices.decision_sign(now=dates.now(), decision=d, actor=users["dyrektor"], on=dates.today())
    return order, (month + timedelta(days=32)).replace(day=1)


@pytest.mark.django_db(transaction=True)
def test_care_hours_raised_from_a_month_by_a_changing_decision(
    page: Any, login: Any, live_server: Any, shot: Any
) -> None:
    """Art. 50 ust. 4 with art. 106 ust. 5 u.p.s.: the client needs more help; the worker
    raises the hours and adds a task from next month on the order's page — the form comes
    with the extent in force, a missing reason is named at its field, then the change waits
    for its decision (art. 130 KPA) and the decision states the new extent and why."""
    from ostoja.care.models import CareFeeChange, CareOrder

    order, next_month = _signed_order("UO/4")
    login("socjalny")
    page.goto(f"{live_server.url}/uslugi/zlecenia/{order.pk}/")
    assert page.locator("#id_zo_hours_per_month").input_value() in ("40", "40.00")
    page.get_by_label("Zmiana od miesiąca").fill(next_month.strftime("%Y-%m"))
    page.locator("#id_zo_hours_per_day").fill("3")
    page.locator("#id_zo_hours_per_month").fill("60")
    page.get_by_label("Pomoc w higienie").check()
    page.get_by_role("button", name="Przygotuj decyzję zmieniającą").click()
    page.wait_for_load_state()
    assert "okoliczności" in page.inner_text("#id_zo_extent_reason_error")
    assert page.locator("#id_zo_hours_per_month").input_value() == "60"  # kept as typed
    shot("care_07a_extent_change_refused")
    assert not CareFeeChange.objects.exists()
    page.locator("#id_zo_extent_reason").fill("po upadku potrzebuje pomocy w higienie")
    page.get_by_role("button", name="Przygotuj decyzję zmieniającą").click()
    page.wait_for_load_state()
    change = CareFeeChange.objects.get()
    assert change.hours_per_month == Decimal("60") and change.fee_rate == order.fee_rate
    assert CareOrder.objects.get().hours_per_month == Decimal("40")  # the order is not edited
    table = page.inner_text("#zmiany-odplatnosci")
    assert "60 h w miesiącu (3 h dziennie, 5 dni w tygodniu), zakres: zakupy, pomoc w" in table
    assert "czeka na wykonalność" in table and "bez zmian" in table
    assert axe_violations(page) == []
    shot("care_07_extent_change_pending")
    page.get_by_role("link", name="Otwórz decyzję").last.click()
    page.wait_for_load_state()
    body = page.inner_text("main")
    assert "w wymiarze 60 godzin miesięcznie (3 godziny dziennie" in body
    assert "pomoc w higienie" in body and "po upadku potrzebuje pomocy w higienie" in body


@pytest.mark.django_db(transaction=True)
def test_care_order_under_a_paper_decision_changed_naming_it(
    page: Any, login: Any, live_server: Any, shot: Any
) -> None:
    """Art. 106 ust. 5 u.p.s.: an order entered with a paper decision's number (a client from
    before Ostoja) gets more hours from next month; the worker gives the paper decision's date
    once, and the changing decision names it by number and date."""
    from django.contrib.auth import get_user_model

    from ostoja.care import services as svc
    from ostoja.care.models import CareFeeChange
    from ostoja.core import dates
    from ostoja.registry.models import Person

    case, provider, month = _world("UO/5")
    worker = get_user_model().objects.get(username="socjalny")
    person = Person.objects.filter(memberships__household=case.household).first()
    order = svc.care_order_create(
        case=case, person=person, decision_number="DPS-UO.8310.9.2026", service_kind="uo",
        scope=["zakupy"], hours_per_day=Decimal("2"), days_per_week=5,
        hours_per_month=Decimal("40"), period_from=month,
        period_until=month + timedelta(days=400), place="Kielce, ul. Próbna 1",
        living_alone=True, contract=provider.contracts.get(), income=Decimal("2500.00"),
        single=True, actor=worker, on=dates.today(), paper_enforceable_from=month,
    )  # fmt: skip
    next_month = (month + timedelta(days=32)).replace(day=1)
    issued = month - timedelta(days=20)
    login("socjalny")
    page.goto(f"{live_server.url}/uslugi/zlecenia/{order.pk}/")
    page.get_by_label("Zmiana od miesiąca").fill(next_month.strftime("%Y-%m"))
    page.locator("#id_zo_hours_per_month").fill("50")
    page.locator("#id_zo_extent_reason").fill("pogorszenie stanu zdrowia")
    page.get_by_label("Data wydania zmienianej decyzji papierowej").fill(issued.isoformat())
    page.get_by_role("button", name="Przygotuj decyzję zmieniającą").click()
    page.wait_for_load_state()
    change = CareFeeChange.objects.get()
    assert change.decision.refers_to_paper == "DPS-UO.8310.9.2026"
    page.get_by_role("link", name="Otwórz decyzję").last.click()
    page.wait_for_load_state()
    body = page.inner_text("main")
    assert f"nr DPS-UO.8310.9.2026 z {issued:%d.%m.%Y} (decyzja papierowa" in body
    assert "w wymiarze 50 godzin miesięcznie" in body
    assert axe_violations(page) == []
    shot("care_08_paper_decision_change")


@pytest.mark.django_db(transaction=True)
def test_care_fee_changed_from_a_month_on_an_exemption_asked_for_later(
    page: Any, login: Any, live_server: Any, shot: Any
) -> None:
    """Art. 50 ust. 6 with art. 106 ust. 5 u.p.s.: the client asks for an exemption after the
    order started; the worker drafts the changing decision from next month on the order's page
    (a missing field first, named at the field), the order keeps its rate and the page shows
    the change waiting for its decision to become enforceable (art. 130 KPA)."""
    from ostoja.care.models import CareFeeChange, CareOrder
    from ostoja.core import dates

    order, next_month = _signed_order("UO/3")
    login("socjalny")
    page.goto(f"{live_server.url}/uslugi/zlecenia/{order.pk}/")
    page.get_by_label("Zmiana od miesiąca").fill(next_month.strftime("%Y-%m"))
    page.get_by_label("Dochód obecnie").fill("2500.00")
    page.locator("#id_zo_single").check()
    page.locator("#id_zo_exemption").select_option("czesciowe")
    page.locator("#id_zo_exemption_percent").fill("50")
    page.locator("#id_zo_exemption_requested_on").fill(dates.today().isoformat())
    page.get_by_role("button", name="Przygotuj decyzję zmieniającą").click()
    page.wait_for_load_state()
    assert "okoliczności" in page.inner_text("#id_zo_exemption_reason_error")
    shot("care_06a_fee_change_refused")
    assert not CareFeeChange.objects.exists()
    page.locator("#id_zo_exemption_reason").fill("koszty leczenia po operacji")
    page.get_by_role("button", name="Przygotuj decyzję zmieniającą").click()
    page.wait_for_load_state()
    change = CareFeeChange.objects.get()
    assert change.fee_rate == (order.fee_rate / 2).quantize(Decimal("0.01"))
    assert CareOrder.objects.get().fee_rate == order.fee_rate  # the order is not edited
    table = page.inner_text("#zmiany-odplatnosci")
    assert next_month.strftime("%m.%Y") in table and "czeka na wykonalność" in table
    assert "koszty leczenia po operacji" in table
    assert axe_violations(page) == []
    shot("care_06_fee_change_pending")
    page.get_by_role("link", name="Otwórz decyzję").last.click()
    page.wait_for_load_state()
    body = page.inner_text("main")
    assert "zmiana decyzji" in body and "skutek od " + next_month.strftime("%d.%m.%Y") in body
    assert "Zwolnienie częściowe z opłaty na wniosek" in body and "(koszty leczenia po" in body

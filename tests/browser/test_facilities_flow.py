"""Issue 14 in a real browser: a DPS path from the referral (care district) through the
decisions workflow (draft → check → sign → deliver with rygor) to admission and the first
monthly charge (finance); and a winter month of the warming room, night by night."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from ostoja.core.dates import noon, today
from tests.browser.a11y import axe_violations


def _setup() -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model

    from ostoja.org.demo import load_demo_organisation
    from ostoja.registry.models import Street
    from ostoja.registry.streets import load_rows, packaged_rows

    load_demo_organisation(on=today())
    load_rows(Street, packaged_rows())  # transactional tests flush migrated data
    return get_user_model(), Street.objects.order_by("pk").first()


def _as(page: Any, login: Any, username: str) -> None:
    page.context.clear_cookies()
    login(username)


def _check_and_sign(page: Any, login: Any, decision_url: str) -> None:
    """Four eyes: the head of the district checks, the director signs (art. 104 KPA)."""
    _as(page, login, "socjalny")
    page.goto(decision_url)
    assert page.locator("button", has_text="Sprawdź").count() == 0  # not the drafter
    _as(page, login, "kierownik")
    page.goto(decision_url)
    page.click("button:has-text('Sprawdź')")
    page.wait_for_selector("#status:has-text('Sprawdzona')")
    _as(page, login, "dyrektor")
    page.goto(decision_url)
    page.click("button:has-text('Podpisz decyzję')")
    page.wait_for_selector("#status:has-text('Podpisana')")


@pytest.mark.django_db(transaction=True)
def test_dps_referral_admission_first_charge(
    page: Any, login: Any, shot: Any, live_server: Any
) -> None:
    """The DPS path through the decisions workflow: the referral decision (art. 59 ust. 1) and
    the placement decision with rygor natychmiastowej wykonalności (art. 59 ust. 2, art. 108
    § 1 KPA) drafted from the referral page, checked by a second person, signed, the placement
    delivered — then admission, the art. 61 fee and the first monthly charge."""
    from ostoja.cases.models import Interview
    from ostoja.decisions.tests.factories import make_ready_application
    from ostoja.facilities.tests.factories import make_facility
    from ostoja.registry.demo import make_pesel
    from ostoja.registry.models import Person

    _setup()
    on = today()
    home = make_facility(places=2, cost="7000.00", name="DPS im. Jana Pawła II (test)",
                         on=date(on.year - 1, 1, 1))  # fmt: skip
    # A client of RO1 with a family case and the DPS matter's community interview (art. 106
    # ust. 4 u.p.s.) — the decisions belong to her case.
    app = make_ready_application(received_on=on, first_name="Genowefa", last_name="Kowalczyk",
                                 sex="K")  # fmt: skip
    pesel = make_pesel(date(1941, 5, 6), 411, "K")
    Person.objects.filter(pk=app.applicant.pk).update(pesel=pesel)
    Interview.objects.create(case=app.case, status="zakonczony", conducted_on=on, sections={})

    # 1. The care-district worker refers (gmina, art. 59 ust. 1) with the § 8 documents and
    #    drafts the referral decision.
    login("socjalny")
    page.goto(f"{live_server.url}/placowki/skierowania/nowe/")
    page.fill("#id_pesel", pesel)
    page.select_option("#id_facility_kind", "dps")
    page.select_option("#id_subtype", "podeszly_wiek")
    page.click("main button:has-text('Zapisz skierowanie')")
    page.wait_for_selector("text=Skierowanie zapisano")
    referral_url = page.url
    for box in page.locator("input[type=checkbox][name^=doc_]").all():
        box.check()
    page.click("text=Zapisz dokumenty")
    page.wait_for_selector("text=Komplet dokumentów")
    page.click("button:has-text('Przygotuj projekt decyzji o skierowaniu')")
    page.wait_for_url(re.compile(r"/decyzje/\d+/$"))
    _check_and_sign(page, login, page.url)
    _as(page, login, "socjalny")
    page.goto(referral_url)
    page.click("button:has-text('Zapisz podpisaną decyzję o skierowaniu')")
    page.wait_for_selector("#status:has-text('Skierowany')")
    shot("facilities_01_referral")

    # 2. The placement by the Prezydent as starosta, with rygor (art. 108 § 1 KPA): drafted,
    #    checked, signed, sent and delivered; admission only once it is enforceable.
    page.select_option("#id_dpl-facility", str(home.pk))
    page.fill("#id_dpl-immediate_reason", "Stan zdrowia wymaga niezwłocznej opieki całodobowej.")
    page.click("button:has-text('Przygotuj projekt decyzji o umieszczeniu')")
    page.wait_for_url(re.compile(r"/decyzje/\d+/$"))
    placement_url = page.url
    _check_and_sign(page, login, placement_url)
    _as(page, login, "socjalny")
    page.goto(placement_url)
    page.select_option("#id_send_channel", "zpo")
    page.click("button:has-text('Wyślij')")
    page.wait_for_selector("text=Zapisano wysłanie decyzji")
    page.select_option("#id_deliver_channel", "zpo")
    page.fill("#id_deliver_delivered_on", on.isoformat())
    page.click("button:has-text('Zarejestruj doręczenie')")
    page.wait_for_selector("text=Zapisano doręczenie")
    page.goto(referral_url)
    page.click("button:has-text('Zapisz podpisaną decyzję o umieszczeniu')")
    page.wait_for_selector("text=można przyjąć osobę do domu")
    _as(page, login, "swiadczenia")
    page.goto(referral_url)
    page.select_option("#id_choice-facility", str(home.pk))
    page.click("button:has-text('Przyjmij do placówki')")
    page.wait_for_selector("text=Przyjęto do placówki")

    # 3. The fee decision's shares from the law core (art. 61), with a daughter above 300 %.
    page.fill("#id_valid_from", on.isoformat())
    page.fill("#id_resident_income", "1800.00")
    page.fill("#id_r1_name", "Anna Kowalczyk")
    page.select_option("#id_r1_relation", "corka")
    page.fill("#id_r1_size", "1")
    page.fill("#id_r1_income", "4500.00")
    page.click("text=Oblicz i zapisz odpłatność")
    page.wait_for_selector("text=Ustalono odpłatność")
    shares = page.inner_text("#fee-shares").replace("\xa0", " ")
    assert "1 260,00 zł" in shares and "1 470,00 zł" in shares and "4 270,00 zł" in shares
    shot("facilities_02_admitted_fee")
    stay_url = page.url

    # 4. Finance builds the month's charges; the stay shows them per payer.
    page.context.clear_cookies()
    login("ksiegowosc")
    page.goto(f"{live_server.url}/placowki/naleznosci/")
    page.fill("#id_month", on.replace(day=1).isoformat())
    page.click("text=Nalicz należności za miesiąc")
    page.wait_for_selector("text=Naliczono należności: 3")
    assert "DPS im. Jana Pawła II (test)" in page.inner_text("#month-charges")
    # No fee decision yet: the resident's charge says what it waits for (art. 130 KPA).
    assert "czeka — opłaty nie ustalono decyzją" in page.inner_text("#month-charges")
    # The daughter's share waits for her agreement (art. 103 ust. 2).
    assert "czeka — brak umowy z krewnym" in page.inner_text("#month-charges")
    shot("facilities_03_charges")
    page.context.clear_cookies()
    login("swiadczenia")
    page.goto(stay_url)
    charges = page.inner_text("#charges")
    assert "Gmina Kielce" in charges and "Anna Kowalczyk" in charges

    # 5. The daughter's agreement is recorded beside the fee (refused at its field first).
    share = page.locator("ul.shares li").first
    assert "Anna Kowalczyk (córka), 1 470,00 zł miesięcznie — brak umowy." in share.inner_text(
    ).replace("\xa0", " ")  # fmt: skip
    share.locator("select").select_option("umowa")
    share.locator("input[name$=number]").fill("DPS.4011.3.2026")
    share.locator("input[type=date]").fill("2099-01-01")
    share.locator("button:has-text('Zapisz umowę lub decyzję')").click()
    page.wait_for_selector(".error-summary")
    assert "Data nie może być późniejsza niż dzisiejsza" in page.inner_text(".error-summary")
    assert axe_violations(page) == []
    shot("facilities_03a_agreement_refused")
    share = page.locator("ul.shares li").first
    share.locator("input[type=date]").fill(on.isoformat())
    share.locator("button:has-text('Zapisz umowę lub decyzję')").click()
    page.wait_for_selector("text=Zapisano podstawę opłaty krewnego")
    assert f"umowa nr DPS.4011.3.2026 z {on:%d.%m.%Y}" in page.inner_text("ul.shares")
    assert axe_violations(page) == []
    shot("facilities_03b_agreement")


@pytest.mark.django_db(transaction=True)
def test_warming_room_winter_month(page: Any, login: Any, shot: Any, live_server: Any) -> None:
    from ostoja.facilities import services
    from ostoja.facilities.tests.factories import make_facility

    User, _street = _setup()
    on = today()
    winter = date(on.year, 1, 1)
    room = make_facility(kind="ogrzewalnia", place_kind="nocne", places=30, unit_code="bezdomnosc",
                         name="OIT — ogrzewalnia (test)", on=date(on.year - 1, 1, 1))  # fmt: skip
    clerk = User.objects.get(username="swiadczenia")
    for day in range(1, 31):
        for g in range(10 + day % 7):
            services.night_record(facility=room, night=winter.replace(day=day), actor=clerk,
                                  guest_label=f"Osoba {g}")  # fmt: skip
    assert noon(winter)  # the month is a winter month whatever today is
    login("dyrektor")
    page.goto(f"{live_server.url}/placowki/{room.pk}/noclegi/?miesiac={winter:%Y-%m}")
    table = page.inner_text("#nights")
    assert "1.1." in table and "31.1." in table
    rows = page.locator("#nights tbody tr")
    assert rows.count() == 31
    assert rows.nth(0).inner_text().split("\t")[1:] == ["11", "30", "19"]
    assert rows.nth(30).inner_text().split("\t")[1] == "0"
    shot("facilities_04_warming_room_month")
    page.goto(f"{live_server.url}/placowki/wolne-miejsca/")
    page.wait_for_selector("text=Ogrzewalnia")


@pytest.mark.django_db(transaction=True)
def test_shelter_fee_with_an_exemption_on_request(
    page: Any, login: Any, shot: Any, live_server: Any
) -> None:
    """Art. 97: the clerk sets a shelter stay's fee with a partial exemption on the person's
    request (art. 97 ust. 5; § 2 ust. 3 of uchwała VI/106/2015), by keyboard where a clerk
    would; the page shows the table's fee, the amount waived and the fee after it."""
    from decimal import Decimal

    from ostoja.facilities import services
    from ostoja.facilities.models import FeeArrangement
    from ostoja.facilities.tests.factories import make_facility, make_person

    User, _street = _setup()
    on = today()
    start = date(on.year, on.month, 1)
    shelter = make_facility(kind="schronisko", subtypes=[], places=2, cost="1200.00",
                            name="OIT — schronisko (test)", on=date(on.year - 1, 1, 1))  # fmt: skip
    clerk = User.objects.get(username="swiadczenia")
    stay = services.stay_admit(person=make_person(), facility=shelter, on=start, actor=clerk,
                               now=noon(start), legal_basis="decyzja (test)",
                               programme="IPWzB nr 1 (test)")  # fmt: skip
    login("swiadczenia")
    page.goto(f"{live_server.url}/placowki/pobyty/{stay.pk}/")
    form = page.locator("form:has(input[name=action][value=fee97])")
    form.get_by_label("Dochód gospodarstwa domowego").fill("1500.00")
    form.get_by_label("Zwolnienie z opłaty na wniosek").select_option("czesciowe")
    form.get_by_label("Kwota zwolnienia częściowego").fill("50.00")
    form.get_by_label("Data wniosku o zwolnienie").fill(f"{on:%Y-%m-%d}")
    reason = form.get_by_label("Okoliczności uzasadniające zwolnienie")
    reason.fill("wydatki na leczenie")
    reason.press("Tab")
    page.keyboard.press("Enter")  # focus is on the submit button
    page.wait_for_selector("#fee97-exemption")
    fee = FeeArrangement.objects.get(stay=stay)
    before = Decimal(fee.inputs["exemption"]["fee_before"])
    assert fee.resident_amount == before - Decimal("50.00")
    assert "50,00 zł miesięcznie" in page.inner_text("#fee97-exemption").replace("\xa0", " ")
    amount = page.inner_text("#fee97-amount").replace("\xa0", " ")
    assert amount == f"{fee.resident_amount:.2f} zł".replace(".", ",")
    shot("facilities_05_shelter_fee_exemption")


@pytest.mark.django_db(transaction=True)
def test_fee_change_month_waits_for_its_decision(
    page: Any, login: Any, shot: Any, live_server: Any
) -> None:
    """A shelter stay's fee, set by a final decision, changed from this month: the clerk drafts
    the decision changing it from the stay page (a "zmiana decyzji" of the fee decision); finance
    builds the month's charges and the page says the stay was not charged, and why (art. 130
    KPA)."""
    from decimal import Decimal
    from types import SimpleNamespace

    from ostoja.core.dates import shift_months
    from ostoja.decisions.tests.factories import make_ready_application
    from ostoja.facilities import services
    from ostoja.facilities.tests.factories import fee_decided, make_facility

    User, _street = _setup()
    on = today()
    this = date(on.year, on.month, 1)
    start = shift_months(this, -2)
    shelter = make_facility(kind="schronisko", subtypes=[], places=2, cost="1200.00",
                            name="OIT — schronisko (test)", on=date(on.year - 1, 1, 1))  # fmt: skip
    staff = SimpleNamespace(**{role: User.objects.get(username=name) for role, name in (
        ("clerk", "swiadczenia"), ("head", "kierownik"), ("director", "dyrektor"),
        ("worker", "socjalny"))})  # fmt: skip
    person = make_ready_application(received_on=start).applicant
    stay = services.stay_admit(person=person, facility=shelter, on=start, actor=staff.clerk,
                               now=noon(start), legal_basis="decyzja (test)",
                               programme="IPWzB nr 2 (test)")  # fmt: skip
    first = services.fee_set_art97(stay=stay, valid_from=start, household_income=Decimal("1500"),
                                   household_size=1, actor=staff.clerk, now=noon(start))  # fmt: skip
    signed = fee_decided(first, staff, start + timedelta(days=1))
    services.fee_set_art97(stay=stay, valid_from=this, household_income=Decimal("2500.00"),
                           household_size=1, actor=staff.clerk, now=noon(on))  # fmt: skip
    login("swiadczenia")
    page.goto(f"{live_server.url}/placowki/pobyty/{stay.pk}/")
    page.click("text=Przygotuj projekt decyzji o odpłatności")
    page.wait_for_selector("text=Przygotowano projekt decyzji o odpłatności")
    body = page.inner_text("main").replace("\xa0", " ")
    assert "Decyzja (projekt) — zmiana decyzji" in body
    assert f"{signed.number}, skutek od {this:%d.%m.%Y}" in body  # "Dotyczy decyzji"
    assert f"Od dnia {this.day} " in body and "zmieniły się okoliczności" in body
    assert "2 500,00 zł (obecnie)" in body  # the ruling's words: the PDF, tested in the unit
    assert axe_violations(page) == []
    shot("facilities_06_fee_change_decision")
    page.context.clear_cookies()
    login("ksiegowosc")
    page.goto(f"{live_server.url}/placowki/naleznosci/")
    page.fill("#id_month", this.isoformat())
    page.click("text=Nalicz należności za miesiąc")
    page.wait_for_selector("text=Pobyty czekające na wykonalną decyzję zmieniającą opłatę: 1")
    waiting = page.inner_text("#month-waiting")
    assert person.last_name in waiting and "projekt decyzji" in waiting
    assert f"decyzja zmieniająca opłatę od {this:%d.%m.%Y} nie jest jeszcze wykonalna" in waiting
    assert "Brak należności w tym miesiącu." in page.inner_text("#month-charges")
    assert axe_violations(page) == []
    shot("facilities_07_change_waits")

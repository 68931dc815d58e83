"""The care pages end to end: order → hours → bill → invoice check; scope and roles."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from ostoja.care.models import CareMonth, CareOrder, ProviderInvoice
from ostoja.org.roles import Role
from ostoja.socialwork.tests.factories import make_case

from .helpers import order_for, provider_with_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_staff, travel):
    travel("2026-03-10")
    worker = make_staff("v_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")
    clerk = make_staff("v_clerk", role=Role.BENEFITS_CLERK, unit_code="ro1")
    contract = provider_with_contract(worker)
    case = make_case(worker=worker)
    return {"worker": worker, "clerk": clerk, "contract": contract, "case": case}


def test_order_to_bill_to_invoice_check_through_pages(setup, client_for):
    w, clerk = client_for(setup["worker"]), client_for(setup["clerk"])
    r = w.post(
        "/uslugi/zlecenia/nowe/",
        {
            "case": setup["case"].pk, "decision_number": "DPS.8310.7.2026", "service_kind": "uo",
            "scope": ["zakupy", "higiena"], "hours_per_day": "2", "days_per_week": "5",
            "hours_per_month": "40", "period_from": "2026-03-01", "period_until": "2026-12-31",
            "place": "Kielce, ul. Próbna 1", "living_alone": "on",
            "contract": setup["contract"].pk, "income": "1300.00", "single": "on",
            "paper_enforceable_from": "2026-03-02",
        },
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    order = CareOrder.objects.get()
    r = w.post(f"/uslugi/zlecenia/{order.pk}/", {"month": "2026-03", "hours_delivered": "38"})
    assert r.status_code == 302
    month = CareMonth.objects.get()
    assert (
        w.post(f"/uslugi/miesiace/{month.pk}/rachunek/", {"version": month.version}).status_code
        == 403
    )
    r = clerk.post(f"/uslugi/miesiace/{month.pk}/rachunek/", {"version": month.version})
    month.refresh_from_db()
    assert month.status == "naliczony" and month.client_fee == D("123.50")
    page = clerk.get(f"/uslugi/zlecenia/{order.pk}/").content.decode()
    assert "123,50" in page and "termin 24.03.2026" in page
    r = clerk.post(
        "/uslugi/faktury/",
        {"provider": order.provider_id, "number": "FV/3/2026", "month": "2026-03",
         "hours_invoiced": "38", "amount_invoiced": "1235.00"},
    )  # fmt: skip
    assert "zgodna z kartami pracy" in r.content.decode()
    assert ProviderInvoice.objects.get().matches


def test_bad_input_names_the_field_and_saves_nothing(setup, client_for):
    r = client_for(setup["worker"]).post(
        "/uslugi/zlecenia/nowe/",
        {
            "case": setup["case"].pk, "decision_number": "D/1", "service_kind": "uo",
            "scope": ["zakupy"], "hours_per_day": "7", "days_per_week": "5",
            "hours_per_month": "100", "period_from": "2026-03-01", "period_until": "2026-12-31",
            "place": "Kielce", "contract": setup["contract"].pk, "income": "500",
        },
    )  # fmt: skip
    assert r.status_code == 200 and "Najwyżej 6 h dziennie" in r.content.decode()
    assert not CareOrder.objects.exists()


def test_other_unit_gets_404_and_finance_sees_only_invoices(setup, client_for, make_staff):
    order = order_for(
        setup["worker"], on=date(2026, 3, 10), case=setup["case"], contract=setup["contract"]
    )
    other = make_staff("v_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")
    assert client_for(other).get(f"/uslugi/zlecenia/{order.pk}/").status_code == 404
    assert order.decision_number not in client_for(other).get("/uslugi/").content.decode()
    finance = make_staff("v_fin", role=Role.FINANCE, unit_code="finanse")
    assert client_for(finance).get("/uslugi/").status_code == 403
    assert client_for(finance).get("/uslugi/faktury/").status_code == 200


def test_event_pages(setup, client_for):
    w = client_for(setup["worker"])
    r = w.post(
        "/uslugi/zdarzenia/nowe/",
        {"kind": "interwencja", "case": setup["case"].pk, "occurred_on": "2026-03-09",
         "quantity": "1", "stay_until": "2026-07-01"},
    )  # fmt: skip
    assert "najwyżej 3 miesiące" in r.content.decode()
    r = w.post(
        "/uslugi/zdarzenia/nowe/",
        {"kind": "interwencja", "case": setup["case"].pk, "occurred_on": "2026-03-09",
         "quantity": "1", "stay_until": "2026-06-01"},
    )  # fmt: skip
    assert r.status_code == 302
    page = w.get("/uslugi/zdarzenia/?rodzaj=interwencja").content.decode()
    assert "bez decyzji" in page and "9.03.2026" in page
    assert w.get("/uslugi/powiat/").status_code == 200


def test_powiat_pages_leaving_care_and_integration(setup, client_for, make_staff):
    w = client_for(setup["worker"])
    case = setup["case"]
    r = w.post(
        "/uslugi/powiat/usamodzielnienie/nowy/",
        {"case": case.pk, "institution_kind": "mow", "institution_name": "MOW",
         "left_on": "2026-02-28", "stay_months": "40", "guardian_name": "Ewa Opiekun",
         "goals": "Mieszkanie i praca.", "agreed_on": "2026-03-05"},
    )  # fmt: skip
    assert r.status_code == 302
    r = w.post(r["Location"], {"kind": "zagospodarowanie", "age": "19"}, follow=True)
    page = r.content.decode()
    assert "Pomoc na zagospodarowanie" in page and "6\u00a0198,00" in page and "art. 88" in page
    r = w.post(
        "/uslugi/powiat/integracja/nowy/",
        {"case": case.pk, "family_size": "1", "starts_on": "2026-03-01",
         "obligations": "Kurs języka polskiego."},
    )  # fmt: skip
    url = r["Location"]
    assert "1\u00a0376,00" in w.get(url).content.decode()  # § 3 as amended in 2018
    w.post(
        url,
        {
            "action": "review",
            "reviewed_on": "2026-03-09",
            "obligations_met": "on",
            "findings": "Uczęszcza.",
        },
    )
    from ostoja.care.models import IntegrationProgramme

    prog = IntegrationProgramme.objects.get()
    r = w.post(
        url,
        {
            "action": "end",
            "ended_on": "2026-03-10",
            "end_reason": "Wyjazd",
            "version": prog.version,
        },
    )
    prog.refresh_from_db()
    assert prog.status == "zakonczony" and prog.reviews.count() == 1
    other = make_staff("v_ro2b", role=Role.SOCIAL_WORKER, unit_code="ro2")
    assert client_for(other).get(url).status_code == 404


def test_correcting_a_month_needs_the_version_read(setup, client_for):
    order = order_for(
        setup["worker"], on=date(2026, 3, 10), case=setup["case"], contract=setup["contract"]
    )
    w = client_for(setup["worker"])
    w.post(f"/uslugi/zlecenia/{order.pk}/", {"month": "2026-03", "hours_delivered": "30"})
    r = w.post(f"/uslugi/zlecenia/{order.pk}/", {"month": "2026-03", "hours_delivered": "31"})
    assert "użyj „Popraw”" in r.content.decode()
    month = CareMonth.objects.get()
    form = w.get(f"/uslugi/zlecenia/{order.pk}/?popraw={month.pk}").content.decode()
    assert f'name="version" value="{month.version}"' in form
    r = w.post(
        f"/uslugi/zlecenia/{order.pk}/",
        {"month": "2026-03", "hours_delivered": "31", "version": month.version},
    )
    month.refresh_from_db()
    assert r.status_code == 302 and month.hours_delivered == 31


def test_finance_turns_an_overdue_bill_into_a_receivable(setup, client_for, make_staff, travel):
    from ostoja.care import services as svc
    from ostoja.payments.models import Receivable

    order = order_for(
        setup["worker"], on=date(2026, 3, 10), case=setup["case"], contract=setup["contract"]
    )
    m = svc.care_month_report(
        order=order, month=date(2026, 3, 1), hours_delivered=D("40"), actor=setup["worker"],
        now=travel("2026-03-31"),
    )  # fmt: skip
    m = svc.care_month_bill(
        month=m, actor=setup["clerk"], on=date(2026, 4, 1), expected_version=m.version
    )
    finance = make_staff("v_fin2", role=Role.FINANCE, unit_code="finanse")
    travel("2026-04-20")
    page = client_for(finance).get("/uslugi/faktury/").content.decode()
    assert "Nieopłacone rachunki po terminie" in page and "130,00" in page
    assert (
        client_for(setup["clerk"])
        .post(f"/uslugi/zaleglosci/{m.pk}/", {"version": m.version})
        .status_code
        == 403
    )
    client_for(finance).post(f"/uslugi/zaleglosci/{m.pk}/", {"version": m.version})
    m.refresh_from_db()
    assert m.status == "zaleglosc" and Receivable.objects.get(pk=m.receivable_id).principal == D(
        "130.00"
    )
    assert (
        client_for(finance).post(f"/uslugi/zaleglosci/{m.pk}/", {"version": m.version}).status_code
        == 404
    )


def test_case_file_shows_the_care_panel(setup, client_for):
    order_for(setup["worker"], on=date(2026, 3, 10), case=setup["case"], contract=setup["contract"])
    page = client_for(setup["worker"]).get(f"/sprawy/{setup['case'].pk}/").content.decode()
    assert "Usługi i pomoc w naturze" in page and "DPS.8310.1.2026" in page


def test_care_records_follow_the_case_to_its_new_district(setup, make_staff, client_for):
    """Scope of a family's records (art. 100 ust. 1 u.p.s. — the centre acts through the
    district now keeping the case; issue 20, finding 3): an order and a programme follow the
    case's **current** unit, not the unit stored when they were recorded."""
    from ostoja.care import services as svc
    from ostoja.cases.models import Case
    from ostoja.org.models import Unit

    from .helpers import person_of

    case, worker = setup["case"], setup["worker"]
    order = order_for(worker, on=date(2026, 3, 10), case=case, contract=setup["contract"])
    prog = svc.integration_programme_create(
        person=person_of(case), case=case, unit=case.unit, family_size=1,
        starts_on=date(2026, 3, 10), obligations="Nauka języka polskiego.", actor=worker,
    )  # fmt: skip
    old = make_staff("v_ro1_other", role=Role.SOCIAL_WORKER, unit_code="ro1")
    new = make_staff("v_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")
    urls = [f"/uslugi/zlecenia/{order.pk}/", f"/uslugi/powiat/integracja/{prog.pk}/"]
    assert all(client_for(old).get(u).status_code == 200 for u in urls)
    assert all(client_for(new).get(u).status_code == 404 for u in urls)
    Case.objects.filter(pk=case.pk).update(unit=Unit.objects.get(code="ro2"), worker=new)
    assert all(client_for(old).get(u).status_code == 404 for u in urls)
    assert all(client_for(new).get(u).status_code == 200 for u in urls)
    from ostoja.care import selectors as sel

    assert not sel.orders_visible(user=old).filter(pk=order.pk).exists()
    assert sel.orders_visible(user=new).filter(pk=order.pk).exists()

"""Refusals on the care pages come back on the same page, at their fields (the shared form
renderer: the message under the field, the error summary on top linking to it), and nothing
is saved."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from ostoja.care import services as svc
from ostoja.care.models import CareOrder
from ostoja.decisions.models import Decision
from ostoja.decisions.tests.factories import make_ready_application
from ostoja.org.roles import Role
from tests.refusals import error_at_field as _at_field
from tests.refusals import error_summary as _summary

from .helpers import order_for, person_of, provider_with_contract

pytestmark = pytest.mark.django_db
NRB = "61109010140000071219812874"


@pytest.fixture
def world(make_staff: Any, travel: Any) -> dict[str, Any]:
    travel("2026-03-31")
    worker = make_staff("odmowy_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")
    case = make_ready_application(
        "zasilek_celowy", worker=worker, received_on=date(2026, 3, 2)
    ).case
    return {"worker": worker, "case": case, "contract": provider_with_contract(worker)}


def _order_post(world: dict[str, Any], **extra: str) -> dict[str, Any]:
    return {
        "case": world["case"].pk, "decision_number": "DPS-UO.8310.9.2025", "service_kind": "uo",
        "scope": ["zakupy"], "hours_per_day": "2", "days_per_week": "5",
        "hours_per_month": "40", "period_from": "2026-03-01", "period_until": "2026-12-31",
        "place": "Kielce", "living_alone": "on", "contract": world["contract"].pk,
        "income": "1300.00", "single": "on", **extra,
    }  # fmt: skip


def test_art_130_kpa_paper_day_refused_at_its_field_on_the_order_form(world, client_for):
    """Art. 50 u.p.s. / art. 130 KPA: an order with a paper decision's number and no day it
    became enforceable, or with a day in the future, is refused at that field."""
    c = client_for(world["worker"])
    r = c.post("/uslugi/zlecenia/nowe/", _order_post(world))
    page = r.content.decode()
    assert _at_field(page, "id_paper_enforceable_from", "art. 130 KPA")
    assert "Decyzja papierowa ostateczna lub wykonalna od" in page
    r = c.post("/uslugi/zlecenia/nowe/", _order_post(world, paper_enforceable_from="2026-04-01"))
    assert _at_field(r.content.decode(), "id_paper_enforceable_from", "późniejszy niż dzisiejszy")
    assert not CareOrder.objects.exists()
    r = c.post("/uslugi/zlecenia/nowe/", _order_post(world, paper_enforceable_from="2026-03-16"))
    assert r.status_code == 302
    order = CareOrder.objects.get()
    assert order.paper_enforceable_from == date(2026, 3, 16)
    page = c.get(r["Location"]).content.decode()
    assert "Decyzja ostateczna lub wykonalna od" in page and "16.03.2026" in page
    r = c.post(r["Location"], {"month": "2026-02", "hours_delivered": "10"})
    assert r.status_code == 422 and _at_field(r.content.decode(), "id_month", "Miesiąc poza")


def test_art_130_kpa_order_typed_without_the_day_records_it_on_its_page(world, client_for):
    """An order saved before the day was asked shows a form for it; a future day is refused
    at the field, a past one is saved and hours follow."""
    c = client_for(world["worker"])
    order = order_for(world["worker"], on=date(2026, 3, 10), case=world["case"])
    CareOrder.objects.filter(pk=order.pk).update(paper_enforceable_from=None,
                                                 paper_enforceable_by=None)  # fmt: skip
    url = f"/uslugi/zlecenia/{order.pk}/"
    assert "Zapisz dzień wykonalności" in c.get(url).content.decode()
    r = c.post(url, {"month": "2026-03", "hours_delivered": "10"})
    assert r.status_code == 422 and _at_field(r.content.decode(), "id_month", "uzupełnij")
    data = {"action": "paper_day", "paper_enforceable_from": "2026-04-02", "version": "1"}
    r = c.post(url, data)
    assert r.status_code == 422
    assert _at_field(r.content.decode(), "id_papier_paper_enforceable_from", "dzisiejszy")
    order.refresh_from_db()
    r = c.post(url, {**data, "paper_enforceable_from": "2026-03-05", "version": order.version})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.paper_enforceable_from == date(2026, 3, 5)
    assert order.paper_enforceable_by == world["worker"]
    assert c.post(url, {"month": "2026-03", "hours_delivered": "10"}).status_code == 302


def test_art_108_kpa_decision_draft_refusal_is_at_its_field_not_a_flash(world, client_for):
    """Art. 108 § 1 KPA: rygor natychmiastowej wykonalności without its reason is refused on
    the order page at the reason's field; no decision is drafted."""
    c = client_for(world["worker"])
    order = order_for(world["worker"], on=date(2026, 3, 10), case=world["case"], decision_number="")
    r = c.post(
        f"/uslugi/zlecenia/{order.pk}/decyzja/", {"version": order.version, "immediate": "on"}
    )
    page = r.content.decode()
    assert r.status_code == 422
    assert _at_field(page, "id_dec_immediate_reason", "")
    assert "Powód rygoru natychmiastowej wykonalności" in page
    assert not Decision.objects.filter(case=world["case"], lines__benefit="uslugi_opiekuncze")


def test_art_88_education_help_without_its_end_is_refused_at_the_field(world, client_for):
    """Art. 88 u.p.s.: help for continuing education needs the end of schooling — refused on
    the programme page at that field of that help's form."""
    c = client_for(world["worker"])
    prog = svc.leaving_care_programme_create(
        person=person_of(world["case"]), case=world["case"], unit=world["case"].unit,
        institution_kind="mow", institution_name="MOW Kielce", left_on=date(2026, 2, 28),
        stay_months=30, guardian_name="Ewa Opiekun", goals="Nauka.", agreed_on=date(2026, 3, 5),
        actor=world["worker"],
    )  # fmt: skip
    help = svc.leaving_care_help_compute(
        programme=prog, kind="kontynuowanie_nauki", age=19, on=date(2026, 3, 10),
        actor=world["worker"],
    )  # fmt: skip
    r = c.post(
        f"/uslugi/powiat/usamodzielnienie/{prog.pk}/decyzja/",
        {"help": help.pk, "account_number": NRB},
    )
    assert r.status_code == 422
    assert _at_field(r.content.decode(), f"id_pomoc{help.pk}_education_until", "art. 88")
    help.refresh_from_db()
    assert help.decision_id is None


def test_art_130_kpa_paper_day_correction_on_the_order_page(world, client_for, make_staff):
    """Two people on the order page: a refused proposal comes back at its field; the proposer
    cannot confirm (the refusal is on the confirmation form); another worker of the unit
    confirms; the page shows the history. A head of another unit cannot open the order."""
    worker = world["worker"]
    head = make_staff("odmowy_kier_ro1", role=Role.HEAD_OF_UNIT, unit_code="ro1")
    outsider = make_staff("odmowy_kier_ro2", role=Role.HEAD_OF_UNIT, unit_code="ro2")
    order = order_for(worker, on=date(2026, 3, 10), case=world["case"],
                      paper_enforceable_from=date(2026, 3, 9))  # fmt: skip
    url = f"/uslugi/zlecenia/{order.pk}/"
    c = client_for(worker)
    assert "Zaproponuj sprostowanie" in c.get(url).content.decode()
    data = {"action": "day_propose", "new_day": "2026-04-01", "reason": "Błąd przy wpisie.",
            "evidence": "ZPO z 20.02.2026", "version": order.version}  # fmt: skip
    r = c.post(url, data)
    assert r.status_code == 422
    assert _at_field(r.content.decode(), "id_spr_new_day", "dzisiejszy")
    assert c.post(url, {**data, "new_day": "2026-03-06"}).status_code == 302
    pending = order.day_corrections.get()
    r = c.post(url, {"action": "day_confirm", "correction": pending.pk})
    # the proposer confirming their own proposal: not permitted (403), as for a correcting bill
    assert r.status_code == 403 and "inna osoba" in r.content.decode()
    assert client_for(outsider).post(
        url, {"action": "day_confirm", "correction": pending.pk}
    ).status_code in (403, 404)
    h = client_for(head)
    other = order_for(worker, on=date(2026, 3, 10), case=world["case"])
    r = h.post(f"/uslugi/zlecenia/{other.pk}/", {"action": "day_confirm", "correction": pending.pk})
    assert r.status_code == 404  # a proposal is confirmed only on its own order's page
    assert "Zatwierdź sprostowanie" in h.get(url).content.decode()
    assert h.post(url, {"action": "day_confirm", "correction": pending.pk}).status_code == 302
    order.refresh_from_db()
    assert order.paper_enforceable_from == date(2026, 3, 6)
    page = h.get(url).content.decode()
    assert 'id="sprostowania"' in page and "9.03.2026" in page and "Zatwierdzona" in page


def test_receivable_from_a_stale_page_is_refused_on_the_page_nothing_saved(
    make_staff, client_for, travel
):
    """Two finance officers on the same overdue bill: the second (stale version) gets the
    Polish conflict message in the summary on top (4xx), no second receivable, no flash."""
    from decimal import Decimal as D

    from ostoja.payments.models import Receivable
    from ostoja.socialwork.tests.factories import make_case

    travel("2026-03-10")
    worker = make_staff("nal_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")
    clerk = make_staff("nal_clerk", role=Role.BENEFITS_CLERK, unit_code="ro1")
    contract = provider_with_contract(worker)
    order = order_for(
        worker, on=date(2026, 3, 10), case=make_case(worker=worker), contract=contract
    )
    m = svc.care_month_report(
        order=order, month=date(2026, 3, 1), hours_delivered=D("40"), actor=worker,
        now=travel("2026-03-31"),
    )  # fmt: skip
    m = svc.care_month_bill(month=m, actor=clerk, on=date(2026, 4, 1), expected_version=m.version)
    finance = make_staff("nal_fin", role=Role.FINANCE, unit_code="finanse")
    travel("2026-04-20")
    c = client_for(finance)
    r = c.post(f"/uslugi/zaleglosci/{m.pk}/", {"version": m.version - 1})
    page = r.content.decode()
    assert r.status_code == 409
    summary = re.search(r"data-error-summary>(.*?)</div>", page, re.S)
    assert summary and "Ktoś inny zapisał" in summary.group(1)
    assert f'id="nal{m.pk}_error"' in page
    assert not Receivable.objects.exists()
    m.refresh_from_db()
    assert m.status == "naliczony"
    r = c.post(f"/uslugi/zaleglosci/{m.pk}/", {"version": "abc"})
    assert r.status_code == 422 and "data-error-summary" in r.content.decode()
    assert not Receivable.objects.exists()


def _reported_month(make_staff: Any, travel: Any) -> tuple[Any, Any]:
    """A month of March 2026 reported by the ro1 worker on 31 March (the order's unit: ro1)."""
    from decimal import Decimal as D

    from ostoja.socialwork.tests.factories import make_case

    travel("2026-03-10")
    worker = make_staff("mies_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")
    order = order_for(worker, on=date(2026, 3, 10), case=make_case(worker=worker))
    m = svc.care_month_report(
        order=order, month=date(2026, 3, 1), hours_delivered=D("40"), actor=worker,
        now=travel("2026-03-31"),
    )  # fmt: skip
    return order, m


def test_bill_from_a_stale_page_is_refused_on_the_order_page_nothing_saved(
    make_staff, client_for, travel
):
    """Two clerks bill the same month from one page just after midnight in Warsaw (UTC is
    still 31 March): the first bills it on the local day 1 April; the second gets 409 with the
    Polish message in the summary on top and at the month's row, no flash; nothing changes."""
    from ostoja.care.models import CareMonth

    order, m = _reported_month(make_staff, travel)
    travel("2026-04-01", hour=0)
    c1 = client_for(make_staff("mies_clerk1", role=Role.BENEFITS_CLERK, unit_code="ro1"))
    c2 = client_for(make_staff("mies_clerk2", role=Role.BENEFITS_CLERK, unit_code="ro1"))
    url = f"/uslugi/miesiace/{m.pk}/rachunek/"
    r = c1.post(url, {"version": m.version})
    assert r.status_code == 302 and r["Location"] == f"/uslugi/zlecenia/{order.pk}/"
    billed = CareMonth.objects.get(pk=m.pk)
    assert billed.billed_on == date(2026, 4, 1) and billed.status == "naliczony"
    r = c2.post(url, {"version": m.version})
    page = r.content.decode()
    assert r.status_code == 409
    assert "już wystawiony" in _summary(page)
    row = re.search(rf'id="mies{m.pk}_error">(.*?)</div>', page, re.S)
    assert row and "już wystawiony" in row.group(1)
    assert "<h1>Zlecenie usług" in page
    assert CareMonth.objects.get(pk=m.pk).version == billed.version
    # a payment recorded from the page read before the bill: the version is stale
    r = c2.post(f"/uslugi/miesiace/{m.pk}/wplata/", {"version": m.version})
    assert r.status_code == 409 and "Ktoś inny zapisał" in _summary(r.content.decode())
    assert CareMonth.objects.get(pk=m.pk).status == "naliczony"
    r = c2.post(f"/uslugi/miesiace/{m.pk}/wplata/", {"version": "abc"})
    assert r.status_code == 422 and "data-error-summary" in r.content.decode()
    r = c2.post(f"/uslugi/miesiace/{m.pk}/wplata/", {"version": billed.version})
    assert r.status_code == 302
    assert CareMonth.objects.get(pk=m.pk).paid_on == date(2026, 4, 1)


def test_bill_by_another_units_clerk_or_by_the_worker_is_refused(make_staff, client_for, travel):
    """The adversary's side: a clerk of ro2 posts the ro1 month's id (answered as an unknown
    id, the refusal audited); the worker who reported the hours may not bill them (no role);
    nothing billed."""

    _, m = _reported_month(make_staff, travel)
    travel("2026-04-01")
    outsider = client_for(make_staff("mies_clerk_ro2", role=Role.BENEFITS_CLERK, unit_code="ro2"))
    worker = client_for(m.order.case.worker)
    url = f"/uslugi/miesiace/{m.pk}/rachunek/"
    assert outsider.post(url, {"version": m.version}).status_code == 404
    assert worker.post(url, {"version": m.version}).status_code == 403
    m.refresh_from_db()
    assert m.status == "zgloszony" and m.billed_on is None


def test_leaving_care_decision_without_a_chosen_help_is_refused_on_the_page(
    world, client_for, make_staff
):
    """No help chosen, or the id of another programme's help (a stale page, a forged post):
    409 on the programme's page, the Polish reason in the summary on top, no decision drafted
    (issue 17; formerly a flash + redirect)."""
    c = client_for(world["worker"])

    def programme(name: str) -> Any:
        return svc.leaving_care_programme_create(
            person=person_of(world["case"]), case=world["case"], unit=world["case"].unit,
            institution_kind="mow", institution_name=name, left_on=date(2026, 2, 28),
            stay_months=30, guardian_name="Ewa Opiekun", goals="Nauka.",
            agreed_on=date(2026, 3, 5), actor=world["worker"],
        )  # fmt: skip

    prog, other = programme("MOW Kielce"), programme("MOW Radom")
    foreign = svc.leaving_care_help_compute(
        programme=other, kind="kontynuowanie_nauki", age=19, on=date(2026, 3, 10),
        actor=world["worker"],
    )  # fmt: skip
    url = f"/uslugi/powiat/usamodzielnienie/{prog.pk}/decyzja/"
    for data in ({"account_number": NRB}, {"help": foreign.pk, "account_number": NRB}):
        r = c.post(url, data)
        page = r.content.decode()
        summary = re.search(r"data-error-summary>(.*?)</div>", page, re.S)
        assert r.status_code == 409
        assert summary and "Wybierz wyliczoną pomoc" in summary.group(1)
        assert "MOW Kielce" in page
    foreign.refresh_from_db()
    assert foreign.decision_id is None

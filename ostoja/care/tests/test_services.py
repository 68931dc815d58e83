"""Care services (art. 50 u.p.s.), service events (art. 106 ust. 2), leaving care (art. 88)
and integration programmes (art. 91–93) through the services."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from ostoja.care import selectors as sel
from ostoja.care import services as svc
from ostoja.care.models import CareMonth
from ostoja.cases.models import TimelineEvent
from ostoja.core.errors import ConflictError, NotPermitted, ValidationFailed
from ostoja.org.roles import Role
from ostoja.socialwork.tests.factories import make_case

from .helpers import order_for, person_of, provider_with_contract

ON = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(make_staff):
    return make_staff("opiekun1", role=Role.SOCIAL_WORKER)


@pytest.fixture
def clerk(make_staff):
    return make_staff("swiadczenia1", role=Role.BENEFITS_CLERK, unit_code="ro1")


def test_art_50_order_fee_rate_from_kielce_table_and_timeline(worker):
    order = order_for(worker, on=ON, income="1300.00")
    assert order.fee_rate == D("10")  # 128.7 % of 1 010 zł, single column
    assert TimelineEvent.objects.filter(case=order.case, kind="uslugi").exists()
    free = order_for(worker, on=ON, income="900.00")
    assert free.fee_rate == 0  # free up to the criterion (art. 50 ust. 6, resolution)


def test_kielce_limit_6_hours_a_day_8_for_a_person_living_alone(worker):
    contract = provider_with_contract(worker)
    case = make_case(worker=worker)
    args = dict(
        case=case, person=person_of(case), decision_number="X/1", service_kind="uo",
        scope=["zakupy"], days_per_week=5, hours_per_month=D("100"),
        period_from=date(2026, 3, 1), period_until=date(2026, 12, 31), place="Kielce",
        contract=contract, income=D("500"), single=True, actor=worker, on=ON,
        paper_enforceable_from=date(2026, 3, 1),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        svc.care_order_create(hours_per_day=D("7"), living_alone=False, **args)
    assert e.value.field == "hours_per_day" and "6" in e.value.message
    assert svc.care_order_create(hours_per_day=D("7"), living_alone=True, **args).pk


def test_month_report_bill_and_second_report_corrects_not_duplicates(worker, clerk):
    order = order_for(worker, on=ON)
    m = svc.care_month_report(order=order, month=ON, hours_delivered=D("38"), actor=worker, now=NOW)
    assert m.client_fee == D("123.50") and m.provider_due == D("1235.00")  # 38 h × 32,50 × 10 %
    with pytest.raises(ConflictError):  # a second report without the version read
        svc.care_month_report(order=order, month=ON, hours_delivered=D("44"), actor=worker, now=NOW)
    m = svc.care_month_report(
        order=order, month=ON, hours_delivered=D("44"), actor=worker, now=NOW,
        expected_version=m.version,
    )  # fmt: skip
    assert CareMonth.objects.filter(order=order).count() == 1
    with pytest.raises(ConflictError):  # a stale version is refused, never silently lost
        svc.care_month_report(
            order=order, month=ON, hours_delivered=D("45"), actor=worker, now=NOW,
            expected_version=m.version - 1,
        )  # fmt: skip
    assert m.excess_hours == 4 and m.client_fee == D("130.00")  # capped at the 40 h ordered
    billed = svc.care_month_bill(
        month=m, actor=clerk, on=date(2026, 4, 2), expected_version=m.version
    )
    assert billed.status == "naliczony" and billed.due_on == date(2026, 4, 16)
    with pytest.raises(ConflictError):
        svc.care_month_report(
            order=order, month=ON, hours_delivered=D("1"), actor=worker, now=NOW,
            expected_version=billed.version,
        )  # fmt: skip
    with pytest.raises(ConflictError):
        svc.care_month_bill(
            month=billed, actor=clerk, on=date(2026, 4, 2), expected_version=billed.version
        )


def test_month_outside_the_decision_period_is_refused(worker):
    order = order_for(worker, on=ON)
    with pytest.raises(ValidationFailed) as e:
        svc.care_month_report(
            order=order, month=date(2026, 1, 1), hours_delivered=D("1"), actor=worker, now=NOW
        )
    assert e.value.field == "month"


def test_unpaid_bill_becomes_one_receivable(worker, clerk, make_staff):
    finance = make_staff("ksiegowa", role=Role.FINANCE, unit_code="finanse")
    order = order_for(worker, on=ON)
    m = svc.care_month_report(order=order, month=ON, hours_delivered=D("40"), actor=worker, now=NOW)
    m = svc.care_month_bill(month=m, actor=clerk, on=date(2026, 4, 1), expected_version=m.version)
    with pytest.raises(ValidationFailed):
        svc.care_month_to_receivable(
            month=m, actor=finance, on=date(2026, 4, 10), expected_version=m.version
        )
    m = svc.care_month_to_receivable(
        month=m, actor=finance, on=date(2026, 5, 1), expected_version=m.version
    )
    assert m.status == "zaleglosc" and m.receivable_id
    with pytest.raises(ConflictError):
        svc.care_month_to_receivable(
            month=m, actor=finance, on=date(2026, 5, 2), expected_version=m.version
        )


def test_provider_invoice_checked_against_timesheets(worker, clerk):
    order = order_for(worker, on=ON)
    svc.care_month_report(order=order, month=ON, hours_delivered=D("44"), actor=worker, now=NOW)
    ok = svc.provider_invoice_check(
        provider=order.provider, number="FV/1/03/2026", month=ON, hours_invoiced=D("40"),
        amount_invoiced=D("1300.00"), actor=clerk, on=date(2026, 4, 5),
    )  # fmt: skip
    assert ok.matches and ok.hours_expected == 40
    bad = svc.provider_invoice_check(
        provider=order.provider, number="FV/2/03/2026", month=ON, hours_invoiced=D("44"),
        amount_invoiced=D("1430.00"), actor=clerk, on=date(2026, 4, 5),
    )  # fmt: skip
    assert not bad.matches and any("44" in f for f in bad.findings)
    with pytest.raises(ConflictError):
        svc.provider_invoice_check(
            provider=order.provider, number="FV/2/03/2026", month=ON, hours_invoiced=D("40"),
            amount_invoiced=D("1300.00"), actor=clerk, on=date(2026, 4, 5),
        )  # fmt: skip


def test_neighbour_services_need_the_neighbour_checks(worker):
    with pytest.raises(ValidationFailed) as e:
        svc.provider_create(name="Jan Sąsiad", kind="sasiad", actor=worker)
    assert {"not_family_declared", "fitness_declared_on", "lives_nearby"} <= set(e.value.errors)
    p = svc.provider_create(
        name="Jan Sąsiad", kind="sasiad", not_family_declared=True,
        fitness_declared_on=date(2026, 1, 5), lives_nearby=True, actor=worker,
    )  # fmt: skip
    assert p.pk


def test_other_unit_cannot_order_for_a_case(worker, make_staff):
    other = make_staff("ro2worker", role=Role.SOCIAL_WORKER, unit_code="ro2")
    case = make_case(worker=worker)
    with pytest.raises(NotPermitted):
        order_for(other, on=ON, case=case, contract=provider_with_contract(worker))


# ------------------------------------------------------------------ service events


def test_art_106_ust_2_events_without_decision_and_a_decision_where_required(worker):
    case = make_case(worker=worker)
    person = person_of(case)
    common = dict(person=person, case=case, unit=case.unit, actor=worker, on=ON, occurred_on=ON)
    ev = svc.service_event_record(kind="interwencja", stay_until=date(2026, 6, 10), **common)
    assert not ev.with_decision and ev.basis.startswith("art. 47")
    with pytest.raises(ValidationFailed) as e:  # ≤ 3 months in the crisis centre
        svc.service_event_record(kind="interwencja", stay_until=date(2026, 6, 11), **common)
    assert e.value.field == "stay_until"
    with pytest.raises(ValidationFailed) as e:  # shelter in a schronisko needs a decision
        svc.service_event_record(kind="schronisko", **common)
    assert e.value.field == "decision_number"
    with pytest.raises(ValidationFailed):  # a night shelter must not carry one
        svc.service_event_record(kind="noclegownia", decision_number="D/1", **common)
    meal = svc.service_event_record(kind="posilek", emergency_basis="szkola", quantity=20, **common)
    assert not meal.with_decision  # art. 48b ust. 5 / school head's report
    assert TimelineEvent.objects.filter(case=case, kind="uslugi").count() == 2


def test_funeral_costs_and_art_96_recovery(worker):
    case = make_case(worker=worker)
    common = dict(
        person=person_of(case), case=case, unit=case.unit, actor=worker, on=ON, occurred_on=ON
    )
    with pytest.raises(ValidationFailed):
        svc.service_event_record(kind="pogrzeb", **common)
    ev = svc.service_event_record(
        kind="pogrzeb", amount=D("4200.00"), details={"deceased": "Jan Nowak, zm. 2.03.2026"},
        recovery_route="zus", **common,
    )  # fmt: skip
    ev = svc.funeral_recovery_record(event=ev, amount=D("4000.00"), actor=worker)
    assert ev.recovered_amount == D("4000.00")
    with pytest.raises(ValidationFailed):
        svc.funeral_recovery_record(event=ev, amount=D("300.00"), actor=worker)


def test_counts_for_analysis_without_decision(worker):
    case = make_case(worker=worker)
    common = dict(person=person_of(case), case=case, unit=case.unit, actor=worker, on=ON)
    svc.service_event_record(kind="poradnictwo", occurred_on=date(2026, 3, 2), **common)
    svc.service_event_record(kind="poradnictwo", occurred_on=date(2026, 3, 9), **common)
    svc.service_event_record(
        kind="bilet", occurred_on=date(2026, 2, 27), details={"route": "Kielce–Radom"}, **common
    )
    c = sel.service_events_counts(period_start=date(2026, 3, 1), period_end=date(2026, 4, 1))
    assert c["poradnictwo"].events == 2 and c["poradnictwo"].persons == 1
    assert c["poradnictwo"].without_decision == 2 and c["bilet"].events == 0


# ------------------------------------------------------------------ powiat


def test_art_88_leaving_care_programme_and_help(worker):
    case = make_case(worker=worker)
    prog = svc.leaving_care_programme_create(
        person=person_of(case), case=case, unit=case.unit, institution_kind="mow",
        institution_name="MOW Kielce", left_on=date(2026, 1, 31), stay_months=30,
        guardian_name="Ewa Opiekun", goals="Mieszkanie, praca, nauka.", agreed_on=ON, actor=worker,
    )  # fmt: skip
    h = svc.leaving_care_help_compute(
        programme=prog, kind="usamodzielnienie", age=18, on=ON, actor=worker
    )
    assert h.amount == D("4132.00")  # 200 % × 2 066 zł, stay 2–3 years
    with pytest.raises(ConflictError):
        svc.leaving_care_help_compute(
            programme=prog, kind="usamodzielnienie", age=18, on=ON, actor=worker
        )


def test_art_92_integration_programme_amounts_reviews_and_end(worker):
    case = make_case(worker=worker)
    prog = svc.integration_programme_create(
        person=person_of(case), case=case, unit=case.unit, family_size=2, starts_on=ON,
        obligations="Nauka języka polskiego, rejestracja w urzędzie pracy.", actor=worker,
    )  # fmt: skip
    assert (
        prog.monthly_amounts[0]["amount"] == "963.20"
        and prog.monthly_amounts[6]["amount"] == "866.88"
    )
    svc.integration_review_add(
        programme=prog,
        reviewed_on=date(2026, 6, 10),
        obligations_met=True,
        findings="Uczestniczy w kursie.",
        actor=worker,
    )
    prog = svc.integration_programme_end(
        programme=prog,
        ended_on=date(2027, 3, 9),
        reason="Program zrealizowany",
        broken=False,
        actor=worker,
        expected_version=prog.version,
    )
    assert prog.status == "zakonczony"


def test_meal_by_decision_within_200_percent_and_school_report_share(worker):
    case = make_case(worker=worker)
    common = dict(person=person_of(case), case=case, unit=case.unit, actor=worker, on=ON)
    with pytest.raises(ValidationFailed) as e:
        svc.service_event_record(
            kind="posilek", occurred_on=ON, decision_number="D/9", income=D("2020.01"), **common
        )
    assert e.value.field == "income" and "200%" in e.value.message
    ok = svc.service_event_record(
        kind="posilek", occurred_on=ON, decision_number="D/9", income=D("2020.00"), **common
    )
    assert ok.with_decision and "2 020,00" in ok.details["prog_dochodowy"]
    svc.service_event_record(kind="posilek", occurred_on=ON, emergency_basis="szkola", **common)
    share = sel.school_meal_share(month=ON)
    assert share.reported == 1 and share.fed_previous_month == 0 and share.exceeded


def test_person_must_belong_to_the_family_of_the_case(worker):
    case, other = make_case(worker=worker), make_case(worker=worker)
    with pytest.raises(ValidationFailed) as e:
        svc.service_event_record(
            kind="poradnictwo", person=person_of(other), case=case, unit=case.unit,
            actor=worker, on=ON, occurred_on=ON,
        )  # fmt: skip
    assert e.value.field == "person"

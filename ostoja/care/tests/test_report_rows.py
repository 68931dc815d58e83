"""Help given without a decision (art. 106 ust. 2 u.p.s.) counts in its MRPiPS-03 row: a
funeral in 1B „Sprawienie pogrzebu”, a paid shelter night in „Schronienie”; the family also
counts in dział 2 ogółem (the form requires dział 2 ≥ dział 1B)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from ostoja.analysis import selectors as analysis
from ostoja.analysis.periods import ReportPeriod
from ostoja.care import selectors as sel
from ostoja.care import services as svc
from ostoja.org.roles import Role
from ostoja.socialwork.tests.factories import make_case

from .helpers import person_of

pytestmark = pytest.mark.django_db


def test_events_without_decision_fill_their_report_rows(make_staff):
    worker = make_staff("rap_ro1", role=Role.SOCIAL_WORKER)
    case = make_case(worker=worker)
    person = person_of(case)
    on = date(2026, 5, 20)
    common = dict(person=person, case=case, unit=case.unit, actor=worker, on=on)
    svc.service_event_record(
        kind="pogrzeb", occurred_on=date(2026, 4, 2), amount=D("4200.00"),
        details={"deceased": "N.N."}, recovery_route="spadek", **common,
    )  # fmt: skip
    svc.service_event_record(
        kind="noclegownia", occurred_on=date(2026, 4, 3), amount=D("45.00"), **common
    )
    svc.service_event_record(kind="poradnictwo", occurred_on=date(2026, 4, 4), **common)
    late = {**common, "on": date(2026, 8, 5)}
    svc.service_event_record(kind="pogrzeb", occurred_on=date(2026, 8, 1), amount=D("1.00"),
                             details={"deceased": "poza okresem"}, recovery_route="", **late)  # fmt: skip
    report = analysis.mrpips03_report(period=ReportPeriod(2026, half=True))
    assert report.value("1B.POG.persons") == 1
    assert report.value("1B.POG.amount") == D("4200.00")
    assert report.value("1B.SCHR.benefits") == 1
    assert report.value("1B.TOTAL.persons") == 1
    assert report.value("2.TOTAL.families") == 1  # form check: dział 2 ≥ dział 1B families
    assert report.valid, report.issues
    counts = sel.service_events_counts(period_start=date(2026, 1, 1), period_end=date(2026, 7, 1))
    assert counts["poradnictwo"].without_decision == 1 and counts["pogrzeb"].events == 1


def test_report_periods_are_half_open_at_30_june_1_july_and_the_year_end(make_staff):
    """``ReportPeriod.end`` is exclusive: a funeral on 30 June is in the first half-year, one on
    1 July only in the year (the annual MRPiPS-03-R is cumulative) — never in H1; 31 December is
    in its year, 1 January in the next one. The same for the analysis counts."""
    worker = make_staff("rap_gr_ro1", role=Role.SOCIAL_WORKER)
    case = make_case(worker=worker)
    days = [date(2026, 6, 30), date(2026, 7, 1), date(2026, 12, 31), date(2027, 1, 1)]
    for i, day in enumerate(days, start=1):
        svc.service_event_record(
            kind="pogrzeb", occurred_on=day, amount=D(f"{i}000.00"),
            details={"deceased": f"N.N. {i}"}, recovery_route="", person=person_of(case),
            case=case, unit=case.unit, actor=worker, on=date(2027, 1, 2),
        )  # fmt: skip

    def entries(period: ReportPeriod) -> list[date]:
        rows = sel.service_event_report_entries(period_start=period.start, period_end=period.end)
        return [e.due_date for e in rows]

    assert entries(ReportPeriod(2026, half=True)) == [date(2026, 6, 30)]
    assert entries(ReportPeriod(2026, half=False)) == days[:3]
    assert entries(ReportPeriod(2027, half=True)) == [date(2027, 1, 1)]
    h1 = analysis.mrpips03_report(period=ReportPeriod(2026, half=True))
    assert h1.value("1B.POG.amount") == D("1000.00")
    year = analysis.mrpips03_report(period=ReportPeriod(2026, half=False))
    assert year.value("1B.POG.amount") == D("6000.00")
    h1_counts = sel.service_events_counts(
        period_start=date(2026, 1, 1), period_end=date(2026, 7, 1)
    )
    assert h1_counts["pogrzeb"].events == 1
    july = sel.service_events_counts(period_start=date(2026, 7, 1), period_end=date(2027, 1, 1))
    assert july["pogrzeb"].events == 2 and july["pogrzeb"].amount == D("5000.00")

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
    counts = sel.service_events_counts(period_start=date(2026, 1, 1), period_end=date(2026, 6, 30))
    assert counts["poradnictwo"].without_decision == 1 and counts["pogrzeb"].events == 1

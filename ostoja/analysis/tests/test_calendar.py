"""The reporting calendar (reporting.md §0): deadlines as a yearly table, status from recorded
submissions, corrections as new records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from ostoja.analysis import reporting_calendar as cal
from ostoja.analysis import services
from ostoja.core.errors import ValidationFailed


def kind(code: str) -> cal.ReportKind:
    return next(k for k in cal.report_kinds() if k.code == code)


def test_deadlines_from_the_yearly_table_or_the_default() -> None:
    """MRPiPS-03-R for 2023 was due 9 II 2024 (PBSSP), otherwise 20 January of the next year;
    the half-year report by 20 July of the same year (formats.md §6.1)."""
    assert kind("MRPiPS-03-R").deadline(2023) == date(2024, 2, 9)
    assert kind("MRPiPS-03-R").deadline(2026) == date(2027, 1, 20)
    assert kind("MRPiPS-03-P").deadline(2026) == date(2026, 7, 20)
    assert kind("OZPS").deadline(2025) == date(2026, 4, 30)  # art. 16a ust. 4 u.p.s.


def test_status_overdue_then_submitted() -> None:
    on = date(2026, 7, 25)
    entries = cal.entries(on=on, submissions={})
    half = next(e for e in entries if e.kind.code == "MRPiPS-03-P" and e.year == 2026)
    assert half.status == "po terminie"
    entries = cal.entries(on=on, submissions={("MRPiPS-03-P", "2026-H1"): object()})
    assert next(e for e in entries if e.kind.code == "MRPiPS-03-P").status == "złożone"
    soon = cal.entries(on=date(2026, 7, 1), submissions={})
    assert next(e for e in soon if e.kind.code == "MRPiPS-03-P").status == "zbliża się termin"


@pytest.mark.django_db
def test_submission_and_correction(demo_org: Any) -> None:
    from django.contrib.auth import get_user_model

    analyst = get_user_model().objects.get(username="analityk")
    on = date(2026, 7, 25)
    first = services.submission_record(report="MRPiPS-03-P", period="2026-H1",
                                       submitted_on=date(2026, 7, 18), reference="CAS 123",
                                       actor=analyst, on=on)  # fmt: skip
    second = services.submission_record(report="MRPiPS-03-P", period="2026-H1",
                                        submitted_on=date(2026, 7, 24), reference="",
                                        actor=analyst, on=on)  # fmt: skip
    assert (first.correction, second.correction) == (0, 1)
    with pytest.raises(ValidationFailed) as exc:
        services.submission_record(report="MRPiPS-03-P", period="2026", submitted_on=on,
                                   reference="", actor=analyst, on=on)  # fmt: skip
    assert exc.value.as_list()[0]["field"] == "period"
    with pytest.raises(ValidationFailed) as exc:
        services.submission_record(report="MRPiPS-03-R", period="2025",
                                   submitted_on=date(2026, 8, 1), reference="",
                                   actor=analyst, on=on)  # fmt: skip
    assert exc.value.as_list()[0]["field"] == "submitted_on"


@pytest.mark.django_db
@time_machine.travel("2026-07-25 10:00 +0200", tick=False)
def test_calendar_page_records_and_refuses_by_role(demo_org: Any, client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.analysis.models import ReportSubmission

    users = get_user_model().objects
    analyst = client_for(users.get(username="analityk"))
    assert analyst.get("/analiza/kalendarz/").status_code == 200
    ok = analyst.post("/analiza/kalendarz/", {"report": "OZPS", "period": "2025",
                                             "submitted_on": "2026-04-28"})  # fmt: skip
    assert ok.status_code == 302
    assert ReportSubmission.objects.get(report="OZPS").period == "2025"
    clerk = client_for(users.get(username="swiadczenia"))
    assert clerk.get("/analiza/kalendarz/").status_code == 200  # sees the calendar
    refused = clerk.post("/analiza/kalendarz/", {"report": "OZPS", "period": "2025",
                                                "submitted_on": "2026-04-28"})  # fmt: skip
    assert refused.status_code == 403
    assert client_for(users.get(username="socjalny")).get("/analiza/kalendarz/").status_code == 403
    bad = analyst.post("/analiza/kalendarz/", {"report": "OZPS", "period": "x",
                                              "submitted_on": "zła"})  # fmt: skip
    assert bad.status_code == 422
    assert ReportSubmission.objects.filter(period="x").count() == 0

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


@pytest.mark.django_db
@time_machine.travel("2026-07-25 10:00 +0200", tick=False)
def test_calendar_refusal_is_shown_at_the_rows_field(demo_org: Any, client_for: Any) -> None:
    """A date from the future, a missing or malformed date: 422, the Polish message at the date
    field of that report's row (its input kept, the other rows untouched), nothing saved; a
    tampered period is refused in the summary. The clerk (no right to record) still gets 403."""
    from django.contrib.auth import get_user_model

    from ostoja.analysis.models import ReportSubmission

    users = get_user_model().objects
    analyst = client_for(users.get(username="analityk"))
    cases = (
        ("2026-07-26", "Data złożenia nie może być z przyszłości."),
        ("", "Podaj datę złożenia (RRRR-MM-DD)."),
        ("26.07.2026x", "Podaj datę złożenia (RRRR-MM-DD)."),
    )
    for raw, message in cases:
        bad = analyst.post("/analiza/kalendarz/", {"report": "OZPS", "period": "2025",
                                                  "submitted_on": raw, "reference": "CAS 9"})  # fmt: skip
        assert bad.status_code == 422
        body = bad.content.decode()
        row = body[body.index('data-report="OZPS"') :]
        row = row[: row.index("</tr>")]
        assert "has-error" in row and message in row and 'value="CAS 9"' in row
        assert '-submitted_on_error"' in row  # the message is tied to its input (aria)
        assert body.count("has-error") == 1  # only that row's field
        assert "error-summary" in body
    tampered = analyst.post("/analiza/kalendarz/", {"report": "OZPS", "period": "1999",
                                                   "submitted_on": "2026-07-01"})  # fmt: skip
    assert tampered.status_code == 422
    assert "Nieprawidłowy okres" in tampered.content.decode()
    assert not ReportSubmission.objects.exists()
    clerk = client_for(users.get(username="swiadczenia"))
    assert clerk.post("/analiza/kalendarz/", {"report": "OZPS", "period": "2025",
                                             "submitted_on": "2026-07-01"}).status_code == 403  # fmt: skip


@pytest.mark.django_db
@time_machine.travel("2026-07-25 10:00 +0200", tick=False)
def test_calendar_links_each_report_with_a_page_for_those_who_may_open_it(
    demo_org: Any, client_for: Any
) -> None:
    """MRPiPS-03 rows open the report, the Ocena zasobów and art. 110 rows their drafts — for the
    analyst, who may edit them; the benefits clerk sees the names without those links."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    body = client_for(users.get(username="analityk")).get("/analiza/kalendarz/").content.decode()
    assert 'href="/analiza/ocena-zasobow/2025/"' in body
    assert 'href="/analiza/sprawozdanie-roczne/2025/"' in body
    assert 'href="/analiza/mrpips03/?okres=2026-H1"' in body
    clerk = client_for(users.get(username="swiadczenia")).get("/analiza/kalendarz/")
    text = clerk.content.decode()
    assert "/analiza/ocena-zasobow/" not in text and "/analiza/sprawozdanie-roczne/" not in text
    assert "Ocena zasobów pomocy społecznej" in text
    assert 'name="submitted_on"' not in text  # no form to record for the clerk

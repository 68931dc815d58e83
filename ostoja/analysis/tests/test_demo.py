"""The demo holds enough history that MRPiPS-03 for the last completed half-year has non-zero
rows (issue 13), built relative to the day it loads and idempotent."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ostoja.analysis import demo, selectors
from ostoja.analysis.periods import last_completed_half_year

ON = date(2026, 12, 4)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day", [ON, date(2027, 1, 5), date(2027, 7, 15), date(2028, 2, 29)], ids=str
)
def test_demo_history_fills_the_last_completed_half_year(
    day: date, travel: Any, monkeypatch: Any
) -> None:
    """On any load day — half-year or annual edition, the payments demo's month inside or
    outside the period — the last completed period has a decision-granted row for 12 families."""
    from ostoja.core.dates import noon
    from ostoja.decisions import documents
    from ostoja.web.demo import load_demo

    monkeypatch.setattr(documents, "render_pdf", lambda html: b"%PDF-1.7 test\n%%EOF\n")
    travel(day)
    now = noon(day)
    load_demo(now=now)  # the whole demo: the payments demo's month may lie inside the period
    period = last_completed_half_year(on=day)
    report = selectors.mrpips03_report(period=period)
    assert report.valid, report.issues
    assert report.value("1B.ZO.persons") > 0
    assert report.value("1B.TOTAL.amount") > 0
    assert report.value("2.TOTAL.families") >= 12
    # one person with two benefits: the total counts fewer persons than the rows add up to
    rows = sum(report.value(f"1B.{r}.persons") for r in ("ZS", "ZO", "ZC"))
    assert report.value("1B.TOTAL.persons") < rows
    demo.load_demo(now=now)  # idempotent
    again = selectors.mrpips03_report(period=period)
    assert again.value("1B.TOTAL.amount") == report.value("1B.TOTAL.amount")

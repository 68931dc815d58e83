"""The demo holds enough history that MRPiPS-03 for the last completed half-year has non-zero
rows (issue 13), built relative to the day it loads and idempotent."""

from __future__ import annotations

from datetime import date

import pytest

from ostoja.analysis import demo, selectors
from ostoja.analysis.periods import last_completed_half_year

ON = date(2026, 12, 4)


@pytest.mark.django_db
def test_demo_history_fills_the_last_completed_half_year() -> None:
    from ostoja.cases import demo as cases_demo
    from ostoja.core.dates import noon
    from ostoja.org.demo import load_demo_organisation
    from ostoja.registry import demo as registry_demo
    from ostoja.web.demo import reference_data_ensure

    reference_data_ensure()
    now = noon(ON)
    load_demo_organisation(on=ON)
    registry_demo.load_demo(now=now)
    cases_demo.load_demo(now=now)
    demo.load_demo(now=now)
    period = last_completed_half_year(on=ON)
    report = selectors.mrpips03_report(period=period)
    assert report.valid, report.issues
    assert report.value("1B.ZO.persons") > 0
    assert report.value("1B.TOTAL.amount") > 0
    assert report.value("2.TOTAL.families") > 0
    # one person with two benefits: the total counts fewer persons than the rows add up to
    rows = sum(report.value(f"1B.{r}.persons") for r in ("ZS", "ZO", "ZC"))
    assert report.value("1B.TOTAL.persons") < rows
    demo.load_demo(now=now)  # idempotent
    again = selectors.mrpips03_report(period=period)
    assert again.value("1B.TOTAL.amount") == report.value("1B.TOTAL.amount")

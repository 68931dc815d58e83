"""The director's annual activity report with the list of needs (art. 110 ust. 9 u.p.s.),
drafted from the data: the year's MRPiPS-03 (annual edition), applications and decisions,
budget plan against execution, two charts — plus the narrative and needs people write.
Exported as PDF (the same SVG charts as the dashboard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from ostoja.analysis import charts, exports, selectors
from ostoja.analysis.periods import ReportPeriod
from ostoja.cases import selectors as cases
from ostoja.cases.models import ART7_REASONS

# the module, not the function: tests replace ``documents.render_pdf``
from ostoja.decisions import documents
from ostoja.decisions import selectors as decisions
from ostoja.law.periods import YearMonth
from ostoja.payments import selectors as payments


@dataclass
class AnnualDraft:
    year: int
    report: dict[str, Any]  # MRPiPS-03 annual, as exports.as_dict
    applications: int
    decisions: int
    plan_rows: list[Any]
    planned: Decimal
    executed: Decimal
    reasons_chart: str  # data: URI
    flow_chart: str
    narrative: str
    needs: list[str]
    version: int

    @property
    def needs_text(self) -> str:
        """The needs for the textarea, one a line (a template tag cannot span lines)."""
        return "\n".join(self.needs)


def draft(*, year: int, stored: Any, on: date) -> AnnualDraft:
    period = ReportPeriod(year, half=False)
    report = selectors.mrpips03_report(period=period)
    demand = cases.demand_figures(start=period.start, end=period.end)
    by_month, _, _ = decisions.decision_figures(start=period.start, end=period.end)
    plan = [
        r
        for r in payments.plan_vs_execution(year=year, lines=None, from_month=YearMonth.of(on))
        if r.plan or r.executed
    ]
    reasons = sorted(((ART7_REASONS.get(k, k), n) for k, n in demand.by_reason.items()),
                     key=lambda r: -r[1])  # fmt: skip
    months = [str(YearMonth(year, m)) for m in range(1, 13)]
    return AnnualDraft(
        year=year,
        report=exports.as_dict(report),
        applications=sum(demand.by_month.values()),
        decisions=sum(by_month.values()),
        plan_rows=plan,
        planned=sum((r.plan for r in plan), Decimal("0")),
        executed=sum((r.executed for r in plan), Decimal("0")),
        reasons_chart=charts.data_uri(
            charts.bars(
                [r[0] for r in reasons],
                [r[1] for r in reasons],
                title="Wnioski według powodu (art. 7 u.p.s.)",
                horizontal=True,
            )
        ),
        flow_chart=charts.data_uri(
            charts.lines(
                months,
                {
                    "wnioski": [demand.by_month.get(m, 0) for m in months],
                    "decyzje": [by_month.get(m, 0) for m in months],
                },
                title="Wnioski i decyzje w miesiącach",
            )
        ),
        narrative=stored.narrative if stored else "",
        needs=stored.needs.splitlines() if stored and stored.needs else [],
        version=stored.version if stored else 0,
    )


def to_pdf(d: AnnualDraft, *, centre: str) -> bytes:
    return documents.render_pdf(
        render_to_string("analysis/annual_pdf.html", {"d": d, "centre": centre})
    )

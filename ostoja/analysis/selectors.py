"""Reads of the analysis context. Lower contexts are read only through their selectors:
payments (the executed ledger), decisions (the reasons each decision answered) and cases
(family sizes, which cases a viewer may open)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ostoja.analysis import mrpips03, whatif
from ostoja.analysis import reporting_calendar as cal
from ostoja.analysis.layout import Column, Layout, Row, Section, layout_for
from ostoja.analysis.models import AnnualReport, ReportSubmission, ResourceAssessment, Scenario
from ostoja.analysis.periods import ReportPeriod
from ostoja.care import selectors as care
from ostoja.cases import selectors as cases
from ostoja.decisions import selectors as decisions
from ostoja.payments import selectors as payments


def mrpips03_facts(*, period: ReportPeriod, each_payment: bool = False) -> mrpips03.Facts:
    """The report's inputs; payments summed per decision line (``each_payment`` for lists)."""
    ledger = payments.ledger_executed if each_payment else payments.ledger_executed_grouped
    entries: list[Any] = list(ledger(start=period.start, end=period.end))
    # Help given without a decision (funeral, shelter, meals) counts in its benefit row (issue 15).
    entries += care.service_event_report_entries(period_start=period.start, period_end=period.end)
    case_ids = [e.case_id for e in entries]
    sizes = cases.family_sizes(case_ids=case_ids, on=period.last_day)
    by_decision = decisions.application_reasons(
        decision_ids=[e.decision_id for e in entries if e.decision_id is not None]
    )
    reasons: dict[int, set[str]] = defaultdict(set)
    for e in entries:
        reasons[e.case_id].update(by_decision.get(e.decision_id, ()))
    return mrpips03.Facts(
        entries=tuple(entries),
        family_sizes=sizes,
        case_reasons={c: frozenset(r) for c, r in reasons.items()},
    )


def mrpips03_report(*, period: ReportPeriod) -> mrpips03.Report:
    """The whole report (aggregates only — no personal data leaves this function)."""
    return mrpips03.compute(
        period=period, layout=layout_for(period.start), facts=mrpips03_facts(period=period)
    )


# ----------------------------------------------------------------------------- drill-down
PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class DrillItem:
    """One line of a drill-down list (a payment, a person or a family)."""

    case_id: int
    label: str  # recipient name, or "—" when not shown
    payments: int
    amount: Decimal
    family_size: int
    reference: str = ""  # payment reference / decision number
    person_id: int | None = None
    visible: bool = True  # the viewer may open the case file


@dataclass
class DrillDown:
    period: ReportPeriod
    layout: Layout
    section: Section
    row: Row
    column: Column
    value: int | Decimal
    kind: str  # "payments", "persons", "families", "none"
    total_items: int
    items: list[DrillItem] = field(default_factory=list)
    hidden: int = 0  # items outside the viewer's scope: counted, not shown
    page: int = 1
    pages: int = 1
    shown_cases: list[Any] = field(default_factory=list)  # Case objects, for the read audit

    @property
    def cell_ref(self) -> str:
        return f"{self.section.code}.{self.row.code}.{self.column.code}"


_KIND = {
    "benefit_units": "payments",
    "amount": "payments",
    "distinct_persons": "persons",
    "distinct_families": "families",
    "family_persons": "families",
    "zero": "none",
}


def mrpips03_drilldown(
    *, user: Any, period: ReportPeriod, section: str, row: str, column: str, page: int = 1
) -> DrillDown:
    """The list behind one cell, scoped to what ``user`` may open; items outside the scope are
    counted (so the list still adds up to the cell) but not named. Raises ``KeyError`` for an
    unknown cell."""
    layout = layout_for(period.start)
    facts = mrpips03_facts(period=period, each_payment=True)
    sec, r, entries = mrpips03.cell_entries(layout=layout, facts=facts, section=section, row=row)
    col = sec.column(column)
    value = mrpips03.measure(col, entries, facts)
    kind = _KIND[col.measure]
    items: list[DrillItem] = []
    if kind == "payments":
        items = [
            DrillItem(e.case_id, e.recipient_name, 1, e.amount,
                      facts.family_sizes.get(e.case_id, 1), e.reference, e.person_id)
            for e in entries
        ]  # fmt: skip
    elif kind in {"persons", "families"}:
        key = (lambda e: e.person_id) if kind == "persons" else (lambda e: e.case_id)
        grouped: dict[int, DrillItem] = {}
        for e in entries:
            k = key(e)
            prev = grouped.get(k)
            grouped[k] = DrillItem(
                e.case_id,
                e.recipient_name,
                (prev.payments if prev else 0) + 1,
                (prev.amount if prev else Decimal("0.00")) + e.amount,
                facts.family_sizes.get(e.case_id, 1),
                e.decision_number,
                e.person_id,
            )
        items = list(grouped.values())
    items.sort(key=lambda i: (i.case_id, i.reference))
    open_cases = cases.cases_for_listing(user=user, case_ids=[i.case_id for i in items])
    scoped = [i for i in items if i.case_id in open_cases]
    hidden = len(items) - len(scoped)
    pages = max(1, -(-len(scoped) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = scoped[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return DrillDown(
        period=period, layout=layout, section=sec, row=r, column=col, value=value, kind=kind,
        total_items=len(items), items=shown, hidden=hidden, page=page, pages=pages,
        shown_cases=[open_cases[c] for c in sorted({i.case_id for i in shown})],
    )  # fmt: skip


# ----------------------------------------------------------------------------- what-if
def scenarios(*, limit: int = 50) -> list[Any]:
    return list(Scenario.objects.select_related("created_by")[:limit])


def scenario_get(*, pk: int) -> Any:
    return Scenario.objects.select_related("created_by").get(pk=pk)


def whatif_run(*, texts: list[str], on: Any) -> Any:
    """Parse the changes and run them over the live caseload (``ValidationFailed`` names
    ``set``)."""
    changes = whatif.parse_changes(texts, on=on)
    return whatif.run(caseload=cases.latest_calculations(), changes=changes, on=on)


# ----------------------------------------------------------------------------- calendar
def reporting_calendar(*, on: Any) -> list[Any]:
    latest: dict[tuple[str, str], Any] = {}
    for s in ReportSubmission.objects.order_by("report", "period", "correction"):
        latest[(s.report, s.period)] = s
    return cal.entries(on=on, submissions=latest)


def annual_report_stored(*, year: int) -> Any:
    return AnnualReport.objects.filter(year=year).first()


def resource_assessment_stored(*, year: int) -> Any:
    return ResourceAssessment.objects.filter(year=year).first()

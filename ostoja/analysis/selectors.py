"""Reads of the analysis context. Lower contexts are read only through their selectors:
payments (the executed ledger), decisions (the reasons each decision answered) and cases
(family sizes, which cases a viewer may open)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ostoja.analysis import ledger_sql, mrpips03, whatif
from ostoja.analysis import reporting_calendar as cal
from ostoja.analysis.layout import Column, Layout, Row, Section, layout_for
from ostoja.analysis.links import cell_url, page_url
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
    """The whole report (aggregates only — no personal data leaves this function), computed by
    the database in one statement (``ledger_sql``; ``mrpips03.compute`` over
    ``mrpips03_facts`` is the reference it is tested against)."""
    layout = layout_for(period.start)
    fig = ledger_sql.figures(period=period, layout=layout)
    return mrpips03.assemble(
        period=period, layout=layout, values=fig.values, unmapped=fig.unmapped,
        unmapped_kinds=fig.unmapped_kinds,
    )  # fmt: skip


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
    start: int = 0  # position (1-based) of the first item shown among the viewer's items
    next_key: str = ""  # keyset paging: ``?po=`` of the next page ("" on the last)
    prev_key: str = ""  # ``?przed=`` of the previous page ("" on the first)
    shown_cases: list[Any] = field(default_factory=list)  # Case objects, for the read audit

    @property
    def cell_ref(self) -> str:
        return f"{self.section.code}.{self.row.code}.{self.column.code}"

    @property
    def scoped(self) -> int:
        """The viewer's items in the whole list (all pages)."""
        return self.total_items - self.hidden

    @property
    def end(self) -> int:
        """Position of the last item shown (``start`` − 1 on an empty page)."""
        return self.start + len(self.items) - 1 if self.items else self.start - 1

    @property
    def url(self) -> str:
        """The list's first page."""
        return cell_url(self.period.code, self.section.code, self.row.code, self.column.code)

    @property
    def next_url(self) -> str:
        return page_url(self.url, after=self.next_key) if self.next_key else ""

    @property
    def prev_url(self) -> str:
        return page_url(self.url, before=self.prev_key) if self.prev_key else ""

    @property
    def last_url(self) -> str:
        return page_url(self.url, last=True)

    @property
    def paged(self) -> bool:
        return bool(self.next_key or self.prev_key) or self.start > 1


_KIND = {
    "benefit_units": "payments",
    "amount": "payments",
    "distinct_persons": "persons",
    "distinct_families": "families",
    "family_persons": "families",
    "zero": "none",
}


def mrpips03_drilldown(
    *,
    user: Any,
    period: ReportPeriod,
    section: str,
    row: str,
    column: str,
    after: str = "",
    before: str = "",
    last: bool = False,
) -> DrillDown:
    """One page (``PAGE_SIZE`` items) of the list behind one cell, scoped to what ``user`` may
    open; items outside the scope are counted (so the list still adds up to the cell) but not
    named. Counted and paged by the database, by keyset: ``after`` (a page's ``next_key``) gives
    the page after it, ``before`` (``prev_key``) the page before, ``last`` the list's end,
    none of them the first page — one statement a page, wherever the page is. Raises
    ``KeyError`` for an unknown cell, ``ValueError`` for a malformed key."""
    layout = layout_for(period.start)
    sec = layout.section(section)
    r = sec.row(row)
    col = sec.column(column)
    kind = _KIND[col.measure]
    found = ledger_sql.drill_page(
        user=user, period=period, layout=layout, section=sec, row=r, kind=kind,
        page_size=PAGE_SIZE, after=ledger_sql.Key.parse(after) if after else None,
        before=ledger_sql.Key.parse(before) if before else None, last=last,
    )  # fmt: skip
    # The cell from the same count: payments, persons or families counted, their money, the
    # families' sizes (``test_mrpips03_sql`` checks it against the report's figure).
    by_measure: dict[str, int | Decimal] = {
        "benefit_units": found.total_items,
        "distinct_persons": found.total_items,
        "distinct_families": found.total_items,
        "amount": found.amount,
        "family_persons": found.family_persons,
    }
    value = by_measure.get(col.measure, 0)
    items = [
        DrillItem(i.case_id, i.label, i.payments, i.amount, i.family_size, i.reference,
                  i.person_id)
        for i in found.items
    ]  # fmt: skip
    keys = [i.key for i in found.items if i.key is not None]
    has_next = found.before + len(items) < found.scoped_items
    open_cases = cases.cases_for_listing(user=user, case_ids=[i.case_id for i in items])
    return DrillDown(
        period=period, layout=layout, section=sec, row=r, column=col, value=value, kind=kind,
        total_items=found.total_items, items=items, hidden=found.total_items - found.scoped_items,
        start=found.before + 1,
        next_key=keys[-1].token if keys and has_next else "",
        prev_key=keys[0].token if keys and found.before > 0 else "",
        shown_cases=[open_cases[c] for c in sorted({i.case_id for i in items}) if c in open_cases],
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

"""MRPiPS-03 computed from the ledger — never typed (reporting.md §1, formats.md §6).

Pure functions over executed payments (``LedgerEntry``), family sizes and art. 7 reasons: the
selectors gather those, this module lays them out on the form edition in force and checks the
result. Counting rules (reporting.md §1.5; ⚠ standard practice, to verify against the current
CAS explanatory notes — stated once here and tested case by case):

* col. 1 persons — distinct persons granted the row's benefit by decision with a payment in the
  period: a person is counted **once per row** however many payments or decisions, and once in
  the section total however many rows;
* col. 2 benefits — one per executed payment (a month of zasiłek, one zasiłek celowy);
  ⚠ hours / days / meals for services are not recorded per payment yet, so a service line
  counts its monthly payments;
* col. 3 amount — money paid in the period (cash basis: payments on approved lists due in the
  period; returned and cancelled payments excluded);
* col. 4 families — distinct households (one case file = one household), once per row;
* col. 5 persons in families — members of those households on the period's last day;
* dział 2 (reasons) — a family is counted under **every** reason recorded on the application
  its decision answered, so reason rows do not add up to the total; the total row counts every
  family with a decision-granted benefit paid in the period once.
Rural ("na wsi") cells are 0: Kielce has no rural area (formats.md §6.4).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from ostoja.analysis.layout import Column, Layout, Row, Section
from ostoja.analysis.periods import ReportPeriod

ZERO = Decimal("0.00")


class Entry(Protocol):
    """What the report needs of executed payments: one payment (payments' ``LedgerEntry``) or
    the payments of one decision line summed (``LedgerGroup``)."""

    case_id: int
    person_id: int
    decision_id: int | None  # None: help given without a decision (art. 106 ust. 2)
    benefit: str
    task_type: str
    payments: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Facts:
    """The inputs of one report: payments, family sizes, and reasons per case."""

    entries: tuple[Any, ...]
    family_sizes: Mapping[int, int]
    case_reasons: Mapping[int, frozenset[str]]


@dataclass(frozen=True, slots=True)
class Cell:
    section: str
    row: str
    column: str
    value: int | Decimal

    @property
    def ref(self) -> str:
        return f"{self.section}.{self.row}.{self.column}"


@dataclass(frozen=True, slots=True)
class ReportRow:
    row: Row
    cells: tuple[Cell, ...]

    def cell(self, column: str) -> Cell:
        for c in self.cells:
            if c.column == column:
                return c
        raise KeyError(column)


@dataclass(frozen=True, slots=True)
class ReportSection:
    section: Section
    rows: tuple[ReportRow, ...]


@dataclass(frozen=True, slots=True)
class Issue:
    """One failed cross-check (the report may not be exported while any exists)."""

    message: str
    cells: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    period: ReportPeriod
    layout: Layout
    sections: tuple[ReportSection, ...]
    issues: tuple[Issue, ...] = field(default=())

    def value(self, ref: str) -> int | Decimal:
        section, row, column = ref.split(".")
        for s in self.sections:
            if s.section.code == section:
                for r in s.rows:
                    if r.row.code == row:
                        return r.cell(column).value
        raise KeyError(ref)

    @property
    def valid(self) -> bool:
        return not self.issues


# ----------------------------------------------------------------------------- selection


def _row_entries(section: Section, row: Row, facts: Facts, index: _Index) -> list[Any]:
    """The payments behind one row (the same function serves the cell and its drill-down)."""
    if section.kind == "reasons":
        if row.total:
            return list(facts.entries)
        wanted = set(row.reasons)
        return [e for e in facts.entries if facts.case_reasons.get(e.case_id, frozenset()) & wanted]
    rows = [r for r in section.rows if not r.total] if row.total else [row]
    out: list[Any] = []
    for r in rows:
        if row.total and r.parent:
            continue  # "w tym" rows are subsets of their parents
        for task in section.task_types:
            for benefit in r.benefits:
                out.extend(index.by_key.get((task, benefit), ()))
    if row.household == "single":
        out = [e for e in out if facts.family_sizes.get(e.case_id, 1) == 1]
    elif row.household == "family":
        out = [e for e in out if facts.family_sizes.get(e.case_id, 1) > 1]
    if row.total:  # the same benefit on two top-level rows must not count twice
        seen: set[int] = set()
        unique = []
        for e in out:
            if id(e) not in seen:
                seen.add(id(e))
                unique.append(e)
        out = unique
    return out


@dataclass(frozen=True, slots=True)
class _Index:
    by_key: Mapping[tuple[str, str], list[Any]]

    @classmethod
    def of(cls, entries: Iterable[Any]) -> _Index:
        by_key: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for e in entries:
            by_key[(e.task_type, e.benefit)].append(e)
        return cls(by_key)


def measure(column: Column, entries: list[Any], facts: Facts) -> int | Decimal:
    """One column's figure over the payments behind a row."""
    m = column.measure
    if m == "distinct_persons":
        return len({e.person_id for e in entries})
    if m == "benefit_units":
        return sum(e.payments for e in entries)
    if m == "amount":
        return sum((e.amount for e in entries), ZERO).quantize(ZERO)
    if m == "distinct_families":
        return len({e.case_id for e in entries})
    if m == "family_persons":
        return sum(facts.family_sizes.get(c, 1) for c in {e.case_id for e in entries})
    return 0  # "zero": rural cells in an urban gmina


def compute(*, period: ReportPeriod, layout: Layout, facts: Facts) -> Report:
    index = _Index.of(facts.entries)
    sections = []
    for s in layout.sections:
        rows = []
        for r in s.rows:
            entries = _row_entries(s, r, facts, index)
            rows.append(
                ReportRow(
                    r,
                    tuple(
                        Cell(s.code, r.code, c.code, measure(c, entries, facts)) for c in s.columns
                    ),
                )
            )
        sections.append(ReportSection(s, tuple(rows)))
    report = Report(period=period, layout=layout, sections=tuple(sections))
    issues = validate(report, facts=facts)
    return Report(period=period, layout=layout, sections=report.sections, issues=tuple(issues))


def cell_entries(
    *, layout: Layout, facts: Facts, section: str, row: str
) -> tuple[Section, Row, list[Any]]:
    """The payments behind a cell's row — the drill-down uses exactly what ``compute`` used."""
    s = layout.section(section)
    r = s.row(row)
    return s, r, _row_entries(s, r, facts, _Index.of(facts.entries))


# ----------------------------------------------------------------------------- checks

_OPS = {"<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b, "==": lambda a, b: a == b}


def validate(report: Report, *, facts: Facts) -> list[Issue]:
    """The form's cross-checks: built-in per-row rules, then the layout's own checks."""
    mapped = mapped_keys(report.layout)
    unmapped = [e for e in facts.entries if (e.task_type, e.benefit) not in mapped]
    kinds = sorted({f"{e.benefit} ({e.task_type})" for e in unmapped})
    return validate_figures(report, unmapped=len(unmapped), unmapped_kinds=kinds)


def mapped_keys(layout: Layout) -> set[tuple[str, str]]:
    """Every (task type, benefit) some row of the form counts."""
    return {
        (t, b) for s in layout.sections for r in s.rows for t in s.task_types for b in r.benefits
    }


def assemble(
    *,
    period: ReportPeriod,
    layout: Layout,
    values: Mapping[str, int | Decimal],
    unmapped: int = 0,
    unmapped_kinds: Iterable[str] = (),
) -> Report:
    """The report from cell values computed elsewhere (the database: ``ledger_sql``), laid out
    and checked exactly as ``compute`` does."""
    sections = []
    for s in layout.sections:
        rows = []
        for r in s.rows:
            cells = tuple(
                Cell(s.code, r.code, c.code, values.get(f"{s.code}.{r.code}.{c.code}", 0))
                for c in s.columns
            )
            rows.append(ReportRow(r, cells))
        sections.append(ReportSection(s, tuple(rows)))
    report = Report(period=period, layout=layout, sections=tuple(sections))
    issues = validate_figures(report, unmapped=unmapped, unmapped_kinds=sorted(unmapped_kinds))
    return Report(period=period, layout=layout, sections=report.sections, issues=tuple(issues))


def validate_figures(report: Report, *, unmapped: int, unmapped_kinds: list[str]) -> list[Issue]:
    """``validate`` given how many payments fall on no row, and of which kinds."""
    issues: list[Issue] = []

    # (smaller column, larger column, message): a beneficiary has at least one benefit, a family
    # at least one beneficiary, and every beneficiary belongs to a family.
    pairs = (
        ("persons", "benefits", "osób więcej niż świadczeń (kol. 1 > kol. 2)"),
        ("families", "persons", "rodzin więcej niż osób (kol. 4 > kol. 1)"),
        ("families", "family_persons", "rodzin więcej niż osób w rodzinach"),
        ("persons", "family_persons", "osób więcej niż osób w rodzinach (kol. 1 > kol. 5)"),
    )
    for s in report.sections:
        cols = {c.code for c in s.section.columns}
        by_code = {r.row.code: r for r in s.rows}
        total = next(r for r in s.rows if r.row.total)
        top = [r for r in s.rows if not r.row.total and not r.row.parent]
        for r in s.rows:
            label = f"{s.section.code} w. {r.row.number}"
            ref = f"{s.section.code}.{r.row.code}"
            for small, large, text in pairs:
                if {small, large} <= cols and r.cell(small).value > r.cell(large).value:
                    issues.append(Issue(f"{label}: {text}.", (f"{ref}.{small}", f"{ref}.{large}")))
            if {"amount", "benefits"} <= cols and (r.cell("amount").value > 0) != (
                r.cell("benefits").value > 0
            ):
                issues.append(Issue(f"{label}: kwota i liczba świadczeń niezgodne (kol. 2/3)."))
            if r.row.parent:
                parent = by_code[r.row.parent]
                for c in s.section.columns:
                    if r.cell(c.code).value > parent.cell(c.code).value:
                        issues.append(
                            Issue(
                                f"{label}: wiersz „w tym” większy niż wiersz "
                                f"{parent.row.number} (kol. {c.number}).",
                                (f"{s.section.code}.{r.row.code}.{c.code}",),
                            )
                        )
        if s.section.kind == "benefits":
            for c in s.section.columns:
                if c.measure in {"benefit_units", "amount"}:
                    expected = sum((r.cell(c.code).value for r in top), 0)
                    if total.cell(c.code).value != expected:
                        text = f"wiersz ogółem ≠ suma wierszy (kol. {c.number})"
                        issues.append(Issue(f"{s.section.code}: {text}."))
                elif c.measure != "zero":
                    values = [r.cell(c.code).value for r in top]
                    t = total.cell(c.code).value
                    if t > sum(values) or (values and t < max(values)):
                        issues.append(
                            Issue(
                                f"{s.section.code}: wiersz ogółem poza zakresem "
                                f"[największy wiersz, suma wierszy] (kol. {c.number})."
                            )
                        )
        else:
            for r in s.rows:
                for c in s.section.columns:
                    if r.cell(c.code).value > total.cell(c.code).value:
                        issues.append(
                            Issue(f"{s.section.code} w. {r.row.number}: więcej niż ogółem.")
                        )
    for check in report.layout.checks:
        left, right = report.value(check.left), report.value(check.right)
        if not _OPS[check.op](left, right):
            issues.append(Issue(check.message, (check.left, check.right)))
    if unmapped:
        issues.append(
            Issue(
                f"{unmapped} płatności nie trafia do żadnego wiersza formularza: "
                + ", ".join(unmapped_kinds)
                + "."
            )
        )
    return issues

"""The MRPiPS-03 form layout, loaded from versioned TOML files in ``layouts/``.

A new edition of the form (rows renumbered, a row added) is a new file with its own
``valid_from``; the edition in force on a period's first day lays out that period's report.
Codes (section, row, column) are internal and stable; numbers are what the form prints.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

LAYOUT_DIR = Path(__file__).resolve().parent / "layouts"
MEASURES = frozenset(
    {"distinct_persons", "benefit_units", "amount", "distinct_families", "family_persons", "zero"}
)
HOUSEHOLD_FILTERS = frozenset({"", "single", "family"})
CHECK_OPS = frozenset({"<=", ">=", "=="})


class LayoutError(ValueError):
    """The layout file is inconsistent (a programming/data error, caught by the tests)."""


@dataclass(frozen=True, slots=True)
class Column:
    number: str
    code: str
    measure: str
    unit: str
    label: str


@dataclass(frozen=True, slots=True)
class Row:
    code: str
    number: str
    label: str
    benefits: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    household: str = ""  # "single" (osoba samotnie gospodarująca) / "family" / "" (any)
    parent: str = ""  # "w tym" row of another row
    total: bool = False  # the section's total: distinct persons / families across its rows
    note: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    code: str
    title: str
    kind: str  # "benefits" (dział 1A/1B) or "reasons" (dział 2)
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    task_types: tuple[str, ...] = ()

    def row(self, code: str) -> Row:
        for r in self.rows:
            if r.code == code:
                return r
        raise KeyError(code)

    def column(self, code: str) -> Column:
        for c in self.columns:
            if c.code == code:
                return c
        raise KeyError(code)


@dataclass(frozen=True, slots=True)
class Check:
    left: str
    op: str
    right: str
    message: str


@dataclass(frozen=True, slots=True)
class Layout:
    code: str
    edition: str
    title: str
    valid_from: date
    valid_to: date | None
    sections: tuple[Section, ...]
    checks: tuple[Check, ...] = field(default=())

    def section(self, code: str) -> Section:
        for s in self.sections:
            if s.code == code:
                return s
        raise KeyError(code)


def _load(path: Path) -> Layout:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    form = data["form"]
    columns = {
        name: tuple(Column(**c) for c in spec["list"]) for name, spec in data["columns"].items()
    }
    sections = []
    for s in data["sections"]:
        rows = tuple(
            Row(
                code=r["code"],
                number=str(r["number"]),
                label=r["label"],
                benefits=tuple(r.get("benefits", ())),
                reasons=tuple(r.get("reasons", ())),
                household=r.get("household", ""),
                parent=r.get("parent", ""),
                total=bool(r.get("total", False)),
                note=r.get("note", ""),
            )
            for r in s["rows"]
        )
        sections.append(
            Section(
                code=s["code"],
                title=s["title"],
                kind=s["kind"],
                columns=columns[s["columns"]],
                rows=rows,
                task_types=tuple(s.get("task_types", ())),
            )
        )
    layout = Layout(
        code=form["code"],
        edition=str(form["edition"]),
        title=form["title"],
        valid_from=date.fromisoformat(form["valid_from"]),
        valid_to=date.fromisoformat(form["valid_to"]) if form.get("valid_to") else None,
        sections=tuple(sections),
        checks=tuple(Check(**c) for c in data.get("checks", ())),
    )
    validate_layout(layout)
    return layout


def validate_layout(layout: Layout) -> None:
    """Structural consistency: unique codes, known measures, parents and check cells exist."""
    seen_sections: set[str] = set()
    for s in layout.sections:
        if s.code in seen_sections:
            raise LayoutError(f"{layout.edition}: section {s.code} twice")
        seen_sections.add(s.code)
        if s.kind not in {"benefits", "reasons"}:
            raise LayoutError(f"{s.code}: unknown kind {s.kind}")
        codes = [r.code for r in s.rows]
        if len(set(codes)) != len(codes):
            raise LayoutError(f"{s.code}: duplicate row codes")
        # The form's row and column numbers are what CAS and the printed form address;
        # every export writes them, so within a section each is given and unique.
        numbers = [r.number for r in s.rows]
        if any(not n.strip() for n in numbers) or len(set(numbers)) != len(numbers):
            raise LayoutError(f"{s.code}: row numbers must be given and unique")
        col_numbers = [c.number for c in s.columns]
        if any(not n.strip() for n in col_numbers) or len(set(col_numbers)) != len(col_numbers):
            raise LayoutError(f"{s.code}: column numbers must be given and unique")
        if sum(r.total for r in s.rows) != 1:
            raise LayoutError(f"{s.code}: exactly one total row expected")
        for c in s.columns:
            if c.measure not in MEASURES:
                raise LayoutError(f"{s.code}.{c.code}: unknown measure {c.measure}")
        for r in s.rows:
            if r.parent and r.parent not in codes:
                raise LayoutError(f"{s.code}.{r.code}: unknown parent {r.parent}")
            if r.household not in HOUSEHOLD_FILTERS:
                raise LayoutError(f"{s.code}.{r.code}: unknown household filter")
    for check in layout.checks:
        if check.op not in CHECK_OPS:
            raise LayoutError(f"check {check.left}: unknown operator {check.op}")
        for ref in (check.left, check.right):
            section, row, column = ref.split(".")
            try:
                layout.section(section).row(row)
                layout.section(section).column(column)
            except KeyError:
                raise LayoutError(f"check refers to unknown cell {ref}") from None


@cache
def layouts() -> tuple[Layout, ...]:
    """Every edition shipped with the package, oldest first."""
    found = [_load(p) for p in sorted(LAYOUT_DIR.glob("mrpips03-*.toml"))]
    return tuple(sorted(found, key=lambda lay: lay.valid_from))


def layout_for(on: date) -> Layout:
    """The edition in force on ``on`` (the period's first day)."""
    for lay in reversed(layouts()):
        if lay.valid_from <= on and (lay.valid_to is None or on < lay.valid_to):
            return lay
    raise LookupError(f"Brak wzoru formularza MRPiPS-03 obowiązującego {on:%d.%m.%Y}.")

"""Ocena zasobów pomocy społecznej (OZPS, art. 16a u.p.s.), drafted from the data.

The ministry's sections (reporting.md §2.2) with the multi-year window its explanatory notes
ask for (§2.3: two years before the assessed year, the assessed year, and a forecast):

1. Wprowadzenie — written by people.
2. Sytuacja demograficzna i społeczna — GUS and labour-office data, not held by Ostoja: ".".
3. Osoby i rodziny korzystające z pomocy — MRPiPS-03 (annual) totals of Dział 1A/1B.
4. Powody przyznania pomocy (10.4) — MRPiPS-03 Dział 2, families per art. 7 reason.
5. Zasoby instytucjonalne (infrastruktura) — the facilities register
   (``ostoja.facilities.selectors.facilities_summary``), each year as on its last day.
6. Kadra jednostki — staff by role and the care districts, as of the last day of the year
   (the staff register keeps no history, so earlier years are ".").
7. Środki finansowe — benefits paid (MRPiPS-03 amounts) and the budget plan against execution.
11. Wnioski końcowe i rekomendacje — written by people.

Symbols as in the notes: "." no (reliable) data, "x" the cell is not filled. The forecast
column is ".": a forecast is the unit's own estimate, entered in CAS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from ostoja.analysis import selectors
from ostoja.analysis.periods import ReportPeriod

# the module, not the function: tests replace ``documents.render_pdf``
from ostoja.decisions import documents
from ostoja.facilities import selectors as facilities_selectors
from ostoja.law.periods import YearMonth
from ostoja.org import selectors as org
from ostoja.org.roles import Role
from ostoja.payments import selectors as payments

NO_DATA = "."
NOT_FILLED = "x"


@dataclass
class OzpsRow:
    label: str
    values: list[Any]  # one per window year, then the forecast
    unit: str = ""


@dataclass
class OzpsSection:
    number: str
    title: str
    rows: list[OzpsRow] = field(default_factory=list)
    note: str = ""


@dataclass
class OzpsDraft:
    year: int
    years: list[int]  # the window: year-2, year-1, year
    sections: list[OzpsSection]
    introduction: str
    conclusions: str
    recommendations: list[str]
    version: int
    infrastructure_source: str  # "facilities" or "" (hook not provided yet)

    @property
    def recommendations_text(self) -> str:
        return "\n".join(self.recommendations)


def infrastructure(*, on: date) -> list[tuple[str, str, int]]:
    """The infrastructure section's figures on ``on`` from the facilities register
    (``ostoja.facilities.selectors.facilities_summary``): per type of facility the number of
    facilities, places and places occupied — as (label, unit, value), in the register's order."""
    rows: list[tuple[str, str, int]] = []
    for t in facilities_selectors.facilities_summary(on=on):
        rows.append((f"{t['label']} — placówki", "placówki", t["facilities"]))
        rows.append((f"{t['label']} — miejsca", "miejsca", t["places"]))
        rows.append((f"{t['label']} — miejsca zajęte", "osoby", t["occupied"]))
    return rows


def _window(year: int) -> list[int]:
    return [year - 2, year - 1, year]


def draft(*, year: int, stored: Any, on: date) -> OzpsDraft:
    """The assessment for ``year`` as of ``on`` (years after ``on`` are not counted)."""
    years = _window(year)
    reports = {
        y: selectors.mrpips03_report(period=ReportPeriod(y, half=False)) if y <= on.year else None
        for y in years
    }

    def series(ref: str) -> list[Any]:
        return [reports[y].value(ref) if reports[y] else NO_DATA for y in years] + [NO_DATA]

    people = OzpsSection(
        "3",
        "Osoby i rodziny korzystające z pomocy i wsparcia — zadania ośrodka (MRPiPS-03)",
        [
            OzpsRow("Osoby, którym decyzją przyznano świadczenie — zadania własne",
                    series("1B.TOTAL.persons"), "osoby"),
            OzpsRow("Rodziny — zadania własne", series("1B.TOTAL.families"), "rodziny"),
            OzpsRow("Osoby w rodzinach — zadania własne", series("1B.TOTAL.family_persons"),
                    "osoby"),
            OzpsRow("Osoby, którym decyzją przyznano świadczenie — zadania zlecone",
                    series("1A.TOTAL.persons"), "osoby"),
        ],
    )  # fmt: skip
    reasons = OzpsSection("4", "Powody przyznania pomocy (rodziny; art. 7 u.p.s.)")
    base = next((r for r in reports.values() if r is not None), None)
    if base is not None:
        section = next(s for s in base.sections if s.section.code == "2")
        for row in section.rows:
            reasons.rows.append(
                OzpsRow(row.row.label, series(f"2.{row.row.code}.families"), "rodziny")
            )
    # Each year of the window as the register stood on its last day (the register keeps the
    # history of stays and places); years after ``on`` are not counted.
    by_year: list[dict[str, tuple[str, int]]] = []
    for y in _window(year):
        if date(y, 1, 1) > on:
            by_year.append({})
            continue
        figures = infrastructure(on=min(on, date(y, 12, 31)))
        by_year.append({label: (unit, value) for label, unit, value in figures})
    infra = OzpsSection("5", "Zasoby instytucjonalne pomocy i wsparcia (infrastruktura)")
    labels = list(dict.fromkeys(label for figures in by_year for label in figures))
    if not labels:
        infra.note = "W ewidencji placówek (moduł „Placówki”) nie ma placówek w tych latach: „.”."
        infra.rows.append(OzpsRow("Placówki pomocy i wsparcia", [NO_DATA] * 4))
    for label in labels:
        unit = next(f[label][0] for f in by_year if label in f)
        values: list[Any] = [f[label][1] if label in f else NO_DATA for f in by_year]
        infra.rows.append(OzpsRow(label, [*values, NO_DATA], unit))
    staff_rows = [s for s in org.staff_list() if s.is_active]
    staff = OzpsSection(
        "6",
        "Kadra jednostki (stan obecny; rejestr pracowników nie przechowuje historii)",
    )

    def now_value(value: Any) -> list[Any]:
        return [NO_DATA, NO_DATA, value if year <= on.year else NO_DATA, NO_DATA]

    staff.rows.append(OzpsRow("Pracownicy ogółem", now_value(len(staff_rows)), "osoby"))
    for role in (Role.SOCIAL_WORKER, Role.HEAD_OF_UNIT, Role.BENEFITS_CLERK):
        count = sum(1 for s in staff_rows if role.label in s.roles)
        staff.rows.append(OzpsRow(f"w tym: {role.label.lower()}", now_value(count), "osoby"))
    districts = [u for u in org.units_active(on=on) if u.kind == "rejon"]
    staff.rows.append(OzpsRow("Rejony opiekuńcze", now_value(len(districts)), "rejony"))
    money = OzpsSection("7", "Środki finansowe na pomoc społeczną")
    money.rows.append(OzpsRow("Kwota świadczeń — zadania własne", series("1B.TOTAL.amount"), "zł"))
    money.rows.append(OzpsRow("Kwota świadczeń — zadania zlecone", series("1A.TOTAL.amount"), "zł"))
    if year <= on.year:
        plan = payments.plan_vs_execution(
            year=year, lines=None, from_month=YearMonth.of(min(on, date(year, 12, 31)))
        )
        planned = sum((r.plan for r in plan), Decimal("0.00"))
        executed = sum((r.executed for r in plan), Decimal("0.00"))
        money.rows.append(OzpsRow("Plan wydatków", [NO_DATA, NO_DATA, planned, NO_DATA], "zł"))
        money.rows.append(
            OzpsRow("Wykonanie wydatków", [NO_DATA, NO_DATA, executed, NO_DATA], "zł")
        )
    demography = OzpsSection(
        "2",
        "Sytuacja demograficzna i społeczna (stan na 31 grudnia)",
        [OzpsRow("Mieszkańcy ogółem", [NO_DATA] * 4, "osoby"),
         OzpsRow("Bezrobotni ogółem", [NO_DATA] * 4, "osoby")],
        note="Dane GUS i powiatowego urzędu pracy — poza systemem; w CAS wypełniane "
        "automatycznie.",
    )  # fmt: skip
    return OzpsDraft(
        year=year,
        years=years,
        sections=[demography, people, reasons, infra, staff, money],
        introduction=stored.introduction if stored else "",
        conclusions=stored.conclusions if stored else "",
        recommendations=(
            stored.recommendations.splitlines() if stored and stored.recommendations else []
        ),
        version=stored.version if stored else 0,
        infrastructure_source="facilities" if labels else "",
    )


def to_pdf(d: OzpsDraft, *, centre: str) -> bytes:
    """The whole assessment as an A4 PDF (WeasyPrint through the decisions' renderer)."""
    return documents.render_pdf(
        render_to_string("analysis/ozps_pdf.html", {"d": d, "centre": centre})
    )

"""Ocena zasobów pomocy społecznej (OZPS, art. 16a u.p.s.), drafted from the data.

The ministry's sections (reporting.md §2.2) with the multi-year window its explanatory notes
ask for (§2.3: two years before the assessed year, the assessed year, and a forecast):

1. Wprowadzenie — written by people.
2. Sytuacja demograficzna i społeczna — GUS and labour-office data, not held by Ostoja: ".".
3. Osoby i rodziny korzystające z pomocy — MRPiPS-03 (annual) totals of Dział 1A/1B.
4. Powody przyznania pomocy (10.4) — MRPiPS-03 Dział 2, families per art. 7 reason.
5. Zasoby instytucjonalne (infrastruktura) — ``ostoja.facilities.selectors.facilities_summary``
   when that context provides it; until then "." (see :func:`infrastructure`).
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

from ostoja.analysis.periods import ReportPeriod

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


def infrastructure(*, on: date) -> list[tuple[str, Any]] | None:
    """The infrastructure section from the facilities context, when it exists.

    HOOK (issue 13, §2): ``ostoja.facilities.selectors.facilities_summary(*, on)`` is being
    written on another branch. It is expected to return rows of (label, count) — or objects
    with ``label`` and ``count``/``value`` — describing the institutions on ``on``. Until the
    function exists the section is "." (no data); nothing here builds facilities itself.
    """
    import importlib

    try:
        facilities = importlib.import_module("ostoja.facilities.selectors")
    except ImportError:
        return None
    summary = getattr(facilities, "facilities_summary", None)
    if summary is None:
        return None
    rows: list[tuple[str, Any]] = []
    result = summary(on=on)
    items = result.items() if isinstance(result, dict) else result
    for item in items:
        if isinstance(item, tuple):
            rows.append((str(item[0]), item[1]))
        else:
            value = getattr(item, "count", getattr(item, "value", NO_DATA))
            rows.append((str(getattr(item, "label", item)), value))
    return rows


def _window(year: int) -> list[int]:
    return [year - 2, year - 1, year]


def draft(*, year: int, stored: Any, on: date) -> OzpsDraft:
    """The assessment for ``year`` as of ``on`` (years after ``on`` are not counted)."""
    from ostoja.analysis import selectors
    from ostoja.law.periods import YearMonth
    from ostoja.org import selectors as org
    from ostoja.org.roles import Role
    from ostoja.payments import selectors as payments

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
    infra_rows = infrastructure(on=min(on, date(year, 12, 31)))
    infra = OzpsSection("5", "Zasoby instytucjonalne pomocy i wsparcia (infrastruktura)")
    if infra_rows is None:
        infra.note = (
            "Dane o placówkach pojawią się po uruchomieniu ewidencji placówek "
            "(moduł „Placówki”); do tego czasu „.” — brak danych w systemie."
        )
        infra.rows.append(OzpsRow("Placówki pomocy i wsparcia", [NO_DATA] * 4))
    else:
        for label, value in infra_rows:
            infra.rows.append(OzpsRow(label, [NO_DATA, NO_DATA, value, NO_DATA]))
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
        infrastructure_source="facilities" if infra_rows is not None else "",
    )


def to_pdf(d: OzpsDraft, *, centre: str) -> bytes:
    """The whole assessment as an A4 PDF (WeasyPrint through the decisions' renderer)."""
    from django.template.loader import render_to_string

    from ostoja.decisions.documents import render_pdf

    return render_pdf(render_to_string("analysis/ozps_pdf.html", {"d": d, "centre": centre}))

"""The reporting calendar: each statutory report's deadline for a year, its owner and status.

Deadlines are data (``calendar/reports.toml``: a yearly table with a default month-day);
status comes from what the system knows — submissions recorded with ``submission_record`` and,
for MRPiPS-03, whether the report passes its cross-checks.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

CALENDAR_FILE = Path(__file__).resolve().parent / "calendar" / "reports.toml"


@dataclass(frozen=True, slots=True)
class ReportKind:
    code: str
    name: str
    period: str  # "H1" or "year"
    recipient: str
    owner: str  # Role value
    default: str  # "MM-DD"
    same_year: bool
    source: str
    deadlines: dict[int, date]
    link: str = ""

    def period_code(self, year: int) -> str:
        return f"{year}-H1" if self.period == "H1" else str(year)

    def deadline(self, year: int) -> date:
        """Due date of the report for reporting ``year``."""
        if year in self.deadlines:
            return self.deadlines[year]
        month, day = (int(x) for x in self.default.split("-"))
        return date(year if self.same_year else year + 1, month, day)


@cache
def report_kinds() -> tuple[ReportKind, ...]:
    data = tomllib.loads(CALENDAR_FILE.read_text(encoding="utf-8"))
    return tuple(
        ReportKind(
            code=r["code"],
            name=r["name"],
            period=r["period"],
            recipient=r["recipient"],
            owner=r["owner"],
            default=r["default"],
            same_year=bool(r.get("same_year", False)),
            source=r["source"],
            deadlines={int(y): date.fromisoformat(d) for y, d in r.get("deadlines", {}).items()},
            link=r.get("link", ""),
        )
        for r in data["report"]
    )


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    kind: ReportKind
    year: int
    period: str
    deadline: date
    status: str  # "złożone", "po terminie", "w terminie", "zbliża się termin"
    submitted: Any = None  # the ReportSubmission, when recorded

    @property
    def overdue(self) -> bool:
        return self.status == "po terminie"


def entries(*, on: date, submissions: dict[tuple[str, str], Any]) -> list[CalendarEntry]:
    """Every report due from 90 days before ``on`` to a year after it, soonest first."""
    out = []
    for kind in report_kinds():
        for year in (on.year - 2, on.year - 1, on.year):
            due = kind.deadline(year)
            if not -90 <= (due - on).days <= 366:
                continue
            period = kind.period_code(year)
            sub = submissions.get((kind.code, period))
            if sub is not None:
                status = "złożone"
            elif due < on:
                status = "po terminie"
            elif (due - on).days <= 30:
                status = "zbliża się termin"
            else:
                status = "w terminie"
            out.append(CalendarEntry(kind, year, period, due, status, sub))
    return sorted(out, key=lambda e: (e.deadline, e.kind.code))

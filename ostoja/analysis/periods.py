"""Reporting periods: ``YYYY-H1`` (1 I – 30 VI) and ``YYYY`` (the whole year, cumulative).

The annual MRPiPS-03 covers 1 January – 31 December, not the second half only (GUS register:
observation periods "I półrocze" and "rok"; reporting.md §1.5). Periods are half-open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ostoja.core.errors import ValidationFailed

_RE = re.compile(r"^(\d{4})(-H1)?$")
PERIOD_HELP = "Okres ma postać RRRR-H1 (półrocze) albo RRRR (rok), np. 2026-H1."


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    year: int
    half: bool  # True: first half-year edition (MRPiPS-03-P); False: annual (MRPiPS-03-R)

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """Exclusive end."""
        return date(self.year, 7, 1) if self.half else date(self.year + 1, 1, 1)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def code(self) -> str:
        return f"{self.year}-H1" if self.half else str(self.year)

    @property
    def label(self) -> str:
        return f"I półrocze {self.year} r." if self.half else f"rok {self.year}"

    def __str__(self) -> str:
        return self.code


def parse_period(text: object, *, field: str = "period") -> ReportPeriod:
    """Parse ``YYYY-H1`` or ``YYYY``; a ``ValidationFailed`` naming ``field`` otherwise."""
    match = _RE.match(text.strip()) if isinstance(text, str) else None
    if match is None or not 2000 <= int(match.group(1)) <= 2100:
        raise ValidationFailed({field: [f"Nieprawidłowy okres „{text}”. {PERIOD_HELP}"]})
    return ReportPeriod(int(match.group(1)), half=match.group(2) is not None)


def last_completed_half_year(*, on: date) -> ReportPeriod:
    """The most recent reporting period (H1 or a whole year) that ended before ``on``."""
    if on >= date(on.year, 7, 1):
        return ReportPeriod(on.year, half=True)
    return ReportPeriod(on.year - 1, half=False)

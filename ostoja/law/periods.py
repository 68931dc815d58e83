"""Dates, months and half-open periods (no clock: every function takes its dates)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "Period",
    "YearMonth",
    "add_months",
    "days_in_month",
    "parse_date",
    "parse_year_month",
]

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(start: date, months: int) -> date:
    """Art. 57 § 3 KPA: the same day number ``months`` later, or that month's last day."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, days_in_month(year, month)))


@dataclass(frozen=True, slots=True, order=True)
class YearMonth:
    year: int
    month: int

    @classmethod
    def of(cls, d: date) -> YearMonth:
        return cls(d.year, d.month)

    def shift(self, months: int) -> YearMonth:
        index = self.year * 12 + (self.month - 1) + months
        year, month = divmod(index, 12)
        return YearMonth(year, month + 1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def days(self) -> int:
        return days_in_month(self.year, self.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_date(text: object) -> date:
    """Parse ``YYYY-MM-DD`` strictly (raises ``ValueError`` with a Polish message)."""
    if not isinstance(text, str) or not _DATE_RE.match(text):
        raise ValueError("oczekiwano daty w formacie RRRR-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"„{text}” nie jest istniejącą datą") from None


def parse_year_month(text: object) -> YearMonth:
    """Parse ``YYYY-MM`` strictly."""
    match = _MONTH_RE.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError("oczekiwano miesiąca w formacie RRRR-MM")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1:
        raise ValueError(f"„{text}” nie jest poprawnym miesiącem")
    return YearMonth(year, month)


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open period ``[valid_from, valid_to)``; ``valid_to=None`` means open-ended."""

    valid_from: date
    valid_to: date | None = None

    def __post_init__(self) -> None:
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise ValueError("valid_to musi być późniejsze niż valid_from")

    def contains(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)

    def overlaps(self, other: Period) -> bool:
        a_end = self.valid_to or date.max
        b_end = other.valid_to or date.max
        return self.valid_from < b_end and other.valid_from < a_end

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"[{self.valid_from.isoformat()}, {end})"

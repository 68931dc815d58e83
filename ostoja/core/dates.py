"""The one place that asks the clock (Europe/Warsaw), and calendar arithmetic outside the law.

Only views, API endpoints, management commands and tasks call ``today()`` / ``now()``; they
read the time once per request or command and pass ``on`` / ``now`` down to services and
selectors, which never read the clock themselves (issue 11; ``tests/test_clock.py`` enforces
both rules, ruff's banned-API rule refuses the clock elsewhere). The law core has its own
legal-period rules (``ostoja.law.periods.add_months``, art. 57 § 3 KPA); everything else that
shifts months or years goes through ``shift_months`` / ``shift_years`` here, so 29 February and
31st-of-month arithmetic is done in one place.
"""

from __future__ import annotations

from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.utils import timezone


def now() -> datetime:
    """The current moment, timezone-aware (stored in UTC, shown in Europe/Warsaw)."""
    return timezone.now()


def today() -> date:
    """Today's date in Europe/Warsaw."""
    return timezone.localdate(now())


def local_date(moment: datetime) -> date:
    """The Europe/Warsaw calendar date of an aware moment (no clock read)."""
    return timezone.localdate(moment)


def local_time(moment: datetime) -> datetime:
    """An aware moment shown in Europe/Warsaw (no clock read)."""
    return timezone.localtime(moment)


def noon(on: date) -> datetime:
    """An aware moment for a date alone (12:00 local), e.g. a timeline entry dated a day."""
    return timezone.make_aware(datetime.combine(on, time(12, 0)))


def shift_months(on: date, months: int) -> date:
    """``on`` moved by whole months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    return on + relativedelta(months=months)


def shift_years(on: date, years: int) -> date:
    """``on`` moved by whole years; 29 February becomes 28 February in a common year."""
    return on + relativedelta(years=years)


def month_start(on: date) -> date:
    """The first day of ``on``'s month."""
    return on.replace(day=1)


def next_month_start(on: date) -> date:
    """The first day of the month after ``on``'s."""
    return month_start(on) + relativedelta(months=1)

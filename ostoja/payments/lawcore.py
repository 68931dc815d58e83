"""The only door from payments to the law core (ostoja.law): part months and the health
contribution. Payments never re-derives the law; it asks here.

- Part month (art. 106 ust. 3 u.p.s.): monthly amount × days covered ÷ days in the month, with
  the law core's :class:`~ostoja.law.policy.Policy` (``part_month_method``, ``rounding``).
  If the law core exposes ``part_month_amount(monthly, month, covered_days, policy)`` it is used;
  until then the same policy switches are applied here with the law core's money helpers (the
  law core's ``prorate_first_month`` needs a whole calculation context).
- Health contribution (art. 79 ustawy o świadczeniach opieki zdrowotnej): the rate is the law
  core's dated parameter ``skladka_zdrowotna``; monthly, indivisible, rounded to grosze.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from ostoja.law.money import HUNDRED, money
from ostoja.law.periods import YearMonth
from ostoja.law.policy import DEFAULT_POLICY, Policy
from ostoja.law.store import default_store

__all__ = ["health_contribution", "health_rate", "part_month_amount"]


def _law_part_month():  # type: ignore[no-untyped-def]
    try:
        from ostoja.law.benefits.common import part_month_amount as law_fn  # type: ignore[attr-defined]
    except ImportError:
        return None
    return law_fn


def part_month_amount(
    monthly: Decimal, month: YearMonth, covered_days: int, policy: Policy = DEFAULT_POLICY
) -> Decimal:
    """Amount due for ``covered_days`` of ``month`` (art. 106 ust. 3 u.p.s.)."""
    days = month.days
    if covered_days >= days:
        return money(monthly, policy.rounding)
    if covered_days <= 0:
        return Decimal("0.00")
    law_fn = _law_part_month()
    if law_fn is not None:
        return law_fn(monthly, month, covered_days, policy)  # type: ignore[no-any-return]
    if policy.part_month_method == "daily_rate_first":
        daily = money(monthly / days, policy.rounding)
        return money(daily * covered_days, policy.rounding)
    return money(monthly * covered_days / days, policy.rounding)


@lru_cache(maxsize=64)
def health_rate(on: date) -> Decimal:
    """The health contribution rate (percent) in force on ``on`` — law core parameter."""
    return Decimal(default_store().get("skladka_zdrowotna", on)["rate_percent"])


def health_contribution(basis: Decimal, on: date, policy: Policy = DEFAULT_POLICY) -> Decimal:
    """9 % of the zasiłek stały paid for the month, rounded to grosze (monthly, indivisible)."""
    return money(basis * health_rate(on) / HUNDRED, policy.rounding)

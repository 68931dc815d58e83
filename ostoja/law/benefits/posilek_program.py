"""Programme „Posiłek w szkole i w domu” 2024–2028 (M.P. 2023 poz. 881) as recorded help:
the 200 % income threshold for a meal granted by decision, and the cap on children fed on a
school head's report without an interview or a decision (⚠ 20 %, unconfirmed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..money import HUNDRED, money, pct, pln
from ..store import ParameterStore, default_store

__all__ = ["MealThreshold", "SchoolShare", "meal_threshold", "school_report_share"]


@dataclass(frozen=True, slots=True)
class MealThreshold:
    threshold: Decimal
    percent: Decimal
    source: str
    text: str


def meal_threshold(*, on: date, single: bool, store: ParameterStore | None = None) -> MealThreshold:
    """Income limit for help in the programme without charge: 200 % of the art. 8 criterion
    (single person, or per person in a family)."""
    s = store or default_store()
    prog = s.get("posilek_prog", on)
    crit = s.get("kryterium_dochodowe", on)
    base: Decimal = crit["single"] if single else crit["per_person"]
    percent: Decimal = prog["percent"]
    threshold = money(base * percent / HUNDRED)
    return MealThreshold(
        threshold, percent, prog.source, f"{pct(percent)} × {pln(base)} = {pln(threshold)}"
    )


@dataclass(frozen=True, slots=True)
class SchoolShare:
    allowed: int
    share_percent: Decimal
    source: str
    confirmed: bool


def school_report_share(
    *, fed_previous_month: int, on: date, store: ParameterStore | None = None
) -> SchoolShare:
    """How many children may be fed in a month on a school head's report (no interview, no
    decision): at most the parameter's share of those fed in the previous month."""
    rec = (store or default_store()).get("posilek_bez_wywiadu_udzial", on)
    share: Decimal = rec["max_share_percent"]
    allowed = int(Decimal(fed_previous_month) * share / HUNDRED)
    return SchoolShare(allowed, share, rec.source, rec.confirmed)

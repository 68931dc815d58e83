"""Posiłek — programme „Posiłek w szkole i w domu” (free when income ≤ 200 % of the
art. 8 criterion from 2024; 150 % before — unconfirmed data)."""

from __future__ import annotations

from decimal import Decimal

from ..household import Case
from ..income import PURPOSE_NONCASH
from ..money import HUNDRED, pct, pln
from ..policy import DEFAULT_POLICY, Policy
from ..store import ParameterStore, default_store
from .common import BenefitResult, begin

__all__ = ["calculate"]


def calculate(
    case: Case, *, store: ParameterStore | None = None, policy: Policy = DEFAULT_POLICY
) -> BenefitResult:
    ctx = begin(case, store or default_store(), policy, "posilek", PURPOSE_NONCASH)
    income = ctx.income
    assert income is not None
    record = ctx.use("posilek_prog")
    percent: Decimal = record["percent"]
    if case.household.is_single:
        threshold = ctx.m(ctx.single_criterion * percent / HUNDRED)
        value = income.total
        what = "dochód osoby samotnie gospodarującej"
    else:
        threshold = ctx.m(ctx.per_person_criterion * percent / HUNDRED)
        value = income.per_person
        what = "dochód na osobę w rodzinie"
    within = value <= threshold
    if within:
        ctx.tb.add(
            f"Pomoc w formie posiłku nieodpłatnie: {what} nie przekracza {pct(percent)} kryterium",
            f"{pln(value)} ≤ {pln(threshold)}",
            record.source,
        )
    else:
        ctx.refuse(
            f"{what.capitalize()} ({pln(value)}) przekracza {pct(percent)} kryterium "
            f"({pln(threshold)}) — posiłek w ramach programu nie przysługuje nieodpłatnie "
            "(możliwa pomoc odpłatna na zasadach uchwały rady gminy, art. 96–97 u.p.s.)",
            record.source,
        )
    eligible = not ctx.reasons
    return ctx.result(eligible=eligible, free_of_charge=eligible and within)

"""Grant settlement (art. 25 u.p.s., u.d.p.p., art. 251 u.f.p.) and small grants (art. 19a)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ostoja.law.grants import grant_settle, return_deadline, small_grant_errors

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000"), places=2)


def test_unused_money_is_returned_art_251_ufp() -> None:
    r = grant_settle(
        awarded=Decimal("20000"), instalments_paid=[Decimal("12000"), Decimal("8000")],
        spent=Decimal("18450.30"),
    )  # fmt: skip
    assert r.paid == Decimal("20000.00") and r.to_return == Decimal("1549.70")
    assert "art. 251 ust. 1" in r.trace[-1].basis


def test_spending_above_the_grant_is_own_cost_not_a_claim() -> None:
    r = grant_settle(
        awarded=Decimal("5000"), instalments_paid=[Decimal("5000")], spent=Decimal("5600")
    )
    assert r.to_return == 0 and r.own_cost == Decimal("600.00") and r.used == Decimal("5000.00")


@given(
    inst=st.lists(amounts, min_size=1, max_size=4),
    spent=st.decimals(min_value=Decimal("0"), max_value=Decimal("250000"), places=2),
)
def test_settlement_sums(inst: list[Decimal], spent: Decimal) -> None:
    """Instalments − used = to return ≥ 0; used + own cost = spent; used ≤ paid."""
    awarded = sum(inst, Decimal(0))
    r = grant_settle(awarded=awarded, instalments_paid=inst, spent=spent)
    assert r.paid - r.used == r.to_return >= 0
    assert r.used + r.own_cost == r.spent
    assert r.used <= r.paid <= r.awarded
    assert r.to_return == 0 or r.own_cost == 0


def test_instalments_over_the_grant_are_refused() -> None:
    with pytest.raises(ValueError):
        grant_settle(awarded=Decimal("100"), instalments_paid=[Decimal("101")], spent=Decimal(0))


def test_return_deadline_is_15_days_after_the_task() -> None:
    assert return_deadline(date(2027, 12, 31)) == date(2028, 1, 15)


def test_small_grant_limits_art_19a() -> None:
    ok = small_grant_errors(
        amount=Decimal("10000"), task_from=date(2027, 1, 1), task_to=date(2027, 3, 31)
    )
    assert ok == []
    bad = small_grant_errors(
        amount=Decimal("10000.01"), task_from=date(2027, 1, 1), task_to=date(2027, 4, 1)
    )
    assert len(bad) == 2 and "art. 19a ust. 1 pkt 1" in bad[0]

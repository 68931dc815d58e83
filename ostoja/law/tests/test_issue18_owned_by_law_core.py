"""Rules the law core took over from the contexts (issue 18): the art. 133 KPA deadline to
forward an appeal (was computed in ``decisions/services.py``) and the health contribution of
art. 79 of the Act on publicly funded health care (was copied in ``payments/lawcore.py``)."""

from datetime import date
from decimal import Decimal

import pytest

from ostoja.law.benefits.common import part_month_amount
from ostoja.law.benefits.zasilek_staly import health_contribution, health_rate
from ostoja.law.deadlines import appeal_forward_deadline
from ostoja.law.periods import YearMonth
from ostoja.law.policy import DEFAULT_POLICY
from ostoja.law.store import default_store


def test_appeal_forward_7_days_art_133_kpa() -> None:
    """Lodged Mon 2026-03-02 → 7 days (the day of lodging not counted, art. 57 § 1) → Mon 9.03."""
    d = appeal_forward_deadline(date(2026, 3, 2))
    assert d.date == date(2026, 3, 9)
    assert any("art. 133 KPA" in s.basis for s in d.trace)


def test_appeal_forward_over_christmas_art_133_and_art_57_par_4_kpa() -> None:
    """Lodged Wed 2025-12-17 → 2025-12-24 (Wigilia, a holiday from 2025); 25, 26 holidays,
    27 Saturday, 28 Sunday → Mon 2025-12-29."""
    d = appeal_forward_deadline(date(2025, 12, 17))
    assert d.date == date(2025, 12, 29)
    assert any("art. 57 § 4 KPA" in s.basis for s in d.trace)


def test_appeal_forward_days_is_a_dated_parameter_art_133_kpa() -> None:
    record = default_store().get("terminy_kpa", date(2026, 12, 1))
    assert record["appeal_forward_days"] == 7
    assert "art. 133" in record.source


@pytest.mark.parametrize(
    ("basis", "expected"),
    [("1229.00", "110.61"), ("1097.16", "98.74"), ("123.45", "11.11")],
)
def test_health_contribution_9_percent_art_79_rounded_to_grosze(basis: str, expected: str) -> None:
    assert health_rate(date(2026, 11, 1)) == Decimal("9")
    assert health_contribution(Decimal(basis), date(2026, 11, 1)) == Decimal(expected)


def test_part_month_amount_art_106_ust_3_ups() -> None:
    """1229 × 16 ÷ 30 = 655.47 (November, entitlement from the 15th); a whole month is whole."""
    month = YearMonth(2026, 11)
    assert part_month_amount(Decimal("1229"), month, 16, DEFAULT_POLICY) == Decimal("655.47")
    assert part_month_amount(Decimal("1229"), month, 30, DEFAULT_POLICY) == Decimal("1229.00")

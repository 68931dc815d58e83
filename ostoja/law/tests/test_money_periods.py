"""Money helpers and month arithmetic (art. 57 § 3 KPA)."""

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

from ostoja.law.money import fmt, fmt_percent, money, parse_decimal, pct, pln
from ostoja.law.periods import Period, YearMonth, add_months, parse_date, parse_year_month


def test_money_rounds_half_up_by_default():
    assert money(Decimal("0.005")) == Decimal("0.01")
    assert money(Decimal("2.675")) == Decimal("2.68")
    assert money(Decimal("0.005"), ROUND_HALF_EVEN) == Decimal("0.00")


def test_formats():
    assert fmt(Decimal("413")) == "413.00"
    assert fmt(None) is None
    assert fmt_percent(Decimal("1.5")) == "1.50"
    assert pln(Decimal("1313")) == "1 313,00 zł"
    assert pct(Decimal("130")) == "130%"
    assert pct(Decimal("1.5")) == "1,5%"


@pytest.mark.parametrize("raw", ["-", "abc", "", "1e400000", "NaN", True, None, [1]])
def test_parse_decimal_rejects_garbage(raw):
    with pytest.raises(ValueError):
        parse_decimal(raw)


def test_parse_decimal_accepts_strings_ints_and_float_repr():
    assert parse_decimal("900.00") == Decimal("900.00")
    assert parse_decimal("900,5") == Decimal("900.5")
    assert parse_decimal(12) == Decimal(12)
    assert parse_decimal(0.1) == Decimal("0.1")
    with pytest.raises(ValueError):
        parse_decimal("1.234")
    assert parse_decimal("5.2000", max_places=4) == Decimal("5.2000")


def test_add_months_art_57_par_3_kpa_last_day_when_no_corresponding_day():
    """Art. 57 § 3 KPA: the corresponding day, or the month's last day."""
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 3, 15), 6) == date(2025, 9, 15)
    assert add_months(date(2025, 11, 30), 2) == date(2026, 1, 30)
    assert add_months(date(2025, 12, 31), -1) == date(2025, 11, 30)


def test_year_month_and_parsers():
    assert YearMonth(2025, 1).shift(-1) == YearMonth(2024, 12)
    assert str(parse_year_month("2025-10")) == "2025-10"
    assert YearMonth(2024, 2).days == 29
    for bad in ["2025-13", "2025-1", "25-10", 202510]:
        with pytest.raises(ValueError):
            parse_year_month(bad)
    assert parse_date("2025-11-05") == date(2025, 11, 5)
    for bad in ["20251105", "2025-02-30", "05.11.2025", 20251105]:
        with pytest.raises(ValueError):
            parse_date(bad)


def test_half_open_period():
    p = Period(date(2022, 1, 1), date(2025, 1, 1))
    assert p.contains(date(2022, 1, 1))
    assert p.contains(date(2024, 12, 31))
    assert not p.contains(date(2025, 1, 1))
    assert p.overlaps(Period(date(2024, 12, 31)))
    assert not p.overlaps(Period(date(2025, 1, 1)))
    with pytest.raises(ValueError):
        Period(date(2025, 1, 1), date(2025, 1, 1))

"""Art. 97 ust. 1, 1a and 5 u.p.s.: the fee for a shelter or a training / supported flat —
free up to the income criterion, above it the band of the council's resolution (a dated
parameter flagged ``confirmed = false`` while the Kielce tables are unknown)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ostoja.law.benefits.art97 import calculate_art97

ON = date(2026, 3, 1)  # criterion 1010 zł single / 823 zł per person (Dz.U. 2024 poz. 1044)


def test_art_97_ust_1_income_at_the_criterion_pays_nothing() -> None:
    r = calculate_art97(group="schronisko", household_income=Decimal("1010.00"),
                        household_size=1, monthly_cost=Decimal("1200.00"), on=ON)  # fmt: skip
    assert r.amount == Decimal("0.00") and r.percent == 0
    assert any("art. 97 ust. 1" in s.basis for s in r.trace)


def test_art_97_ust_5_above_the_criterion_the_resolution_band_applies() -> None:
    r = calculate_art97(group="schronisko", household_income=Decimal("1500.00"),
                        household_size=1, monthly_cost=Decimal("1200.00"), on=ON)  # fmt: skip
    assert r.income_ratio == Decimal("148.51")
    assert r.amount == Decimal("240.00")  # 20% band of the placeholder table
    assert "VI/106/2015" in r.source


def test_family_income_is_compared_per_person_with_the_family_criterion() -> None:
    r = calculate_art97(group="mieszkanie", household_income=Decimal("1646.00"),
                        household_size=2, monthly_cost=Decimal("900.00"), on=ON)  # fmt: skip
    assert r.income_ratio == Decimal("100.00") and r.amount == Decimal("0.00")


def test_the_unknown_kielce_table_is_flagged_in_the_trace() -> None:
    r = calculate_art97(group="mieszkanie", household_income=Decimal("5000.00"),
                        household_size=1, monthly_cost=Decimal("900.00"), on=ON)  # fmt: skip
    assert r.confirmed is False
    assert r.amount == Decimal("900.00")  # never more than the cost of the place
    assert any(s.step.startswith("⚠") for s in r.trace)


def test_unknown_group_is_refused() -> None:
    with pytest.raises(ValueError):
        calculate_art97(group="dps", household_income=Decimal(0), household_size=1,
                        monthly_cost=Decimal(1), on=ON)  # fmt: skip

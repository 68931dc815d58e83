"""FEPŻ food aid threshold: 265 % of the art. 8 ust. 1 u.p.s. criterion (reporting.md §4.6)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ostoja.law.food_aid import food_aid_eligibility

ON = date(2026, 3, 1)


def test_single_person_threshold_is_265_percent_of_1010() -> None:
    """art. 8 ust. 1 pkt 1 u.p.s. × 265 % (FEPŻ 2021–2027): 2676,50 zł."""
    r = food_aid_eligibility(monthly_income=Decimal("2676.50"), household_size=1, on=ON)
    assert r.threshold == Decimal("2676.50") and r.eligible
    assert not food_aid_eligibility(
        monthly_income=Decimal("2676.51"), household_size=1, on=ON
    ).eligible


def test_family_per_person_threshold_is_265_percent_of_823() -> None:
    """art. 8 ust. 1 pkt 2 u.p.s. × 265 %: 2180,95 zł per person."""
    r = food_aid_eligibility(monthly_income=Decimal("8723.80"), household_size=4, on=ON)
    assert r.threshold == Decimal("2180.95")
    assert r.income == Decimal("2180.95") and r.eligible
    assert not food_aid_eligibility(
        monthly_income=Decimal("8723.84"), household_size=4, on=ON
    ).eligible


def test_the_percentage_is_dated() -> None:
    """Podprogram 2021 (220 %) on 776/600 zł criteria before the FEPŻ edition."""
    r = food_aid_eligibility(monthly_income=Decimal("0"), household_size=1, on=date(2023, 6, 1))
    assert r.percent == Decimal("220") and r.threshold == Decimal("1707.20")


def test_trace_names_the_programme_and_article() -> None:
    r = food_aid_eligibility(monthly_income=Decimal("1000"), household_size=2, on=ON)
    text = " ".join(s.basis for s in r.trace)
    assert "FEPŻ" in text and "art. 8 ust. 1 pkt 2" in text


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        food_aid_eligibility(monthly_income=Decimal("1"), household_size=0, on=ON)

"""Art. 97 ust. 1, 1a and 5 u.p.s.: the fee for a shelter or a training / supported flat —
free up to the income criterion, above it the band of the council's resolution (a dated
parameter flagged ``confirmed = false`` while the Kielce tables are unknown)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ostoja.law.benefits.art97 import FeeExemption, calculate_art97
from ostoja.law.errors import LawError
from ostoja.law.store import ParameterStore

PARAMETERS = Path(__file__).resolve().parents[1] / "parameters"

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


# -- exemption on request (zwolnienie na wniosek): § 2 ust. 3 of uchwała VI/106/2015, art. 97
# ust. 5 u.p.s. -------------------------------------------------------------------------------

ASKED = date(2026, 2, 20)


def _shelter(exemption: FeeExemption | None) -> Any:
    return calculate_art97(group="schronisko", household_income=Decimal("1500.00"),
                           household_size=1, monthly_cost=Decimal("1200.00"), on=ON,
                           exemption=exemption)  # fmt: skip


def test_partial_exemption_on_request_waives_the_amount_and_says_so() -> None:
    r = _shelter(FeeExemption(total=False, requested_on=ASKED, reason="koszty leczenia",
                              amount=Decimal("100.00")))  # fmt: skip
    assert (r.fee_before_exemption, r.exempted, r.amount) == (
        Decimal("240.00"), Decimal("100.00"), Decimal("140.00"))  # fmt: skip
    step = next(s for s in r.trace if s.step.startswith("Zwolnienie"))
    assert step.step == ("Zwolnienie częściowe z opłaty na wniosek z dnia 20.02.2026 r. "
                         "(koszty leczenia)")  # fmt: skip
    assert step.value == "240,00 zł − 100,00 zł = 140,00 zł"
    assert "§ 2 ust. 3 uchwały nr VI/106/2015" in step.basis and "art. 97 ust. 5" in step.basis


def test_total_exemption_on_request_leaves_nothing_to_pay() -> None:
    r = _shelter(FeeExemption(total=True, requested_on=ASKED, reason="pożar mieszkania"))
    assert (r.amount, r.exempted, r.percent) == (Decimal("0.00"), Decimal("240.00"), Decimal(20))
    assert any(s.step.startswith("Zwolnienie całkowite") for s in r.trace)


def test_without_a_request_the_fee_is_the_tables() -> None:
    r = _shelter(None)
    assert (r.amount, r.exempted, r.fee_before_exemption) == (Decimal("240.00"), 0, None)
    assert not any(s.step.startswith("Zwolnienie") for s in r.trace)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("240.00"), "zwolnienie całkowite"),  # the whole fee is a total exemption
        (Decimal("300.00"), "musi być niższe"),
        (Decimal("0.00"), "większą od zera"),
        (None, "większą od zera"),
        (Decimal("10.005"), "dwa miejsca"),
    ],
)
def test_a_partial_exemption_must_be_part_of_the_fee(amount: Decimal | None, message: str) -> None:
    with pytest.raises(LawError, match=message):
        _shelter(FeeExemption(total=False, requested_on=ASKED, reason="x", amount=amount))


def test_nothing_to_exempt_when_income_is_within_the_criterion() -> None:
    # art. 97 ust. 1: free anyway — an exemption decision would have no object
    with pytest.raises(LawError, match="nie ponosi opłaty"):
        calculate_art97(group="schronisko", household_income=Decimal("1010.00"),
                        household_size=1, monthly_cost=Decimal("1200.00"), on=ON,
                        exemption=FeeExemption(total=True, requested_on=ASKED, reason="x"))  # fmt: skip


def test_a_table_without_an_exemption_clause_admits_none(tmp_path: Path) -> None:
    # An override of the resolution's table that has no exemption clause (art. 97 ust. 5:
    # exemptions only on the resolution's terms).
    text = (PARAMETERS / "kielce_odplatnosc_art97.toml").read_text(encoding="utf-8")
    kept = "\n".join(ln for ln in text.splitlines() if not ln.startswith("exemption_basis"))
    (tmp_path / "kielce_odplatnosc_art97.toml").write_text(kept, encoding="utf-8")
    store = ParameterStore.packaged(override_dir=tmp_path)
    with pytest.raises(LawError, match="nie wskazuje przepisu o zwolnieniu"):
        calculate_art97(group="schronisko", household_income=Decimal("1500.00"),
                        household_size=1, monthly_cost=Decimal("1200.00"), on=ON, store=store,
                        exemption=FeeExemption(total=True, requested_on=ASKED, reason="x"))  # fmt: skip


@given(
    income=st.integers(min_value=0, max_value=1_000_000).map(lambda c: Decimal(c).scaleb(-2)),
    cost=st.integers(min_value=1, max_value=1_000_000).map(lambda c: Decimal(c).scaleb(-2)),
    share=st.integers(min_value=1, max_value=99),
)
def test_an_exemption_never_raises_the_fee_and_the_parts_add_up(
    income: Decimal, cost: Decimal, share: int
) -> None:
    plain = calculate_art97(group="schronisko", household_income=income, household_size=1,
                            monthly_cost=cost, on=ON)  # fmt: skip
    if plain.amount <= Decimal("0.01"):
        return
    waived = max(Decimal("0.01"), (plain.amount * share / 100).quantize(Decimal("0.01")))
    if waived >= plain.amount:
        return
    r = calculate_art97(group="schronisko", household_income=income, household_size=1,
                        monthly_cost=cost, on=ON,
                        exemption=FeeExemption(total=False, requested_on=ASKED, reason="x",
                                               amount=waived))  # fmt: skip
    assert r.fee_before_exemption == plain.amount
    assert r.amount + r.exempted == plain.amount
    assert Decimal(0) < r.amount < plain.amount

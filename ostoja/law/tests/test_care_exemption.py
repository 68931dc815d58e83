"""Art. 50 ust. 6 u.p.s.: the council's resolution on care services also sets the conditions of
a partial or total exemption from the fee (zwolnienie częściowe lub całkowite od opłat) — granted
on request; here as a percentage of the fee waived, lowering the rate the monthly bill uses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ostoja.law.benefits.exemption import FeeExemption
from ostoja.law.benefits.uslugi_rozliczenie import care_fee_rate
from ostoja.law.errors import LawError

ON = date(2026, 3, 1)  # criterion 1 010 zł single (Dz.U. 2024 poz. 1044)
TABLE = "kielce_uslugi_opiekuncze_tabela"
ASKED = date(2026, 2, 25)


def _rate(income: str, exemption: FeeExemption | None, table: str = TABLE) -> object:
    return care_fee_rate(table_name=table, income=D(income), single=True, on=ON,
                         exemption=exemption)  # fmt: skip


def test_art_50_ust_6_partial_exemption_lowers_the_rate_by_the_percentage() -> None:
    r = _rate("1300.00", FeeExemption(total=False, requested_on=ASKED, reason="leki",
                                      percent=D("50")))  # fmt: skip
    assert (r.rate_before_exemption, r.rate) == (D("10"), D("5.00"))
    step = r.trace[-1]
    assert step.step == "Zwolnienie częściowe z opłaty na wniosek z dnia 25.02.2026 r. (leki)"
    assert step.value == "10% × (100% − 50%) = 5% ceny za godzinę"
    assert "art. 50 ust. 6 u.p.s." in step.basis and "LVI/1111/2022" in step.basis


def test_total_exemption_makes_the_services_free_of_charge() -> None:
    r = _rate("1300.00", FeeExemption(total=True, requested_on=ASKED, reason="pożar"))
    assert (r.rate_before_exemption, r.rate) == (D("10"), D("0.00"))
    assert r.trace[-1].value == "10% → 0% ceny za godzinę"


def test_no_exemption_leaves_the_table_rate() -> None:
    r = _rate("1300.00", None)
    assert (r.rate, r.rate_before_exemption) == (D("10"), None)


@pytest.mark.parametrize("percent", [None, D("0"), D("100"), D("120"), D("-5")])
def test_partial_exemption_must_be_strictly_between_0_and_100_percent(percent: D | None) -> None:
    with pytest.raises(LawError, match="procent opłaty"):
        _rate("1300.00", FeeExemption(total=False, requested_on=ASKED, reason="x", percent=percent))


def test_nothing_to_exempt_when_the_services_are_free() -> None:
    with pytest.raises(LawError, match="nieodpłatne"):
        _rate("1010.00", FeeExemption(total=True, requested_on=ASKED, reason="x"))


def test_a_table_without_an_exemption_clause_admits_none() -> None:
    # The national SUO table (art. 50 ust. 7) carries no clause in Ostoja's parameters.
    with pytest.raises(LawError, match="nie wskazuje przepisu o zwolnieniu"):
        _rate("1500.00", FeeExemption(total=True, requested_on=ASKED, reason="x"),
              table="suo_zaburzenia_tabela")  # fmt: skip


@given(income=st.integers(min_value=101_100, max_value=900_000),
       percent=st.integers(min_value=1, max_value=9_999))  # fmt: skip
def test_an_exemption_never_raises_the_rate(income: int, percent: int) -> None:
    plain = _rate(str(D(income).scaleb(-2)), None)
    waived = D(percent).scaleb(-2)
    r = _rate(str(D(income).scaleb(-2)),
              FeeExemption(total=False, requested_on=ASKED, reason="x", percent=waived))  # fmt: skip
    assert D(0) <= r.rate <= plain.rate and r.rate_before_exemption == plain.rate

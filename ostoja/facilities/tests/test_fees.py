"""DPS fee shares (art. 61 u.p.s.) come from the law core on every case; the monthly charges
per payer are built once per month (issue 14 §3)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.core.errors import ValidationFailed
from ostoja.decisions.tests.factories import make_ready_application
from ostoja.facilities import services
from ostoja.facilities.models import AverageCost, Charge
from ostoja.facilities.services import RelativeIn
from ostoja.facilities.tests.factories import (
    make_facility,
    placed_referral,
)
from ostoja.law.benefits import dps as dps_law
from ostoja.law.household import DpsExemption, DpsInput, DpsRelative
from ostoja.law.tests.helpers import case, single

D = Decimal
ON = date(2026, 3, 1)

CASES = {
    # name: (resident income, cost, relatives)
    "relative above 300 % (single, > 3 030 zł) pays — art. 61 ust. 2 pkt 2 lit. a": (
        "1800", "7000", [RelativeIn("Anna", "corka", 1, D("4500"))],
    ),
    "relative below 300 % pays nothing — art. 61 ust. 2 pkt 2": (
        "1800", "7000", [RelativeIn("Jan", "syn", 1, D("3030"))],
    ),
    "family relative keeps 300 % per person — art. 61 ust. 2 pkt 2 lit. b": (
        "1500", "7200", [RelativeIn("Ewa", "corka", 3, D("9000"))],
    ),
    "spouse before descendants — art. 61 ust. 1 pkt 2": (
        "1000", "7000",
        [RelativeIn("Maria", "malzonek", 1, D("5000")), RelativeIn("Piotr", "syn", 1, D("8000"))],
    ),
    "agreement under art. 103 ust. 2 fixes the amount": (
        "1800", "7000", [RelativeIn("Anna", "corka", 1, D("8000"), agreed_amount=D("500"))],
    ),
    "full exemption — art. 64": (
        "1800", "7000", [RelativeIn("Anna", "corka", 1, D("8000"), exemption_basis="art_64")],
    ),
    "partial exemption — art. 64": (
        "1800", "7000",
        [RelativeIn("Anna", "corka", 1, D("8000"), exemption_basis="art_64",
                    exemption_amount=D("1000"))],
    ),
    "resident covers the cost": ("12000", "7000", [RelativeIn("Anna", "corka", 1, D("9000"))]),
}  # fmt: skip


def law_core(resident: str, cost: str, relatives: list[RelativeIn]) -> Any:
    """The same case written directly for the law core (no facilities code involved)."""
    rels = tuple(
        DpsRelative(
            r.relation,
            r.household_size,
            r.household_income,
            agreed_amount=r.agreed_amount,
            exemption=DpsExemption(r.exemption_basis, r.exemption_amount)
            if r.exemption_basis
            else None,
        )
        for r in relatives
    )
    return dps_law.calculate(
        case(single(resident), ON, dps=DpsInput(monthly_cost=D(cost), resident="A", relatives=rels))
    ).fees


@pytest.mark.parametrize("name", list(CASES))
def test_shares_match_the_law_core(name: str) -> None:
    resident, cost, relatives = CASES[name]
    ours = services.fee_compute(
        monthly_cost=D(cost), resident_income=D(resident), relatives=relatives, on=ON
    )
    assert ours.fees == law_core(resident, cost, relatives)
    fees = ours.fees
    assert fees.resident + fees.relatives_total + fees.city == D(cost)
    assert any("art. 61" in s.basis for s in ours.trace)


def test_exemption_and_threshold_figures() -> None:
    """70 % of 1 800 = 1 260; 4 500 − 3 030 = 1 470 from the daughter; the city pays the rest."""
    r = services.fee_compute(
        monthly_cost=D("7000"), resident_income=D("1800"),
        relatives=[RelativeIn("Anna", "corka", 1, D("4500"))], on=ON,
    ).fees  # fmt: skip
    assert (r.resident, r.relatives_total, r.city) == (D("1260.00"), D("1470.00"), D("4270.00"))
    ex = services.fee_compute(
        monthly_cost=D("7000"), resident_income=D("1800"),
        relatives=[RelativeIn("Anna", "corka", 1, D("4500"), exemption_basis="art_64")], on=ON,
    ).fees  # fmt: skip
    assert ex.relatives_total == 0 and ex.city == D("5740.00")


@pytest.fixture
def now(travel: Any) -> Any:
    return travel("2026-03-02")


@pytest.fixture
def dps_stay(staff: Any, now: Any) -> Any:
    f = make_facility(places=2, cost="7000.00", on=date(2025, 1, 1))
    p = make_ready_application(received_on=date(2026, 1, 5)).applicant  # a case: fee decisions
    r = placed_referral(person=p, actor=staff.worker, now=now, on=date(2026, 1, 16))
    return services.stay_admit(
        person=p, facility=f, on=date(2026, 1, 16), actor=staff.worker, now=now, referral=r
    )


def test_monthly_charges_per_payer_once(staff: Any, now: Any, dps_stay: Any) -> None:
    fee = services.fee_set(
        stay=dps_stay, valid_from=date(2026, 1, 16), resident_income=D("1800"),
        relatives=[RelativeIn("Anna Nowak", "corka", 1, D("4500"))],
        actor=staff.clerk, now=now,
    )  # fmt: skip
    assert (fee.resident_amount, fee.city_amount) == (D("1260.00"), D("4270.00"))
    assert fee.trace and fee.inputs["cost_act"].startswith("Zarządzenie")
    # January: 16 of 31 days (admitted on the 16th).
    run = services.charges_build(month=date(2026, 1, 1), now=now)
    jan = {c.payer_kind: c.amount for c in Charge.objects.filter(month=date(2026, 1, 1))}
    assert jan["mieszkaniec"] == D("650.32")  # 1 260 × 16/31
    assert sum(jan.values()) == D("3612.90")  # 7 000 × 16/31
    again = services.charges_build(month=date(2026, 1, 1), now=now)
    assert (run.created, again.created, again.skipped) == (3, 0, 3)
    services.charges_build(month=date(2026, 2, 1), now=now)
    feb = Charge.objects.filter(month=date(2026, 2, 1))
    assert {c.payer_kind: c.amount for c in feb} == {
        "mieszkaniec": D("1260.00"), "krewny": D("1470.00"), "gmina": D("4270.00"),
    }  # fmt: skip
    # What the resident and the relative owe is income (§ 0830); the city's top-up an expense.
    assert {c.payer_kind: c.budget for c in feb} == {
        "mieszkaniec": "852 85202 §0830", "krewny": "852 85202 §0830", "gmina": "852 85202 §4330",
    }  # fmt: skip


def test_payment_cannot_exceed_the_charge(staff: Any, now: Any, dps_stay: Any) -> None:
    services.fee_set(stay=dps_stay, valid_from=date(2026, 1, 16), resident_income=D("1800"),
                     relatives=[], actor=staff.clerk, now=now)  # fmt: skip
    services.charges_build(month=date(2026, 2, 1), now=now)
    c = Charge.objects.get(month=date(2026, 2, 1), payer_kind="mieszkaniec")
    services.charge_pay(charge=c, amount=D("1000"))
    with pytest.raises(ValidationFailed):
        services.charge_pay(charge=c, amount=D("300"))


def test_new_average_cost_is_a_new_arrangement(
    staff: Any, now: Any, dps_stay: Any, travel: Any
) -> None:
    """Art. 60 ust. 2: the new cost applies from the month after publication; the old period
    ends there (half-open)."""
    f = dps_stay.facility
    services.cost_set(facility=f, amount=D("7400"), valid_from=date(2026, 4, 1),
                      act_reference="Zarządzenie nr 100/2026, Dz. Urz. Woj. Święt. 2026 poz. 1")  # fmt: skip
    old = AverageCost.objects.get(facility=f, valid_from=date(2025, 1, 1))
    assert old.valid_to == date(2026, 4, 1)
    assert services.cost_on(facility=f, on=date(2026, 3, 31)).amount == D("7000.00")
    assert services.cost_on(facility=f, on=date(2026, 4, 1)).amount == D("7400.00")
    services.fee_set(stay=dps_stay, valid_from=date(2026, 1, 16), resident_income=D("1800"),
                     relatives=[], actor=staff.clerk, now=now)  # fmt: skip
    new = services.fee_set(stay=dps_stay, valid_from=date(2026, 4, 1), resident_income=D("1800"),
                           relatives=[], actor=staff.clerk, now=now)  # fmt: skip
    assert new.city_amount == D("6140.00")
    # The resident's fee is the same (70 % of the same income): the city's top-up follows the
    # new cost at once, no changing decision is needed.
    run = services.charges_build(month=date(2026, 4, 1), now=travel("2026-04-02"))
    assert (run.created, run.waiting) == (2, 0)
    assert Charge.objects.get(month=date(2026, 4, 1), payer_kind="gmina").amount == D("6140.00")
    with pytest.raises(ValidationFailed):
        services.cost_set(facility=f, amount=D("7000"), valid_from=date(2026, 1, 1),
                          act_reference="x")  # fmt: skip

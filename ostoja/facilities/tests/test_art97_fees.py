"""Art. 97 ust. 1, 1a and 5 u.p.s. fees for a shelter stay through the facilities context:
the law core's band on the place's monthly cost, flagged while the Kielce table is unknown,
and the monthly charge of the resident (once per month)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.core.errors import ValidationFailed
from ostoja.facilities import services
from ostoja.facilities.models import Charge
from ostoja.facilities.tests.factories import make_facility, make_person

pytestmark = pytest.mark.django_db


def test_shelter_fee_art_97_and_its_monthly_charge(staff: Any, travel: Any) -> None:
    now = travel("2026-03-02")
    f = make_facility(kind="schronisko", subtypes=[], places=1, cost="1200.00",
                      on=date(2026, 1, 1))  # fmt: skip
    stay = services.stay_admit(person=make_person(), facility=f, on=date(2026, 2, 1),
                               actor=staff.worker, now=now, legal_basis="decyzja (test)",
                               programme="IPWzB nr 1/2026")  # fmt: skip
    fee = services.fee_set_art97(stay=stay, valid_from=date(2026, 3, 1),
                                 household_income=Decimal("1500.00"), household_size=1,
                                 actor=staff.worker, now=now)  # fmt: skip
    assert fee.resident_amount == Decimal("240.00")
    assert fee.inputs["confirmed"] is False
    assert any("art. 97" in s["basis"] for s in fee.trace)
    run = services.charges_build(month=date(2026, 3, 1), now=now)
    again = services.charges_build(month=date(2026, 3, 1), now=now)
    charges = Charge.objects.filter(stay=stay)
    assert [(c.payer_kind, c.amount) for c in charges] == [("mieszkaniec", Decimal("240.00"))]
    assert run.created >= 1 and again.created == 0


def test_art_97_fee_needs_the_monthly_cost_of_the_place(staff: Any, travel: Any) -> None:
    now = travel("2026-03-02")
    f = make_facility(kind="mieszkanie_wspomagane", subtypes=[], places=1, on=date(2026, 1, 1))
    stay = services.stay_admit(person=make_person(), facility=f, on=date(2026, 2, 1),
                               actor=staff.worker, now=now, legal_basis="decyzja (test)")  # fmt: skip
    with pytest.raises(ValidationFailed) as e:  # no monthly cost of the place recorded
        services.fee_set_art97(stay=stay, valid_from=date(2026, 3, 1),
                               household_income=Decimal("900.00"), household_size=1,
                               actor=staff.worker, now=now)  # fmt: skip
    assert e.value.field == "valid_from"

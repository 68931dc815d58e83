"""Care test data: a provider with a contract and a carer, a case, an order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ostoja.care import services as svc
from ostoja.care.models import CareOrder, ProviderContract
from ostoja.registry.models import Person
from ostoja.socialwork.tests.factories import make_case


def person_of(case: Any) -> Person:
    return case.household.memberships.first().person


def provider_with_contract(
    actor: Any, *, kind: str = "uo", rate: str = "32.50"
) -> ProviderContract:
    p = svc.provider_create(name=f"Opieka Domowa {kind}", kind="ngo", actor=actor)
    c = svc.contract_add(
        provider=p,
        number=f"UM/{kind}/2026",
        service_kind=kind,
        hourly_rate=Decimal(rate),
        valid_from=date(2025, 1, 1),
        valid_to=None,
        actor=actor,
    )
    svc.carer_add(provider=p, first_name="Anna", last_name="Opiekuńcza", actor=actor)
    return c


def order_for(
    actor: Any,
    *,
    on: date,
    case: Any = None,
    contract: ProviderContract | None = None,
    income: str = "1300.00",
    paper_enforceable_from: date | None = None,
    decision_number: str = "DPS.8310.1.2026",
) -> CareOrder:
    """An order behind a paper decision (number only), final on the first day of its period
    unless ``paper_enforceable_from`` says otherwise; with ``decision_number=""`` an order
    waiting for its decision drafted in Ostoja."""
    case = case or make_case(worker=actor)
    contract = contract or provider_with_contract(actor)
    return svc.care_order_create(
        case=case,
        person=person_of(case),
        decision_number=decision_number,
        service_kind="uo",
        scope=["zakupy", "sprzatanie"],
        hours_per_day=Decimal("2"),
        days_per_week=5,
        hours_per_month=Decimal("40"),
        period_from=on.replace(day=1),
        period_until=date(on.year + 1, 12, 31),
        place="Kielce, ul. Próbna 1",
        living_alone=True,
        contract=contract,
        income=Decimal(income),
        single=True,
        actor=actor,
        on=on,
        paper_enforceable_from=paper_enforceable_from
        or (on.replace(day=1) if decision_number else None),
    )

"""Help in kind and services recorded as events, with or without a decision (art. 106)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from ostoja.care.models import (
    ServiceEvent,
)
from ostoja.care.policy import (
    EVENT_BASIS,
    EVENT_BUDGET_LINE,
    EmergencyBasis,
    EventKind,
    FuneralRecovery,
    decision_required,
)
from ostoja.care.services._common import (
    ZERO,
    _columns,
    _fail,
    _member_of,
    _need,
    _timeline,
)
from ostoja.cases.models import Case
from ostoja.core.dates import shift_months
from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.law.benefits.posilek_program import meal_threshold
from ostoja.law.money import pln
from ostoja.law.store import default_store

# ------------------------------------------------------------------ service events


@transaction.atomic
def service_event_record(
    *,
    kind: str,
    person: Any,
    unit: Any,
    occurred_on: date,
    actor: Any,
    on: date,
    case: Case | None = None,
    decision_number: str = "",
    emergency_basis: str = "",
    quantity: int = 1,
    amount: Decimal | None = None,
    details: dict[str, Any] | None = None,
    stay_until: date | None = None,
    recovery_route: str = "",
    income: Decimal | None = None,
    single: bool = True,
) -> ServiceEvent:
    """Record help in kind or a service for a person, by a worker, on a date — with a decision
    where the Act requires one (art. 106 ust. 1), without one where it does not (art. 106 ust. 2;
    art. 48b ust. 5 for emergency meals and clothing)."""
    _need(actor, "care.manage", case)
    errors: dict[str, list[str]] = {}
    if kind not in EventKind.values:
        raise _fail("kind", "Wybierz rodzaj pomocy.")
    if emergency_basis not in EmergencyBasis.values:
        errors["emergency_basis"] = ["Wybierz podstawę pomocy bez decyzji z listy."]
    if occurred_on > on:
        errors["occurred_on"] = ["Data zdarzenia nie może być z przyszłości."]
    if quantity < 1:
        errors["quantity"] = ["Liczba musi być co najmniej 1."]
    if amount is not None and amount < 0:
        errors["amount"] = ["Koszt nie może być ujemny."]
    needs = decision_required(kind, emergency_basis)
    if needs and not decision_number.strip():
        errors["decision_number"] = [
            "Ta pomoc wymaga decyzji administracyjnej (art. 106 ust. 1 u.p.s.) — podaj jej numer "
            "albo podstawę pomocy doraźnej."
        ]
    if not needs and decision_number.strip() and kind != EventKind.CREDIT_TICKET:
        errors["decision_number"] = [
            "Ta pomoc jest udzielana bez decyzji (art. 106 ust. 2 u.p.s.) — nie podawaj numeru."
        ]
    details = dict(details or {})
    if kind == EventKind.FUNERAL:
        if amount is None or amount <= 0:
            errors["amount"] = ["Podaj koszt pogrzebu."]
        if not str(details.get("deceased", "")).strip():
            errors["details"] = ["Podaj zmarłego (imię, nazwisko, data zgonu)."]
        if recovery_route not in FuneralRecovery.values:
            errors["recovery_route"] = ["Wybierz drogę zwrotu kosztów."]
    elif recovery_route:
        errors["recovery_route"] = ["Zwrot kosztów dotyczy tylko sprawienia pogrzebu."]
    if kind == EventKind.MEAL and needs and income is not None:
        limit = meal_threshold(on=occurred_on, single=single)
        if income > limit.threshold:
            errors["income"] = [
                f"Dochód {pln(income)} przekracza {limit.text} — posiłek w programie nie "
                f"przysługuje nieodpłatnie ({limit.source})."
            ]
        details["prog_dochodowy"] = limit.text
    if kind == EventKind.CREDIT_TICKET and not str(details.get("route", "")).strip():
        errors["details"] = ["Podaj trasę przejazdu biletu kredytowanego."]
    if kind == EventKind.CRISIS and stay_until is not None:
        rule = default_store().get("interwencja_kryzysowa_schronienie", occurred_on)
        stay_limit = shift_months(occurred_on, rule["max_months"])
        if stay_until < occurred_on:
            errors["stay_until"] = ["Koniec pobytu nie może poprzedzać jego początku."]
        elif stay_until > stay_limit:
            errors["stay_until"] = [
                f"Pobyt w ośrodku interwencji kryzysowej — najwyżej {rule['max_months']} "
                f"miesiące, tj. do {stay_limit:%d.%m.%Y} ({rule.source})."
            ]
    elif stay_until is not None:
        errors["stay_until"] = ["Okres pobytu dotyczy interwencji kryzysowej."]
    _columns(
        errors,
        ServiceEvent,
        decision_number=decision_number,
        emergency_basis=emergency_basis,
        amount=amount,
        recovery_route=recovery_route,
    )
    if errors:
        raise ValidationFailed(errors)
    _member_of(case, person)
    event = ServiceEvent.objects.create(
        kind=kind,
        person=person,
        case=case,
        unit=unit,
        worker=actor,
        occurred_on=occurred_on,
        with_decision=bool(decision_number.strip()),
        decision_number=decision_number.strip(),
        emergency_basis=emergency_basis,
        basis=EVENT_BASIS[EventKind(kind)],
        quantity=quantity,
        amount=amount,
        budget_line=EVENT_BUDGET_LINE[EventKind(kind)],
        details=details,
        stay_until=stay_until,
        recovery_route=recovery_route,
    )
    _timeline(
        case,
        event.get_kind_display(),
        ("z decyzją " + event.decision_number) if event.with_decision else "bez decyzji",
        occurred_on,
        actor,
        f"event-{event.pk}",
    )
    return event


@transaction.atomic
def funeral_recovery_record(*, event: ServiceEvent, amount: Decimal, actor: Any) -> ServiceEvent:
    """Costs of a funeral recovered (art. 96 ust. 3): never more than the cost."""
    _need(actor, "care.manage", event.case)
    if event.kind != EventKind.FUNERAL:
        raise DomainError("Zwrot kosztów dotyczy tylko sprawienia pogrzebu.")
    if amount is None or amount <= 0:
        raise _fail("amount", "Kwota zwrotu musi być większa od zera.")
    event = ServiceEvent.objects.select_for_update().get(pk=event.pk)
    if event.recovered_amount + amount > (event.amount or ZERO):
        raise _fail("amount", "Zwrot przekroczyłby koszt pogrzebu.")
    event.recovered_amount += amount
    event.save(update_fields=["recovered_amount"])
    return event

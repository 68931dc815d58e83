"""Receivables (należności): undue benefits registered, repaid in instalments, written off."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum

from ostoja.core.errors import ConflictError, DomainError, ValidationFailed
from ostoja.law.periods import add_months

from ..models import (
    Instalment,
    Overpayment,
    OverpaymentStatus,
    Receivable,
    ReceivableCorrection,
    Repayment,
    WriteOff,
)
from ..selectors import recovery_decision_for_receivable
from ._common import _ZERO, _need


# ---------------------------------------------------------------------------- receivables
def receivable_register(
    *,
    person_id: int,
    case_id: int | None,
    debtor_name: str,
    decision_number: str,
    decided_on: date,
    due_date: date,
    principal: Decimal,
    reason: str,
    instalments: int = 1,
    instalment_decision: str = "",
    overpayment_ids: Iterable[int] = (),
    decision_id: int | None = None,
    budget: str = "",
    budget_basis: str = "",
    actor: Any,
) -> Receivable:
    """Register a receivable from a final recovery decision (art. 104 ust. 1), optionally in
    monthly instalments (art. 104 ust. 4); ``budget`` is its budget classification with its
    source in ``budget_basis``."""
    _need(actor, "payments.manage_receivables")
    errors: dict[str, list[str]] = {}
    if principal is None or principal <= 0:
        errors["principal"] = ["Kwota należności musi być większa od zera."]
    if not decision_number.strip():
        errors["decision_number"] = ["Podaj numer decyzji o zwrocie."]
    if instalments < 1 or instalments > 120:
        errors["instalments"] = ["Liczba rat: od 1 do 120."]
    if due_date < decided_on:
        errors["due_date"] = ["Termin zwrotu nie może poprzedzać daty decyzji."]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        rec = Receivable.objects.create(
            person_id=person_id,
            case_id=case_id,
            debtor_name=debtor_name[:200],
            decision_number=decision_number.strip(),
            decided_on=decided_on,
            due_date=due_date,
            principal=principal,
            reason=reason[:400],
            decision_id=decision_id,
            budget=budget.strip()[:60],
            budget_basis=budget_basis.strip(),
            created_by=actor,
        )
        base = (principal / instalments).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        rows = []
        for i in range(instalments):
            amount = base if i < instalments - 1 else principal - base * (instalments - 1)
            rows.append(
                Instalment(
                    receivable=rec,
                    number=i + 1,
                    due_date=add_months(due_date, i),
                    amount=amount,
                    decision_number=instalment_decision if instalments > 1 else "",
                )
            )
        Instalment.objects.bulk_create(rows)
        ids = list(overpayment_ids)
        if ids:
            Overpayment.objects.filter(
                id__in=ids, person_id=person_id, receivable__isnull=True
            ).update(receivable=rec, status=OverpaymentStatus.RECEIVABLE)
    return rec


def _already_registered(number: str) -> ConflictError:
    return ConflictError(
        f"Należność z decyzji {number} jest już zarejestrowana — nie utworzono drugiej."
    )


def receivable_register_from_decision(*, decision_id: int, actor: Any) -> Receivable:
    """Register the receivable of a signed recovery decision (art. 98 ust. 1, art. 104 ust. 1
    u.p.s.): debtor = the decision's addressee, principal = its amount to recover, due date = its
    termin zwrotu. Once per decision — a second attempt is refused (ConflictError) and the unique
    constraint on ``Receivable.decision_id`` guards against a concurrent one. Overpayments whose
    recovery draft became this decision are attached to the receivable."""
    _need(actor, "payments.manage_receivables")
    d = recovery_decision_for_receivable(decision_id=decision_id)
    if d is None:
        raise DomainError(
            "To nie jest podpisana decyzja o zwrocie nienależnie pobranego świadczenia "
            "z kwotą do zwrotu — należności nie zarejestrowano."
        )
    existing = Receivable.objects.filter(decision_id=decision_id).first()
    if existing is not None:
        raise _already_registered(existing.decision_number)
    decided_on = d.issued_on or d.final_on
    if decided_on is None:
        raise DomainError(
            f"Decyzja {d.number} nie ma daty wydania — należności nie zarejestrowano."
        )
    reason = "Zwrot nienależnie pobranego świadczenia (art. 98 ust. 1, art. 104 ust. 1 u.p.s.)"
    if d.reason.strip():
        reason = f"{reason} — {d.reason.strip()}"
    overpayment_ids = list(
        Overpayment.objects.filter(
            recovery_draft=str(decision_id), person_id=d.person_id, receivable__isnull=True
        ).values_list("pk", flat=True)
    )
    try:
        with transaction.atomic():
            return receivable_register(
                person_id=d.person_id,
                case_id=d.case_id,
                debtor_name=d.debtor_name,
                decision_number=d.number,
                decided_on=decided_on,
                # No termin zwrotu in the decision: due once it is final (art. 104 ust. 1).
                due_date=max(d.due_date or d.final_on or decided_on, decided_on),
                principal=d.amount,
                reason=reason,
                overpayment_ids=overpayment_ids,
                decision_id=decision_id,
                actor=actor,
            )
    except IntegrityError:
        if Receivable.objects.filter(decision_id=decision_id).exists():
            raise _already_registered(d.number) from None
        raise


def receivable_balance(rec: Receivable) -> Decimal:
    repaid = rec.repayments.aggregate(s=Sum("amount"))["s"] or _ZERO
    written = rec.write_offs.aggregate(s=Sum("amount"))["s"] or _ZERO
    corrected = rec.corrections.aggregate(s=Sum("amount"))["s"] or _ZERO
    return rec.principal + corrected - repaid - written


def receivable_correct(
    *, receivable_id: int, amount: Decimal, basis: str, corrected_on: date, actor: Any
) -> tuple[ReceivableCorrection | None, Decimal]:
    """Change what a receivable is owed by a correcting document (``amount`` signed: negative
    lowers). Called by the context whose document it is (care: a correcting bill, under its
    own billing right). What was already repaid beyond the corrected amount cannot be owed back
    by the debtor: the correction stops at a zero balance and the rest is returned as the refund
    due to the debtor. ``(correction or None, refund due)``."""
    if amount == 0:
        return None, _ZERO
    with transaction.atomic():
        rec = Receivable.objects.select_for_update().get(pk=receivable_id)
        balance = receivable_balance(rec)
        applied = max(amount, -balance)
        refund = applied - amount  # > 0 only when lowered below what is already settled
        row = None
        if applied != 0:
            row = ReceivableCorrection.objects.create(
                receivable=rec,
                amount=applied,
                basis=basis.strip()[:200],
                corrected_on=corrected_on,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        return row, refund


def receivable_repay(
    *, receivable_id: int, paid_on: date, amount: Decimal, reference: str, actor: Any
) -> Repayment:
    _need(actor, "payments.manage_receivables")
    with transaction.atomic():
        rec = Receivable.objects.select_for_update().get(pk=receivable_id)
        if amount is None or amount <= 0:
            raise ValidationFailed({"amount": ["Kwota wpłaty musi być większa od zera."]})
        if amount > receivable_balance(rec):
            raise ValidationFailed({"amount": ["Wpłata przekracza saldo należności."]})
        return Repayment.objects.create(
            receivable=rec,
            paid_on=paid_on,
            amount=amount,
            reference=reference[:120],
            created_by=actor,
        )


def receivable_write_off(
    *, receivable_id: int, decision_number: str, decided_on: date, amount: Decimal, actor: Any
) -> WriteOff:
    """Umorzenie — only on the basis of a decision (art. 104 ust. 4 u.p.s.)."""
    _need(actor, "payments.manage_receivables")
    with transaction.atomic():
        rec = Receivable.objects.select_for_update().get(pk=receivable_id)
        errors: dict[str, list[str]] = {}
        if not decision_number.strip():
            errors["decision_number"] = ["Umorzenie wymaga decyzji — podaj jej numer."]
        if amount is None or amount <= 0:
            errors["amount"] = ["Kwota musi być większa od zera."]
        elif amount > receivable_balance(rec):
            errors["amount"] = ["Kwota umorzenia przekracza saldo należności."]
        if errors:
            raise ValidationFailed(errors)
        return WriteOff.objects.create(
            receivable=rec,
            decision_number=decision_number.strip(),
            decided_on=decided_on,
            amount=amount,
            created_by=actor,
        )


def receivable_register_facility_charge(
    *,
    person_id: int,
    case_id: int | None,
    debtor_name: str,
    basis: str,
    decided_on: date,
    due_date: date,
    principal: Decimal,
    reason: str,
    budget: str,
    budget_basis: str = "",
    actor: Any,
) -> Receivable:
    """Register a facility's unpaid monthly charge (odpłatność za pobyt w DPS, art. 60–61
    u.p.s., or in a shelter / supported flat, art. 97) as a receivable — paid in and written
    off like every other one. The budget classification (dział, rozdział, § of income) and its
    source are stored in the receivable's own fields. Called by the facilities context, which
    keeps the link and lets a charge become a receivable only once."""
    _need(actor, "payments.manage_receivables")
    if not budget.strip():
        raise ValidationFailed({"budget": ["Podaj klasyfikację budżetową należności."]})
    return receivable_register(
        person_id=person_id,
        case_id=case_id,
        debtor_name=debtor_name,
        decision_number=basis[:80],
        decided_on=decided_on,
        due_date=max(due_date, decided_on),
        principal=principal,
        reason=reason.strip(),
        budget=budget,
        budget_basis=budget_basis,
        actor=actor,
    )

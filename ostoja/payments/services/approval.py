"""Approving a payment list (zatwierdzenie listy wypłat) under the four-eyes rule."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from ostoja.core.errors import ConflictError, DomainError, ValidationFailed
from ostoja.decisions.lines import PaymentMethod

from ..formats.accounts import AccountError, validate_nrb
from ..models import (
    EntryOutcome,
    ListStatus,
    Payment,
    PaymentList,
    PaymentRun,
    PaymentStatus,
    StatementEntry,
)
from ..selectors import shared_accounts
from ._common import _ZERO, _need


# --------------------------------------------------------------------------- approve / export
def list_makers(pl: PaymentList) -> set[int]:
    """Everyone who built or changed ``pl``: whoever ran the month that put payments on it,
    re-issued a payment into it, or imported a statement that changed one of its payments
    (marked it paid or returned) or returned the payment that a re-issue on it replaces."""
    on_list = Payment.objects.filter(list=pl)
    makers = set(
        PaymentRun.objects.filter(payments__list=pl, actor__isnull=False)
        .values_list("actor_id", flat=True)
        .distinct()
    )
    makers |= set(
        on_list.filter(reissued_by__isnull=False).values_list("reissued_by_id", flat=True)
    )
    changed = Q(payment__list=pl) | Q(payment__reissues__list=pl)
    makers |= set(
        StatementEntry.objects.filter(changed)
        .filter(
            outcome__in=[EntryOutcome.PAID, EntryOutcome.RETURNED],
            statement__created_by__isnull=False,
        )
        .values_list("statement__created_by_id", flat=True)
        .distinct()
    )
    return makers


def _four_eyes(pl: PaymentList, actor: Any, *, doing: str = "zatwierdzić") -> None:
    """Four-eyes rule: whoever built or changed this list (``list_makers``) may not approve it
    or export its bank file (segregation of duties in the centre's financial control
    procedures; issue 20, finding 6)."""
    if getattr(actor, "pk", None) in list_makers(pl):
        raise ValidationFailed(
            {
                "__all__": [
                    f"Listę musi {doing} inna osoba niż ta, która ją sporządziła lub zmieniła "
                    "(uruchomienie miesiąca, ponowienie wypłaty, import wyciągu) — zasada dwóch "
                    "par oczu."
                ]
            }
        )


SHARED_ACCOUNT_REASON_MIN = 20


def _shared_account_confirmed(pl: PaymentList, reason: str) -> str:
    """The approver's reason when different recipients share an account ("" when none do)."""
    shared = shared_accounts(pl)
    if not shared:
        return ""
    reason = reason.strip()
    if len(reason) >= SHARED_ACCOUNT_REASON_MIN:
        return reason
    which = "; ".join(
        f"rachunek …{s.account_number[-4:]}: {', '.join(s.recipients)}" for s in shared
    )
    raise ValidationFailed(
        {
            "shared_account_reason": [
                f"Różni odbiorcy mają na tej liście wspólny rachunek bankowy ({which}). "
                "Sprawdź, czy to nie pomyłka, i zatwierdź listę, podając uzasadnienie "
                f"(co najmniej {SHARED_ACCOUNT_REASON_MIN} znaków), np. rachunek opiekuna "
                "prawnego obu osób."
            ]
        }
    )


def payment_list_approve(
    *,
    list_id: int,
    actor: Any,
    execution_date: date,
    expected_version: int,
    now: datetime,
    shared_account_reason: str = "",
) -> PaymentList:
    """Finance approves a draft list: totals frozen, payments locked (ledger discipline).

    When different recipients share one bank account the approver must confirm it with a
    reason (kept on the list and in its audit trail), or the list is not approved.
    """
    _need(actor, "payments.approve_list")
    with transaction.atomic():
        pl = PaymentList.objects.select_for_update().get(pk=list_id)
        if pl.version != expected_version:
            raise ConflictError()
        if pl.status != ListStatus.DRAFT:
            raise DomainError("Lista jest już zatwierdzona.")
        payments = list(pl.payments.exclude(status=PaymentStatus.CANCELLED).order_by("id"))
        if not payments:
            raise ValidationFailed({"__all__": ["Lista nie zawiera żadnej płatności."]})
        _four_eyes(pl, actor)
        waiting = [p.reference for p in payments if p.awaits_account_confirmation]
        if waiting:
            raise ValidationFailed(
                {
                    "__all__": [
                        "Ponowienie na zmieniony rachunek musi potwierdzić druga osoba przed "
                        "zatwierdzeniem listy: " + ", ".join(waiting) + "."
                    ]
                }
            )
        pl.shared_account_reason = _shared_account_confirmed(pl, shared_account_reason)
        if pl.method == PaymentMethod.TRANSFER:
            bad = []
            for p in payments:
                try:
                    validate_nrb(p.account_number)
                except AccountError as exc:
                    bad.append(f"{p.reference} ({p.recipient_name}): {exc}")
            if bad:
                raise ValidationFailed({"__all__": bad})
        pl.payment_count = len(payments)
        pl.total = sum((p.amount for p in payments), _ZERO)
        pl.execution_date = execution_date
        pl.status = ListStatus.APPROVED
        pl.approved_by = actor
        pl.approved_at = now.replace(microsecond=0)
        pl.version += 1
        pl.save()
        pl.payments.exclude(status=PaymentStatus.CANCELLED).update(
            status=PaymentStatus.APPROVED, locked=True
        )
        # Cancelled rows stay on the list for the record but are locked as well.
        pl.payments.filter(status=PaymentStatus.CANCELLED).update(locked=True)
    return pl

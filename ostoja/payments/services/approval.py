"""Approving a payment list (zatwierdzenie listy wypłat) under the four-eyes rule."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from ostoja.core.dates import local_date
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
from . import restricted as art18
from ._common import _ZERO, _need
from .reissue import stale_reissues


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


def _refuse_stale_reissues(payments: list[Payment], *, on: date) -> None:
    """Refuse the approval while a re-issue on the list is no longer what its decision makes
    due; nothing changes (the returned original stays ``zwrócona``: the money stays the
    centre's). The payment run of the month cuts or cancels it (``reissues_reconcile``)."""
    stale = stale_reissues(payments, on=on)
    if not stale:
        return
    raise ValidationFailed(
        {
            "__all__": [
                f"Ponowienie {s.payment.reference} ({s.payment.recipient_name}) wstrzymane: "
                f"{s.reason}. Uruchom naliczenie miesiąca — skoryguje albo anuluje to "
                "ponowienie; zwrócona kwota pozostaje na rachunku ośrodka."
                for s in stale
            ]
        }
    )


def _shared_account_confirmed(pl: PaymentList, reason: str, *, held: list[Payment]) -> str:
    """The approver's reason when different recipients share an account ("" when none do).

    Only the payments that stay on the list count: those ``held`` back for art. 18 RODO leave
    it (issue 21) — they neither make a shared account nor are named in the warning."""
    shared = shared_accounts(pl, leaving_out=[p.pk for p in held])
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
        # Issue 21: a re-issue goes out only as its decision line stands now — not when the
        # right ended or the decision fell since it was made (art. 106 ust. 5 u.p.s.).
        _refuse_stale_reissues(payments, on=local_date(now))
        # Art. 18 RODO: a person restricted since the run is not paid — their payments leave
        # the list before its totals are frozen (moved to the supplement draft list).
        held = art18.restricted_of(payments, now=now)
        if held:
            payments = [p for p in payments if p not in held]
            if not payments:
                raise ValidationFailed(
                    {
                        "__all__": [
                            "Wszystkie płatności tej listy dotyczą osób, których przetwarzanie "
                            "danych jest ograniczone — ograniczenie przetwarzania (art. 18 "
                            "RODO). Listę można zatwierdzić po zniesieniu ograniczenia."
                        ]
                    }
                )
        pl.shared_account_reason = _shared_account_confirmed(pl, shared_account_reason, held=held)
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
        pl.restricted = [art18.entry(p, stage="zatwierdzenie") for p in held]
        pl.save()
        if held:
            # The supplement exists only once this list is approved (``_draft_list``).
            target = art18.move_to_supplement(pl, held)
            art18.audit(pl, pl.restricted, actor=actor, stage="zatwierdzenie", moved_to=target)
        pl.payments.exclude(status=PaymentStatus.CANCELLED).update(
            status=PaymentStatus.APPROVED, locked=True
        )
        # Cancelled rows stay on the list for the record but are locked as well.
        pl.payments.filter(status=PaymentStatus.CANCELLED).update(locked=True)
    return pl

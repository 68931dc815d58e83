"""Returned transfers (zwrot przelewu): reissuing a payment and confirming it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.decisions.lines import PaymentMethod
from ostoja.law.periods import YearMonth
from ostoja.payments.selectors import payments_visible

from ..formats.accounts import AccountError, validate_nrb
from ..models import (
    EntryOutcome,
    ListStatus,
    Payment,
    PaymentStatus,
    StatementEntry,
)
from ._common import _draft_list, _need, _refresh_totals


# ------------------------------------------------------------------------------- returns
def payment_reissue(
    *, payment_id: int, method: str, account_number: str, actor: Any, note: str = ""
) -> Payment:
    """Re-issue a returned payment as a new payment (new account, or cash / post), kept on a
    draft list for finance to approve. The returned payment stays as it was."""
    _need(actor, "payments.reissue_payment")
    if method not in (PaymentMethod.TRANSFER, PaymentMethod.CASH, PaymentMethod.POST):
        raise ValidationFailed({"method": ["Wybierz przelew, kasę albo przekaz pocztowy."]})
    account = ""
    if method == PaymentMethod.TRANSFER:
        try:
            account = validate_nrb(account_number)
        except AccountError as exc:
            raise ValidationFailed({"account_number": [str(exc)]}) from None
    with transaction.atomic():
        orig = Payment.objects.select_for_update().get(pk=payment_id)
        if actor is not None and not payments_visible(user=actor).filter(pk=orig.pk).exists():
            raise NotPermitted("Ta płatność dotyczy sprawy spoza zakresu uprawnień tego konta.")
        if orig.status != PaymentStatus.RETURNED:
            raise DomainError("Ponownie wypłacić można tylko płatność zwróconą przez bank.")
        if Payment.objects.filter(reissue_of=orig).exists():
            raise DomainError("Ta płatność została już ponownie zlecona.")
        n = 1
        root = orig
        while root.reissue_of_id:
            n += 1
            root = root.reissue_of
        pl = _draft_list(YearMonth.of(orig.period_start), method, orig.budget_key)
        new = Payment.objects.create(
            list=pl,
            reference=f"{root.reference}-P{n}",
            line_id=orig.line_id,
            decision_id=orig.decision_id,
            decision_number=orig.decision_number,
            case_id=orig.case_id,
            person_id=orig.person_id,
            recipient_name=orig.recipient_name,
            recipient_address=orig.recipient_address,
            benefit=orig.benefit,
            method=method,
            account_number=account,
            period_start=orig.period_start,
            period_end=orig.period_end,
            days_covered=orig.days_covered,
            days_in_month=orig.days_in_month,
            monthly_amount=orig.monthly_amount,
            amount=orig.amount,
            due_date=orig.due_date,
            health_due=False,
            section=orig.section,
            chapter=orig.chapter,
            paragraph=orig.paragraph,
            task_type=orig.task_type,
            funding=orig.funding,
            reissue_of=orig,
            reissued_by=actor if getattr(actor, "is_authenticated", False) else None,
            note=(note or f"Ponowienie zwróconej płatności {orig.reference}")[:300],
        )
        _refresh_totals([pl.id])
    return new


def payment_reissue_confirm(*, payment_id: int, actor: Any, now: datetime) -> Payment:
    """A second person confirms a re-issue to a changed account (issue 20, finding 6): not
    the one who re-issued it, nor the one whose statement import returned the original."""
    _need(actor, "payments.reissue_payment")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if not payments_visible(user=actor).filter(pk=payment.pk).exists():
            raise NotPermitted("Ta płatność dotyczy sprawy spoza zakresu uprawnień tego konta.")
        if not payment.account_changed:
            raise DomainError("Ta płatność nie jest ponowieniem na zmieniony rachunek.")
        if payment.account_confirmed_by_id is not None:
            raise DomainError("Zmianę rachunku już potwierdzono.")
        if payment.list.status != ListStatus.DRAFT:
            raise DomainError("Lista z tą płatnością jest już zatwierdzona.")
        involved = {payment.reissued_by_id} | set(
            StatementEntry.objects.filter(
                payment_id=payment.reissue_of_id,
                outcome=EntryOutcome.RETURNED,
                statement__created_by__isnull=False,
            ).values_list("statement__created_by_id", flat=True)
        )
        if actor.pk in involved:
            raise NotPermitted(
                "Zmianę rachunku potwierdza inna osoba niż ta, która zleciła ponowienie lub "
                "zaimportowała wyciąg ze zwrotem (zasada dwóch par oczu)."
            )
        payment.account_confirmed_by = actor
        payment.account_confirmed_at = now
        payment.save(update_fields=["account_confirmed_by", "account_confirmed_at"])
    return payment

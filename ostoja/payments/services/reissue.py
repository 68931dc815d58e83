"""Returned transfers (zwrot przelewu): reissuing a payment and confirming it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.decisions.lines import PaymentMethod
from ostoja.law.money import pln
from ostoja.law.periods import YearMonth
from ostoja.law.policy import DEFAULT_POLICY, Policy
from ostoja.payments.selectors import payments_visible

from .. import sources
from ..formats.accounts import AccountError, validate_nrb
from ..models import (
    EntryOutcome,
    ListStatus,
    Payment,
    PaymentStatus,
    StatementEntry,
)
from ..schedule import line_end
from ._common import _ZERO, _draft_list, _need, _recalculated, _refresh_totals


# ------------------------------------------------------------------------------- returns
def payment_reissue(
    *, payment_id: int, method: str, account_number: str, actor: Any, on: date, note: str = ""
) -> Payment:
    """Re-issue a returned payment as a new payment (new account, or cash / post), kept on a
    draft list for finance to approve. The returned payment stays as it was.

    The decision is read as it stands ``on`` (issue 21): when its line no longer supports the
    payment's days at all (quashed, revoked from the start, not enforceable — art. 130 KPA),
    the re-issue is refused and the returned money stays the centre's; when the right ended
    within them (art. 106 ust. 5 u.p.s.), the re-issue is made for what is still due — the
    same reading approval and the month's run apply to a re-issue already waiting."""
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
        new = Payment(
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
        for stale in stale_reissues([new], on=on):
            if stale.due <= 0:
                raise DomainError(
                    f"Nie można ponowić płatności {orig.reference}: {stale.reason}. "
                    "Zwrócona kwota pozostaje na rachunku ośrodka."
                )
            new.amount, new.period_end = stale.due, stale.period_end
            new.days_covered = stale.days_covered
            new.note = f"Ponowienie skorygowane: {stale.reason}."[:300]
        new.save(force_insert=True)
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


# ------------------------------------------------------------------ a re-issue and its decision
@dataclass(frozen=True)
class StaleReissue:
    """A re-issue not yet sent whose decision line changed since it was made (issue 21): the
    line was ended early by a later decision (zmiana, uchylenie, wygaszenie — art. 106 ust. 5
    u.p.s.) or is no longer payable for the period at all (quashed, no longer enforceable —
    art. 130 KPA). ``due`` is what the line still makes due for the payment's days."""

    payment: Payment
    due: Decimal
    period_end: date
    days_covered: int
    reason: str


def stale_reissues(
    payments: list[Payment], *, on: date, policy: Policy = DEFAULT_POLICY
) -> list[StaleReissue]:
    """Which of ``payments`` — re-issues of a payment the bank returned; other payments are
    passed over (an art. 18 RODO replacement follows its line through the run's
    ``_apply_changes``) — the decisions no longer support as they are, on ``on``.

    Each is read against its line's present state for its own period through ``on``'s month
    (a line that became enforceable later and was paid as arrears is still found); one query
    per period month, for the few lines concerned."""
    originals = [p.reissue_of_id for p in payments if p.reissue_of_id is not None]
    returned = (
        set(
            Payment.objects.filter(pk__in=originals, status=PaymentStatus.RETURNED).values_list(
                "pk", flat=True
            )
        )
        if originals
        else set()
    )
    by_month: dict[YearMonth, list[Payment]] = defaultdict(list)
    for p in payments:
        if p.reissue_of_id in returned:
            by_month[YearMonth.of(p.period_start)].append(p)
    until = YearMonth.of(on).shift(1).first_day
    out: list[StaleReissue] = []
    for month, items in sorted(by_month.items(), key=lambda kv: kv[0]):
        lines = sources.lines_now(
            line_ids={p.line_id for p in items},
            period_start=month.first_day,
            period_end=max(until, month.shift(1).first_day),
        )
        for p in items:
            ln = lines.get(p.line_id)
            if ln is None:
                out.append(
                    StaleReissue(
                        p,
                        _ZERO,
                        p.period_start,
                        0,
                        f"decyzja {p.decision_number} nie jest już podstawą wypłaty za ten "
                        "okres (uchylona, wygaszona, zmieniona od początku albo niewykonalna — "
                        "art. 106 ust. 5 u.p.s., art. 130 KPA); nic nie jest należne",
                    )
                )
                continue
            re_ = _recalculated(p, ln, policy)
            if re_ is None:
                continue
            end = line_end(ln)
            out.append(
                StaleReissue(
                    p,
                    re_.amount,
                    re_.period_end,
                    re_.days_covered,
                    f"prawo do świadczenia z decyzji {p.decision_number} ustało od "
                    f"{end:%d.%m.%Y} (art. 106 ust. 5 u.p.s.) — należy się "
                    f"{pln(re_.amount)} zamiast {pln(p.amount)}",
                )
            )
    return out


def reissues_reconcile(*, on: date, policy: Policy = DEFAULT_POLICY) -> tuple[int, int]:
    """The payment run's step for re-issues waiting on draft lists: one whose decision line
    ended since is cut to what is still due, or cancelled when nothing is (the returned money
    stays the centre's — its original stays ``zwrócona``, outside the ledger — so nothing is
    paid twice and nothing vanishes). ``(adjusted, cancelled)``. A re-issue already sent is
    reconciled like any sent payment (overpayment, ``run._apply_changes``)."""
    pending = list(
        Payment.objects.filter(
            reissue_of__status=PaymentStatus.RETURNED,
            status=PaymentStatus.SCHEDULED,
            locked=False,
            list__status=ListStatus.DRAFT,
        ).order_by("id")
    )
    adjusted = cancelled = 0
    touched: set[int] = set()
    for s in stale_reissues(pending, on=on, policy=policy):
        p = s.payment
        if p.list_id:
            touched.add(p.list_id)
        if s.due <= 0:
            p.status = PaymentStatus.CANCELLED
            p.note = f"Anulowano ponowienie: {s.reason}."[:300]
            p.save(update_fields=["status", "note"])
            cancelled += 1
        else:
            p.amount, p.period_end, p.days_covered = s.due, s.period_end, s.days_covered
            p.note = f"Skorygowano ponowienie: {s.reason}."[:300]
            p.save(update_fields=["amount", "period_end", "days_covered", "note"])
            adjusted += 1
    _refresh_totals(touched)
    return adjusted, cancelled

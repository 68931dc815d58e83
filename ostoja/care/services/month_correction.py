"""Correction of a billed month's hours — the correcting bill (rachunek korygujący).

A month with a bill issued is never edited (design.md §8: what was issued is frozen). Its
hours are corrected by a second document: one worker with the manage right proposes the
corrected hours with the reason; the settlement is recomputed by the law core at the month's
own hours ordered, price and fee rate; ANOTHER person with the billing right issues the
correcting bill (four eyes: money needs two people, design.md §10) — the differences to the
client's fee and to the provider's due amount are the correction's, and count in the provider's
invoice check. A reported month not yet billed is corrected by reporting it again
(``care_month_report``: the old report kept as a revision)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum

from ostoja.care import selectors
from ostoja.care.models import CareMonth, CareMonthCorrection
from ostoja.care.policy import CorrectionStatus, MonthStatus
from ostoja.care.services._common import (
    BILL_PAYMENT_DAYS,
    _columns,
    _fail,
    _need,
    _timeline,
    bill_addressee,
)
from ostoja.core.concurrency import save_versioned
from ostoja.core.dates import local_date
from ostoja.core.errors import ConflictError, NotPermitted, ValidationFailed
from ostoja.law.benefits.uslugi_rozliczenie import care_month_settlement
from ostoja.law.money import pln

HOURS = "hours_delivered"
STALE = (
    "Miesiąc zmienił się od złożenia propozycji korekty — odrzuć ją i zaproponuj korektę na nowo."
)


def month_paid(month: CareMonth) -> Decimal:
    """What the client has paid for the month and kept: their recorded payments less what was
    refunded to them (a refund paid out is no longer a payment towards the fee)."""
    paid = month.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    refunded = month.refunds.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return paid - refunded


def month_refund_outstanding(
    month: CareMonth, *, exclude: CareMonthCorrection | None = None
) -> Decimal:
    """What is still to be returned to the client for the month: the confirmed correcting
    bills' refunds (signed — a raised fee shrinks them) less the refunds already paid out."""
    confirmed = month.corrections.filter(status=CorrectionStatus.CONFIRMED)
    if exclude is not None:
        confirmed = confirmed.exclude(pk=exclude.pk)
    due = confirmed.aggregate(total=Sum("refund_due"))["total"] or Decimal("0")
    refunded = month.refunds.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return due - refunded


def month_current(month: CareMonth) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """The month's hours delivered, excess, client fee and provider due as they stand now: the
    last correcting bill's values, else the billed report's."""
    last = selectors.month_last_correction(month)
    if last is not None:
        return last.hours_delivered, last.excess_hours, last.client_fee, last.provider_due
    return month.hours_delivered, month.excess_hours, month.client_fee, month.provider_due


@transaction.atomic
def care_month_correction_propose(
    *,
    month: CareMonth,
    hours_delivered: Decimal | None,
    reason: str,
    actor: Any,
    now: datetime,
    expected_version: int,
) -> CareMonthCorrection:
    """Propose corrected hours of a billed month (the first of two people). The fee is
    recomputed as the month's report was — the council resolution's table at the month's own
    fee rate and price (art. 50 ust. 6 u.p.s.; uchwała LVI/1111/2022), hours beyond the
    decision's (art. 50 ust. 4) unpaid; one proposal of a month pending at a time."""
    month = CareMonth.objects.select_for_update().select_related("order__case").get(pk=month.pk)
    _need(actor, "care.manage", month.order.case)
    if month.version != expected_version:
        raise ConflictError()
    if month.status == MonthStatus.REPORTED:
        raise ConflictError(
            "Za ten miesiąc nie wystawiono jeszcze rachunku — popraw zgłoszenie godzin "
            "(„Popraw godziny”); rachunek korygujący dotyczy miesiąca już rozliczonego."
        )
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = ["Podaj przyczynę korekty (np. poprawiona karta pracy wykonawcy)."]
    before, before_excess, before_fee, before_due = month_current(month)
    if hours_delivered is None or hours_delivered < 0:
        errors[HOURS] = ["Liczba zrealizowanych godzin nie może być ujemna."]
    elif hours_delivered == before:
        errors[HOURS] = [
            f"Liczba godzin się nie zmienia (jest {before} h) — nie ma czego korygować."
        ]
    _columns(errors, CareMonthCorrection, reason=(reason or "").strip())
    if errors:
        raise ValidationFailed(errors)
    assert hours_delivered is not None
    if month.corrections.filter(status=CorrectionStatus.PENDING).exists():
        raise _fail(
            HOURS,
            "Na zatwierdzenie czeka już korekta tego miesiąca — najpierw ją zatwierdź, odrzuć "
            "albo wycofaj.",
        )
    s = care_month_settlement(
        hours_ordered=month.hours_ordered,
        hours_delivered=hours_delivered,
        hourly_price=month.hourly_price,
        fee_rate=month.fee_rate,
    )
    paid_before = before - before_excess
    paid_after = hours_delivered - s.excess_hours
    try:
        with transaction.atomic():
            return CareMonthCorrection.objects.create(
                month=month, month_version=month.version, hours_before=before,
                hours_delivered=hours_delivered, excess_hours=s.excess_hours,
                client_fee=s.client_fee, provider_due=s.provider_due,
                paid_hours_difference=paid_after - paid_before,
                client_fee_difference=s.client_fee - before_fee,
                provider_due_difference=s.provider_due - before_due,
                trace=[st.as_dict() for st in s.trace], reason=reason.strip(),
                proposed_by=actor, proposed_at=now,
            )  # fmt: skip
    except IntegrityError as exc:  # a concurrent proposal won the one pending slot
        raise ConflictError() from exc


def _pending(correction: CareMonthCorrection) -> CareMonthCorrection:
    row = (
        CareMonthCorrection.objects.select_for_update()
        .select_related("month__order__case")
        .get(pk=correction.pk)
    )
    if row.status != CorrectionStatus.PENDING:
        raise ConflictError("Ta korekta została już rozstrzygnięta.")
    return row


@transaction.atomic
def care_month_correction_confirm(
    *, correction: CareMonthCorrection, actor: Any, now: datetime
) -> CareMonthCorrection:
    """Issue the correcting bill (second person with the billing right, never the proposer).
    The billed month stays as issued; the correction carries the differences."""
    row = _pending(correction)
    month = row.month
    _need(actor, "care.bill", month.order.case)
    if row.proposed_by_id == actor.pk:
        raise NotPermitted(
            "Rachunek korygujący wystawia inna osoba niż ta, która zaproponowała korektę godzin "
            "(zasada dwóch par oczu)."
        )
    current = CareMonth.objects.select_for_update().get(pk=month.pk)
    if current.version != row.month_version or month_current(current)[0] != row.hours_before:
        raise ConflictError(STALE)
    on = local_date(now)
    row.status = CorrectionStatus.CONFIRMED
    row.decided_by = actor
    row.decided_at = now
    row.billed_on = on
    row.bill_addressee = bill_addressee(current.order.person)
    diff = row.client_fee_difference
    row.refund_due = _money_already_owed_or_paid(current, row, diff=diff, on=on, actor=actor)
    row.save()
    _reopen_or_settle(current, row, on=on)
    _timeline(
        month.order.case,
        f"Rachunek korygujący za usługi opiekuńcze za {month.month:%m.%Y}",
        f"{row.hours_delivered} h (było {row.hours_before} h); opłata {pln(row.client_fee)} "
        f"({'dopłata' if diff > 0 else 'zwrot' if diff < 0 else 'bez zmiany'} "
        f"{pln(abs(diff))}"
        + (f"; do zwrotu klientowi {pln(row.refund_due)}" if row.refund_due > 0 else "")
        + (
            f"; zwrot dla klienta zmniejszony o {pln(-row.refund_due)}"
            if row.refund_due < 0
            else ""
        )
        + ("; należność skorygowana" if row.receivable_correction_id else "")
        + (
            f"; dopłata {pln(row.surcharge)}, termin {row.surcharge_due_on:%d.%m.%Y}"
            if row.surcharge > 0 and row.surcharge_due_on
            else ""
        )
        + f"); przyczyna: {row.reason}",
        on,
        actor,
        f"bill-fix-{row.pk}",
    )
    return row


def _money_already_owed_or_paid(
    month: CareMonth, row: CareMonthCorrection, *, diff: Decimal, on: date, actor: Any
) -> Decimal:
    """What the correcting bill changes in money already owed or paid; returns the change of the
    refund due to the client (negative: an earlier refund shrinks).

    A bill that became a receivable (unpaid after its date) has the receivable corrected — a
    raised fee first uses up what earlier corrections made returnable, the rest raises the
    receivable; a lowered fee lowers it at most to what is still owed, the rest to be returned.
    Otherwise the client's payments for the month decide: what they paid beyond the corrected
    fee is to be returned (refunds still outstanding counted once, refunds paid out netted),
    what the corrected fee exceeds their payments by is still to pay (``_reopen_or_settle``) —
    a bill not yet paid simply owes the corrected fee (``month_current``)."""
    # what earlier correcting bills left to return and is not returned yet: a refund already
    # paid out is out of the client's payments (``month_paid``), never taken back twice
    returnable = month_refund_outstanding(month, exclude=row)
    if month.receivable_id is not None:
        from ostoja.payments import services as payments_services

        offset = min(diff, returnable) if diff > 0 else Decimal("0")
        fix, returned = payments_services.receivable_correct(
            receivable_id=month.receivable_id,
            amount=diff - offset,
            basis=(
                f"rachunek korygujący za usługi opiekuńcze za {month.month:%m.%Y} "
                f"z {on:%d.%m.%Y} (art. 50 ust. 6 u.p.s.)"
            ),
            corrected_on=on,
            actor=actor,
        )
        row.receivable_correction_id = fix.pk if fix is not None else None
        return returned - offset
    overpaid = max(month_paid(month) - row.client_fee, Decimal("0"))
    return overpaid - returnable


def _reopen_or_settle(month: CareMonth, row: CareMonthCorrection, *, on: date) -> None:
    """A month without a receivable after its correcting bill: paid, and the fee raised above
    the payments — open again for the rest (dopłata), payable in the bill's term from the
    correcting bill's day; paid in part (or reopened so) and the fee lowered to what was paid —
    settled (opłacony), on the day of the last payment. A bill never paid and corrected to
    nothing stays as it is: it owes nothing, so it is neither overdue nor a receivable, and
    nobody paid it."""
    if month.receivable_id is not None or month.status == MonthStatus.REPORTED:
        return
    paid = month_paid(month)
    rest = row.client_fee - paid
    if rest > 0 and month.status == MonthStatus.PAID:
        row.surcharge = rest
        row.surcharge_due_on = on + timedelta(days=BILL_PAYMENT_DAYS)
        row.save(update_fields=["surcharge", "surcharge_due_on"])
        month.status = MonthStatus.BILLED
        month.due_on = row.surcharge_due_on
        save_versioned(month, expected_version=month.version)
    elif rest <= 0 and paid > 0 and month.status == MonthStatus.BILLED:
        month.status = MonthStatus.PAID
        last_payment = month.payments.order_by("-paid_on").values_list("paid_on", flat=True)
        month.paid_on = month.paid_on or last_payment.first() or on
        save_versioned(month, expected_version=month.version)


@transaction.atomic
def care_month_correction_reject(
    *, correction: CareMonthCorrection, actor: Any, now: datetime
) -> CareMonthCorrection:
    """Reject a proposal (a person with the billing right) or withdraw it (its proposer)."""
    row = _pending(correction)
    case = row.month.order.case
    if row.proposed_by_id == actor.pk:
        _need(actor, "care.manage", case)
    else:
        _need(actor, "care.bill", case)
    row.status = CorrectionStatus.REJECTED
    row.decided_by = actor
    row.decided_at = now
    row.save()
    return row

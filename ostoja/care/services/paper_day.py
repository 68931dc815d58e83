"""Correcting a paper decision's enforceability day (art. 130 KPA) of a care order, by two
people: one proposes the corrected day with the reason and the paper evidence, another worker
with the manage right in the order's unit confirms it (or rejects it; the proposer may withdraw).

The day decides which months may be settled (``selectors.order_active_from``), so a correction
never changes a month already settled under the old day: if the corrected day would leave a
reported or billed month before the decision was enforceable, the correction is refused, naming
the month (the safer of refusing and flagging it for a correction invoice — the billed month
stays as issued; its correction is a separate matter, see design.md §8)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction

from ostoja.care import selectors
from ostoja.care.models import CareMonth, CareOrder, PaperDayCorrection
from ostoja.care.policy import CorrectionStatus, MonthStatus
from ostoja.care.services._common import _columns, _fail, _need, _timeline
from ostoja.care.services.orders import PAPER_DAY, _paper_day
from ostoja.core.concurrency import save_versioned
from ostoja.core.dates import local_date, shift_months
from ostoja.core.errors import ConflictError, NotPermitted, ValidationFailed

NEW_DAY = "new_day"
STALE = (
    "Zlecenie zmieniono po złożeniu tej propozycji — jest nieaktualna; odrzuć ją i złóż nową "
    "na podstawie aktualnych danych zlecenia."
)


def _months_blocking(order: CareOrder, new_day: date) -> list[str]:
    """Why ``new_day`` cannot be set: each month already reported or billed under the old day
    that ends before the decision would be enforceable (art. 130 KPA), in month order."""
    active_from = max(new_day, order.period_from)
    out = []
    for m in CareMonth.objects.filter(order=order).order_by("month"):
        if shift_months(m.month, 1) > active_from:
            continue
        if m.status == MonthStatus.REPORTED:
            out.append(
                f"Za {m.month:%m.%Y} zgłoszono już godziny według dotychczasowego dnia — przy "
                f"dniu {new_day:%d.%m.%Y} decyzja nie byłaby w tym miesiącu wykonalna "
                "(art. 130 KPA). Sprostowania nie zatwierdza się."
            )
        else:
            out.append(
                f"Za {m.month:%m.%Y} wystawiono już rachunek według dotychczasowego dnia — przy "
                f"dniu {new_day:%d.%m.%Y} ten miesiąc nie podlegałby rozliczeniu (art. 130 KPA). "
                "Rozliczonego miesiąca się nie zmienia; sprostowania nie zatwierdza się."
            )
    return out


def _check_day(order: CareOrder, new_day: date | None, on: date) -> None:
    """The corrected day obeys the rules of the day itself (known, not after today, within the
    period), differs from the current one, and leaves every settled month lawful."""
    if new_day is None:
        raise _fail(NEW_DAY, "Podaj poprawiony dzień wykonalności decyzji.")
    try:
        _paper_day(None, order.decision_number, new_day, order.period_from, order.period_until, on)
    except ValidationFailed as exc:
        raise ValidationFailed({NEW_DAY: exc.errors[PAPER_DAY]}) from exc
    if new_day == order.paper_enforceable_from:
        raise _fail(NEW_DAY, "To jest dotychczasowy dzień — nie ma czego poprawiać.")
    issued = selectors.paper_issued_on(order)
    if issued is not None and new_day < issued:
        # a decision is final or enforceable only once issued (art. 130 KPA); the day of issue
        # is printed in a changing decision of this order
        raise _fail(
            NEW_DAY,
            f"Decyzja nr {order.decision_number} została wydana {issued:%d.%m.%Y} (tak wskazuje "
            "ją decyzja zmieniająca) — nie mogła stać się ostateczna ani wykonalna wcześniej.",
        )
    blocking = _months_blocking(order, new_day)
    if blocking:
        raise ValidationFailed({NEW_DAY: blocking})


def _paper_order(order: CareOrder) -> None:
    if order.decision_id is not None or order.paper_enforceable_from is None:
        raise ConflictError(
            "Sprostowanie dotyczy tylko wpisanego dnia wykonalności decyzji papierowej."
        )


@transaction.atomic
def care_order_paper_day_propose(
    *,
    order: CareOrder,
    new_day: date | None,
    reason: str,
    evidence: str,
    actor: Any,
    now: datetime,
    expected_version: int,
) -> PaperDayCorrection:
    """Propose a corrected day (first person). Refused while another proposal waits, for an
    order changed since it was read (``expected_version``), or when the day breaks a rule."""
    _need(actor, "care.manage", order.case)
    order = CareOrder.objects.select_for_update().get(pk=order.pk)
    _paper_order(order)
    if order.version != expected_version:
        raise ConflictError()
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = ["Podaj, dlaczego dotychczasowy dzień jest błędny."]
    if not (evidence or "").strip():
        errors["evidence"] = [
            "Wskaż dokument papierowy, z którego wynika poprawiony dzień (np. decyzja z "
            "adnotacją o ostateczności, zwrotne potwierdzenie odbioru)."
        ]
    _columns(errors, PaperDayCorrection, reason=reason.strip(), evidence=evidence.strip())
    try:
        _check_day(order, new_day, local_date(now))
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    if order.day_corrections.filter(status=CorrectionStatus.PENDING).exists():
        raise _fail(
            NEW_DAY,
            "Na zatwierdzenie czeka już propozycja sprostowania tego dnia — najpierw ją "
            "zatwierdź, odrzuć albo wycofaj.",
        )
    assert new_day is not None and order.paper_enforceable_from is not None
    try:
        with transaction.atomic():
            row = PaperDayCorrection.objects.create(
                order=order, old_day=order.paper_enforceable_from, new_day=new_day,
                reason=reason.strip(), evidence=evidence.strip(), order_version=order.version,
                proposed_by=actor, proposed_at=now,
            )  # fmt: skip
    except IntegrityError as exc:  # a concurrent proposal won the one pending slot
        raise ConflictError() from exc
    return row


def _pending(correction: PaperDayCorrection) -> PaperDayCorrection:
    row = (
        PaperDayCorrection.objects.select_for_update().select_related("order").get(pk=correction.pk)
    )
    if row.status != CorrectionStatus.PENDING:
        raise ConflictError("Ta propozycja sprostowania została już rozstrzygnięta.")
    return row


@transaction.atomic
def care_order_paper_day_confirm(
    *, correction: PaperDayCorrection, actor: Any, now: datetime
) -> CareOrder:
    """Confirm a proposal (second person): a different worker with the manage right in the
    order's unit. Re-checked against the order as it is now: a changed order makes the proposal
    stale; a month settled since the proposal still blocks it. Sets the order's day (the
    proposer becomes who typed it in), audited, on the family's timeline."""
    _need(actor, "care.manage", correction.order.case)
    row = _pending(correction)
    if row.proposed_by_id == actor.pk:
        raise NotPermitted(
            "Sprostowanie zatwierdza inna osoba niż ta, która je zaproponowała (zasada dwóch par "
            "oczu)."
        )
    order = CareOrder.objects.select_for_update().get(pk=row.order_id)
    _paper_order(order)
    if order.version != row.order_version or order.paper_enforceable_from != row.old_day:
        raise ConflictError(STALE)
    _check_day(order, row.new_day, local_date(now))
    order.paper_enforceable_from = row.new_day
    order.paper_enforceable_by = row.proposed_by
    save_versioned(order, expected_version=row.order_version)
    row.status = CorrectionStatus.CONFIRMED
    row.decided_by = actor
    row.decided_at = now
    row.save()
    _timeline(
        order.case,
        "Zlecenie usług: sprostowano dzień wykonalności decyzji",
        f"Decyzja {order.decision_number}: ostateczna lub wykonalna od {row.new_day:%d.%m.%Y} "
        f"(było {row.old_day:%d.%m.%Y}); dowód: {row.evidence}.",
        local_date(now),
        actor,
        f"order-{order.pk}-paper-fix-{row.pk}",
    )
    return order


@transaction.atomic
def care_order_paper_day_reject(
    *, correction: PaperDayCorrection, actor: Any, now: datetime
) -> PaperDayCorrection:
    """Reject a proposal (another worker) or withdraw it (its proposer); the day stays."""
    _need(actor, "care.manage", correction.order.case)
    row = _pending(correction)
    row.status = CorrectionStatus.REJECTED
    row.decided_by = actor
    row.decided_at = now
    row.save()
    return row

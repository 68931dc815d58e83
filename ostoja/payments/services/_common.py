"""Helpers shared by the payment services: the month, permission checks, the transfer reference,
the budget classification of a line, the draft lists and their totals (private to this package).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Sum

from ostoja.core.errors import NotPermitted, ValidationFailed
from ostoja.decisions.lines import PayableLine
from ostoja.law.periods import YearMonth, parse_year_month
from ostoja.law.policy import Policy

from ..models import (
    ListStatus,
    Payment,
    PaymentList,
    PaymentStatus,
)
from ..schedule import Recalculated, recalculate

_ZERO = Decimal("0.00")
BATCH = 2000
# Statuses in which money has left (or is irrevocably about to leave) the centre.
_SENT = (PaymentStatus.APPROVED, PaymentStatus.EXPORTED, PaymentStatus.PAID)


def _month(value: YearMonth | str | date) -> YearMonth:
    if isinstance(value, YearMonth):
        return value
    if isinstance(value, date):
        return YearMonth.of(value)
    try:
        return parse_year_month(value)
    except ValueError as exc:
        raise ValidationFailed({"month": [str(exc)]}) from None


def _recalculated(p: Payment, line: PayableLine, policy: Policy) -> Recalculated | None:
    """``p`` re-read against its line's present end (:func:`schedule.recalculate`; None when
    nothing changed): a monthly line's payment counts from the later of its own and the line's
    start, a one-off's from its date. One rule for the run's changed lines and for re-issues."""
    paid_from = p.period_start if line.one_off else max(p.period_start, line.period_from)
    return recalculate(
        line, period_start=p.period_start, paid_from=paid_from, paid_to=p.period_end,
        paid_amount=p.amount, policy=policy,
    )  # fmt: skip


def _need(actor: Any, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise NotPermitted("Brak uprawnień do tej operacji.")


def _reference(period_start: date, line_id: int) -> str:
    """The payment identifier (ID WYPL): ``W<line>-<yyyymm>``, e.g. ``W12-202611``.

    Never shaped like a date: the former ``2026-11-12`` read as 12 November in a bank title.
    """
    return f"W{line_id}-{period_start:%Y%m}"


def _budget(line: PayableLine) -> tuple[str, str, str, str, str]:
    b = line.budget
    return (b.section, b.chapter, b.paragraph, str(b.task_type), str(b.funding))


def _draft_list(
    month: YearMonth, method: str, budget: tuple[str, str, str, str, str]
) -> PaymentList:
    """The open (draft) list for this month, method and budget line; a supplement when the
    previous one is already approved. Safe under concurrent runs (unique key + get_or_create)."""
    section, chapter, paragraph, task_type, funding = budget
    key = {
        "month": month.first_day,
        "method": method,
        "section": section,
        "chapter": chapter,
        "paragraph": paragraph,
        "task_type": task_type,
        "funding": funding,
    }
    while True:
        last = PaymentList.objects.filter(**key).order_by("-sequence").first()
        if last is not None and last.status == ListStatus.DRAFT:
            return last
        # The sequence counts per month, method and budget line, so the list number (which
        # names those) is unique even when task type or funding differ.
        numbered = PaymentList.objects.filter(
            month=month.first_day, method=method, chapter=chapter, paragraph=paragraph
        ).aggregate(m=Max("sequence"))["m"]
        sequence = (numbered or 0) + 1
        try:
            with transaction.atomic():
                obj, _ = PaymentList.objects.get_or_create(**key, sequence=sequence)
        except IntegrityError:
            continue
        if obj.status == ListStatus.DRAFT:
            return obj


def _refresh_totals(list_ids: Iterable[int]) -> None:
    ids = sorted(set(list_ids))
    if not ids:
        return
    rows = {
        r["list_id"]: r
        for r in Payment.objects.filter(list_id__in=ids)
        .exclude(status=PaymentStatus.CANCELLED)
        .values("list_id")
        .annotate(n=Count("id"), s=Sum("amount"))
    }
    for pl in PaymentList.objects.filter(id__in=ids, status=ListStatus.DRAFT):
        row = rows.get(pl.id)
        n, s = (row["n"], row["s"]) if row else (0, _ZERO)
        s = Decimal(str(s or 0)).quantize(Decimal("0.01"))  # SQLite sums come back as floats
        if pl.payment_count != n or pl.total != s:
            pl.payment_count, pl.total = n, s
            pl.save(update_fields=["payment_count", "total"])

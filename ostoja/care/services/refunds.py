"""Refunds to clients of care services (zwrot nadpłaty): what a correcting bill left to return
— the client paid more than the corrected fee — paid back by finance and recorded here with its
document (issue 15).

The transfer or cash slip itself is made in the centre's bank or cash system; Ostoja records
it, so that the month's money adds up: payments less refunds is what the client paid. Money
needs two people: whoever proposed or issued a correcting bill that made money returnable for
the month never records its refund."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from ostoja.care.models import CareMonth, CareMonthRefund
from ostoja.care.policy import CorrectionStatus
from ostoja.care.services._common import _fail, _need, _timeline
from ostoja.care.services.month_correction import month_refund_outstanding
from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import ConflictError, NotPermitted
from ostoja.law.money import pln

REFUND_PERM = "payments.manage_receivables"


@transaction.atomic
def care_month_refund_record(
    *,
    month: CareMonth,
    actor: Any,
    on: date,
    expected_version: int,
    amount: Decimal,
    paid_on: date,
    reference: str,
) -> CareMonthRefund:
    """Record a refund paid back to the client for ``month``: at most what is still to be
    returned, on a day not before the correcting bill that made it returnable and not after
    ``on``, with its document; never by a person who proposed or issued such a bill."""
    _need(actor, REFUND_PERM)
    makers = month.corrections.filter(status=CorrectionStatus.CONFIRMED, refund_due__gt=0)
    if makers.filter(proposed_by=actor).exists() or makers.filter(decided_by=actor).exists():
        raise NotPermitted(
            "Zwrotu nie zapisuje osoba, która zaproponowała lub wystawiła rachunek korygujący "
            "za ten miesiąc (zasada dwóch par oczu)."
        )
    outstanding = month_refund_outstanding(month)
    if outstanding <= 0:
        raise ConflictError("Za ten miesiąc nie ma nic do zwrotu klientowi.")
    reference = (reference or "").strip()
    if not reference:
        raise _fail("reference", "Podaj dokument zwrotu (np. numer przelewu lub dowodu KW).")
    if amount <= 0:
        raise _fail("amount", "Kwota zwrotu musi być większa od zera.")
    if amount > outstanding:
        raise _fail(
            "amount",
            f"Do zwrotu pozostało {pln(outstanding)} — zwrot {pln(amount)} jest wyższy.",
        )
    if paid_on > on:
        raise _fail("paid_on", "Data zwrotu nie może być późniejsza niż dzisiejsza.")
    first = makers.order_by("billed_on").values_list("billed_on", flat=True).first()
    if first is not None and paid_on < first:
        raise _fail(
            "paid_on",
            f"Data zwrotu jest wcześniejsza niż rachunek korygujący z {first:%d.%m.%Y}.",
        )
    row = CareMonthRefund.objects.create(
        month=month, paid_on=paid_on, amount=amount, reference=reference, recorded_by=actor
    )
    # the month's version guards against the same refund recorded twice from one page
    save_versioned(month, expected_version=expected_version)
    _timeline(
        month.order.case,
        f"Zwrot dla klienta za usługi opiekuńcze za {month.month:%m.%Y}",
        f"{pln(amount)} zwrócono {paid_on:%d.%m.%Y} ({reference})"
        + (f"; do zwrotu pozostaje {pln(outstanding - amount)}" if amount < outstanding else ""),
        on,
        actor,
        f"refund-{row.pk}",
    )
    return row

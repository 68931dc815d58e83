"""The client's bill for a month of care services (rachunek za usługi opiekuńcze) and each
correcting bill (rachunek korygujący), as the client receives them — printable PDF (issue 15).

Everything on it is what was issued: the month's billed hours, price and fee rate (never
edited), each correcting bill's own figures, and the addressee as on the day of issue
(``bill_addressee``). The fee's basis is the order's decision and the city's resolution under
art. 50 ust. 6 u.p.s.; the payment term is the centre's own (``BILL_PAYMENT_DAYS``: the statute
leaves the collection procedure to the resolution, services.md §0). The amount is also given in
words, as on decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from ostoja.care.models import CareMonth, CareMonthCorrection
from ostoja.care.policy import CorrectionStatus
from ostoja.cases.polish import date_pl
from ostoja.decisions.words import amount_in_words
from ostoja.org.selectors import instance_settings


@dataclass(frozen=True)
class BillDocument:
    """What one bill or correcting bill says."""

    correcting: bool
    number: str
    corrects: str  # the bill a correcting bill corrects ("" on a bill)
    issued_on: date
    place_date: str
    addressee: list[str]
    service: str
    month: date
    decision: str
    fee_basis: str
    provider: str
    hours_delivered: Decimal
    excess_hours: Decimal
    paid_hours: Decimal
    hourly_price: Decimal
    fee_rate: Decimal
    fee: Decimal
    fee_words: str
    due_on: date | None
    # a correcting bill: the fee it replaces, the change, and what it means for the client
    fee_before: Decimal = Decimal("0.00")
    difference: Decimal = Decimal("0.00")
    reason: str = ""
    surcharge: Decimal = Decimal("0.00")
    refund: Decimal = Decimal("0.00")
    receivable_corrected: bool = False
    issued_by: str = ""

    @property
    def to_pay(self) -> Decimal:
        """What the document asks the client to pay by ``due_on``: the bill's fee; on a
        correcting bill the dopłata after a paid month, nothing when money goes back or the
        receivable was corrected or nothing changed, else the corrected fee (payments made
        count towards it)."""
        if not self.correcting:
            return self.fee
        if self.surcharge:
            return self.surcharge
        if self.refund or self.receivable_corrected or not self.difference:
            return Decimal("0.00")
        return self.fee

    @property
    def transfer_title(self) -> str:
        return f"{self.number} — {self.service} {self.month:%m.%Y}"


def _number(month: CareMonth) -> str:
    return f"UO/{month.order_id}/{month.month:%m/%Y}"


def _lines(text: str, fallback: Any) -> list[str]:
    """The addressee as issued; a bill issued before addressees were kept shows today's."""
    if text.strip():
        return [line for line in text.splitlines() if line.strip()]
    return [fallback.full_name, fallback.address_display]


def _signer(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _issued(month: CareMonth, *, on: date, addressee: str) -> dict[str, Any]:
    """Who issues the document, when, to whom, for what and on which basis."""
    order = month.order
    return {
        "issued_on": on,
        "place_date": f"{instance_settings().city}, {date_pl(on)}",
        "addressee": _lines(addressee, order.person),
        "service": order.get_service_kind_display().lower(),
        "month": month.month,
        "decision": order.decision_ref,
        "fee_basis": order.fee_basis,
        "provider": order.provider.name,
    }


def _settlement(month: CareMonth, hours: Decimal, excess: Decimal, fee: Decimal) -> dict[str, Any]:
    """How the fee was counted: the hours within the decision at the month's own price and
    fee rate (both frozen with the month)."""
    return {
        "hours_delivered": hours,
        "excess_hours": excess,
        "paid_hours": hours - excess,
        "hourly_price": month.hourly_price,
        "fee_rate": month.fee_rate,
        "fee": fee,
        "fee_words": amount_in_words(fee),
    }


def bill_of(month: CareMonth) -> BillDocument:
    """The month's bill as issued (the month must have been billed)."""
    assert month.billed_on is not None, "only a billed month has a bill"
    return BillDocument(
        correcting=False,
        number=_number(month),
        corrects="",
        due_on=month.due_on,
        **_issued(month, on=month.billed_on, addressee=month.bill_addressee),
        **_settlement(month, month.hours_delivered, month.excess_hours, month.client_fee),
    )


def correcting_bill_of(correction: CareMonthCorrection) -> BillDocument:
    """A confirmed correction's correcting bill: numbered after the bill with its place among
    the month's correcting bills (K1, K2, …), with the fee it replaces."""
    assert correction.status == CorrectionStatus.CONFIRMED and correction.billed_on is not None
    month = correction.month
    issued = sorted(
        (c for c in month.corrections.all() if c.status == CorrectionStatus.CONFIRMED),
        key=lambda c: (c.decided_at, c.pk),
    )
    n = next(i for i, c in enumerate(issued, start=1) if c.pk == correction.pk)
    return BillDocument(
        correcting=True,
        number=f"{_number(month)}/K{n}",
        corrects=_number(month) if n == 1 else f"{_number(month)}/K{n - 1}",
        due_on=correction.surcharge_due_on or month.due_on,
        **_issued(month, on=correction.billed_on, addressee=correction.bill_addressee),
        **_settlement(
            month, correction.hours_delivered, correction.excess_hours, correction.client_fee
        ),
        fee_before=correction.client_fee - correction.client_fee_difference,
        difference=correction.client_fee_difference,
        reason=correction.reason,
        surcharge=correction.surcharge,
        refund=max(correction.refund_due, Decimal("0.00")),
        receivable_corrected=correction.receivable_correction_id is not None,
        issued_by=_signer(correction.decided_by),
    )


def bill_pdf(doc: BillDocument) -> bytes:
    """The document as a PDF (A4)."""
    from weasyprint import HTML  # local: heavy (Pango, fonts), loaded only when printing

    html = render_to_string("care/bill_pdf.html", {"doc": doc, "centre": instance_settings()})
    return bytes(HTML(string=html).write_pdf())

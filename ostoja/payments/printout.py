"""The payment list's printout as a PDF (the cash list to sign, or the postal orders' sheet):
the same sheet as the browser print page (``payments/_list_sheet.html``), built by the worker
(``ostoja.ops.files``, kind ``lista_wyplat``) for a list of any length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string

from ostoja.core.errors import DomainError, NotPermitted
from ostoja.payments import selectors
from ostoja.payments.models import PaymentList, PaymentStatus


@dataclass(frozen=True)
class ListPrintout:
    data: bytes
    filename: str
    list_id: int
    rows: int


def payment_list_pdf(*, user: Any, list_id: int, now: datetime) -> ListPrintout:
    """The printout of list ``list_id`` for ``user`` (who must see every district the list
    mixes — ``selectors.sees_lists``); cancelled payments are left out, as on the page."""
    from weasyprint import HTML  # local: heavy (Pango, fonts), loaded only when printing

    from ostoja.org.selectors import instance_settings

    if not selectors.sees_lists(user=user):
        raise NotPermitted("Listę wypłat drukują osoby, które widzą wszystkie rejony.")
    try:
        pl = selectors.payment_list(list_id)
    except PaymentList.DoesNotExist:
        raise DomainError(f"Nie ma listy wypłat nr {list_id}.", field="lista") from None
    payments = [p for p in selectors.list_payments(pl) if p.status != PaymentStatus.CANCELLED]
    html = render_to_string(
        "payments/list_print_pdf.html",
        {"pl": pl, "payments": payments, "centre": instance_settings(), "generated": now},
    )
    data = bytes(HTML(string=html).write_pdf())
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in pl.number)
    return ListPrintout(data=data, filename=f"lista-wyplat-{safe}.pdf", list_id=pl.pk,
                        rows=len(payments))  # fmt: skip

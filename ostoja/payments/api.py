"""REST API of payments: ``/api/v1/payment-lists`` and ``/api/v1/payments`` (read-only;
filters by month ``YYYY-MM``, status and method; the same permissions as the UI)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from ostoja.audit.bulk import audited_list
from ostoja.core.api import check_choice, require
from ostoja.payments import selectors
from ostoja.payments.models import (
    METHOD_CHOICES,
    ListStatus,
    Payment,
    PaymentList,
    PaymentStatus,
)

router = Router(tags=["wypłaty"])
MAX_LIMIT = 1000


class PaymentListOut(Schema):
    id: int
    number: str
    month: str
    method: str
    section: str
    chapter: str
    paragraph: str
    task_type: str
    funding: str
    sequence: int
    status: str
    payment_count: int
    total: Decimal
    execution_date: date | None
    approved_at: datetime | None


class PaymentOut(Schema):
    id: int
    reference: str
    list_id: int | None
    line_id: int
    decision_id: int
    decision_number: str
    case_id: int
    person_id: int
    recipient_name: str
    benefit: str
    method: str
    account_number: str
    period_start: date
    period_end: date
    amount: Decimal
    due_date: date
    status: str
    section: str
    chapter: str
    paragraph: str
    task_type: str
    funding: str
    reissue_of_id: int | None
    settled_on: date | None
    returned_on: date | None


# Unknown values of the fixed-set filters answer 400 naming them (issue 21).
_METHODS = [code for code, _ in METHOD_CHOICES]


def _check_month(month: str | None) -> None:
    if month is not None and not (
        len(month) == 7 and month[4] == "-" and month.replace("-", "").isdigit()
    ):
        raise HttpError(422, "Parametr month ma postać RRRR-MM.")


@router.get("/payment-lists", response=list[PaymentListOut])
@audited_list("listy wypłat (API)", PaymentList)
def payment_lists(
    request: HttpRequest,
    month: str | None = None,
    status: str | None = None,
    method: str | None = None,
) -> list[PaymentListOut]:
    require(request, "payments.view_payments")
    _check_month(month)
    check_choice("status", status, ListStatus.values)
    check_choice("method", method, _METHODS)
    return [
        PaymentListOut(
            id=pl.id,
            number=pl.number,
            month=f"{pl.month:%Y-%m}",
            method=pl.method,
            section=pl.section,
            chapter=pl.chapter,
            paragraph=pl.paragraph,
            task_type=pl.task_type,
            funding=pl.funding,
            sequence=pl.sequence,
            status=pl.status,
            payment_count=pl.payment_count,
            total=pl.total,
            execution_date=pl.execution_date,
            approved_at=pl.approved_at,
        )
        for pl in selectors.lists_query(
            user=request.user, month=month, status=status, method=method
        )
    ]


@router.get("/payments", response=list[PaymentOut])
@audited_list("wypłaty (API)", Payment)
def payments(
    request: HttpRequest,
    month: str | None = None,
    status: str | None = None,
    method: str | None = None,
    list_id: int | None = None,
    offset: int = Query(0, ge=0, description="od którego wiersza (0 i więcej)"),
    limit: int = Query(200, ge=1, le=MAX_LIMIT),
) -> list[PaymentOut]:
    require(request, "payments.view_payments")
    _check_month(month)
    check_choice("status", status, PaymentStatus.values)
    check_choice("method", method, _METHODS)
    qs = selectors.payments_query(
        user=request.user, month=month, status=status, method=method, list_id=list_id
    )
    return [PaymentOut.from_orm(p) for p in qs[offset : offset + limit]]

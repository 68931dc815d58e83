"""REST API of the care context: care orders with their months and fees, service events.
Scoped like the pages (role, then unit subtree or assignment); list reads are audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from ostoja.audit.bulk import audited_list
from ostoja.care import selectors as sel
from ostoja.care.models import CareOrder, ServiceEvent
from ostoja.care.policy import EventKind
from ostoja.core.api import check_choice, require

router = Router(tags=["usługi i pomoc w naturze"])


class CareMonthOut(Schema):
    month: str
    hours_ordered: Decimal
    hours_delivered: Decimal
    client_fee: Decimal
    status: str
    # A billed month corrected by a correcting bill: the hours and the fee after the latest one
    # (the billed figures above stay as billed); null when never corrected.
    hours_corrected: Decimal | None = None
    client_fee_corrected: Decimal | None = None
    # The client's money for the month: paid and kept (payments less refunds paid back), left
    # to pay on the open bill (0 before billing and once it became a receivable), and still
    # to be returned to them after a correcting bill lowered the fee below their payments.
    paid: Decimal = Decimal("0.00")
    owed: Decimal = Decimal("0.00")
    refund_left: Decimal = Decimal("0.00")
    # The fee rate (% of the hourly price) the month was settled at — after a fee change by a
    # changing decision (art. 106 ust. 5 u.p.s.) it may differ from the order's ``fee_rate``.
    fee_rate: Decimal = Decimal("0.00")


class CareOrderOut(Schema):
    id: int
    case: int
    person: int
    person_name: str
    decision_number: str
    service_kind: str
    service_kind_label: str
    hours_per_day: Decimal
    days_per_week: int
    hours_per_month: Decimal
    period_from: date
    period_until: date
    provider: str
    hourly_rate: Decimal
    fee_rate: Decimal
    # Zwolnienie z opłaty na wniosek (art. 50 ust. 6 u.p.s.): "", "czesciowe" or "calkowite";
    # the table's rate before it (equal to ``fee_rate`` without an exemption).
    fee_exemption: str
    fee_rate_table: Decimal
    budget_line: str
    months: list[CareMonthOut]


def _order_out(o: CareOrder) -> CareOrderOut:
    return CareOrderOut(
        id=o.pk,
        case=o.case_id,
        person=o.person_id,
        person_name=f"{o.person.first_name} {o.person.last_name}",
        decision_number=o.number_known,
        service_kind=o.service_kind,
        service_kind_label=o.get_service_kind_display(),
        hours_per_day=o.hours_per_day,
        days_per_week=o.days_per_week,
        hours_per_month=o.hours_per_month,
        period_from=o.period_from,
        period_until=o.period_until,
        provider=o.provider.name,
        hourly_rate=o.contract.hourly_rate,
        fee_rate=o.fee_rate,
        fee_exemption=str(o.fee_exemption.get("kind", "")),
        fee_rate_table=Decimal(o.fee_exemption.get("rate_before") or o.fee_rate).quantize(
            Decimal("0.01")
        ),
        budget_line=o.budget_line,
        months=[
            CareMonthOut(
                month=r.month.strftime("%Y-%m"),
                hours_ordered=r.hours_ordered,
                hours_delivered=r.hours_delivered,
                client_fee=r.client_fee,
                status=r.status,
                hours_corrected=r.hours_corrected,
                client_fee_corrected=r.client_fee_corrected,
                paid=r.paid,
                owed=r.owed,
                refund_left=r.refund_left,
                fee_rate=r.fee_rate,
            )
            for r in sel.order_months(o)
        ],
    )


@router.get(
    "/care-orders",
    response=list[CareOrderOut],
    summary="Zlecenia usług opiekuńczych: godziny przyznane i zrealizowane w miesiącach, opłata",
)
@audited_list("zlecenia usług opiekuńczych (API)", CareOrder)
def care_orders(request: HttpRequest) -> list[CareOrderOut]:
    require(request, "care.view")
    return [_order_out(o) for o in sel.orders_visible(user=request.user)[:500]]


class ServiceEventOut(Schema):
    id: int
    kind: str
    kind_label: str
    occurred_on: date
    person: int
    person_name: str
    with_decision: bool
    decision_number: str
    basis: str
    quantity: int
    amount: Decimal | None
    budget_line: str


@router.get(
    "/service-events",
    response=list[ServiceEventOut],
    summary="Pomoc w naturze i usługi (z decyzją albo bez, art. 106 u.p.s.)",
)
@audited_list("zdarzenia pomocy (API)", ServiceEvent)
def service_events(
    request: HttpRequest,
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[ServiceEventOut]:
    require(request, "care.view")
    check_choice("kind", kind, EventKind.values)
    qs = sel.events_visible(user=request.user, kind=kind, date_from=date_from, date_to=date_to)
    return [
        ServiceEventOut(
            id=e.pk,
            kind=e.kind,
            kind_label=e.get_kind_display(),
            occurred_on=e.occurred_on,
            person=e.person_id,
            person_name=f"{e.person.first_name} {e.person.last_name}",
            with_decision=e.with_decision,
            decision_number=e.decision_number,
            basis=e.basis,
            quantity=e.quantity,
            amount=e.amount,
            budget_line=e.budget_line,
        )
        for e in qs[:1000]
    ]

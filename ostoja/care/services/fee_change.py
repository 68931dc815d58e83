"""Zmiana odpłatności za usługi opiekuńcze od miesiąca — decyzją zmieniającą.

After an order has started, its fee changes when the client's income changes or when the
client asks for an exemption (zwolnienie częściowe lub całkowite na wniosek, art. 50 ust. 6
u.p.s.). The order and its signed decision are never edited: the clerk drafts a changing
decision (art. 106 ust. 5 u.p.s., acting for the future only) through the decisions workflow,
and the new rate applies to the months from the change once that decision is enforceable
(art. 130 KPA). Until then the months keep the earlier rate and no bill is issued for a month
the change covers (``orders.care_month_bill``), so a bill never states a rate about to change.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from ostoja.care import selectors
from ostoja.care.models import CareFeeChange, CareOrder
from ostoja.care.policy import CARE_FEE_TABLE, CareKind, MonthStatus
from ostoja.care.services._common import _fail, _need, _timeline, first_of_month
from ostoja.care.services.decided import number_pl, order_line
from ostoja.care.services.orders import exemption_record
from ostoja.cases.polish import date_pl
from ostoja.core.errors import ConflictError
from ostoja.core.exemption import exemption_of
from ostoja.decisions import services as decisions
from ostoja.decisions.choices import DecisionKind
from ostoja.law.benefits.uslugi_rozliczenie import care_fee_rate
from ostoja.law.errors import LawError
from ostoja.law.money import pln

FIELD = "effective_from"


def _pct(value: Decimal) -> str:
    return f"{number_pl(value)}%"


@transaction.atomic
def care_fee_change_draft(
    *,
    order: CareOrder,
    effective_from: date,
    income: Decimal,
    single: bool,
    actor: Any,
    on: date,
    exemption: str = "",
    exemption_percent: Decimal | None = None,
    exemption_requested_on: date | None = None,
    exemption_reason: str = "",
) -> CareFeeChange:
    """Draft the changing decision setting the order's fee from the month ``effective_from``:
    the table's rate for ``income`` (art. 50 ust. 6; ust. 7 for the SUO table), lowered by an
    exemption on request when one is given (``exemption`` and its fields as in
    ``care_order_create``). Refused, at the field, when the order's decision is not one signed
    in Ostoja, when the month is not after the order's start, before this month or after its
    end, when that month or a later one is billed, when another change waits for its decision
    or already applies from that month or later, and when the rate would not change."""
    _need(actor, "care.manage", order.case)
    # The order's row is the lock two clerks drafting a change at once queue on.
    # of=("self",): PostgreSQL cannot lock the nullable side of the join to the decision
    order = (
        CareOrder.objects.select_for_update(of=("self",))
        .select_related("decision")
        .get(pk=order.pk)
    )
    if income is None or income < 0:
        raise _fail("income", "Podaj dochód (nie może być ujemny).")
    decision = order.decision if order.decision_id is not None else None
    if decision is None:
        raise _fail(
            FIELD,
            f"Zlecenie wynika z decyzji papierowej nr {order.decision_number or '—'} — decyzję "
            "zmieniającą odpłatność wydaje się w Ostoi tylko do decyzji z jej rejestru; zmień "
            "decyzję papierową poza Ostoją i wpisz zlecenie na nowy okres.",
        )
    if not decision.is_signed:
        raise _fail(
            FIELD,
            "Decyzja przyznająca usługi nie jest jeszcze podpisana — odpłatność ustala się w jej "
            "projekcie (usuń projekt i wpisz zlecenie z właściwym dochodem), nie decyzją "
            "zmieniającą.",
        )
    month = first_of_month(effective_from)
    start, end = first_of_month(order.period_from), order.period_until
    if month <= start:
        raise _fail(
            FIELD,
            "Zmiana działa wyłącznie na przyszłość (art. 106 ust. 5 u.p.s.) — wybierz miesiąc "
            f"późniejszy niż pierwszy miesiąc usług ({start:%m.%Y}).",
        )
    if month > end:
        raise _fail(FIELD, f"Usługi przyznano do {end:%d.%m.%Y} — wybierz miesiąc okresu usług.")
    ended = selectors.order_end(order)
    if ended is not None and month >= ended.on:
        raise _fail(FIELD, f"Usługi z tego zlecenia przestały obowiązywać {ended.by}.")
    if month < first_of_month(on):
        raise _fail(
            FIELD,
            "Zmiana działa wyłącznie na przyszłość (art. 106 ust. 5 u.p.s.) — najwcześniej od "
            f"bieżącego miesiąca ({first_of_month(on):%m.%Y}).",
        )
    billed = (
        order.months.filter(month__gte=month)
        .exclude(status=MonthStatus.REPORTED)
        .order_by("-month")
        .first()
    )
    if billed is not None:
        raise _fail(
            FIELD,
            f"Za {billed.month:%m.%Y} wystawiono już rachunek — zmiana odpłatności może "
            "obowiązywać od miesiąca, za który rachunku jeszcze nie wystawiono.",
        )
    changes = selectors.order_fee_changes(order)
    pending = selectors.pending_fee_change(order, changes)
    if pending is not None:
        raise ConflictError(
            f"Zmiana odpłatności od {pending.change.effective_from:%m.%Y} czeka na decyzję "
            "zmieniającą, która nie jest jeszcze wykonalna — kolejną przygotujesz, gdy ta stanie "
            "się wykonalna albo gdy jej projekt zostanie usunięty."
        )
    later = [r for r in changes if r.change.effective_from >= month]
    if later:
        raise _fail(
            FIELD,
            f"Odpłatność zmieniono już od {later[-1].change.effective_from:%m.%Y} — nowa zmiana "
            "może obowiązywać od późniejszego miesiąca.",
        )
    waiver = exemption_of(exemption, exemption_percent, exemption_requested_on,
                          exemption_reason, today=on, part_is="percent")  # fmt: skip
    try:
        fee = care_fee_rate(
            table_name=CARE_FEE_TABLE[CareKind(order.service_kind)], income=income,
            single=single, on=month, exemption=waiver,
        )  # fmt: skip
    except LawError as exc:  # the exemption cannot be granted: said at its field
        field = "exemption_percent" if waiver and not waiver.total else "exemption"
        raise _fail(field, str(exc)) from exc
    rate_before, _ = selectors.fee_rate_in_force(order, month, changes)
    if fee.rate == rate_before:
        raise _fail(
            "income",
            f"Stawka odpłatności od {month:%m.%Y} byłaby taka sama jak dotychczasowa "
            f"({_pct(rate_before)}) — decyzji zmieniającej się nie wydaje.",
        )
    record = exemption_record(waiver, fee)
    trace = [
        {
            "step": "Zmiana odpłatności od miesiąca",
            "value": f"{month:%m.%Y}: {_pct(rate_before)} → {_pct(fee.rate)} ceny godziny usług",
            "basis": "art. 106 ust. 5 u.p.s.",
        },
        *(st.as_dict() for st in fee.trace),
    ]
    table_rate = fee.rate if fee.rate_before_exemption is None else fee.rate_before_exemption
    who = "osoby samotnie gospodarującej" if single else "na osobę w rodzinie"
    if table_rate == rate_before:  # the income leaves the table's rate: only the exemption
        reason = (
            f"Dochód {who} wynosi obecnie {pln(income)}; stawka odpłatności według tabeli "
            f"obowiązującej od {date_pl(month)} pozostaje bez zmian ({_pct(table_rate)} ceny "
            "jednej godziny usług)."
        )
    else:
        reason = (
            f"Dochód {who} wynosi obecnie {pln(income)}, co według tabeli odpłatności "
            f"obowiązującej od {date_pl(month)} oznacza stawkę {_pct(table_rate)} ceny jednej "
            f"godziny usług; dotychczas Strona ponosiła odpłatność w wysokości {_pct(rate_before)}."
        )
    changing = decisions.decision_amend_draft(
        decision=decision,
        kind=DecisionKind.CHANGE,
        effective_from=month,
        actor=actor,
        lines=[order_line(order, since=month, rate=fee.rate, exemption=record)],
        reason=reason,
        trace=trace,
    )
    change = CareFeeChange.objects.create(
        order=order,
        decision=changing,
        effective_from=month,
        income=income,
        single=single,
        rate_before=rate_before,
        fee_rate=fee.rate,
        fee_basis=fee.basis[:300],
        fee_exemption=record,
        trace=trace,
        created_by=actor,
    )
    _timeline(
        order.case,
        "Projekt decyzji zmieniającej odpłatność za usługi",
        f"Od {month:%m.%Y}: {_pct(rate_before)} → {_pct(fee.rate)} ceny za godzinę"
        + (" (zwolnienie na wniosek)" if record else "")
        + ".",
        on,
        actor,
        f"fee-change-{change.pk}",
    )
    return change

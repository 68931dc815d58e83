"""Zmiana decyzji o usługach opiekuńczych od miesiąca — decyzją zmieniającą.

After an order has started, its terms change: the fee, when the client's income changes or
the client asks for an exemption (zwolnienie częściowe lub całkowite na wniosek, art. 50
ust. 6 u.p.s.), and the extent or scope (wymiar, zakres — art. 50 ust. 4), when the client
needs more or less help. The order and its signed decision are never edited: the clerk
drafts a changing decision (art. 106 ust. 5 u.p.s., acting for the future only) through the
decisions workflow, and the new terms apply to the months from the change once that decision
is enforceable (art. 130 KPA). Until then the months keep the earlier terms and no bill is
issued for a month the change covers (``orders.care_month_bill``), so a bill never states
terms about to change.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from ostoja.care import selectors
from ostoja.care.models import CareFeeChange, CareOrder
from ostoja.care.policy import CARE_FEE_TABLE, CareKind, MonthStatus
from ostoja.care.services._common import _columns, _fail, _need, _timeline, first_of_month
from ostoja.care.services.decided import care_extent, number_pl, order_line
from ostoja.care.services.orders import exemption_record, extent_errors, extent_limits
from ostoja.cases.polish import date_pl
from ostoja.core.dates import shift_months
from ostoja.core.errors import ConflictError, ValidationFailed
from ostoja.core.exemption import exemption_of
from ostoja.decisions import services as decisions
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.justification import CHANGE_REQUEST_STEP
from ostoja.law.benefits.uslugi_rozliczenie import care_fee_rate
from ostoja.law.errors import LawError
from ostoja.law.money import pln

FIELD = "effective_from"
REASON_MAX = 1000  # as the page's field: the reasons quote it whole


def _pct(value: Decimal) -> str:
    return f"{number_pl(value)}%"


@transaction.atomic
def care_order_change_draft(
    *,
    order: CareOrder,
    effective_from: date,
    actor: Any,
    on: date,
    income: Decimal | None = None,
    single: bool = False,
    exemption: str = "",
    exemption_percent: Decimal | None = None,
    exemption_requested_on: date | None = None,
    exemption_reason: str = "",
    hours_per_day: Decimal | None = None,
    days_per_week: int | None = None,
    hours_per_month: Decimal | None = None,
    scope: list[str] | None = None,
    extent_reason: str = "",
    requested_on: date | None = None,
    paper_issued_on: date | None = None,
) -> CareFeeChange:
    """Draft the changing decision setting the order's terms from the month ``effective_from``.

    The fee, when ``income`` is given: the table's rate for it (art. 50 ust. 6; ust. 7 for the
    SUO table), lowered by an exemption on request when one is given (``exemption`` and its
    fields as in ``care_order_create``); without ``income`` the fee in force stays. The extent
    and scope (art. 50 ust. 4), when given and different from those in force: checked as an
    order's are, with ``extent_reason`` — the circumstances the reasons state — required;
    ``requested_on``: the day the client asked for the change (the decision then says so
    instead of „bez jej zgody”). An order under a decision issued on paper is changed the same
    way: the changing decision names the paper decision by its number and ``paper_issued_on``,
    the day it was issued (asked once: a later change takes it from the first).

    Refused, at the field, when the order's decision is not one signed in Ostoja, when the
    month is not after the order's start, before this month or after its end, when that month
    or a later one is billed, when another change waits for its decision or already applies
    from that month or later, and when nothing would change."""
    _need(actor, "care.manage", order.case)
    # The order's row is the lock two clerks drafting a change at once queue on.
    # of=("self",): PostgreSQL cannot lock the nullable side of the join to the decision
    order = (
        CareOrder.objects.select_for_update(of=("self",))
        .select_related("decision")
        .get(pk=order.pk)
    )
    if income is not None and income < 0:
        raise _fail("income", "Dochód nie może być ujemny.")
    if income is None and (exemption or exemption_percent is not None):
        raise _fail(
            "income",
            "Podaj dochód obecnie — zwolnienie z opłaty liczy się od stawki z tabeli dla dochodu.",
        )
    if requested_on is not None and requested_on > on:
        raise _fail("requested_on", "Data wniosku nie może być późniejsza niż dzisiejsza.")
    decision = order.decision if order.decision_id is not None else None
    if decision is None:
        _paper_ready(order)
    elif not decision.is_signed:
        raise _fail(
            FIELD,
            "Decyzja przyznająca usługi nie jest jeszcze podpisana — warunki usług ustala się w "
            "jej projekcie (usuń projekt i wpisz zlecenie na właściwych warunkach), nie decyzją "
            "zmieniającą.",
        )
    month = _month_open_for_change(order, effective_from, on)
    changes = selectors.order_fee_changes(order)
    pending = selectors.pending_fee_change(order, changes)
    if pending is not None:
        raise ConflictError(
            f"Zmiana od {pending.change.effective_from:%m.%Y} czeka na decyzję zmieniającą, "
            "która nie jest jeszcze wykonalna — kolejną przygotujesz, gdy ta stanie się "
            "wykonalna albo gdy jej projekt zostanie usunięty."
        )
    # a change quashed on appeal (ended) sets nothing: a new one may take its month
    later = [r for r in changes if r.change.effective_from >= month and r.ended_on is None]
    if later:
        raise _fail(
            FIELD,
            f"Decyzję zmieniono już od {later[-1].change.effective_from:%m.%Y} — nowa zmiana "
            "może obowiązywać od późniejszego miesiąca.",
        )
    before, _ = selectors.terms_in_force(order, month, changes)
    after = _extent_after(order, before, month, hours_per_day, days_per_week, hours_per_month,
                          scope)  # fmt: skip
    extent_changed = not after.same_extent(before)
    if extent_changed and not extent_reason.strip():
        raise _fail(
            "extent_reason",
            "Podaj okoliczności, które uzasadniają zmianę wymiaru lub zakresu usług — "
            "uzasadnienie decyzji je wskazuje (art. 107 § 3 KPA).",
        )
    if len(extent_reason.strip()) > REASON_MAX:
        raise _fail("extent_reason", f"Okoliczności: najwyżej {REASON_MAX} znaków.")
    _columns_fit(extent_reason=extent_reason)
    fee_steps: list[dict[str, str]] = []
    fee_basis, record, fee_reason = "", dict(before.fee_exemption), ""
    if income is not None:
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
        if fee.rate == before.fee_rate and not extent_changed:
            raise _fail(
                "income",
                f"Stawka odpłatności od {month:%m.%Y} byłaby taka sama jak dotychczasowa "
                f"({_pct(before.fee_rate)}), a wymiar i zakres usług się nie zmieniają — "
                "decyzji zmieniającej się nie wydaje.",
            )
        record = exemption_record(waiver, fee)
        after = replace(after, fee_rate=fee.rate, fee_exemption=record)
        fee_basis = fee.basis[:300]
        fee_steps = [st.as_dict() for st in fee.trace]
        fee_reason = _fee_reason(fee, income, single, month, before.fee_rate)
        if before.fee_exemption and not record:  # said, not dropped in silence (art. 107 § 3)
            asked = date.fromisoformat(str(before.fee_exemption["requested_on"]))
            fee_reason += (
                f" Od {date_pl(month)} odpłatność ustala się bez zwolnienia przyznanego na "
                f"wniosek z dnia {date_pl(asked)} — Strona nie wniosła o jego dalsze stosowanie."
            )
    elif not extent_changed:
        raise _fail(
            "hours_per_month",
            "Nie zmieniono wymiaru ani zakresu usług, a dochodu nie podano — decyzja "
            "zmieniająca nie miałaby czego zmienić.",
        )
    if (
        requested_on is None
        and month <= first_of_month(on)
        and _to_the_partys_detriment(before, after)
    ):
        # Ex nunc (art. 106 ust. 5 u.p.s.): the services of this month were ordered and are
        # being delivered under the terms in force; a cut or a higher fee the client did not
        # ask for starts with the next month, not back on the 1st.
        raise _fail(
            FIELD,
            "Zmiana na niekorzyść Strony (mniej godzin, węższy zakres albo wyższa odpłatność), "
            "o którą nie wnosiła, działa na przyszłość — najwcześniej od następnego miesiąca "
            f"({shift_months(first_of_month(on), 1):%m.%Y}).",
        )
    trace = _trace(month, before, after, extent_changed, requested_on) + fee_steps
    reasons = [
        f"Wnioskiem z dnia {date_pl(requested_on)} Strona wystąpiła o zmianę decyzji."
        if requested_on is not None
        else "",
        _extent_reason(month, before, after, extent_reason) if extent_changed else "",
        fee_reason,
    ]
    lines = [order_line(order, since=month, terms=after)]
    reason = " ".join(r for r in reasons if r)
    if decision is not None:
        changing = decisions.decision_amend_draft(
            decision=decision, kind=DecisionKind.CHANGE, effective_from=month, actor=actor,
            lines=lines, reason=reason, trace=trace,
        )  # fmt: skip
    else:
        changing = _paper_change(order, changes, paper_issued_on, month, actor, lines, reason,
                                 trace)  # fmt: skip
    # the terms the decision states, in full (a later quash or revocation must not take from
    # this row what its own decision grants)
    extent = {
        "hours_per_day": after.hours_per_day, "days_per_week": after.days_per_week,
        "hours_per_month": after.hours_per_month, "scope": list(after.scope),
        "extent_reason": extent_reason.strip() if extent_changed else "",
        "extent_changed": extent_changed,
    }  # fmt: skip
    change = CareFeeChange.objects.create(
        order=order,
        decision=changing,
        effective_from=month,
        income=income,
        single=single if income is not None else False,
        rate_before=before.fee_rate,
        fee_rate=after.fee_rate,
        fee_basis=fee_basis or order.fee_basis,
        fee_exemption=record,
        requested_on=requested_on,
        trace=trace,
        created_by=actor,
        **extent,
    )
    what = []
    if extent_changed:
        what.append(f"{before.hours_per_month.normalize():f} → "
                    f"{after.hours_per_month.normalize():f} h w miesiącu")  # fmt: skip
    if after.fee_rate != before.fee_rate or income is not None:
        what.append(f"{_pct(before.fee_rate)} → {_pct(after.fee_rate)} ceny za godzinę"
                    + (" (zwolnienie na wniosek)" if record else ""))  # fmt: skip
    _timeline(
        order.case,
        "Projekt decyzji zmieniającej usługi opiekuńcze",
        f"Od {month:%m.%Y}: " + "; ".join(what) + ".",
        on,
        actor,
        f"fee-change-{change.pk}",
    )
    return change


def _to_the_partys_detriment(before: selectors.CareTerms, after: selectors.CareTerms) -> bool:
    """Fewer hours or days, a task taken away, or a higher fee."""
    return (
        after.hours_per_month < before.hours_per_month
        or after.hours_per_day < before.hours_per_day
        or after.days_per_week < before.days_per_week
        or bool(set(before.scope) - set(after.scope))
        or after.fee_rate > before.fee_rate
    )


def _paper_ready(order: CareOrder) -> None:
    """A paper decision's order is changed once its decision is on record as enforceable (the
    day it became final or got rygor natychmiastowej wykonalności, art. 130 KPA)."""
    if not order.decision_number:
        raise _fail(
            FIELD,
            "Zlecenie nie ma jeszcze decyzji — przygotuj ją na stronie zlecenia; zmienia się "
            "decyzję wydaną.",
        )
    if order.paper_enforceable_from is None:
        raise _fail(
            FIELD,
            f"Przy decyzji papierowej nr {order.decision_number} nie wpisano dnia, w którym "
            "stała się ostateczna lub wykonalna — uzupełnij go na stronie zlecenia, zanim ją "
            "zmienisz.",
        )


def _paper_change(
    order: CareOrder,
    changes: list[selectors.FeeChangeRow],
    issued_on: date | None,
    month: date,
    actor: Any,
    lines: list[dict[str, Any]],
    reason: str,
    trace: list[dict[str, str]],
) -> Any:
    """Draft the decision changing the order's paper decision (art. 106 ust. 5 u.p.s.): it
    names that decision by its number and the day it was issued, as printed on it."""
    issued_on = selectors.paper_issued_on(order, changes) or issued_on
    if issued_on is None:
        raise _fail(
            "paper_issued_on",
            f"Podaj datę wydania decyzji papierowej nr {order.decision_number} — decyzja "
            "zmieniająca wskazuje ją numerem i datą.",
        )
    enforceable = order.paper_enforceable_from
    if enforceable is not None and issued_on > enforceable:
        raise _fail(
            "paper_issued_on",
            "Decyzję wydaje się, zanim stanie się ostateczna lub wykonalna — data wydania nie "
            f"może być późniejsza niż {enforceable:%d.%m.%Y}.",
        )
    application = selectors.case_application(case=order.case)
    if application is None or not application.reference:
        raise _fail(
            FIELD,
            "W sprawie nie ma wniosku ze znakiem sprawy — decyzja zmieniająca nosi znak sprawy; "
            "najpierw zarejestruj wniosek.",
        )
    return decisions.decision_create_change(
        case=order.case, addressee=order.person, actor=actor, refers_to=None,
        refers_to_paper=(order.decision_number, issued_on), effective_from=month, lines=lines,
        application=application, case_reference=application.reference, reason_text=reason,
        trace=[
            {"step": "Decyzja zmieniana / uchylana",
             "value": f"{order.decision_number} z dnia {issued_on:%d.%m.%Y} (decyzja papierowa)",
             "basis": "art. 106 ust. 5 u.p.s."},
            *trace,
        ],
    )  # fmt: skip


def _month_open_for_change(order: CareOrder, effective_from: date, on: date) -> date:
    """The first day of the month a change may start: after the order's first month, within
    its period and decision, not before this month, and no bill issued for it or later."""
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
            f"Za {billed.month:%m.%Y} wystawiono już rachunek — zmiana może obowiązywać od "
            "miesiąca, za który rachunku jeszcze nie wystawiono.",
        )
    return month


def _extent_after(
    order: CareOrder,
    before: selectors.CareTerms,
    month: date,
    hours_per_day: Decimal | None,
    days_per_week: int | None,
    hours_per_month: Decimal | None,
    scope: list[str] | None,
) -> selectors.CareTerms:
    """The extent and scope after the change: each one given, or the one in force; checked as
    an order's (the Kielce daily limit in force in ``month``)."""
    after = replace(
        before,
        hours_per_day=before.hours_per_day if hours_per_day is None else hours_per_day,
        days_per_week=before.days_per_week if days_per_week is None else days_per_week,
        hours_per_month=before.hours_per_month if hours_per_month is None else hours_per_month,
        scope=before.scope if scope is None else tuple(scope),
    )
    errors: dict[str, list[str]] = {}
    extent_errors(errors, list(after.scope), after.hours_per_day, after.days_per_week,
                  after.hours_per_month)  # fmt: skip
    _columns(errors, CareOrder, hours_per_day=after.hours_per_day,
             hours_per_month=after.hours_per_month)  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    if not after.same_extent(before):
        extent_limits(order.service_kind, after.hours_per_day, after.days_per_week,
                      after.hours_per_month, order.living_alone, on=month)  # fmt: skip
    return after


def _columns_fit(**values: str) -> None:
    errors: dict[str, list[str]] = {}
    _columns(errors, CareFeeChange, **values)
    if errors:
        raise ValidationFailed(errors)


def _trace(
    month: date,
    before: selectors.CareTerms,
    after: selectors.CareTerms,
    extent_changed: bool,
    requested_on: date | None,
) -> list[dict[str, str]]:
    steps = []
    if requested_on is not None:  # read by the reasons: the change was asked for
        steps.append({"step": CHANGE_REQUEST_STEP,
                      "value": f"z dnia {requested_on:%d.%m.%Y}", "basis": "art. 106 ust. 5 "
                      "u.p.s."})  # fmt: skip
    if extent_changed:
        steps.append({
            "step": "Zmiana wymiaru lub zakresu usług od miesiąca",
            "value": f"{month:%m.%Y}: {care_extent(before)} → {care_extent(after)}",
            "basis": "art. 50 ust. 4 u.p.s.",
        })  # fmt: skip
    rates = (
        f"{_pct(before.fee_rate)} → {_pct(after.fee_rate)} ceny godziny usług"
        if after.fee_rate != before.fee_rate
        else f"{_pct(after.fee_rate)} ceny godziny usług (bez zmian)"
    )
    steps.append({
        "step": "Zmiana odpłatności od miesiąca",
        "value": f"{month:%m.%Y}: {rates}",
        "basis": "art. 106 ust. 5 u.p.s.",
    })  # fmt: skip
    return steps


def _extent_reason(
    month: date, before: selectors.CareTerms, after: selectors.CareTerms, why: str
) -> str:
    reason = why.strip().rstrip(" .;,")
    if reason[1:2].islower():  # „Pogorszenie…” → „pogorszenie…”, but „ZOL odmówił…” stays
        reason = reason[:1].lower() + reason[1:]
    return (
        f"Od {date_pl(month)} zmienia się wymiar lub zakres usług: dotychczas przyznano je "
        f"{care_extent(before)}, a od tego dnia {care_extent(after)}. Okoliczności "
        f"uzasadniające zmianę: {reason}."
    )


def _fee_reason(fee: Any, income: Decimal, single: bool, month: date, rate_before: Decimal) -> str:
    table_rate = fee.rate if fee.rate_before_exemption is None else fee.rate_before_exemption
    who = "osoby samotnie gospodarującej" if single else "na osobę w rodzinie"
    if table_rate == rate_before:  # the income leaves the table's rate: only the exemption
        return (
            f"Dochód {who} wynosi obecnie {pln(income)}; stawka odpłatności według tabeli "
            f"obowiązującej od {date_pl(month)} pozostaje bez zmian ({_pct(table_rate)} ceny "
            "jednej godziny usług)."
        )
    return (
        f"Dochód {who} wynosi obecnie {pln(income)}, co według tabeli odpłatności "
        f"obowiązującej od {date_pl(month)} oznacza stawkę {_pct(table_rate)} ceny jednej "
        f"godziny usług; dotychczas Strona ponosiła odpłatność w wysokości {_pct(rate_before)}."
    )

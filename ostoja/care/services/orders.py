"""Care-services orders (art. 50 u.p.s.): the order of a decision, the month's hours and
the client's bill, the receivable of an unpaid bill and the provider's invoice check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum

from ostoja.care import selectors
from ostoja.care.models import (
    CareMonth,
    CareMonthCorrection,
    CareMonthPayment,
    CareMonthRevision,
    CareOrder,
    Carer,
    Provider,
    ProviderContract,
    ProviderInvoice,
)
from ostoja.care.policy import (
    CARE_BUDGET_LINE,
    CARE_FEE_TABLE,
    SCOPE_LABELS,
    CareKind,
    CorrectionStatus,
    MonthStatus,
    ProviderKind,
)
from ostoja.care.services._common import (
    BILL_PAYMENT_DAYS,
    ZERO,
    _columns,
    _fail,
    _member_of,
    _need,
    _timeline,
    bill_addressee,
    first_of_month,
)
from ostoja.care.services.month_correction import month_current, month_paid
from ostoja.care.services.providers import contract_in_force
from ostoja.cases.models import Case
from ostoja.core.concurrency import save_versioned
from ostoja.core.dates import local_date, shift_months
from ostoja.core.errors import ConflictError, ValidationFailed
from ostoja.core.exemption import exemption_of
from ostoja.decisions.choices import DecisionKind
from ostoja.law.benefits.exemption import FeeExemption
from ostoja.law.benefits.uslugi_rozliczenie import (
    FeeRate,
    care_fee_rate,
    care_month_settlement,
)
from ostoja.law.errors import LawError
from ostoja.law.money import pln
from ostoja.law.store import default_store

# ------------------------------------------------------------------ care orders


@transaction.atomic
def care_order_create(
    *,
    case: Case,
    person: Any,
    decision_number: str,
    service_kind: str,
    scope: list[str],
    hours_per_day: Decimal,
    days_per_week: int,
    hours_per_month: Decimal,
    period_from: date,
    period_until: date,
    place: str,
    living_alone: bool,
    contract: ProviderContract,
    income: Decimal,
    single: bool,
    actor: Any,
    on: date,
    decision: Any = None,
    paper_enforceable_from: date | None = None,
    exemption: str = "",
    exemption_percent: Decimal | None = None,
    exemption_requested_on: date | None = None,
    exemption_reason: str = "",
) -> CareOrder:
    """Record the order of a care-services decision (art. 50 u.p.s.): scope, hours, period,
    place and provider. The fee rate comes from the law core's fee table for the client's
    income (art. 50 ust. 6 Kielce table; ust. 7 national SUO table); the Kielce hours limit
    (6 h a day, 8 h for a person living alone) is checked.

    Three ways to the decision: a number of a decision in Ostoja's register links it; a blank
    number leaves the order waiting for the decision drafted from it
    (``care_order_decision_draft``); any other number is a paper decision and needs
    ``paper_enforceable_from``: the day it became final or got rygor natychmiastowej
    wykonalności (art. 130 KPA). No hours are settled for a month before the decision is
    enforceable; ``actor`` is recorded as the one who typed the paper day.

    ``exemption`` — ``"czesciowe"`` (``exemption_percent`` of the fee waived) or ``"calkowite"``:
    an exemption on the client's request of ``exemption_requested_on`` for the circumstance
    ``exemption_reason`` (art. 50 ust. 6 u.p.s., on the resolution's terms): the order's rate
    is the table's lowered by it, and the decision drafted from the order states it."""
    _need(actor, "care.manage", case)
    errors: dict[str, list[str]] = {}
    if service_kind not in CareKind.values:
        errors["service_kind"] = ["Wybierz rodzaj usług."]
    extent_errors(errors, scope, hours_per_day, days_per_week, hours_per_month)
    if period_until < period_from:
        errors["period_until"] = ["Koniec okresu nie może poprzedzać jego początku."]
    if not place.strip():
        errors["place"] = ["Podaj miejsce świadczenia usług."]
    if income is None or income < 0:
        errors["income"] = ["Podaj dochód (nie może być ujemny)."]
    _columns(
        errors,
        CareOrder,
        decision_number=decision_number,
        place=place,
        hours_per_day=hours_per_day,
        hours_per_month=hours_per_month,
    )
    if errors:
        raise ValidationFailed(errors)
    extent_limits(service_kind, hours_per_day, days_per_week, hours_per_month, living_alone,
                  on=period_from)  # fmt: skip
    if contract.service_kind != service_kind:
        raise _fail("contract", "Umowa wykonawcy dotyczy innego rodzaju usług.")
    if not contract_in_force(contract=contract, on=period_from):
        raise _fail("contract", "Umowa wykonawcy nie obowiązuje w pierwszym dniu okresu usług.")
    _member_of(case, person)
    decision = _order_decision(case, decision, decision_number, service_kind)
    _paper_day(decision, decision_number, paper_enforceable_from, period_from, period_until, on)
    provider = contract.provider
    if (service_kind == CareKind.NEIGHBOUR) != (provider.kind == ProviderKind.NEIGHBOUR):
        raise _fail(
            "contract",
            "Usługi sąsiedzkie świadczy osoba z sąsiedztwa, a inne usługi — wykonawca usług.",
        )
    waiver = exemption_of(exemption, exemption_percent, exemption_requested_on,
                          exemption_reason, today=on, part_is="percent")  # fmt: skip
    try:
        fee = care_fee_rate(
            table_name=CARE_FEE_TABLE[CareKind(service_kind)], income=income, single=single,
            on=on, exemption=waiver,
        )  # fmt: skip
    except LawError as exc:  # the exemption cannot be granted: said at its field
        field = "exemption_percent" if waiver and not waiver.total else "exemption"
        raise _fail(field, str(exc)) from exc
    order = CareOrder.objects.create(
        case=case,
        unit_id=case.unit_id,
        person=person,
        decision=decision,
        decision_number=(decision.number if decision is not None and decision.number else "")
        or decision_number.strip(),
        paper_enforceable_from=paper_enforceable_from,
        paper_enforceable_by=actor if paper_enforceable_from is not None else None,
        service_kind=service_kind,
        scope=list(scope),
        hours_per_day=hours_per_day,
        days_per_week=days_per_week,
        hours_per_month=hours_per_month,
        period_from=period_from,
        period_until=period_until,
        place=place.strip(),
        living_alone=living_alone,
        provider=provider,
        contract=contract,
        fee_rate=fee.rate,
        fee_basis=fee.basis[:300],
        fee_exemption=exemption_record(waiver, fee),
        budget_line=CARE_BUDGET_LINE[CareKind(service_kind)],
        created_by=actor,
    )
    _timeline(
        case,
        f"Zlecenie usług: {order.get_service_kind_display()}",
        f"Decyzja {order.decision_ref}"
        + (
            f" (ostateczna lub wykonalna od {paper_enforceable_from:%d.%m.%Y})"
            if order.paper_enforceable_from
            else ""
        )
        + f"; {hours_per_month} h/mies.; wykonawca {provider.name}; "
        f"odpłatność {fee.rate}% ceny za godzinę.",
        on,
        actor,
        f"order-{order.pk}",
    )
    return order


def extent_errors(
    errors: dict[str, list[str]],
    scope: list[str],
    hours_per_day: Decimal | None,
    days_per_week: int | None,
    hours_per_month: Decimal | None,
) -> None:
    """The extent and scope of services a decision sets (art. 50 ust. 4 u.p.s.), field by
    field, into ``errors``."""
    bad_scope = [s for s in scope if s not in SCOPE_LABELS]
    if not scope or bad_scope:
        errors["scope"] = ["Zaznacz zakres usług z listy."]
    if hours_per_day is None or hours_per_day <= 0:
        errors["hours_per_day"] = ["Liczba godzin dziennie musi być większa od zera."]
    if days_per_week is None or not 1 <= days_per_week <= 7:
        errors["days_per_week"] = ["Liczba dni w tygodniu: od 1 do 7."]
    if hours_per_month is None or hours_per_month <= 0:
        errors["hours_per_month"] = ["Miesięczny limit godzin musi być większy od zera."]


def extent_limits(
    service_kind: str,
    hours_per_day: Decimal,
    days_per_week: int,
    hours_per_month: Decimal,
    living_alone: bool,
    *,
    on: date,
) -> None:
    """The Kielce hours limit in force ``on`` (6 h a day, 8 h for a person living alone) and a
    monthly limit the days can hold; refused at the field."""
    if service_kind in (CareKind.UO, CareKind.SUO, CareKind.NEIGHBOUR):
        limits = default_store().get("kielce_uslugi_limity", on)
        cap = limits["max_hours_per_day_alone"] if living_alone else limits["max_hours_per_day"]
        if hours_per_day > cap:
            raise _fail("hours_per_day", f"Najwyżej {cap} h dziennie ({limits.source}).")
    if hours_per_month > hours_per_day * days_per_week * 5:
        raise _fail(
            "hours_per_month",
            "Miesięczny limit godzin przekracza godziny dzienne × dni w tygodniu × 5 tygodni.",
        )


def exemption_record(waiver: FeeExemption | None, fee: FeeRate) -> dict[str, Any]:
    """An exemption on request as a care record keeps it (``CareOrder.fee_exemption``,
    ``CareFeeChange.fee_exemption``): the request and the law core's step stating it."""
    if waiver is None:
        return {}
    return {
        "kind": "calkowite" if waiver.total else "czesciowe",
        "percent": None if waiver.percent is None else str(waiver.percent),
        "requested_on": waiver.requested_on.isoformat(),
        "reason": waiver.reason,
        "rate_before": str(fee.rate_before_exemption),
        "step": fee.trace[-1].step,
        "figures": fee.trace[-1].value,
        "basis": fee.trace[-1].basis,
    }


def _order_decision(case: Case, decision: Any, number: str, service_kind: str) -> Any:
    """The decision record behind an order: the one given, or the case's decision with the
    typed number (linked so the order waits for its enforceability); it must grant these
    services in this case (art. 50 u.p.s.)."""
    from ostoja.care.services.decided import ORDER_BENEFIT

    decision = decision or selectors.case_decision_by_number(case=case, number=number)
    if decision is None:
        return None
    benefit = ORDER_BENEFIT[CareKind(service_kind)]
    grants = decision.kind == DecisionKind.GRANT and any(
        ln.granted and ln.benefit == benefit for ln in decision.lines.all()
    )
    if decision.case_id != case.pk or not grants:
        raise _fail("decision_number", "Ta decyzja nie przyznaje tych usług w tej sprawie.")
    return decision


PAPER_DAY = "paper_enforceable_from"


def _paper_day(
    decision: Any,
    number: str,
    day: date | None,
    period_from: date,
    period_until: date,
    on: date,
) -> None:
    """Art. 130 KPA for an order behind a paper decision: the day it became final or
    immediately enforceable is required, known (not after today) and within the period; an
    order linked to a decision in the register, or waiting for one drafted in Ostoja, takes
    that day from the register instead."""
    if decision is not None or not number.strip():
        if day is not None:
            raise _fail(
                PAPER_DAY,
                "Decyzja o tym numerze jest w rejestrze Ostoi — dzień jej wykonalności wynika "
                "z rejestru; pozostaw to pole puste."
                if decision is not None
                else "Bez numeru decyzji papierowej nie podaje się dnia jej wykonalności — "
                "decyzję przygotujesz w Ostoi na stronie zlecenia.",
            )
        return
    if day is None:
        raise _fail(
            PAPER_DAY,
            "Decyzji o tym numerze nie ma w rejestrze Ostoi — podaj dzień, w którym decyzja "
            "papierowa stała się ostateczna albo otrzymała rygor natychmiastowej wykonalności "
            "(art. 130 KPA).",
        )
    if day > on:
        raise _fail(PAPER_DAY, "Dzień wykonalności decyzji nie może być późniejszy niż dzisiejszy.")
    if day > period_until:
        raise _fail(
            PAPER_DAY,
            "Decyzja stała się wykonalna po końcu okresu usług — w tym okresie nie ma godzin "
            "do rozliczenia.",
        )


@transaction.atomic
def care_order_paper_day_record(
    *, order: CareOrder, enforceable_from: date | None, actor: Any, on: date, expected_version: int
) -> CareOrder:
    """Record, for an order typed before this rule with only a paper decision's number, the day
    that decision became final or immediately enforceable (art. 130 KPA). Recorded once, by
    ``actor`` (audited); months before that day are not settled."""
    _need(actor, "care.manage", order.case)
    if order.decision_id is not None or order.paper_enforceable_from is not None:
        raise ConflictError("Dzień wykonalności decyzji tego zlecenia jest już znany.")
    if not order.decision_number:
        raise ConflictError("Zlecenie czeka na decyzję przygotowaną w Ostoi, nie papierową.")
    _paper_day(
        None, order.decision_number, enforceable_from, order.period_from, order.period_until, on
    )
    order.paper_enforceable_from = enforceable_from
    order.paper_enforceable_by = actor
    save_versioned(order, expected_version=expected_version)
    _timeline(
        order.case,
        "Zlecenie usług: dzień wykonalności decyzji",
        f"Decyzja {order.decision_number} ostateczna lub wykonalna od {enforceable_from:%d.%m.%Y}.",
        on,
        actor,
        f"order-{order.pk}-paper",
    )
    return order


def _months_between(start: date, end: date) -> list[date]:
    out, cur = [], first_of_month(start)
    while cur <= end:
        out.append(cur)
        cur = shift_months(cur, 1)
    return out


@transaction.atomic
def care_month_report(
    *,
    order: CareOrder,
    month: date,
    hours_delivered: Decimal,
    actor: Any,
    now: datetime,
    carer: Carer | None = None,
    expected_version: int | None = None,
) -> CareMonth:
    """Record the hours delivered in ``month`` (the provider's timesheet) and settle it: the
    client's fee and the provider's due amount (law core, art. 50). Reporting the same month
    again is a correction: it needs the version read (optimistic locking) and is refused once
    the month is billed — a billed month is never changed."""
    _need(actor, "care.manage", order.case)
    month = first_of_month(month)
    if month not in _months_between(order.period_from, order.period_until):
        raise _fail("month", "Miesiąc poza okresem usług z decyzji.")
    if hours_delivered is None or hours_delivered < 0:
        raise _fail("hours_delivered", "Liczba zrealizowanych godzin nie może być ujemna.")
    if carer is not None and carer.provider_id != order.provider_id:
        raise _fail("carer", "Opiekun nie pracuje u wykonawcy tego zlecenia.")
    active_from = selectors.order_active_from(order)
    if order.decision_id is None and not order.decision_number:
        raise _fail(
            "month",
            "Zlecenie nie ma jeszcze decyzji — przygotuj ją na stronie zlecenia; godzin nie "
            "rozlicza się przed jej wykonalnością (art. 130 KPA).",
        )
    if order.decision_id is None and order.paper_enforceable_from is None:
        raise _fail(
            "month",
            "Przy zleceniu z decyzji papierowej nie wpisano dnia, w którym stała się ostateczna "
            "lub wykonalna (art. 130 KPA) — uzupełnij go na stronie zlecenia.",
        )
    if active_from is None or active_from > local_date(now):
        raise _fail(
            "month",
            "Decyzja przyznająca usługi nie jest jeszcze wykonalna — nie jest ostateczna ani nie "
            "ma rygoru natychmiastowej wykonalności (art. 130 KPA); godzin się nie rozlicza.",
        )
    if shift_months(month, 1) <= active_from:
        raise _fail(
            "month",
            f"Decyzja jest wykonalna dopiero od {active_from:%d.%m.%Y} (art. 130 KPA) — godzin za "
            f"{month:%m.%Y} się nie rozlicza.",
        )
    changes = selectors.order_fee_changes(order)
    end = selectors.order_end(order, changes)
    if end is not None and month >= end.on:
        raise _fail(
            "month",
            f"Usługi z tego zlecenia przestały obowiązywać {end.by} — godzin za {month:%m.%Y} "
            "się nie rozlicza. Jeżeli usługi trwają na nowych warunkach, wpisz nowe zlecenie.",
        )
    contract = order.contract
    if not contract_in_force(contract=contract, on=max(month, order.period_from)):
        raise _fail("month", "Umowa z wykonawcą nie obowiązuje w tym miesiącu.")
    # The terms in force for the month: the order's, or a changing decision's once enforceable.
    terms, _ = selectors.terms_in_force(order, month, changes)
    fee_rate = terms.fee_rate
    s = care_month_settlement(
        hours_ordered=terms.hours_per_month,
        hours_delivered=hours_delivered,
        hourly_price=contract.hourly_rate,
        fee_rate=fee_rate,
    )
    values = {
        "carer": carer,
        "hours_ordered": terms.hours_per_month,
        "hours_delivered": hours_delivered,
        "excess_hours": s.excess_hours,
        "hourly_price": contract.hourly_rate,
        "fee_rate": fee_rate,
        "client_fee": s.client_fee,
        "provider_due": s.provider_due,
        "trace": [st.as_dict() for st in s.trace],
        "reported_by": actor,
        "reported_at": now,
    }
    existing = CareMonth.objects.select_for_update().filter(order=order, month=month).first()
    if existing is None:
        try:
            with transaction.atomic():
                row = CareMonth.objects.create(order=order, month=month, **values)
        except IntegrityError as exc:
            raise ConflictError() from exc
    else:
        if existing.status != MonthStatus.REPORTED:
            raise ConflictError(
                "Za ten miesiąc wystawiono już rachunek — zgłoszenia nie zmienia się; godziny "
                "poprawia rachunek korygujący („Korekta godzin” przy tym miesiącu)."
            )
        if expected_version is None:
            raise ConflictError(
                "Za ten miesiąc zgłoszono już godziny — użyj „Popraw” przy tym miesiącu."
            )
        if existing.version != expected_version:
            raise ConflictError()
        # Reported, not yet billed: the report is made again; the one it replaces is kept.
        replaced = CareMonthRevision.objects.create(
            month=existing,
            version=existing.version,
            replaced_by=actor,
            replaced_at=now,
            **{f: getattr(existing, f) for f in REVISION_FIELDS},
        )
        for k, v in values.items():
            setattr(existing, k, v)
        save_versioned(existing, expected_version=expected_version)
        row = existing
        _timeline(
            order.case,
            f"Usługi opiekuńcze: poprawiono zgłoszenie za {month:%m.%Y}",
            f"{hours_delivered} h (było {replaced.hours_delivered} h); "
            f"opłata {pln(row.client_fee)}.",
            local_date(now),
            actor,
            f"month-{row.pk}-v{row.version}",
        )
    return row


# The report's own values, copied into a revision when a report is replaced.
REVISION_FIELDS = (
    "carer", "hours_ordered", "hours_delivered", "excess_hours", "hourly_price", "fee_rate",
    "client_fee", "provider_due", "trace", "reported_by", "reported_at",
)  # fmt: skip


def _rate_settled(month: CareMonth) -> None:
    """A bill states the terms in force for its month (art. 50 u.p.s.): refused while a
    changing decision covering the month is not yet enforceable, and when the month was
    reported before one became enforceable — its rate or its hours granted differ (the report
    is made again to recompute it)."""
    changes = selectors.order_fee_changes(month.order)
    pending = selectors.pending_fee_change(month.order, changes)
    label = f"{month.month:%m.%Y}"
    if pending is not None and pending.change.effective_from <= month.month:
        raise ConflictError(
            f"Warunki usług od {pending.change.effective_from:%m.%Y} zmienia decyzja "
            "zmieniająca, która nie jest jeszcze wykonalna (art. 130 KPA) — rachunek za "
            f"{label} wystawisz, gdy stanie się wykonalna."
        )
    terms, row = selectors.terms_in_force(month.order, month.month, changes)
    since = f" od {row.change.effective_from:%m.%Y}" if row is not None else ""
    redo = (
        " (decyzja zmieniająca) — popraw zgłoszenie godzin za ten miesiąc („Popraw godziny”), "
        "by je przeliczyć, i wtedy wystaw rachunek."
    )
    if terms.fee_rate != month.fee_rate:
        raise ConflictError(
            f"Godziny za {label} rozliczono według stawki {month.fee_rate.normalize():f}%, a"
            f"{since} obowiązuje {terms.fee_rate.normalize():f}%{redo}"
        )
    if terms.hours_per_month != month.hours_ordered:
        raise ConflictError(
            f"Godziny za {label} rozliczono przy {month.hours_ordered.normalize():f} h "
            f"przyznanych w miesiącu, a{since} przyznano {terms.hours_per_month.normalize():f} h"
            f"{redo}"
        )


@transaction.atomic
def care_month_bill(*, month: CareMonth, actor: Any, on: date, expected_version: int) -> CareMonth:
    """Issue the client's monthly fee bill (rachunek za usługi) for a reported month."""
    _need(actor, "care.bill", month.order.case)
    # The order's row is the lock a change being drafted holds: a bill and a change from the
    # same month at once never miss each other (the change refuses a billed month; the bill
    # waits for a pending change).
    CareOrder.objects.select_for_update(of=("self",)).filter(pk=month.order_id).first()
    if month.status != MonthStatus.REPORTED:
        raise ConflictError("Rachunek za ten miesiąc został już wystawiony.")
    if on < month.month:
        raise _fail("billed_on", "Rachunku nie można wystawić przed miesiącem usług.")
    _rate_settled(month)
    month.status = MonthStatus.BILLED if month.client_fee > 0 else MonthStatus.PAID
    month.billed_on = on
    month.bill_addressee = bill_addressee(month.order.person)
    month.due_on = on + timedelta(days=BILL_PAYMENT_DAYS)
    if month.client_fee == 0:
        month.paid_on = on
    save_versioned(month, expected_version=expected_version)
    label = month.month.strftime("%m.%Y")
    _timeline(
        month.order.case,
        f"Rachunek za usługi opiekuńcze za {label}",
        f"{month.hours_delivered} h; opłata {pln(month.client_fee)}; "
        f"termin {month.due_on:%d.%m.%Y}.",
        on,
        actor,
        f"bill-{month.pk}",
    )
    return month


@transaction.atomic
def care_month_paid(
    *,
    month: CareMonth,
    actor: Any,
    on: date,
    expected_version: int,
    amount: Decimal | None = None,
    paid_on: date | None = None,
) -> CareMonth:
    """Record a client's payment for the month's bill: ``amount`` (all that is left to pay when
    not given — the corrected fee less what they paid before, e.g. a dopłata after a correcting
    bill raised a paid month's fee) paid on ``paid_on`` (``on`` when not given). A payment of
    part leaves the bill open for the rest; the last one settles it. Each payment is a row of
    its own, never changed (issue 15); the page's version guards against recording it twice."""
    _need(actor, "care.bill", month.order.case)
    if month.status != MonthStatus.BILLED:
        raise ConflictError("Wpłatę można zapisać tylko dla wystawionego, nieopłaconego rachunku.")
    owed = month_current(month)[2] - month_paid(month)
    paid_on = paid_on or on
    if paid_on > on:
        raise _fail("paid_on", "Data wpłaty nie może być późniejsza niż dzisiejsza.")
    if month.billed_on is not None and paid_on < month.billed_on:
        raise _fail(
            "paid_on",
            f"Data wpłaty jest wcześniejsza niż rachunek z {month.billed_on:%d.%m.%Y}.",
        )
    if amount is not None and amount <= 0:
        raise _fail("amount", "Kwota wpłaty musi być większa od zera.")
    if amount is not None and amount > owed:
        raise _fail(
            "amount",
            f"Do zapłaty za ten miesiąc pozostało {pln(max(owed, Decimal('0')))} — "
            f"wpłata {pln(amount)} jest wyższa (nadpłaty nie zapisuje się).",
        )
    amount = owed if amount is None else amount
    row = None
    if amount > 0:
        row = CareMonthPayment.objects.create(
            month=month, paid_on=paid_on, amount=amount, recorded_by=actor
        )
    if amount >= owed:
        month.status = MonthStatus.PAID
        month.paid_on = paid_on
    save_versioned(month, expected_version=expected_version)
    if row is not None:
        _timeline(
            month.order.case,
            f"Wpłata za usługi opiekuńcze za {month.month:%m.%Y}",
            f"{pln(amount)} wpłacono {paid_on:%d.%m.%Y}"
            + (f"; pozostaje {pln(owed - amount)}" if amount < owed else "; rachunek opłacony"),
            on,
            actor,
            f"payment-{row.pk}",
        )
    return month


@transaction.atomic
def care_month_to_receivable(
    *, month: CareMonth, actor: Any, on: date, expected_version: int
) -> CareMonth:
    """An unpaid bill after its payment date becomes a receivable in payments (once)."""
    from ostoja.payments import services as payments_services

    if month.receivable_id is not None or month.status == MonthStatus.UNPAID:
        raise ConflictError("Należność z tego rachunku jest już zarejestrowana.")
    if month.status != MonthStatus.BILLED or month.due_on is None:
        raise ConflictError("Należność powstaje tylko z wystawionego, nieopłaconego rachunku.")
    if on <= month.due_on:
        raise _fail("on", f"Termin płatności mija {month.due_on:%d.%m.%Y}.")
    # What the client owes as the month stands: a correcting bill replaces the bill's fee
    # (issue 15) — the receivable is never the superseded amount.
    paid = month_paid(month)
    fee = month_current(month)[2] - paid
    if fee <= 0:
        raise ConflictError(
            "Po rachunku korygującym opłata za ten miesiąc wynosi 0,00 zł — nie ma należności."
            if paid == 0
            else "Opłata za ten miesiąc po rachunku korygującym jest już zapłacona."
        )
    # a dopłata after a correcting bill is owed from that bill, not from the first one; the
    # rest of a bill paid in part is owed from the bill
    surcharge = (
        month.corrections.filter(status=CorrectionStatus.CONFIRMED, surcharge__gt=0)
        .order_by("-decided_at", "-pk")
        .first()
        if paid > 0
        else None
    )
    order = month.order
    person = order.person
    rec = payments_services.receivable_register(
        person_id=person.pk,
        case_id=order.case_id,
        debtor_name=f"{person.first_name} {person.last_name}",
        decision_number=order.number_known,
        decided_on=(surcharge.billed_on if surcharge else None) or month.billed_on or on,
        due_date=month.due_on,
        principal=fee,
        reason=(
            f"Nieopłacona dopłata z rachunku korygującego za usługi opiekuńcze za "
            f"{month.month:%m.%Y} (art. 50 ust. 6 u.p.s.)"
            if surcharge
            else f"Nieopłacona część rachunku za usługi opiekuńcze za {month.month:%m.%Y} "
            f"(wpłacono {pln(paid)}) (art. 50 ust. 6 u.p.s.)"
            if paid > 0
            else f"Nieopłacony rachunek za usługi opiekuńcze za {month.month:%m.%Y} "
            + ("(po korekcie) " if fee != month.client_fee else "")
            + "(art. 50 ust. 6 u.p.s.)"
        ),
        actor=actor,
    )
    month.status = MonthStatus.UNPAID
    month.receivable_id = rec.pk
    save_versioned(month, expected_version=expected_version)
    return month


@dataclass(frozen=True)
class InvoiceCheck:
    hours_expected: Decimal
    amount_expected: Decimal
    findings: list[str]


def invoice_expectation(*, provider: Provider, month: date) -> InvoiceCheck:
    rows = CareMonth.objects.filter(order__provider=provider, month=first_of_month(month))
    agg = rows.aggregate(h=Sum("hours_delivered"), x=Sum("excess_hours"), a=Sum("provider_due"))
    hours = (agg["h"] or ZERO) - (agg["x"] or ZERO)
    # Billed months corrected by a correcting bill (never edited): their differences count.
    fixes = CareMonthCorrection.objects.filter(
        month__in=rows, status=CorrectionStatus.CONFIRMED
    ).aggregate(h=Sum("paid_hours_difference"), a=Sum("provider_due_difference"))
    amount = (agg["a"] or Decimal("0.00")) + (fixes["a"] or ZERO)
    return InvoiceCheck(hours + (fixes["h"] or ZERO), amount, [])


@transaction.atomic
def provider_invoice_check(
    *,
    provider: Provider,
    number: str,
    month: date,
    hours_invoiced: Decimal,
    amount_invoiced: Decimal,
    actor: Any,
    on: date,
) -> ProviderInvoice:
    """Check a provider's invoice against the month's timesheets: hours and amount must match
    the hours delivered within the decisions' ceilings at the contract rate (services.md §5.4)."""
    _need(actor, "care.check_invoices")
    if not number.strip():
        raise _fail("number", "Podaj numer faktury.")
    if hours_invoiced is None or hours_invoiced < 0:
        raise _fail("hours_invoiced", "Liczba godzin na fakturze nie może być ujemna.")
    if amount_invoiced is None or amount_invoiced < 0:
        raise _fail("amount_invoiced", "Kwota faktury nie może być ujemna.")
    month = first_of_month(month)
    exp = invoice_expectation(provider=provider, month=month)
    findings: list[str] = []
    if exp.hours_expected == 0 and exp.amount_expected == 0:
        findings.append("Brak zgłoszonych godzin tego wykonawcy za ten miesiąc.")
    if hours_invoiced != exp.hours_expected:
        findings.append(
            f"Godziny: na fakturze {hours_invoiced} h, w kartach pracy {exp.hours_expected} h."
        )
    if amount_invoiced != exp.amount_expected:
        findings.append(
            f"Kwota: na fakturze {pln(amount_invoiced)}, wg kart pracy {pln(exp.amount_expected)}."
        )
    excess = CareMonth.objects.filter(
        order__provider=provider, month=month, excess_hours__gt=0
    ).aggregate(x=Sum("excess_hours"))["x"]
    if excess:
        findings.append(f"Godziny ponad decyzje ({excess} h) nie są płatne.")
    try:
        with transaction.atomic():
            return ProviderInvoice.objects.create(
                provider=provider,
                number=number.strip(),
                month=month,
                hours_invoiced=hours_invoiced,
                amount_invoiced=amount_invoiced,
                hours_expected=exp.hours_expected,
                amount_expected=exp.amount_expected,
                matches=hours_invoiced == exp.hours_expected
                and amount_invoiced == exp.amount_expected
                and exp.amount_expected > 0,
                findings=findings,
                checked_by=actor,
                checked_on=on,
            )
    except IntegrityError as exc:
        raise ConflictError(f"Faktura {number} tego wykonawcy została już sprawdzona.") from exc

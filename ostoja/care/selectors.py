"""Reads of the care context, scoped by role and unit (deny by default): a user sees records
of their unit's subtree and of cases assigned to them; roles without client access see none."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from ostoja.care.models import (
    CareFeeChange,
    CareMonth,
    CareMonthCorrection,
    CareMonthPayment,
    CareMonthRefund,
    CareMonthRevision,
    CareOrder,
    IntegrationProgramme,
    LeavingCareProgramme,
    PaperDayCorrection,
    Provider,
    ProviderContract,
    ProviderInvoice,
    ServiceEvent,
)
from ostoja.care.policy import (
    EVENT_REPORT_BENEFIT,
    CorrectionStatus,
    EmergencyBasis,
    EventKind,
    MonthStatus,
)
from ostoja.core.dates import shift_months
from ostoja.law.benefits.posilek_program import school_report_share
from ostoja.registry.scope import has_client_role, visible_unit_ids
from ostoja.registry.selectors import case_scope_q


def _scope(user: Any) -> Q:
    """A record of a family's case follows its case (the one scope rule,
    ``registry.selectors.case_scope_q``: the case's **current** unit or its assignment), so a
    case moved to another district takes its care records with it; a record without a case
    belongs to the unit that recorded it."""
    if not has_client_role(user):
        return Q(pk__in=[])
    with_case = Q(case__isnull=False) & case_scope_q(user, prefix="case__")
    without_case = Q(case__isnull=True) & Q(unit_id__in=list(visible_unit_ids(user)))
    return with_case | without_case


def case_in_scope(*, user: Any, case: Any) -> bool:
    if case is None:
        return has_client_role(user)
    return has_client_role(user) and (
        case.unit_id in visible_unit_ids(user) or case.worker_id == user.pk
    )


def record_unscoped(*, model: type[Any], pk: int) -> Any:
    """One care record by id regardless of scope — ONLY to audit a refused opening
    (``refuse_access``); never shown."""
    return model.objects.filter(pk=pk).first()


def orders_visible(*, user: Any) -> QuerySet[CareOrder]:
    return (
        CareOrder.objects.filter(_scope(user))
        .select_related("person", "provider", "contract", "case__household", "unit", "decision")
        .prefetch_related(
            "months__corrections", "months__payments", "months__refunds", changes_prefetch()
        )
    )


def order_get(*, user: Any, pk: int) -> CareOrder:
    """The order if visible to ``user`` (``CareOrder.DoesNotExist`` otherwise — a 404)."""
    return orders_visible(user=user).get(pk=pk)


def month_get(*, user: Any, pk: int) -> CareMonth:
    return CareMonth.objects.select_related("order__case", "order__person").get(
        pk=pk, order__in=orders_visible(user=user)
    )


def correction_get(*, user: Any, pk: int) -> CareMonthCorrection:
    """A correcting bill of a month of an order visible to ``user``, with its month's other
    corrections (its number is its place among them); ``DoesNotExist`` otherwise."""
    return (
        CareMonthCorrection.objects.select_related(
            "month__order__person", "month__order__provider", "decided_by"
        )
        .prefetch_related("month__corrections")
        .get(pk=pk, month__order__in=orders_visible(user=user))
    )


def events_visible(
    *, user: Any, kind: str = "", date_from: date | None = None, date_to: date | None = None
) -> QuerySet[ServiceEvent]:
    qs = ServiceEvent.objects.filter(_scope(user)).select_related("person", "worker", "unit")
    if kind:
        qs = qs.filter(kind=kind)
    if date_from:
        qs = qs.filter(occurred_on__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_on__lte=date_to)
    return qs


def leaving_care_visible(*, user: Any) -> QuerySet[LeavingCareProgramme]:
    return (
        LeavingCareProgramme.objects.filter(_scope(user))
        .select_related("person")
        .prefetch_related("helps")
    )


def integration_visible(*, user: Any) -> QuerySet[IntegrationProgramme]:
    return (
        IntegrationProgramme.objects.filter(_scope(user))
        .select_related("person")
        .prefetch_related("reviews")
    )


def providers_all() -> QuerySet[Provider]:
    return Provider.objects.prefetch_related("contracts", "carers")


def contracts_in_force(*, on: date) -> QuerySet[ProviderContract]:
    return (
        ProviderContract.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("provider")
    )


def invoices_recent() -> QuerySet[ProviderInvoice]:
    return ProviderInvoice.objects.select_related("provider", "checked_by")[:200]


# ------------------------------------------------------------------ statistics


@dataclass
class EventCount:
    kind: str
    label: str
    events: int = 0
    persons: int = 0
    with_decision: int = 0
    without_decision: int = 0
    quantity: int = 0
    amount: Decimal = Decimal("0.00")
    _persons: set[int] = field(default_factory=set, repr=False)


def service_events_counts(*, period_start: date, period_end: date) -> dict[str, EventCount]:
    """Events per kind in the half-open period [period_start, period_end) — ``period_end`` is
    the first day after it, as ``analysis.periods.ReportPeriod.end`` — for the analysis
    context: events, distinct persons, with/without a decision, quantity and cost. Not scoped
    by user — the analysis context checks its own permission and publishes aggregates only."""
    out = {k.value: EventCount(k.value, k.label) for k in EventKind}
    rows = ServiceEvent.objects.filter(
        occurred_on__gte=period_start, occurred_on__lt=period_end
    ).values_list("kind", "person_id", "with_decision", "quantity", "amount")
    for kind, person_id, with_decision, quantity, amount in rows:
        c = out[kind]
        c.events += 1
        c._persons.add(person_id)
        c.with_decision += 1 if with_decision else 0
        c.without_decision += 0 if with_decision else 1
        c.quantity += quantity
        c.amount += amount or Decimal("0.00")
    for c in out.values():
        c.persons = len(c._persons)
    return out


@dataclass(frozen=True)
class ReportEntry:
    """One service event as a statutory-report entry: the same attributes as the executed
    payments ledger (``payments.selectors.LedgerEntry``), with no decision behind it."""

    payment_id: None
    reference: str
    case_id: int
    person_id: int
    recipient_name: str
    decision_id: None
    decision_number: str
    benefit: str
    task_type: str
    amount: Decimal
    due_date: date

    @property
    def payments(self) -> int:
        return 1


# Task type of each reported event (all are own mandatory tasks of the gmina: art. 17 ust. 1).
EVENT_TASK_TYPE = "gmina_wlasne_obowiazkowe"


def service_event_report_entries(*, period_start: date, period_end: date) -> list[ReportEntry]:
    """Events that belong to a statutory-report row (funeral, shelter, meals) in the period,
    given WITHOUT a decision (events with a decision are paid through payments and counted
    there), with a case and a cost — the form counts benefits with their amounts. The period is
    half-open: ``period_end`` is the first day after it (``ReportPeriod.end``), so an event on
    1 July belongs to the second half-year only."""
    kinds = list(EVENT_REPORT_BENEFIT)
    out = []
    rows = ServiceEvent.objects.filter(
        kind__in=kinds,
        occurred_on__gte=period_start,
        occurred_on__lt=period_end,
        with_decision=False,
        case__isnull=False,
        amount__gt=0,
    ).select_related("person")
    for ev in rows.order_by("occurred_on", "pk"):
        out.append(
            ReportEntry(
                payment_id=None,
                reference=f"ZP/{ev.pk}",
                case_id=ev.case_id,  # type: ignore[arg-type]
                person_id=ev.person_id,
                recipient_name=f"{ev.person.first_name} {ev.person.last_name}",
                decision_id=None,
                decision_number="bez decyzji",
                benefit=EVENT_REPORT_BENEFIT[EventKind(ev.kind)],
                task_type=EVENT_TASK_TYPE,
                amount=ev.amount or Decimal("0.00"),
                due_date=ev.occurred_on,
            )
        )
    return out


@dataclass(frozen=True)
class OrderMonthRow:
    month: date
    hours_ordered: Decimal
    hours_delivered: Decimal
    client_fee: Decimal
    status: str
    # After a correcting bill (rachunek korygujący) of a billed month: the hours and the fee as
    # corrected by the latest confirmed correction; None when the month was never corrected.
    hours_corrected: Decimal | None = None
    client_fee_corrected: Decimal | None = None
    # what the client paid and kept, what is left to pay, what is still to be returned
    paid: Decimal = Decimal("0.00")
    owed: Decimal = Decimal("0.00")
    refund_left: Decimal = Decimal("0.00")
    # the fee rate (% of the hourly price) the month was settled at: the order's, or a changing
    # decision's (zmiana odpłatności) in force for that month
    fee_rate: Decimal = Decimal("0.00")


def order_day_corrections(order: CareOrder) -> list[PaperDayCorrection]:
    """The history of the paper decision's day of ``order`` (proposals, confirmations,
    rejections), oldest first, with who proposed and who decided."""
    return list(
        PaperDayCorrection.objects.filter(order=order)
        .select_related("proposed_by", "decided_by")
        .order_by("proposed_at", "pk")
    )


def day_correction_of(*, order: CareOrder, pk: int) -> PaperDayCorrection | None:
    """A correction of ``order`` (already scoped by ``order_get``), or ``None``."""
    return PaperDayCorrection.objects.filter(order=order, pk=pk).select_related("order").first()


def month_last_correction(month: CareMonth) -> CareMonthCorrection | None:
    """The month's latest correcting bill issued (the confirmed correction decided last), or
    ``None``; its figures are the month's as they stand now. Reads the month's corrections as
    prefetched (``orders_visible``), else from the database."""
    confirmed = [c for c in month.corrections.all() if c.status == CorrectionStatus.CONFIRMED]
    return max(confirmed, key=lambda c: (c.decided_at, c.pk), default=None)


@dataclass(frozen=True)
class MonthMoney:
    """A month's money as it stands: the fee (the last correcting bill's, else the bill's),
    what the client paid and kept (payments less refunds paid out), what is left to pay, and
    what is still to be returned to them (issue 15)."""

    fee: Decimal
    paid: Decimal
    owed: Decimal
    refund_left: Decimal


def month_money(month: CareMonth) -> MonthMoney:
    """``MonthMoney`` of ``month`` from its corrections, payments and refunds as prefetched
    (``orders_visible``), else read from the database."""
    last = month_last_correction(month)
    fee = last.client_fee if last is not None else month.client_fee
    refunded = sum((r.amount for r in month.refunds.all()), Decimal("0.00"))
    paid = sum((p.amount for p in month.payments.all()), Decimal("0.00")) - refunded
    if month.receivable_id is not None:
        # once a receivable, the client pays to it (payments context) and a refund may come
        # from those repayments: what is shown here never goes below nothing
        paid = max(paid, Decimal("0.00"))
    due = sum(
        (c.refund_due for c in month.corrections.all() if c.status == CorrectionStatus.CONFIRMED),
        Decimal("0.00"),
    )
    return MonthMoney(fee=fee, paid=paid, owed=fee - paid, refund_left=due - refunded)


def order_months_with_payments(order: CareOrder) -> list[CareMonth]:
    """The order's months in order, each with ``money``: its ``MonthMoney`` as it stands (from
    the prefetched corrections, payments and refunds) — a billed month paid in part, reopened
    for a dopłata after a correcting bill raised its fee, or with money to return."""
    months = sorted(order.months.all(), key=lambda m: m.month)
    for m in months:
        setattr(m, "money", month_money(m))  # noqa: B010 - the page's reading, not a field
    return months


def order_months(order: CareOrder) -> list[OrderMonthRow]:
    rows = []
    for m in sorted(order.months.all(), key=lambda m: m.month):
        last = month_last_correction(m)
        money = month_money(m)
        rows.append(
            OrderMonthRow(
                month=m.month,
                hours_ordered=m.hours_ordered,
                hours_delivered=m.hours_delivered,
                client_fee=m.client_fee,
                status=m.status,
                hours_corrected=last.hours_delivered if last is not None else None,
                client_fee_corrected=last.client_fee if last is not None else None,
                paid=money.paid,
                # owed on the bill only while it is open: before it, nothing is due yet; once
                # it became a receivable, what is owed is the receivable's (payments go there)
                owed=money.owed if m.status == MonthStatus.BILLED else Decimal("0.00"),
                refund_left=money.refund_left,
                fee_rate=m.fee_rate,
            )
        )
    return rows


def per_kind(events: list[ServiceEvent]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for e in events:
        out[e.kind] += 1
    return dict(out)


@dataclass(frozen=True)
class SchoolMealShare:
    """Children fed on a school head's report in ``month`` against the programme's cap."""

    month: date
    reported: int
    fed_previous_month: int
    allowed: int
    share_percent: Decimal
    exceeded: bool
    confirmed: bool
    source: str


def school_meal_share(*, month: date) -> SchoolMealShare:
    """The monthly check of the programme „Posiłek w szkole i w domu”: persons fed without an
    interview on a school's report this month vs the cap (share of persons fed last month)."""
    start = month.replace(day=1)
    end = shift_months(start, 1)
    prev = shift_months(start, -1)
    meals = ServiceEvent.objects.filter(kind=EventKind.MEAL)
    reported = (
        meals.filter(
            occurred_on__gte=start,
            occurred_on__lt=end,
            emergency_basis=EmergencyBasis.SCHOOL_REPORT,
        )
        .values("person_id")
        .distinct()
        .count()
    )
    fed = (
        meals.filter(occurred_on__gte=prev, occurred_on__lt=start)
        .values("person_id")
        .distinct()
        .count()
    )
    share = school_report_share(fed_previous_month=fed, on=start)
    return SchoolMealShare(
        start, reported, fed, share.allowed, share.share_percent, reported > share.allowed,
        share.confirmed, share.source,
    )  # fmt: skip


def refunds_due() -> QuerySet[CareMonth]:
    """Months with money still to be returned to the client (issue 15): the confirmed
    correcting bills' refunds (``refund_due``, signed) less the refunds paid out, as
    ``refund_left`` (with ``refund_total`` and ``refunded``). Not scoped by unit: refunds are
    paid centrally by finance, like receivables."""
    money = DecimalField(max_digits=12, decimal_places=2)
    due = (
        CareMonthCorrection.objects.filter(
            month_id=OuterRef("pk"), status=CorrectionStatus.CONFIRMED
        )
        .order_by()
        .values("month_id")
        .annotate(total=Sum("refund_due"))
        .values("total")
    )
    out = (
        CareMonthRefund.objects.filter(month_id=OuterRef("pk"))
        .order_by()
        .values("month_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    zero = Value(Decimal("0"))
    return (
        CareMonth.objects.filter(
            Exists(
                CareMonthCorrection.objects.filter(
                    month_id=OuterRef("pk"), status=CorrectionStatus.CONFIRMED, refund_due__gt=0
                )
            )
        )
        .annotate(
            refund_total=Coalesce(Subquery(due), zero, output_field=money),
            refunded=Coalesce(Subquery(out), zero, output_field=money),
        )
        .annotate(refund_left=F("refund_total") - F("refunded"))
        .filter(refund_left__gt=0)
        .select_related("order__person")
        .order_by("month", "pk")
    )


def overdue_bills(*, on: date) -> QuerySet[CareMonth]:
    """Bills for care services unpaid after their payment date (candidates for a receivable).
    Not scoped by unit: receivables are kept centrally by finance.

    Each row carries ``fee_now``: the month's fee as it stands — the last correcting bill's
    fee, else the bill's (issue 15) — ``paid``: what the client has paid for it, and
    ``owed``: the rest (a dopłata after a correcting bill raised a paid month's fee); a month
    owing nothing is not listed."""
    last_fix = CareMonthCorrection.objects.filter(
        month_id=OuterRef("pk"), status=CorrectionStatus.CONFIRMED
    ).order_by("-decided_at", "-pk")
    paid = (
        CareMonthPayment.objects.filter(month_id=OuterRef("pk"))
        .order_by()
        .values("month_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        CareMonth.objects.filter(status="naliczony", due_on__lt=on, receivable_id__isnull=True)
        .annotate(
            fee_now=Coalesce(Subquery(last_fix.values("client_fee")[:1]), F("client_fee")),
            paid=Coalesce(
                Subquery(paid),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        )
        .annotate(owed=F("fee_now") - F("paid"))
        .filter(owed__gt=0)
        .select_related("order__person", "order__provider")
        .order_by("due_on", "pk")
    )


# ------------------------------------------------------------------ decisions behind care


def case_application(*, case: Any) -> Any:
    """The case's latest application (wniosek): a decision is issued on it (art. 106 ust. 1
    u.p.s.) and takes its reference (znak sprawy)."""
    from ostoja.cases.models import Application

    return Application.objects.filter(case=case).order_by("-received_on", "-pk").first()


def case_decision_by_number(*, case: Any, number: str) -> Any:
    """A signed decision of ``case`` with ``number`` (the number typed on an order), if any."""
    from ostoja.decisions.models import Decision

    if not number.strip():
        return None
    return Decision.objects.filter(case=case, number=number.strip()).first()


def decision_enforceable_from(decision: Any) -> date | None:
    """The day a decision may be executed (art. 130 KPA: final, or delivered with rygor
    natychmiastowej wykonalności); ``None`` while it may not."""
    from ostoja.decisions.selectors import decision_payability

    return decision_payability(decision).enforceable_from


def order_active_from(order: CareOrder) -> date | None:
    """From when an order's services may be delivered and settled. An order linked to a decision
    record is active only once that decision is enforceable (art. 130 KPA); an order entered
    with the number of a paper decision only (before or outside the decisions register) from
    the day recorded for it (``None`` while that day is not recorded)."""
    if order.decision_id is None:
        since = order.paper_enforceable_from
        return None if since is None else max(since, order.period_from)
    since = decision_enforceable_from(order.decision)
    return None if since is None else max(since, order.period_from)


@dataclass(frozen=True)
class FeeChangeRow:
    """A change of the order as its page lists it: the row, from when its changing decision
    may be executed (``None`` while it may not — the months keep the terms before it), and
    from when it no longer has effect (``ended_on``: quashed on appeal, art. 138 KPA — the
    terms before it stand again)."""

    change: CareFeeChange
    enforceable_from: date | None
    ended_on: date | None = None

    @property
    def pending(self) -> bool:
        """Waiting for its decision to become enforceable (a quashed one waits for nothing)."""
        return self.enforceable_from is None and self.ended_on is None

    def governs(self, month: date) -> bool:
        """Whether the change sets the terms of the month starting ``month``: enforceable, in
        effect from that month or earlier, and not ended before the month began (a change
        quashed during a month still governs that month — hours are granted by the month)."""
        return (
            self.enforceable_from is not None
            and self.change.effective_from <= month
            and (self.ended_on is None or month < self.ended_on)
        )


def _change_row(change: CareFeeChange) -> FeeChangeRow:
    """A change with the days its decision may be executed from and ceases to have effect
    from: quashed on appeal (``ended_on``), or revoked / expired by an enforceable decision
    (its ``effective_from``; art. 106 ust. 5 u.p.s., art. 162 KPA) — the terms before it
    stand again. Reads the decision's amendments prefetched (``amended_by``)."""
    from ostoja.decisions.choices import DecisionKind

    ended = change.decision.ended_on
    for a in change.decision.amended_by.all():
        if (
            a.kind in (DecisionKind.REVOCATION, DecisionKind.EXPIRY)
            and a.effective_from is not None
            and decision_enforceable_from(a) is not None
        ):
            ended = a.effective_from if ended is None else min(ended, a.effective_from)
    return FeeChangeRow(change, decision_enforceable_from(change.decision), ended)


def _changes_qs() -> QuerySet[CareFeeChange]:
    return CareFeeChange.objects.select_related("decision", "created_by").prefetch_related(
        "decision__amended_by"
    )


def order_fee_changes(order: CareOrder) -> list[FeeChangeRow]:
    """The order's changes (zmiany decyzją zmieniającą: wymiar, zakres, odpłatność), oldest
    first."""
    return [_change_row(c) for c in _changes_qs().filter(order=order)]


@dataclass(frozen=True)
class CareTerms:
    """The terms of an order's services in a month (warunki z decyzji): the extent and scope
    (wymiar, zakres — art. 50 ust. 4 u.p.s.) and the fee (art. 50 ust. 6), as the order's
    decision or a changing decision in force set them."""

    hours_per_day: Decimal
    days_per_week: int
    hours_per_month: Decimal
    scope: tuple[str, ...]
    fee_rate: Decimal
    fee_exemption: dict[str, Any]

    @classmethod
    def of_order(cls, order: CareOrder) -> CareTerms:
        return cls(
            hours_per_day=order.hours_per_day, days_per_week=order.days_per_week,
            hours_per_month=order.hours_per_month, scope=tuple(order.scope),
            fee_rate=order.fee_rate, fee_exemption=dict(order.fee_exemption or {}),
        )  # fmt: skip

    def after(self, change: CareFeeChange) -> CareTerms:
        """These terms as ``change`` leaves them: its fee always, its extent when it sets one."""
        extent: dict[str, Any] = {}
        hpd, dpw, hpm = change.hours_per_day, change.days_per_week, change.hours_per_month
        if hpd is not None and dpw is not None and hpm is not None:  # the change sets them
            extent = {
                "hours_per_day": hpd, "days_per_week": dpw, "hours_per_month": hpm,
                "scope": tuple(change.scope),
            }  # fmt: skip
        return replace(
            self, fee_rate=change.fee_rate, fee_exemption=dict(change.fee_exemption or {}),
            **extent,
        )  # fmt: skip

    def same_extent(self, other: CareTerms) -> bool:
        keys = ("hours_per_day", "days_per_week", "hours_per_month")
        return all(getattr(self, k) == getattr(other, k) for k in keys) and set(self.scope) == set(
            other.scope
        )


def terms_in_force(
    order: CareOrder, month: date, changes: list[FeeChangeRow] | None = None
) -> tuple[CareTerms, FeeChangeRow | None]:
    """The terms for the month ``month`` (its first day): the order's, as changed by each
    change from that month or earlier whose changing decision is enforceable (art. 130 KPA),
    oldest first, with the latest such change. A change still waiting does not count yet."""
    rows = order_fee_changes(order) if changes is None else changes
    live = sorted((r for r in rows if r.governs(month)), key=lambda r: r.change.effective_from)
    terms = CareTerms.of_order(order)
    for r in live:
        terms = terms.after(r.change)
    return terms, (live[-1] if live else None)


def changes_prefetch() -> Prefetch:
    """The orders' changes with their decisions, for ``terms_now`` (a fresh object each time:
    a Prefetch is not to be shared between querysets)."""
    return Prefetch("fee_changes", queryset=_changes_qs())


def terms_now(order: CareOrder, on: date) -> CareTerms:
    """The terms in force in the month of ``on`` for a list page, from the order's changes
    prefetched with ``changes_prefetch()`` (one query for all the orders listed, not one each)."""
    rows = [_change_row(c) for c in order.fee_changes.all()]
    return terms_in_force(order, on.replace(day=1), rows)[0]


def pending_fee_change(
    order: CareOrder, changes: list[FeeChangeRow] | None = None
) -> FeeChangeRow | None:
    """The order's change whose decision is not enforceable yet (at most one at a time)."""
    rows = order_fee_changes(order) if changes is None else changes
    return next((r for r in rows if r.pending), None)


@dataclass(frozen=True)
class OrderEnd:
    """From when an order's services are no longer governed by its decision: ``on`` (the
    first day not covered) and what ended it, in the words of the refusal."""

    on: date
    by: str


def order_end(order: CareOrder, changes: list[FeeChangeRow] | None = None) -> OrderEnd | None:
    """The earliest end of the order's decision in force: its revocation or expiry (art. 106
    ust. 5 u.p.s., art. 162 KPA), a change made outside the order's own changes (its terms
    are no longer the order's), or the appeal body's ruling ending it (``ended_on``); and a
    change made outside of one of the order's changing decisions. A changing decision quashed
    on appeal, revoked or expired does not end the order: the terms before it stand again
    (``FeeChangeRow.governs``). ``None`` while the decision stands."""
    from ostoja.decisions.choices import DecisionKind
    from ostoja.decisions.selectors import amendments_in_force

    rows = order_fee_changes(order) if changes is None else changes
    own = {r.change.decision_id for r in rows}
    # a paper decision has no record here: only its changes drafted in Ostoja can end
    granted = [order.decision] if order.decision is not None else []
    if not granted and not rows:
        return None
    ends: list[OrderEnd] = []
    for d in granted:
        if d.ended_on is not None:
            by = f"rozstrzygnięciem odwołania od decyzji nr {d.number}"
            ends.append(OrderEnd(d.ended_on, f"{by} z dniem {d.ended_on:%d.%m.%Y}"))
    for d in amendments_in_force({*(g.pk for g in granted), *own}):
        if d.pk in own or d.effective_from is None:
            continue
        if d.refers_to_id in own and d.kind in (DecisionKind.REVOCATION, DecisionKind.EXPIRY):
            continue  # a change revoked: the terms before it stand again (_change_row)
        by = f"decyzją nr {d.number} ({d.get_kind_display().lower()})"
        ends.append(OrderEnd(d.effective_from, f"{by} z dniem {d.effective_from:%d.%m.%Y}"))
    return min(ends, key=lambda e: e.on) if ends else None


def order_changeable(order: CareOrder) -> bool:
    """Whether the order's decision is one a changing decision may be drafted to: signed in
    Ostoja, or issued on paper with its enforceable day on record (art. 106 ust. 5 u.p.s.)."""
    if order.decision is not None:
        return bool(order.decision.is_signed)
    return bool(order.decision_number) and order.paper_enforceable_from is not None


def paper_issued_on(order: CareOrder, changes: list[FeeChangeRow] | None = None) -> date | None:
    """The day the order's paper decision was issued, as a changing decision drafted here names
    it (the first such; ``None`` when none has)."""
    if order.decision_id is not None:
        return None
    rows = order_fee_changes(order) if changes is None else changes
    return next(
        (r.change.decision.refers_to_paper_on for r in rows
         if r.change.decision.refers_to_paper_on is not None),
        None,
    )  # fmt: skip


def paper_date_asked(order: CareOrder, changes: list[FeeChangeRow] | None = None) -> bool:
    """Whether a change of this order must be told the day its paper decision was issued: an
    order under a paper decision none of whose changes has named that day yet."""
    return order.decision_id is None and paper_issued_on(order, changes) is None


@dataclass(frozen=True)
class OrderFeeState:
    """What the order's page shows of its fee: the changes, the one waiting for its decision,
    the rate in force in the month of ``on`` and the end of the decision, if any."""

    changes: list[FeeChangeRow]
    pending: FeeChangeRow | None
    terms_now: CareTerms
    end: OrderEnd | None
    # what a new change starts from: the terms of the latest change in effect, even if it
    # starts after this month (a change is drafted ahead), else those in force now
    terms_next: CareTerms

    @property
    def rate_now(self) -> Decimal:
        return self.terms_now.fee_rate


def order_fee_state(order: CareOrder, on: date) -> OrderFeeState:
    changes = order_fee_changes(order)
    now = on.replace(day=1)
    latest = max(
        (r.change.effective_from for r in changes if r.enforceable_from and r.ended_on is None),
        default=now,
    )
    return OrderFeeState(
        changes=changes,
        pending=pending_fee_change(order, changes),
        terms_now=terms_in_force(order, now, changes)[0],
        end=order_end(order, changes),
        terms_next=terms_in_force(order, max(now, latest), changes)[0],
    )


def order_month_history(
    order: CareOrder,
) -> tuple[list[CareMonthRevision], list[CareMonthCorrection]]:
    """The order's replaced month reports (kept when an unbilled month was reported again)
    and its correcting bills (proposed, issued or rejected), oldest first, with their people."""
    revisions = list(
        CareMonthRevision.objects.filter(month__order=order)
        .select_related("month", "reported_by", "replaced_by")
        .order_by("month__month", "version")
    )
    corrections = list(
        CareMonthCorrection.objects.filter(month__order=order)
        .select_related("month", "proposed_by", "decided_by")
        .order_by("month__month", "proposed_at", "pk")
    )
    return revisions, corrections


def month_correction_of(*, order: CareOrder, pk: int) -> CareMonthCorrection | None:
    """A correcting bill of one of ``order``'s months (already scoped by ``order_get``)."""
    return CareMonthCorrection.objects.filter(month__order=order, pk=pk).first()


def month_of(*, order: CareOrder, pk: int) -> CareMonth | None:
    """One of ``order``'s months, or ``None``."""
    return order.months.filter(pk=pk).first()

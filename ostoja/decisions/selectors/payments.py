"""The contract with payments: lines payable in a period and lines held back, with reasons."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q

from ostoja.decisions.choices import (
    AMENDING_KINDS,
    PAYING_KINDS,
    DecisionStatus,
)
from ostoja.decisions.lines import (
    BudgetClassification,
    FundingSource,
    HeldLine,
    PayableLine,
    PaymentMethod,
    TaskType,
)
from ostoja.decisions.models import Decision, DecisionLine
from ostoja.decisions.workflow import (
    payability,
)
from ostoja.law.periods import YearMonth

from ._common import _enforceable_q, decision_payability

# ----------------------------------------------------------------- payments contract


RECONCILE_LOOKBACK_DAYS = 92
# A line whose decision became enforceable since the start of the previous month is handed over
# even when its period lies before the run's month: the months (or the one-off payment) it could
# not be paid for while it waited for finality are paid as arrears (art. 130 KPA).
ARREARS_LOOKBACK_MONTHS = 1


def _arrears_from(period_start: date) -> date:
    return YearMonth.of(period_start).shift(-ARREARS_LOOKBACK_MONTHS).first_day


def payable_lines(
    *, period_start: date, period_end: date, line_ids: Collection[int] | None = None
) -> list[PayableLine]:
    """Granted lines of enforceable decisions (final, or delivered with rygor natychmiastowej
    wykonalności — art. 108, 130 KPA) overlapping ``[period_start, period_end)``, plus lines of
    decisions that became enforceable recently (arrears, see :data:`ARREARS_LOOKBACK_MONTHS`);
    each with ``enforceable_from``. ``effective_to`` is set when a later change / revocation /
    expiry (or an SKO ruling) ended the line early (art. 106 ust. 5).
    Lines ended within :data:`RECONCILE_LOOKBACK_DAYS` before the period are included too, so
    payments can reconcile months already paid (art. 98 u.p.s.). ``line_ids``: only these
    lines (payments re-checks a few re-issues before they go out, issue 21)."""
    # A line ended shortly before this period is still handed over (with ``effective_to``), so
    # the run can cancel what is open and propose recovery of what was already paid even when
    # the month the change took effect in was run before the change was signed.
    reconcile_from = period_start - timedelta(days=RECONCILE_LOOKBACK_DAYS)
    arrears_from = _arrears_from(period_start)
    amending = (
        Decision.objects.filter(_enforceable_q(), kind__in=list(AMENDING_KINDS))
        .exclude(refers_to__isnull=True)
        .exclude(effective_from__isnull=True)
        .values_list("refers_to_id", "effective_from")
    )
    ends: dict[int, date] = {}
    for ref_id, eff in amending:
        if eff is None:  # excluded by the query; this only narrows the type
            continue
        ends[ref_id] = min(ends[ref_id], eff) if ref_id in ends else eff
    # Only the columns payments needs, streamed in chunks: no model instances, no JSON fields
    # decoded (73k lines at scale 10 took 7 s and most of the run's memory as models).
    recent = Q(decision__final_on__gte=arrears_from) | Q(
        decision__immediate=True, decision__delivered_on__gte=arrears_from
    )
    rows = (
        DecisionLine.objects.filter(
            decision__in=Decision.objects.filter(_enforceable_q(), kind__in=list(PAYING_KINDS)),
            granted=True,
            period_from__lt=period_end,
        )
        .filter(Q(period_to__isnull=True) | Q(period_to__gt=period_start) | recent)
        .filter(Q(pk__in=list(line_ids)) if line_ids is not None else Q())
        .order_by("decision_id", "position", "pk")
        .values_list(*_PAYABLE_COLUMNS)
    )
    budgets: dict[tuple[str, str, str, str, str], BudgetClassification] = {}
    methods = {m.value: m for m in PaymentMethod}
    out: list[PayableLine] = []
    for (
        line_id,
        decision_id,
        number,
        case_id,
        addressee_id,
        addressee_name,
        addressee_address,
        ended_on,
        status,
        immediate,
        delivered_on,
        final_on,
        benefit,
        amount,
        period_from,
        period_to,
        method,
        account_number,
        payment_day,
        section,
        chapter,
        paragraph,
        task_type,
        funding,
        one_off,
        insured,
    ) in rows.iterator(chunk_size=5000):
        since = payability(
            status=status, immediate=immediate, delivered_on=delivered_on, final_on=final_on
        ).enforceable_from
        if since is None or since >= period_end:
            continue
        end = ends.get(decision_id)
        if ended_on is not None and (end is None or ended_on < end):
            end = ended_on
        if end is not None and (end <= period_from or end <= reconcile_from):
            continue
        key = (section, chapter, paragraph, task_type, funding)
        budget = budgets.get(key)
        if budget is None:
            budget = budgets[key] = BudgetClassification(
                section=section,
                chapter=chapter,
                paragraph=paragraph,
                task_type=TaskType(task_type),
                funding=FundingSource(funding),
            )
        out.append(
            PayableLine(
                line_id=line_id,
                decision_id=decision_id,
                decision_number=number,
                case_id=case_id,
                person_id=addressee_id,
                recipient_name=addressee_name,
                recipient_address=addressee_address,
                benefit=benefit,
                monthly_amount=amount,
                period_from=period_from,
                period_to=period_to,
                effective_to=end,
                payment_method=methods[method],
                account_number=account_number if method == "przelew" else "",
                payment_day=payment_day,
                budget=budget,
                one_off=one_off,
                health_insured_elsewhere=insured,
                enforceable_from=since,
            )
        )
    return out


def held_lines(*, period_start: date, period_end: date) -> list[HeldLine]:
    """Granted cash lines of signed paying decisions touching ``[period_start, period_end)``
    that cannot be paid yet — not delivered, waiting for finality, or appealed without rygor
    (art. 130 KPA) — each with the reason and, when known, the day it may become final."""
    # NOT EXISTS (an anti-join), not NOT IN (subquery): PostgreSQL cannot anti-join NOT IN and
    # hashed every enforceable decision per request (issue 19: the payments page 3.9 s at ×10).
    enforceable = Decision.objects.filter(_enforceable_q(), pk=OuterRef("decision_id"))
    rows = (
        DecisionLine.objects.filter(
            decision__kind__in=list(PAYING_KINDS),
            decision__status__in=[
                DecisionStatus.SIGNED,
                DecisionStatus.SENT,
                DecisionStatus.DELIVERED,
                DecisionStatus.APPEALED,
            ],
            decision__ended_on__isnull=True,
            granted=True,
            period_from__lt=period_end,
        )
        .filter(~Exists(enforceable))
        .exclude(payment_method=PaymentMethod.IN_KIND.value)
        .filter(Q(period_to__isnull=True) | Q(period_to__gt=period_start))
        .select_related("decision")
        .order_by("decision__final_on", "decision_id", "position", "pk")
    )
    out = []
    for ln in rows:
        d = ln.decision
        verdict = decision_payability(d)
        out.append(
            HeldLine(
                line_id=ln.pk,
                decision_id=d.pk,
                decision_number=d.number,
                case_id=d.case_id,
                recipient_name=d.addressee_name,
                benefit=ln.benefit,
                amount=ln.amount,
                one_off=ln.one_off,
                period_from=ln.period_from,
                reason=verdict.reason,
                expected_on=verdict.expected_on,
            )
        )
    return out


_PAYABLE_COLUMNS = (
    "pk",
    "decision_id",
    "decision__number",
    "decision__case_id",
    "decision__addressee_id",
    "decision__addressee_name",
    "decision__addressee_address",
    "decision__ended_on",
    "decision__status",
    "decision__immediate",
    "decision__delivered_on",
    "decision__final_on",
    "benefit",
    "amount",
    "period_from",
    "period_to",
    "payment_method",
    "account_number",
    "payment_day",
    "budget_section",
    "budget_chapter",
    "budget_paragraph",
    "task_type",
    "funding",
    "one_off",
    "health_insured_elsewhere",
)

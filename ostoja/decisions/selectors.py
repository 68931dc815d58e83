"""Reading decisions: the register, the detail page, the case panel and payable lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q, QuerySet

from ostoja.decisions.catalog import label_of
from ostoja.decisions.choices import AMENDING_KINDS, PAYING_KINDS, DecisionKind, DecisionStatus
from ostoja.decisions.lines import (
    BudgetClassification,
    FundingSource,
    PayableLine,
    PaymentMethod,
    TaskType,
)
from ostoja.decisions.models import SIGNED_STATUSES, Decision, DecisionDocument, DecisionLine
from ostoja.decisions.workflow import ACTION_LABELS, Action, available_actions

# A decision may be executed: final, or with rygor natychmiastowej wykonalności (art. 108, 130 KPA).
FINAL_STATUSES = (DecisionStatus.FINAL, DecisionStatus.CLOSED)
IMMEDIATE_STATUSES = (
    DecisionStatus.SIGNED,
    DecisionStatus.SENT,
    DecisionStatus.DELIVERED,
    DecisionStatus.FINAL,
    DecisionStatus.APPEALED,
    DecisionStatus.CLOSED,
)


def _enforceable_q(*, by: date | None = None) -> Q:
    """Final, or immediately enforceable; a delivered decision counts as final from its finality
    date (``by``: the day by which it must have become final)."""
    q = Q(status__in=FINAL_STATUSES) | Q(immediate=True, status__in=IMMEDIATE_STATUSES)
    if by is not None:
        q |= Q(status=DecisionStatus.DELIVERED, final_on__isnull=False, final_on__lte=by)
    return q


def decisions_visible(*, user: Any) -> QuerySet[Decision]:
    from ostoja.cases.selectors import cases_visible

    return Decision.objects.filter(case__in=cases_visible(user=user).values("pk"))


@dataclass(frozen=True)
class RegisterFilters:
    kind: str = ""
    benefit: str = ""
    worker_id: int | None = None
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    query: str = ""


REGISTER_PAGE_SIZE = 50


def _register_query(*, user: Any, filters: RegisterFilters) -> QuerySet[Decision]:
    qs = (
        decisions_visible(user=user)
        .select_related("case__unit", "drafter", "signer", "addressee")
        .prefetch_related(Prefetch("lines", queryset=DecisionLine.objects.order_by("position")))
        .order_by("-issued_on", "-pk")
    )
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.benefit:
        qs = qs.filter(lines__benefit=filters.benefit).distinct()
    if filters.worker_id:
        qs = qs.filter(Q(drafter_id=filters.worker_id) | Q(case__worker_id=filters.worker_id))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.date_from:
        qs = qs.filter(
            Q(issued_on__gte=filters.date_from)
            | Q(issued_on__isnull=True, drafted_at__date__gte=filters.date_from)
        )
    if filters.date_to:
        qs = qs.filter(
            Q(issued_on__lte=filters.date_to)
            | Q(issued_on__isnull=True, drafted_at__date__lte=filters.date_to)
        )
    if filters.query:
        q = filters.query.strip()
        qs = qs.filter(
            Q(number__icontains=q) | Q(case_reference__icontains=q) | Q(addressee_name__icontains=q)
        )
    return qs


def decision_register(*, user: Any, filters: RegisterFilters, limit: int = 500) -> list[Decision]:
    """The first ``limit`` decisions of the register (API, exports)."""
    return list(_register_query(user=user, filters=filters)[:limit])


def decision_register_page(
    *, user: Any, filters: RegisterFilters, page: Any, per_page: int = REGISTER_PAGE_SIZE
) -> Page:
    """One page of the register (sorted by the ``decision_issued_desc`` index)."""
    return Paginator(_register_query(user=user, filters=filters), per_page).get_page(page)


EXPORT_HEADER = [
    "Numer decyzji",
    "Znak sprawy",
    "Data wydania",
    "Rodzaj",
    "Świadczenie",
    "Kwota",
    "Okres od",
    "Okres do",
    "Adresat",
    "Status",
    "Autor projektu",
    "Podpisał",
    "Upoważnienie",
    "Doręczono",
    "Ostateczna od",
]


def register_rows(decisions: list[Decision]) -> list[list[str]]:
    rows = []
    for d in decisions:
        lines = list(d.lines.all())
        first = lines[0] if lines else None
        rows.append(
            [
                d.number or "(projekt)",
                d.case_reference,
                d.issued_on.isoformat() if d.issued_on else "",
                d.get_kind_display(),
                "; ".join(label_of(ln.benefit) for ln in lines),
                str(sum((ln.amount for ln in lines), Decimal("0")))
                if lines
                else (str(d.recovery_amount) if d.recovery_amount is not None else ""),
                first.period_from.isoformat() if first else "",
                (first.period_to - timedelta(days=1)).isoformat()
                if first and first.period_to
                else "",
                d.addressee_name,
                d.get_status_display(),
                d.drafter.get_full_name() or d.drafter.username,
                d.signer_name,
                d.authorisation.number if d.authorisation_id else "",
                d.delivered_on.isoformat() if d.delivered_on else "",
                d.final_on.isoformat() if d.final_on else "",
            ]
        )
    return rows


def decision_get(*, pk: int) -> Decision:
    return (
        Decision.objects.select_related(
            "case__unit",
            "case__household",
            "application",
            "addressee",
            "drafter",
            "checker",
            "signer",
            "authorisation",
            "refers_to",
            "calculation",
        )
        .prefetch_related(
            Prefetch("lines", queryset=DecisionLine.objects.order_by("position")),
            "transitions__actor",
            "revisions__author",
            "appeals",
            "rectifications",
            "amended_by",
        )
        .get(pk=pk)
    )


def decision_pdf(*, decision: Decision) -> tuple[bytes, str, bool]:
    """The stored signed PDF (never re-rendered), or a preview of a draft: (bytes, sha, draft)."""
    doc = DecisionDocument.objects.filter(decision=decision).only("pdf", "sha256").first()
    if doc is not None:
        return bytes(doc.pdf), doc.sha256, False
    from ostoja.decisions import documents
    from ostoja.decisions.services import content_of

    pdf = documents.render_pdf(documents.render_html(content_of(decision, draft=True)))
    return pdf, documents.sha256(pdf), True


def document_sha(*, decision: Decision) -> str:
    return (
        DecisionDocument.objects.filter(decision=decision).values_list("sha256", flat=True).first()
        or ""
    )


@dataclass(frozen=True)
class ActionButton:
    action: str
    label: str
    perm: str
    danger: bool = False


ACTION_PERMS = {
    Action.CHECK: "decisions.check",
    Action.RETURN: "decisions.check",
    Action.SIGN: "decisions.sign",
    Action.SEND: "decisions.record",
    Action.DELIVER: "decisions.record",
    Action.FINALISE: "decisions.record",
    Action.APPEAL: "decisions.record",
    Action.CLOSE: "decisions.record",
}


def actions_for(*, decision: Decision, user: Any) -> list[ActionButton]:
    out = []
    for a in available_actions(decision.status):
        perm = ACTION_PERMS[a]
        if not user.has_perm(perm, decision):
            continue
        if a == Action.CHECK and decision.drafter_id == user.pk:
            continue
        out.append(ActionButton(a.value, ACTION_LABELS[a], perm, danger=a == Action.RETURN))
    return out


def signed_on_day(*, user: Any, on: date) -> list[Decision]:
    """Decisions signed on ``on`` that ``user`` may see, for the batch print."""
    return list(
        decisions_visible(user=user)
        .filter(issued_on=on, status__in=IMMEDIATE_STATUSES)
        .select_related("document")
        .order_by("number")
    )


# ----------------------------------------------------------------- case panel


def case_decisions(*, case: Any) -> list[Decision]:
    return list(
        Decision.objects.filter(case=case)
        .prefetch_related(Prefetch("lines", queryset=DecisionLine.objects.order_by("position")))
        .order_by("-issued_on", "-pk")
    )


@dataclass(frozen=True)
class CurrentHelp:
    decision: Decision
    benefit: str
    amount: Decimal
    period_from: date
    until: date | None  # inclusive, for display
    one_off: bool

    @property
    def benefit_label(self) -> str:
        return label_of(self.benefit)


def current_help(*, decisions: list[Decision], on: date) -> list[CurrentHelp]:
    """Enforceable granted lines in force on ``on`` (after changes and revocations)."""
    ends: dict[int, date] = {}
    for d in decisions:
        if (
            d.kind in AMENDING_KINDS
            and d.refers_to_id
            and _is_enforceable(d, on)
            and d.effective_from
        ):
            prev = ends.get(d.refers_to_id)
            ends[d.refers_to_id] = min(prev, d.effective_from) if prev else d.effective_from
    out = []
    for d in decisions:
        if d.kind not in PAYING_KINDS or not _is_enforceable(d, on):
            continue
        end = (
            min(x for x in (ends.get(d.pk), d.ended_on) if x)
            if (ends.get(d.pk) or d.ended_on)
            else None
        )
        for ln in d.lines.all():
            if not ln.granted:
                continue
            stop = min(x for x in (ln.period_to, end) if x) if (ln.period_to or end) else None
            if ln.period_from <= on and (stop is None or stop > on):
                out.append(
                    CurrentHelp(
                        d,
                        ln.benefit,
                        ln.amount,
                        ln.period_from,
                        stop - timedelta(days=1) if stop else None,
                        ln.one_off,
                    )
                )
    return out


def _is_enforceable(d: Decision, on: date) -> bool:
    if d.status in FINAL_STATUSES:
        return True
    if d.immediate and d.status in IMMEDIATE_STATUSES:
        return True
    return d.status == DecisionStatus.DELIVERED and d.final_on is not None and d.final_on <= on


# ----------------------------------------------------------------- payments contract


RECONCILE_LOOKBACK_DAYS = 92


def payable_lines(*, period_start: date, period_end: date) -> list[PayableLine]:
    """Granted lines of enforceable decisions (final, or with rygor natychmiastowej
    wykonalności) overlapping ``[period_start, period_end)``; ``effective_to`` set when a later
    change / revocation / expiry (or an SKO ruling) ended the line early (art. 106 ust. 5).
    Lines ended within :data:`RECONCILE_LOOKBACK_DAYS` before the period are included too, so
    payments can reconcile months already paid (art. 98 u.p.s.)."""
    last_day = period_end - timedelta(days=1)
    # A line ended shortly before this period is still handed over (with ``effective_to``), so
    # the run can cancel what is open and propose recovery of what was already paid even when
    # the month the change took effect in was run before the change was signed.
    reconcile_from = period_start - timedelta(days=RECONCILE_LOOKBACK_DAYS)
    amending = (
        Decision.objects.filter(_enforceable_q(by=last_day), kind__in=list(AMENDING_KINDS))
        .exclude(refers_to__isnull=True)
        .exclude(effective_from__isnull=True)
        .values_list("refers_to_id", "effective_from")
    )
    ends: dict[int, date] = {}
    for ref_id, eff in amending:
        ends[ref_id] = min(ends[ref_id], eff) if ref_id in ends else eff
    # Only the columns payments needs, streamed in chunks: no model instances, no JSON fields
    # decoded (73k lines at scale 10 took 7 s and most of the run's memory as models).
    rows = (
        DecisionLine.objects.filter(
            decision__in=Decision.objects.filter(
                _enforceable_q(by=last_day), kind__in=list(PAYING_KINDS)
            ),
            granted=True,
            period_from__lt=period_end,
        )
        .filter(Q(period_to__isnull=True) | Q(period_to__gt=period_start))
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


KIND_CHOICES = DecisionKind.choices
STATUS_CHOICES = DecisionStatus.choices


def application_reasons(*, decision_ids: list[int]) -> dict[int, list[str]]:
    """Art. 7 u.p.s. reasons of the application each decision answered (decision id → codes;
    decisions started ex officio without an application map to an empty list)."""
    out: dict[int, list[str]] = {}
    ids = sorted(set(decision_ids))
    for i in range(0, len(ids), 5000):
        for pk, reasons in Decision.objects.filter(pk__in=ids[i : i + 5000]).values_list(
            "pk", "application__reasons"
        ):
            out[pk] = list(reasons or [])
    return out


def decision_figures(*, start: date, end: date) -> tuple[dict[str, int], int, int]:
    """Signed decisions issued in ``[start, end)`` per month, and how many of those answering
    an application were issued by its deadline (art. 35 KPA): (by month, on time, with a due
    date). Aggregates only."""
    signed = Decision.objects.filter(
        status__in=SIGNED_STATUSES, issued_on__gte=start, issued_on__lt=end
    )
    by_month: dict[str, int] = {}
    for issued in signed.values_list("issued_on", flat=True).iterator(chunk_size=5000):
        key = f"{issued:%Y-%m}"
        by_month[key] = by_month.get(key, 0) + 1
    answering = signed.filter(application__isnull=False)
    on_time = answering.filter(issued_on__lte=F("application__decision_due")).count()
    return by_month, on_time, answering.count()


def decisions_issued_count(*, start: date, end: date) -> int:
    return Decision.objects.filter(
        status__in=SIGNED_STATUSES, issued_on__gte=start, issued_on__lt=end
    ).count()

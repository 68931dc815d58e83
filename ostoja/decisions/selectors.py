"""Reading decisions: the register, the detail page, the case panel and payable lines.

Size (issue 18): ~660 lines in three sections (register and detail, case panel, the contract
with payments — ``payable_lines``/``held_lines``); the last is the candidate to move to its own
module when payments next needs a change there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from ostoja.core.dates import local_time
from ostoja.decisions.catalog import BENEFITS, label_of
from ostoja.decisions.choices import (
    AMENDING_KINDS,
    PAYING_KINDS,
    SETTLING_KINDS,
    DecisionKind,
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
from ostoja.decisions.models import SIGNED_STATUSES, Decision, DecisionDocument, DecisionLine
from ostoja.decisions.workflow import (
    ACTION_LABELS,
    DELIVERED_OR_LATER,
    Action,
    Payability,
    available_actions,
    payability,
)
from ostoja.law.money import pln

# A decision may be executed (art. 130 KPA): final — recorded as such, after the appeal period,
# a waiver (art. 127a § 2) or the SKO upholding it — or delivered with rygor natychmiastowej
# wykonalności (art. 108 § 1, art. 130 § 3 pkt 1). The pure rule is ``workflow.payability``;
# this query is its database form.
FINAL_STATUSES = (DecisionStatus.FINAL, DecisionStatus.CLOSED)
IMMEDIATE_STATUSES = tuple(DELIVERED_OR_LATER)


def _enforceable_q() -> Q:
    return Q(status__in=FINAL_STATUSES, final_on__isnull=False) | Q(
        immediate=True, status__in=IMMEDIATE_STATUSES, delivered_on__isnull=False
    )


def decision_payability(d: Decision) -> Payability:
    return payability(
        status=d.status,
        immediate=d.immediate,
        delivered_on=d.delivered_on,
        final_on=d.final_on,
        appeal_deadline=d.appeal_deadline,
        appeal_waived_on=d.appeal_waived_on,
    )


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


def register_workers(*, user: Any) -> list[tuple[int, str]]:
    """The register's "worker" filter: active staff of the units the user sees (and the user)
    — not all ~7,000 accounts at ten times Kielce, whose options alone took ~0.5 s and 400 KB
    a page (issue 19). Plain values, sorted by name."""
    from django.contrib.auth import get_user_model

    from ostoja.registry.scope import visible_unit_ids

    rows = (
        get_user_model()
        .objects.filter(staff__isnull=False, is_active=True)
        .filter(Q(staff__unit_id__in=list(visible_unit_ids(user))) | Q(pk=user.pk))
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name", "username")
    )
    return [(pk, f"{first} {last}".strip() or username) for pk, first, last, username in rows]


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
        # EXISTS, not a join + DISTINCT over every column (issue 19: 0.5 s → ms).
        qs = qs.filter(
            Exists(DecisionLine.objects.filter(decision_id=OuterRef("pk"), benefit=filters.benefit))
        )
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
    """One page of the register (sorted by the ``decision_issued_desc`` index): only the
    columns the page shows (issue 19 — no traces, justifications or joined people/staff)."""
    qs = (
        _register_query(user=user, filters=filters)
        .select_related(None)
        .only(*REGISTER_PAGE_COLUMNS)
    )
    return Paginator(qs, per_page).get_page(page)


REGISTER_PAGE_COLUMNS = (
    "pk",
    "number",
    "case_reference",
    "issued_on",
    "kind",
    "status",
    "addressee_name",
    "recovery_amount",
)


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


def decision_pdf(*, decision: Decision, on: date) -> tuple[bytes, str, bool]:
    """The stored signed PDF (never re-rendered), or a preview of a draft dated ``on``:
    (bytes, sha, draft)."""
    doc = DecisionDocument.objects.filter(decision=decision).only("pdf", "sha256").first()
    if doc is not None:
        return bytes(doc.pdf), doc.sha256, False
    from ostoja.decisions import documents
    from ostoja.decisions.content import content_of

    pdf = documents.render_pdf(documents.render_html(content_of(decision, on=on, draft=True)))
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
    Action.WAIVE: "decisions.record",
    Action.CLOSE: "decisions.record",
}


def actions_for(*, decision: Decision, user: Any) -> list[ActionButton]:
    out = []
    for a in available_actions(decision.status):
        perm = ACTION_PERMS[a]
        if not user.has_perm(perm, decision):
            continue
        if a == Action.CHECK and user.pk in {decision.drafter_id, *decision.maker_ids}:
            continue
        out.append(ActionButton(a.value, ACTION_LABELS[a], perm, danger=a == Action.RETURN))
    return out


def signed_on_day(*, user: Any, on: date) -> list[Decision]:
    """Decisions signed on ``on`` that ``user`` may see, for the batch print."""
    return list(
        decisions_visible(user=user)
        .filter(issued_on=on, status__in=SIGNED_STATUSES)
        .select_related("document")
        .order_by("number")
    )


# ----------------------------------------------------------------- case panel


def application_undecided_forms(*, application: Any) -> list[str]:
    """The requested forms of help (``application.forms``) that no signed decision settles yet
    (art. 104 KPA: every form asked for is decided — granted, refused, or the proceedings
    discontinued, art. 105 KPA). Forms granted without a decision (art. 106 ust. 1 u.p.s.:
    social work, counselling) and forms with no decision template are not waited for.

    A signed discontinuance without lines ends the whole application; with lines, the forms
    they name."""
    wanted = [f for f in (application.forms or []) if f in BENEFITS]
    signed = Decision.objects.filter(
        application=application, kind__in=SETTLING_KINDS, status__in=SIGNED_STATUSES
    )
    if signed.filter(kind=DecisionKind.DISCONTINUANCE, lines__isnull=True).exists():
        return []
    settled = set(
        DecisionLine.objects.filter(decision__in=signed).values_list("benefit", flat=True)
    )
    return [f for f in wanted if f not in settled]


@dataclass(frozen=True)
class CalculationOption:
    calculation: Any
    taken_by: str  # "" when the form is free to draft; else the decision covering it

    @property
    def label(self) -> str:
        c = self.calculation
        outcome = "spełnia warunki" if c.eligible else "nie spełnia warunków"
        amount = f", {pln(c.amount)}" if c.amount is not None else ""
        when = f"{local_time(c.created_at):%d.%m.%Y %H:%M}"  # Europe/Warsaw, as on the page
        return f"{label_of(c.benefit)} — obliczenie z {when}: {outcome}{amount}"


@dataclass(frozen=True)
class DraftingOptions:
    """What the drafter of an open application chooses from: its calculations (one per form of
    help, none preselected) and the requested forms still without a signed decision."""

    application: Any
    options: list[CalculationOption]
    undecided: list[str]  # benefit codes

    @property
    def undecided_labels(self) -> list[str]:
        return [label_of(code) for code in self.undecided]

    @property
    def undecided_choices(self) -> list[tuple[str, str]]:
        return [(code, label_of(code)) for code in self.undecided]

    @property
    def can_draft(self) -> bool:
        return any(not o.taken_by for o in self.options)


def drafting_options(*, application: Any) -> DraftingOptions:
    from ostoja.cases.selectors import calculations_for

    taken: dict[str, str] = {}
    for benefit, number in (
        DecisionLine.objects.filter(
            decision__application=application, decision__kind__in=SETTLING_KINDS
        )
        .exclude(decision__status=DecisionStatus.CLOSED)
        .values_list("benefit", "decision__number")
    ):
        taken[benefit] = f"decyzja nr {number}" if number else "projekt decyzji"
    options = [
        CalculationOption(c, taken.get(c.benefit, ""))
        for c in calculations_for(application=application)
    ]
    return DraftingOptions(
        application, options, application_undecided_forms(application=application)
    )


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
    since = decision_payability(d).enforceable_from
    return since is not None and since <= on


# ----------------------------------------------------------------- payments contract


RECONCILE_LOOKBACK_DAYS = 92
# A line whose decision became enforceable since the start of the previous month is handed over
# even when its period lies before the run's month: the months (or the one-off payment) it could
# not be paid for while it waited for finality are paid as arrears (art. 130 KPA).
ARREARS_LOOKBACK_MONTHS = 1


def _arrears_from(period_start: date) -> date:
    from ostoja.law.periods import YearMonth

    return YearMonth.of(period_start).shift(-ARREARS_LOOKBACK_MONTHS).first_day


def payable_lines(*, period_start: date, period_end: date) -> list[PayableLine]:
    """Granted lines of enforceable decisions (final, or delivered with rygor natychmiastowej
    wykonalności — art. 108, 130 KPA) overlapping ``[period_start, period_end)``, plus lines of
    decisions that became enforceable recently (arrears, see :data:`ARREARS_LOOKBACK_MONTHS`);
    each with ``enforceable_from``. ``effective_to`` is set when a later change / revocation /
    expiry (or an SKO ruling) ended the line early (art. 106 ust. 5).
    Lines ended within :data:`RECONCILE_LOOKBACK_DAYS` before the period are included too, so
    payments can reconcile months already paid (art. 98 u.p.s.)."""
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

"""The decision register and the detail page: visibility, filters, pages, export rows, the
frozen document, the workflow buttons, yearly figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from ostoja.cases.selectors import cases_visible
from ostoja.decisions import documents
from ostoja.decisions.catalog import label_of
from ostoja.decisions.choices import (
    DecisionKind,
    DecisionStatus,
)
from ostoja.decisions.content import content_of
from ostoja.decisions.models import SIGNED_STATUSES, Decision, DecisionDocument, DecisionLine
from ostoja.decisions.workflow import (
    ACTION_LABELS,
    Action,
    available_actions,
)
from ostoja.registry.scope import visible_unit_ids


def decisions_visible(*, user: Any) -> QuerySet[Decision]:
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
                d.authorisation.number if d.authorisation else "",
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

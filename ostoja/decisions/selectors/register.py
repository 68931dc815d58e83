"""The decision register and the detail page: visibility, filters, pages, export rows, the
frozen document, the workflow buttons, yearly figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

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
    timeliness: str = ""  # ON_TIME / LATE: issued by the application's deadline or after it


REGISTER_PAGE_SIZE = 50

# The register's "deadline" filter (art. 35 KPA): decisions answering an application, issued by
# its ``decision_due`` or after it — the rows the dashboard's "decisions on time" figure is
# made of (issue 13 §3); decisions started ex officio (no application) are in neither.
ON_TIME = "w_terminie"
LATE = "po_terminie"


def timeliness_q(kind: str) -> Q:
    """One deadline class of signed decisions (``ON_TIME`` / ``LATE``); the dashboard's figure
    and the register's filter both use this."""
    if kind == ON_TIME:
        return Q(application__isnull=False, issued_on__lte=F("application__decision_due"))
    if kind == LATE:
        return Q(application__isnull=False, issued_on__gt=F("application__decision_due"))
    raise ValueError(kind)


# The register's "status" filter also takes this pseudo-status: every signed (issued) decision,
# whatever happened to it after signing — the decisions the start pages and the dashboard count
# as "wydane" (issue 13 §3 / 17 §3: a number's link opens exactly the rows it counts).
ISSUED = "wydane"


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
    if filters.status == ISSUED:
        qs = qs.filter(status__in=SIGNED_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.timeliness in (ON_TIME, LATE):
        qs = qs.filter(timeliness_q(filters.timeliness))
    if filters.date_from or filters.date_to:
        qs = qs.filter(register_date_q(date_from=filters.date_from, date_to=filters.date_to))
    if filters.query:
        q = filters.query.strip()
        qs = qs.filter(
            Q(number__icontains=q) | Q(case_reference__icontains=q) | Q(addressee_name__icontains=q)
        )
    return qs


def _local_midnight(on: date) -> datetime:
    """The aware moment a Europe/Warsaw calendar day starts (midnight exists and is unique
    there: the clocks move at 02:00 and 03:00)."""
    return timezone.make_aware(datetime.combine(on, time.min))


def register_date_q(*, date_from: date | None, date_to: date | None) -> Q:
    """The register's date filter: the issue date, for a draft the local date it was drafted
    — i.e. ``COALESCE(issued_on, date(drafted_at in Warsaw))`` between the two bounds.

    Issue 19: written as two sargable branches — ``issued_on`` in a range (the
    ``decision_issued_desc`` index) OR a not-issued decision drafted in ``[from 00:00,
    to + 1 00:00)`` compared on the stored moment itself (the ``decision_draft_drafted``
    partial index) — instead of ``drafted_at__date`` (a per-row time-zone conversion that no
    index serves), so the database can answer each branch from an index (a bitmap OR /
    multi-index OR, i.e. a union of two index scans). Same rows as before:
    ``ostoja/decisions/tests/test_register_dates.py``.
    """
    issued = Q(issued_on__isnull=False)
    drafted = Q(issued_on__isnull=True)
    if date_from is not None:
        issued &= Q(issued_on__gte=date_from)
        drafted &= Q(drafted_at__gte=_local_midnight(date_from))
    if date_to is not None:
        issued &= Q(issued_on__lte=date_to)
        drafted &= Q(drafted_at__lt=_local_midnight(date_to + timedelta(days=1)))
    return issued | drafted


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


def _issued(*, start: date, end: date, user: Any = None) -> QuerySet[Decision]:
    """Signed decisions issued in ``[start, end)`` — the whole centre (``user`` None) or what
    ``user`` sees in the register (the same rows as its ``status=wydane`` + date filter)."""
    qs = Decision.objects.all() if user is None else decisions_visible(user=user)
    return qs.filter(status__in=SIGNED_STATUSES, issued_on__gte=start, issued_on__lt=end)


def decision_figures(
    *, start: date, end: date, user: Any = None
) -> tuple[dict[str, int], int, int]:
    """Signed decisions issued in ``[start, end)`` per month, and how many of those answering
    an application were issued by its deadline (art. 35 KPA): (by month, on time, with a due
    date). Aggregates only; ``user``: in that user's scope (None: the whole centre)."""
    signed = _issued(start=start, end=end, user=user)
    by_month: dict[str, int] = {}
    for issued in signed.values_list("issued_on", flat=True).iterator(chunk_size=5000):
        key = f"{issued:%Y-%m}"
        by_month[key] = by_month.get(key, 0) + 1
    on_time, late = _timeliness_counts(signed)
    return by_month, on_time, on_time + late


def _timeliness_counts(signed: QuerySet[Decision]) -> tuple[int, int]:
    counts = signed.aggregate(
        on_time=Count("pk", filter=timeliness_q(ON_TIME)),
        late=Count("pk", filter=timeliness_q(LATE)),
    )
    return counts["on_time"], counts["late"]


def decisions_timeliness_counts(*, start: date, end: date, user: Any = None) -> tuple[int, int]:
    """Decisions issued in ``[start, end)`` answering an application: (on time, late) against
    the art. 35 KPA deadline — the rows of the register filtered by ``terminowosc`` (one query)."""
    return _timeliness_counts(_issued(start=start, end=end, user=user))


def decisions_issued_count(*, start: date, end: date, user: Any = None) -> int:
    return _issued(start=start, end=end, user=user).count()

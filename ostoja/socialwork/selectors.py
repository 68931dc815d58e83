"""Reads of social work, with related rows fetched: the work view, the chronology, visits,
contracts, the caseload and the protected-record access decision."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from ostoja.cases import selectors as cases_selectors
from ostoja.cases.models import OPEN_STATUSES, Application, Case, TimelineEvent
from ostoja.core.collation import polish
from ostoja.core.dates import local_date
from ostoja.org.models import StaffMember
from ostoja.org.roles import Role
from ostoja.registry.scope import has_client_role, visible_unit_ids
from ostoja.socialwork.models import (
    AssistancePlan,
    BreakGlassGrant,
    CaseAssignment,
    CaseNote,
    ContractReview,
    ProtectionChange,
    SocialContract,
    Visit,
)
from ostoja.socialwork.policy import (
    BREACH_CONSEQUENCES,
    NOTE_CATEGORY_LABELS,
    Access,
    AssignmentKind,
    ContractStatus,
    NoteCategory,
    VisitStatus,
    protected_access,
)

NOTE_SOURCE = "socialwork.note"
SOCIALWORK_SOURCES = (
    "socialwork.note",
    "socialwork.visit",
    "socialwork.contract",
    "socialwork.plan",
)


# ------------------------------------------------------------------ cases and access


def case_get(*, pk: int) -> Case:
    return Case.objects.select_related("household", "unit", "worker").get(pk=pk)


def cases_covered(*, user: Any, on: date) -> QuerySet[Case]:
    """The cases ``user`` covers on ``on`` (zastępstwo: a cover assignment in force). Social
    work's only addition to the one scope rule, ``ostoja.cases.selectors.cases_visible``."""
    cover = CaseAssignment.objects.filter(
        worker=user, kind=AssignmentKind.COVER, starts_on__lte=on
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    return Case.objects.filter(pk__in=cover.values("case_id"))


def case_protected(*, case: Case) -> bool:
    """The flag on the case: cases owns it (``cases.services.case_set_protected``); social work
    keeps only the history of changes with their reasons (``protection_history``)."""
    return bool(case.protected)


def cover_worker_ids(*, case: Case, on: date) -> set[int]:
    return set(
        CaseAssignment.objects.filter(case=case, kind=AssignmentKind.COVER, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .values_list("worker_id", flat=True)
    )


def is_assigned(*, user: Any, case: Case, on: date) -> bool:
    return case.worker_id == user.pk or user.pk in cover_worker_ids(case=case, on=on)


def is_head_of_case_unit(*, user: Any, case: Case) -> bool:
    return has_client_role(user, frozenset({Role.HEAD_OF_UNIT})) and (
        case.unit_id in visible_unit_ids(user)
    )


def active_grant(*, user: Any, case: Case, now: datetime) -> BreakGlassGrant | None:
    return (
        BreakGlassGrant.objects.filter(case=case, user=user, expires_at__gt=now)
        .order_by("-expires_at")
        .first()
    )


def note_access(*, user: Any, case: Case, now: datetime) -> Access:
    """The protected-record rule for ``user`` on ``case`` (the unit scope is checked before)."""
    protected = case_protected(case=case)
    if not protected:
        return Access.OPEN
    grant = active_grant(user=user, case=case, now=now)
    return protected_access(
        protected=True,
        is_assigned=is_assigned(user=user, case=case, on=local_date(now)),
        is_head_of_case_unit=is_head_of_case_unit(user=user, case=case),
        grant_expires_at=grant.expires_at if grant else None,
        now=now,
    )


# ------------------------------------------------------------------ chronology


@dataclass(frozen=True)
class ChronologyRow:
    when: date
    entered_at: datetime | None
    kind: str  # "note" or "system"
    category: str
    category_label: str
    title: str
    text: str
    author: str
    note: CaseNote | None = None
    corrected_by: CaseNote | None = None

    @property
    def is_note(self) -> bool:
        return self.kind == "note"


def _name(user: Any) -> str:
    if user is None:
        return "system"
    return user.get_full_name() or user.get_username()


def case_notes(*, case: Case) -> list[CaseNote]:
    return list(
        CaseNote.objects.filter(case=case).select_related("author", "corrects", "correction")
    )


_NO_ENTRY_TIME = datetime(1970, 1, 1, tzinfo=UTC)


def chronology(*, case: Case, show: str = "all", category: str = "") -> list[ChronologyRow]:
    """The case's single story: notes (curated) and system events from every context.

    ``show``: all / notes / system; ``category`` narrows notes to one category.
    """
    rows: list[ChronologyRow] = []
    if show in ("all", "notes"):
        notes = CaseNote.objects.filter(case=case).select_related("author", "correction")
        if category:
            notes = notes.filter(category=category)
        for n in notes:
            corrected_by = getattr(n, "correction", None)
            rows.append(
                ChronologyRow(
                    when=n.occurred_on,
                    entered_at=n.created_at,
                    kind="note",
                    category=n.category,
                    category_label=NOTE_CATEGORY_LABELS.get(NoteCategory(n.category), n.category),
                    title=("Korekta notatki" if n.corrects_id else "Notatka"),
                    text=n.text,
                    author=_name(n.author),
                    note=n,
                    corrected_by=corrected_by,
                )
            )
    if show in ("all", "system") and not category:
        events = (
            TimelineEvent.objects.filter(case=case)
            .exclude(source_app=NOTE_SOURCE)
            .select_related("actor")
        )
        for e in events:
            rows.append(
                ChronologyRow(
                    when=local_date(e.occurred_at),
                    entered_at=e.created_at,
                    kind="system",
                    category=e.kind,
                    category_label=e.kind.replace("_", " "),
                    title=e.title,
                    text=e.detail,
                    author=_name(e.actor),
                )
            )
    # Rows without an entry time (none today) sort as the oldest of their day.
    rows.sort(key=lambda r: (r.when, r.entered_at or _NO_ENTRY_TIME), reverse=True)
    return rows


# ------------------------------------------------------------------ visits


@dataclass
class DeskVisits:
    today: list[Visit] = field(default_factory=list)
    overdue: list[Visit] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.today or self.overdue)


def _visit_qs() -> QuerySet[Visit]:
    return Visit.objects.select_related("case__household", "worker")


def visits_for_desk(*, user: Any, on: date) -> DeskVisits:
    """Today's and overdue planned visits of ``user`` (for the start page and the work view)."""
    desk = DeskVisits()
    qs = _visit_qs().filter(worker=user, status=VisitStatus.PLANNED, planned_on__lte=on)
    for v in qs.order_by("planned_on", "planned_time", "pk"):
        (desk.today if v.planned_on == on else desk.overdue).append(v)
    return desk


def visits_list(*, user: Any, on: date, scope: str = "mine", status: str = "") -> list[Visit]:
    qs = _visit_qs()
    qs = (
        qs.filter(
            Q(case__in=cases_selectors.cases_visible(user=user))
            | Q(case__in=cases_covered(user=user, on=on))
        )
        if scope == "unit"
        else qs.filter(worker=user)
    )
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(Q(status=VisitStatus.PLANNED) | Q(planned_on__gte=on - timedelta(days=30)))
    return list(qs.order_by("planned_on", "planned_time", "pk")[:500])


@dataclass(frozen=True)
class CalendarDay:
    day: date | None
    visits: tuple[Visit, ...] = ()
    is_today: bool = False


def visits_calendar(*, user: Any, year: int, month: int, on: date) -> list[list[CalendarDay]]:
    """A month grid (weeks × Monday..Sunday) of the user's visits."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    by_day: dict[date, list[Visit]] = defaultdict(list)
    for v in (
        _visit_qs()
        .filter(worker=user, planned_on__range=(first, last))
        .exclude(status=VisitStatus.CANCELLED)
    ):
        by_day[v.planned_on].append(v)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                CalendarDay(day=d, visits=tuple(by_day.get(d, ())), is_today=d == on)
                if d.month == month
                else CalendarDay(day=None)
                for d in week
            ]
        )
    return weeks


def visit_get(*, pk: int) -> Visit:
    return _visit_qs().select_related("outcome_note").get(pk=pk)


# ------------------------------------------------------------------ contracts and plans


def contract_get(*, pk: int) -> SocialContract:
    return (
        SocialContract.objects.select_related(
            "case__household", "case__unit", "person", "worker", "signature_recorded_by"
        )
        .prefetch_related("actions", "reviews__held_by", "breaches__recorded_by", "annexes")
        .get(pk=pk)
    )


def contracts_of(*, case: Case) -> list[SocialContract]:
    return list(
        SocialContract.objects.filter(case=case)
        .select_related("person", "worker")
        .prefetch_related("breaches__recorded_by")
    )


def plans_of(*, case: Case) -> list[AssistancePlan]:
    return list(AssistancePlan.objects.filter(case=case).prefetch_related("actions", "reviews"))


def plan_get(*, pk: int) -> AssistancePlan:
    return (
        AssistancePlan.objects.select_related("case__household", "created_by")
        .prefetch_related("actions", "reviews__held_by")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class BreachFlag:
    """A breach of a social contract for whoever drafts the next decision (art. 11 ust. 2)."""

    contract_id: int
    contract_status: str
    occurred_on: date
    description: str
    recorded_by: str
    consequence: str = BREACH_CONSEQUENCES


def contract_breaches(*, case: Any) -> list[BreachFlag]:
    """Breaches of the case's social contracts, newest first (art. 11 ust. 2 u.p.s.)."""
    return breach_flags(contracts_of(case=case))


def breach_flags(contracts: list[SocialContract]) -> list[BreachFlag]:
    """The breach flags of contracts read by :func:`contracts_of` (breaches prefetched), newest
    first as ``ContractBreach.Meta.ordering`` — the case file's panel builds them from the
    contracts it shows instead of reading the breaches twice (issue 19)."""
    pairs = [(b, c) for c in contracts for b in c.breaches.all()]
    pairs.sort(key=lambda pair: (pair[0].occurred_on, pair[0].pk), reverse=True)
    return [
        BreachFlag(
            contract_id=b.contract_id,
            contract_status=c.status,
            occurred_on=b.occurred_on,
            description=b.description,
            recorded_by=_name(b.recorded_by),
        )
        for b, c in pairs
    ]


# ------------------------------------------------------------------ work view


@dataclass
class WorkView:
    visits: DeskVisits
    reviews_due: list[ContractReview]
    recent_notes: list[CaseNote]
    my_cases: int
    grants: list[BreakGlassGrant] = field(default_factory=list)
    contracts_draft: list[SocialContract] = field(default_factory=list)


def my_case_ids(*, user: Any, on: date) -> QuerySet[Any]:
    cover = CaseAssignment.objects.filter(
        worker=user, kind=AssignmentKind.COVER, starts_on__lte=on
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    return Case.objects.filter(Q(worker=user) | Q(pk__in=cover.values("case_id"))).values("pk")


def work_view(*, user: Any, on: date) -> WorkView:
    mine = my_case_ids(user=user, on=on)
    reviews = list(
        ContractReview.objects.filter(
            held_on__isnull=True,
            due_on__lte=on + timedelta(days=14),
            contract__status=ContractStatus.SIGNED,
            contract__case__in=mine,
        )
        .select_related("contract__case__household")
        .order_by("due_on")[:50]
    )
    notes = list(
        CaseNote.objects.filter(case__in=mine)
        .select_related("case__household", "author")
        .order_by("-created_at")[:10]
    )
    drafts = list(
        SocialContract.objects.filter(case__in=mine, status=ContractStatus.DRAFT)
        .select_related("case__household", "person")
        .order_by("-created_at")[:20]
    )
    view = WorkView(
        visits=visits_for_desk(user=user, on=on),
        reviews_due=reviews,
        recent_notes=notes,
        my_cases=Case.objects.filter(pk__in=mine).count(),
        contracts_draft=drafts,
    )
    if has_client_role(user, frozenset({Role.HEAD_OF_UNIT})):
        view.grants = grants_for_head(user=user, since=on - timedelta(days=30))
    return view


def grants_for_head(*, user: Any, since: date) -> list[BreakGlassGrant]:
    """Break-glass openings of protected cases in the head's units (shown to the head)."""
    return list(
        BreakGlassGrant.objects.filter(
            case__unit_id__in=visible_unit_ids(user), granted_at__date__gte=since
        )
        .select_related("case__household", "user")
        .order_by("-granted_at")[:100]
    )


def grants_of_case(*, case: Case) -> list[BreakGlassGrant]:
    return list(BreakGlassGrant.objects.filter(case=case).select_related("user")[:50])


def protection_history(*, case: Case) -> list[ProtectionChange]:
    return list(ProtectionChange.objects.filter(case=case).select_related("changed_by"))


def assignment_history(*, case: Case) -> list[CaseAssignment]:
    return list(
        CaseAssignment.objects.filter(case=case).select_related(
            "worker", "previous_worker", "assigned_by"
        )
    )


# ------------------------------------------------------------------ caseload


@dataclass(frozen=True)
class CaseloadRow:
    worker_id: int
    name: str
    unit: str
    cases: int
    covering: int
    visits_overdue: int
    visits_planned: int
    reviews_overdue: int
    interviews_overdue: int
    decisions_overdue: int

    @property
    def overdue_total(self) -> int:
        return (
            self.visits_overdue
            + self.reviews_overdue
            + self.interviews_overdue
            + self.decisions_overdue
        )


def _counts(qs: QuerySet[Any], key: str) -> dict[int, int]:
    return {row[key]: row["n"] for row in qs.values(key).annotate(n=Count("pk"))}


def caseload(*, user: Any, on: date) -> list[CaseloadRow]:
    """Workers of the head's units × active cases × overdue items (a constant number of queries)."""
    units = visible_unit_ids(user)
    staff = list(
        StaffMember.objects.filter(
            unit_id__in=units,
            user__is_active=True,
            user__groups__name__in=[Role.SOCIAL_WORKER.value, Role.HEAD_OF_UNIT.value],
        )
        .select_related("user", "unit")
        .distinct()
        .order_by("unit__name", "user__last_name", "user__first_name")
    )
    ids = [s.user_id for s in staff]
    cases = _counts(Case.objects.filter(worker_id__in=ids), "worker_id")
    covering = _counts(
        CaseAssignment.objects.filter(
            worker_id__in=ids, kind=AssignmentKind.COVER, starts_on__lte=on
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on)),
        "worker_id",
    )
    # Overdue and upcoming visits in one pass, and the interviews and decisions past their
    # statutory time in another (issue 19: fewer round trips, each a scan of the same rows).
    visits = {
        r["worker_id"]: r
        for r in Visit.objects.filter(worker_id__in=ids, status=VisitStatus.PLANNED)
        .values("worker_id")
        .annotate(
            overdue=Count("pk", filter=Q(planned_on__lt=on)),
            planned=Count("pk", filter=Q(planned_on__gte=on)),
        )
    }
    reviews = _counts(
        ContractReview.objects.filter(
            held_on__isnull=True,
            due_on__lt=on,
            contract__status=ContractStatus.SIGNED,
            contract__case__worker_id__in=ids,
        ),
        "contract__case__worker_id",
    )
    late = {
        r["case__worker_id"]: r
        for r in Application.objects.filter(status__in=OPEN_STATUSES, case__worker_id__in=ids)
        .values("case__worker_id")
        .annotate(
            late_interviews=Count(
                "pk", filter=Q(interview_due__lt=on, status__in=OPEN_STATUSES[:2])
            ),
            late_decisions=Count("pk", filter=Q(decision_due__lt=on)),
        )
    }
    none: dict[str, int] = {}
    return [
        CaseloadRow(
            worker_id=s.user_id,
            name=_name(s.user),
            unit=s.unit.name,
            cases=cases.get(s.user_id, 0),
            covering=covering.get(s.user_id, 0),
            visits_overdue=int(visits.get(s.user_id, none).get("overdue", 0)),
            visits_planned=int(visits.get(s.user_id, none).get("planned", 0)),
            reviews_overdue=reviews.get(s.user_id, 0),
            interviews_overdue=int(late.get(s.user_id, none).get("late_interviews", 0)),
            decisions_overdue=int(late.get(s.user_id, none).get("late_decisions", 0)),
        )
        for s in staff
    ]


def worker_cases(*, user: Any, worker_id: int) -> list[Case]:
    return list(
        Case.objects.filter(worker_id=worker_id, unit_id__in=visible_unit_ids(user))
        .select_related("household", "unit")
        .order_by(polish("household__name"))[:300]
    )


def workers_for_case(*, case: Case) -> list[Any]:
    """Staff who may take the case over: social workers and heads of the case's unit."""
    User = get_user_model()
    return list(
        User.objects.filter(
            is_active=True,
            staff__unit_id=case.unit_id,
            groups__name__in=[Role.SOCIAL_WORKER.value, Role.HEAD_OF_UNIT.value],
        )
        .distinct()
        .order_by(polish("last_name"), polish("first_name"))
    )

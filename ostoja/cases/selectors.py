"""Reads of the cases context — scope-aware, with a constant number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ostoja.cases.models import (
    ART7_REASONS,
    HELP_FORMS,
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    Calculation,
    Case,
    Interview,
    InterviewStatus,
    TimelineEvent,
)
from ostoja.cases.panels import case_panels
from ostoja.cases.timeline import TimelineItem, event_urls, extra_items
from ostoja.core.collation import polish
from ostoja.core.dates import local_date
from ostoja.law.codes import BENEFITS
from ostoja.org.models import Unit
from ostoja.registry import selectors as registry_selectors
from ostoja.registry.models import HouseholdMembership, Person
from ostoja.registry.scope import has_client_role, user_unit_id, visible_unit_ids
from ostoja.registry.text import search_key

WAITING_FOR_INTERVIEW = (ApplicationStatus.REGISTERED, ApplicationStatus.INTERVIEW_PLANNED)

TIMELINE_KINDS = {
    "sprawa": "Sprawa",
    "wniosek": "Wnioski",
    "wywiad": "Wywiady",
    "obliczenie": "Obliczenia",
    "decyzja": "Decyzje",
    "wyplata": "Wypłaty",
    "praca_socjalna": "Praca socjalna",
    "uslugi": "Usługi i pomoc w naturze",  # written by ostoja.care (issue 15)
    "skierowanie": "Skierowania do partnerów",
}
# Other contexts write finer kinds (decyzja_podpisana, odwolanie, ochrona…): each belongs to one
# filter group above — by its own prefix or by the writing context (``source_app``).
TIMELINE_GROUP_EXTRA = {
    "decyzja": (("odwolanie",), ("decisions",)),
    "wyplata": ((), ("payments",)),
    "praca_socjalna": (("ochrona",), ("socialwork",)),
}
TIMELINE_LABELS = {
    "decyzja_podpisana": "Decyzja podpisana",
    "decyzja_doreczona": "Doręczenie decyzji",
    "decyzja_ostateczna": "Decyzja ostateczna",
    "odwolanie": "Odwołanie",
    "ochrona": "Ochrona danych",
    "skierowanie": "Skierowanie do partnera",
    "skierowanie_odpowiedz": "Odpowiedź partnera",
    "skierowanie_wynik": "Wynik skierowania",
}


def timeline_kind_label(kind: str) -> str:
    """A Polish badge for any kind — never the raw code."""
    if kind in TIMELINE_LABELS:
        return TIMELINE_LABELS[kind]
    if kind in TIMELINE_KINDS:
        return TIMELINE_KINDS[kind]
    return kind.replace("_", " ").capitalize()


def timeline_group_filter(group: str) -> Q:
    """The events of one filter group of ``TIMELINE_KINDS`` (by kind prefix or writer)."""
    condition = Q(kind=group) | Q(kind__startswith=f"{group}_")
    kinds, sources = TIMELINE_GROUP_EXTRA.get(group, ((), ()))
    for kind in kinds:
        condition |= Q(kind=kind)
    for source in sources:
        condition |= Q(source_app=source) | Q(source_app__startswith=f"{source}.")
    return condition


# ------------------------------------------------------------------ scope


def cases_visible(*, user: Any) -> QuerySet[Case]:
    if not has_client_role(user):
        return Case.objects.none()
    # The one scope rule (issue 20, finding 3): the case's current unit or its assignment.
    return Case.objects.filter(registry_selectors.case_scope_q(user))


def case_get(*, pk: int) -> Case:
    return Case.objects.select_related("household", "unit", "worker").get(pk=pk)


def application_get(*, pk: int) -> Application:
    return Application.objects.select_related(
        "case", "case__household", "case__unit", "applicant"
    ).get(pk=pk)


def interview_get(*, pk: int) -> Interview:
    return Interview.objects.select_related(
        "case", "case__household", "case__unit", "application", "worker", "previous"
    ).get(pk=pk)


# ------------------------------------------------------------------ rows with deadlines


@dataclass
class ApplicationRow:
    obj: Application
    interview_overdue: bool
    decision_overdue: bool
    next_due: date | None
    next_what: str

    @property
    def forms_labels(self) -> list[str]:
        return [HELP_FORMS.get(f, f) for f in self.obj.forms]

    @property
    def reasons_labels(self) -> list[str]:
        return [f"{r} — {ART7_REASONS.get(r, r)}" for r in self.obj.reasons]

    @property
    def overdue(self) -> bool:
        return self.interview_overdue or self.decision_overdue


def application_row(a: Application, *, on: date) -> ApplicationRow:
    is_open = a.status in OPEN_STATUSES
    waiting = a.status in WAITING_FOR_INTERVIEW
    interview_overdue = waiting and a.interview_due < on
    decision_overdue = is_open and a.decision_due < on
    if waiting:
        next_due, what = a.interview_due, "wywiad"
    elif is_open:
        next_due, what = a.decision_due, "decyzja"
    else:
        next_due, what = None, ""
    return ApplicationRow(a, interview_overdue, decision_overdue, next_due, what)


# ------------------------------------------------------------------ desk


@dataclass
class Desk:
    my_cases: list[Case]
    overdue: list[ApplicationRow]
    today: list[ApplicationRow]
    week: list[ApplicationRow]
    reminders: list[Interview]
    district_open: int
    district_unassigned: list[Case]
    unit_name: str


def desk(*, user: Any, on: date) -> Desk:
    """The social worker's desk: own cases, own deadlines, own district."""
    units = visible_unit_ids(user)
    unit_id = user_unit_id(user)
    mine = Q(worker_id=user.pk)
    my_cases = list(
        Case.objects.filter(mine)
        .select_related("household", "unit")
        .annotate(
            open_count=Count(
                "applications", filter=Q(applications__status__in=OPEN_STATUSES), distinct=True
            )
        )
        .order_by(polish("household__name"), "pk")[:200]
    )
    # Deadlines: own cases; a head/clerk (no own cases) sees the deadlines of their subtree.
    horizon = on + timedelta(days=7)
    apps = list(
        Application.objects.filter(status__in=OPEN_STATUSES)
        .filter(Q(case__worker_id=user.pk) if my_cases else Q(case__unit_id__in=units))
        .filter(
            Q(status__in=WAITING_FOR_INTERVIEW, interview_due__lte=horizon)
            | Q(decision_due__lte=horizon)
        )
        .select_related("case", "case__household", "applicant")
        .order_by("interview_due", "decision_due", "pk")[:300]
    )
    rows = [application_row(a, on=on) for a in apps]
    overdue = [r for r in rows if r.overdue]
    today = [r for r in rows if not r.overdue and r.next_due == on]
    week = [
        r for r in rows if not r.overdue and r.next_due is not None and on < r.next_due <= horizon
    ]
    # "Not updated yet" as NOT EXISTS, not a LEFT JOIN … IS NULL: PostgreSQL then estimates
    # it as an anti-join and walks ``interview_completed_due`` in date order until it has the
    # first hundred (issue 19: a clerk's desk 0.52 s → 10 ms at ten times Kielce).
    updated = Interview.objects.filter(previous_id=OuterRef("pk"))
    reminders = list(
        Interview.objects.filter(
            ~Exists(updated),
            status=InterviewStatus.COMPLETED,
            case__ongoing_help=True,
            update_due__lte=on + timedelta(days=30),
        )
        .filter(Q(case__worker_id=user.pk) if my_cases else Q(case__unit_id__in=units))
        .select_related("case", "case__household")
        .order_by("update_due")[:100]
    )
    district = Case.objects.filter(unit_id=unit_id) if unit_id else Case.objects.none()
    # Cases with an open application, counted on the (status, case) index — not a DISTINCT
    # over every case column of the joined district (bench/README.md, desk at scale 10).
    district_open = (
        Application.objects.filter(case__unit_id=unit_id, status__in=OPEN_STATUSES)
        .values("case_id")
        .distinct()
        .count()
        if unit_id
        else 0
    )
    unassigned = list(
        district.filter(worker__isnull=True).select_related("household").order_by("-opened_on")[:50]
    )
    unit_name = my_cases[0].unit.name if my_cases else ""
    if not unit_name and unit_id:
        unit_name = Unit.objects.filter(pk=unit_id).values_list("name", flat=True).first() or ""
    return Desk(my_cases, overdue, today, week, reminders, district_open, unassigned, unit_name)


# ------------------------------------------------------------------ search


@dataclass
class SearchHit:
    person: Person
    cases: list[Case]


@dataclass
class SearchResult:
    query: str
    persons: list[SearchHit]
    applications: list[Application]


def search(*, user: Any, query: str, limit: int = 50) -> SearchResult:
    """By PESEL, surname without diacritics, address or case reference — what the user may see.
    Three queries whatever the number of hits."""
    text = (query or "").strip()
    if not text:
        return SearchResult(text, [], [])
    persons = registry_selectors.person_search(user=user, query=text, limit=limit)
    visible = cases_visible(user=user)
    cases_by_person: dict[int, list[Case]] = {}
    if persons:
        memberships = HouseholdMembership.objects.filter(
            person_id__in=[p.pk for p in persons], household__case__in=visible
        ).select_related("household__case", "household__case__unit")
        for m in memberships:
            case = m.household.case
            bucket = cases_by_person.setdefault(m.person_id, [])
            if case not in bucket:
                bucket.append(case)
    applications: list[Application] = []
    if (any(ch.isdigit() for ch in text) and "." in text) or not persons:
        applications = list(
            Application.objects.filter(case__in=visible, reference__icontains=text)
            .select_related("case", "case__household", "applicant")
            .order_by("-received_on")[:limit]
        )
    hits = [SearchHit(p, cases_by_person.get(p.pk, [])) for p in persons]
    return SearchResult(text, hits, applications)


def case_list(*, user: Any, query: str = "", limit: int = 200) -> list[Case]:
    qs = cases_visible(user=user).select_related("household", "unit", "worker")
    if query:
        key = search_key(query)
        qs = qs.filter(household__name__icontains=query) | qs.filter(
            household__memberships__person__search_key__contains=key
        )
    return list(qs.distinct().order_by(polish("household__name"), "pk")[:limit])


# ------------------------------------------------------------------ case file


APPLICATIONS_SHOWN = 100
# The timeline (issue 19): the newest entries first; "pokaż całą oś czasu" shows them all (up
# to TIMELINE_EVENTS_ALL events and the newest payments, as before).
TIMELINE_SHOWN = 30
TIMELINE_EVENTS_ALL = 200


@dataclass
class CaseFile:
    case: Case
    on: date
    members: list[HouseholdMembership]
    applications: list[ApplicationRow]
    interviews: list[Interview]
    draft: Interview | None
    calculations: list[Calculation]
    timeline: list[TimelineItem]
    timeline_kinds: dict[str, str]
    timeline_kind: str
    panels: list[dict[str, Any]]
    income: Any
    income_application: Application | None
    benefits: dict[str, str] = field(default_factory=lambda: dict(BENEFITS))
    # Art. 101 u.p.s.: set when another gmina is competent for the open application's applicant.
    competence: Any = None
    # The whole timeline was asked for (``full``), or only its newest entries — and more exist.
    timeline_full: bool = False
    timeline_more: bool = False

    @property
    def open_applications(self) -> list[Application]:
        return [r.obj for r in self.applications if r.obj.is_open]


# The case file's open applications, kept on the case object it read them for (one request:
# views load the case anew) so that the panels (decisions' drafting) do not read them again.
_OPEN_READ = "_ostoja_open_applications"


def applications_open(*, case: Case) -> list[Application]:
    """The case's open applications, newest first (read once per request for the case file)."""
    known = getattr(case, _OPEN_READ, None)
    if known is not None:
        return list(known)
    return list(
        Application.objects.filter(case=case, status__in=OPEN_STATUSES).order_by(
            "-received_on", "-pk"
        )
    )


def _sees_protected(*, case: Case, user: Any) -> bool:
    if case.worker_id == user.pk:
        return True
    return bool(user.has_perm("socialwork.protect_case", case))


def case_file(
    *, case: Case, user: Any, now: datetime, kind: str = "", full: bool = False
) -> CaseFile:
    """Everything on the family's page with a fixed number of queries. The timeline holds its
    newest ``TIMELINE_SHOWN`` entries (``timeline_more`` when there are more), or with ``full``
    all of them (the events up to ``TIMELINE_EVENTS_ALL``, the payments the source gives)."""
    on = local_date(now)
    applications = list(
        Application.objects.filter(case=case)
        .select_related("applicant")
        .order_by("-received_on", "-pk")[:APPLICATIONS_SHOWN]
    )
    # The list shows no questionnaire and no calculation input: a real interview's sections
    # (the whole kwestionariusz) and a calculation's request are kilobytes of JSON each, read
    # and decoded for every entry of a long history (issue 19).
    interviews = list(
        Interview.objects.filter(case=case)
        .select_related("worker", "application")
        .defer("sections", "reasons")
        .order_by("-created_at", "-pk")[:50]
    )
    calculations = list(
        Calculation.objects.filter(case=case)
        .select_related("application", "created_by")
        .defer("request")
        .order_by("-created_at", "-pk")[:20]
    )
    events = TimelineEvent.objects.filter(case=case).select_related("actor")
    events = events.only(
        "occurred_at", "kind", "title", "detail", "source_app", "source_id", "actor__username",
        "actor__first_name", "actor__last_name",
    )  # fmt: skip
    if case.protected and not _sees_protected(case=case, user=user):
        # Protected record (e.g. Niebieska Karta): only the assigned worker and the heads see
        # protected entries here; others open them through the social-work break-glass page.
        events = events.filter(protected=False)
    if kind in TIMELINE_KINDS:
        events = events.filter(timeline_group_filter(kind))
    else:
        kind = ""
    # The newest TIMELINE_SHOWN of the merged list are among the newest TIMELINE_SHOWN of each
    # source; one more of each tells whether there is more to show.
    limit = TIMELINE_EVENTS_ALL if full else TIMELINE_SHOWN + 1
    rows = list(events.order_by("-occurred_at", "-pk")[:limit])
    urls = event_urls(events=[(e.source_app, e.source_id) for e in rows], case=case)
    timeline = [
        TimelineItem(
            occurred_at=e.occurred_at,
            kind=e.kind,
            kind_label=timeline_kind_label(e.kind),
            title=e.title,
            detail=e.detail,
            actor=(e.actor.get_full_name() or e.actor.username) if e.actor else "",
            url=url,
        )
        for e, url in zip(rows, urls, strict=True)
    ]
    # Entries of higher contexts (payments, issue 17), merged by when they happened, newest first.
    timeline += extra_items(case=case, user=user, group=kind, limit=limit)
    timeline.sort(key=lambda item: item.occurred_at, reverse=True)
    more = not full and len(timeline) > TIMELINE_SHOWN
    if more:
        timeline = timeline[:TIMELINE_SHOWN]
    current = next(
        (a for a in applications if a.is_open), applications[0] if applications else None
    )
    if len(applications) < APPLICATIONS_SHOWN:  # every application of the case was read
        setattr(case, _OPEN_READ, [a for a in applications if a.is_open])
    # Today's members and those on the application's date (the income month's household), one
    # query for both; the open applications go to the panels (decisions) already read.
    income_on = current.received_on if current else on
    members_by_day = registry_selectors.members_on_days(
        household=case.household, days=[on, income_on]
    )
    members = members_by_day[on]
    income = registry_selectors.household_income(
        household=case.household,
        on=income_on,
        income_lost=current.income_lost if current else False,
        memberships=members_by_day[income_on],
    )
    draft = next((i for i in interviews if i.status == InterviewStatus.DRAFT), None)
    return CaseFile(
        case=case,
        on=on,
        members=members,
        applications=[application_row(a, on=on) for a in applications],
        interviews=interviews,
        draft=draft,
        calculations=calculations,
        timeline=timeline,
        timeline_kinds=TIMELINE_KINDS,
        timeline_kind=kind,
        panels=case_panels(case=case, user=user, now=now),
        income=income,
        income_application=current,
        competence=_foreign_competence(current),
        timeline_full=full,
        timeline_more=more,
    )


def _foreign_competence(application: Application | None) -> Any:
    if application is None or not application.is_open:
        return None
    competence = registry_selectors.competence_of(person=application.applicant)
    return None if competence.local else competence


# ------------------------------------------------------------------ calculations


def calculation_latest(*, application: Application) -> Calculation | None:
    """The most recent calculation snapshot of an application (the decisions context drafts
    decisions from it: ``request``, ``result``, ``parameters_valid_from``)."""
    return (
        Calculation.objects.filter(application=application).order_by("-created_at", "-pk").first()
    )


def calculations_for(*, application: Application) -> list[Calculation]:
    """Every calculation of an application, newest first — the drafter chooses among them
    (one per form of help); none is implied by being the latest."""
    return list(Calculation.objects.filter(application=application).order_by("-created_at", "-pk"))


def interview_summary(*, application: Application) -> tuple[date | None, str]:
    """The completed interview of an application: its date and the worker's assessment
    (``sections["analiza"]["ocena"]``) — for the decision's justification."""
    interview = (
        Interview.objects.filter(application=application, status=InterviewStatus.COMPLETED)
        .order_by("-conducted_on", "-pk")
        .first()
    )
    if interview is None:
        return None, ""
    analysis = (interview.sections or {}).get("analiza", {})
    return interview.conducted_on, str(analysis.get("ocena") or "").strip()


def calculation_get(*, pk: int) -> Calculation:
    return Calculation.objects.select_related("application", "case", "created_by").get(pk=pk)


def calculation_request_build(
    *,
    application: Application,
    benefit: str,
    requested_amount: Decimal | None = None,
    entitlement_from: date | None = None,
) -> dict[str, Any]:
    """The law core's request document (issue 3 contract) from the household composition and
    incomes on the application date."""
    on = application.received_on
    memberships = registry_selectors.members_on(household=application.case.household, on=on)
    month = registry_selectors.income_month_of(
        application_date=on, income_lost=application.income_lost
    )
    members = registry_selectors.law_members(memberships=memberships, month=month, on=on)
    # The applicant of this application leads the list as "wnioskodawca".
    ids = registry_selectors.member_ids(memberships)
    applicant_id = ids.get(application.applicant_id)
    for m in members:
        if m["id"] == applicant_id:
            m["role"] = "wnioskodawca"
        elif m["role"] == "wnioskodawca":
            m["role"] = "inny"
    members.sort(key=lambda m: m["role"] != "wnioskodawca")
    doc: dict[str, Any] = {
        "benefit": benefit,
        "application_date": on.isoformat(),
        "income_month": f"{month:%Y-%m}",
        "income_lost": application.income_lost,
        "residence_title": application.applicant.residence_title,
        "members": members,
    }
    if entitlement_from is not None:
        doc["entitlement_from"] = entitlement_from.isoformat()
    if requested_amount is not None:
        doc["requested_amount"] = str(requested_amount)
    return doc


def interviews_of(*, case: Case) -> list[Interview]:
    return list(
        Interview.objects.filter(case=case).select_related("worker").order_by("-created_at")
    )


# ------------------------------------------------------------------ statistics


def family_sizes(*, case_ids: list[int], on: date) -> dict[int, int]:
    """Persons in each case's household on ``on`` (dated memberships; at least 1 — the person
    a benefit was granted to belongs to the family even when the household has since ended)."""
    ids = sorted(set(case_ids))
    household_of: dict[int, int] = {}
    for i in range(0, len(ids), 5000):
        household_of.update(
            Case.objects.filter(pk__in=ids[i : i + 5000]).values_list("pk", "household_id")
        )
    counts: dict[int, int] = {}
    households = sorted(set(household_of.values()))
    for i in range(0, len(households), 5000):
        counts.update(
            HouseholdMembership.objects.filter(
                household_id__in=households[i : i + 5000], valid_from__lte=on
            )
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
            .values("household_id")
            .annotate(n=Count("id"))
            .values_list("household_id", "n")
        )
    return {case: max(1, counts.get(hh, 0)) for case, hh in household_of.items()}


def cases_for_listing(*, user: Any, case_ids: list[int]) -> dict[int, Case]:
    """The cases among ``case_ids`` the user may open (scope: unit subtree or assignment),
    with their household; protected cases stay listed only for who sees protected content."""
    found: dict[int, Case] = {}
    ids = sorted(set(case_ids))
    visible = cases_visible(user=user)
    for i in range(0, len(ids), 5000):
        for case in visible.filter(pk__in=ids[i : i + 5000]).select_related("household"):
            if not case.protected or _sees_protected(case=case, user=user):
                found[case.pk] = case
    return found


@dataclass(frozen=True, slots=True)
class DemandFigures:
    """Applications received in ``[start, end)``: by art. 7 reason, care district and month,
    and how many community interviews were done by their deadline (art. 106 ust. 4 u.p.s.)."""

    by_reason: dict[str, int]
    by_unit: dict[str, int]
    by_month: dict[str, int]
    interviews_done: int
    interviews_on_time: int
    caseload: list[tuple[str, int]]  # (worker's name, open applications), most loaded first
    unit_ids: dict[str, int] = field(default_factory=dict)  # unit name → id (list filters)
    interviews_open: int = 0  # still open, no completed interview yet (INTERVIEW_OPEN)
    still_open: int = 0  # still open (status in OPEN_STATUSES): no decision yet
    caseload_worker_ids: list[int] = field(default_factory=list)  # aligned with ``caseload``


# The applications list's "interview deadline" filter (art. 106 ust. 4 u.p.s.): the rows the
# dashboard's "interviews on time" figure is made of (issue 13 §3) — counted per application.
INTERVIEW_ON_TIME = "w_terminie"  # a completed interview conducted by ``interview_due``
INTERVIEW_LATE = "po_terminie"  # completed interview(s), none by ``interview_due``
INTERVIEW_OPEN = "w_toku"  # no completed interview yet and the application still open
INTERVIEW_FILTERS = (INTERVIEW_ON_TIME, INTERVIEW_LATE, INTERVIEW_OPEN)


def interview_timeliness_q(kind: str) -> Q:
    """The applications of one interview-deadline class (``INTERVIEW_*``); the dashboard's
    figures and the list's filter both use this, so a number and its list cannot differ."""
    done = Interview.objects.filter(
        application_id=OuterRef("pk"),
        status=InterviewStatus.COMPLETED,
        conducted_on__isnull=False,
    )
    on_time = Exists(done.filter(conducted_on__lte=OuterRef("interview_due")))
    if kind == INTERVIEW_ON_TIME:
        return Q(on_time)
    if kind == INTERVIEW_LATE:
        return Q(Exists(done)) & ~Q(on_time)
    if kind == INTERVIEW_OPEN:
        return ~Q(Exists(done)) & Q(status__in=OPEN_STATUSES)
    raise ValueError(kind)


def demand_figures(*, start: date, end: date, user: Any = None) -> DemandFigures:
    """Aggregates only (no personal data); one query per figure, the deadline classes in one.
    ``user``: counted in that user's scope (the rows ``application_list`` shows them); None:
    the whole centre."""
    base = Application.objects.all() if user is None else applications_visible(user=user)
    apps = base.filter(received_on__gte=start, received_on__lt=end)
    by_reason: dict[str, int] = {}
    for reasons in apps.values_list("reasons", flat=True).iterator(chunk_size=5000):
        for code in reasons or []:
            by_reason[code] = by_reason.get(code, 0) + 1
    by_unit: dict[str, int] = {}
    unit_ids: dict[str, int] = {}
    for unit_id, name, n in (
        apps.values_list("case__unit_id", "case__unit__name")
        .annotate(n=Count("id"))
        .order_by("case__unit__name", "case__unit_id")
    ):
        by_unit[name] = by_unit.get(name, 0) + n
        unit_ids.setdefault(name, unit_id)
    by_month: dict[str, int] = {}
    for received in apps.values_list("received_on", flat=True).iterator(chunk_size=5000):
        key = f"{received:%Y-%m}"
        by_month[key] = by_month.get(key, 0) + 1
    # Per application (an updated interview is a second one of the same application): the
    # rows of the applications list filtered by ``wywiad`` (interview_timeliness_q) — the
    # classes and the still open applications counted in one pass.
    counts = apps.aggregate(
        on_time=Count("pk", filter=interview_timeliness_q(INTERVIEW_ON_TIME)),
        late=Count("pk", filter=interview_timeliness_q(INTERVIEW_LATE)),
        interviews_open=Count("pk", filter=interview_timeliness_q(INTERVIEW_OPEN)),
        still_open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    )
    # Applications still open per case worker (any date received): exactly the rows of the
    # applications list filtered by ``pracownik`` and ``status=otwarte`` (issue 13 §3).
    open_apps = (
        base.filter(case__worker__isnull=False, status__in=OPEN_STATUSES)
        .values("case__worker_id", "case__worker__first_name", "case__worker__last_name")
        .annotate(n=Count("id"))
        .order_by("-n", "case__worker__last_name", "case__worker_id")
    )
    caseload, worker_ids = [], []
    for r in open_apps:
        caseload.append((f"{r['case__worker__first_name']} {r['case__worker__last_name']}", r["n"]))
        worker_ids.append(r["case__worker_id"])
    return DemandFigures(
        by_reason,
        by_unit,
        by_month,
        counts["on_time"] + counts["late"],
        counts["on_time"],
        caseload,
        unit_ids,
        counts["interviews_open"],
        counts["still_open"],
        worker_ids,
    )


def interview_timeliness_counts(*, start: date, end: date, user: Any = None) -> tuple[int, int]:
    """Applications received in ``[start, end)`` whose interview is done: (on time, late)
    against ``interview_due`` (art. 106 ust. 4 u.p.s.) — the rows of the applications list
    filtered by ``wywiad`` (one query)."""
    base = Application.objects.all() if user is None else applications_visible(user=user)
    counts = base.filter(received_on__gte=start, received_on__lt=end).aggregate(
        on_time=Count("pk", filter=interview_timeliness_q(INTERVIEW_ON_TIME)),
        late=Count("pk", filter=interview_timeliness_q(INTERVIEW_LATE)),
    )
    return counts["on_time"], counts["late"]


def applications_received_count(*, start: date, end: date, user: Any = None) -> int:
    """Applications received in ``[start, end)``: the whole centre (``user`` None) or those
    ``user`` sees — exactly the rows of ``application_list`` with the same period."""
    qs = Application.objects.all() if user is None else applications_visible(user=user)
    return qs.filter(received_on__gte=start, received_on__lt=end).count()


# ------------------------------------------------------------------ the applications list

APPLICATION_PAGE_SIZE = 50
OPEN = "otwarte"  # pseudo-status of the list's filter: every application not yet settled


def applications_visible(*, user: Any) -> QuerySet[Application]:
    """Applications of the cases ``user`` may open (the one scope rule: unit subtree or
    assignment)."""
    return Application.objects.filter(case__in=cases_visible(user=user).values("pk"))


@dataclass(frozen=True)
class ApplicationFilters:
    received_from: date | None = None
    received_to: date | None = None  # inclusive
    unit_id: int | None = None  # the case's care district (current unit)
    status: str = ""  # an ApplicationStatus value or OPEN
    interview: str = ""  # one of INTERVIEW_FILTERS (the interview's deadline), "" any
    reason: str = ""  # an art. 7 reason code among the application's reasons
    worker_id: int | None = None  # the case's worker


def _has_reason(code: str) -> Q:
    """Applications naming the art. 7 reason ``code`` (counted once per application, as the
    dashboard counts it). PostgreSQL: JSON containment, served by the GIN index of migration
    cases 0007. SQLite has no containment on JSON: there the list's text is searched with the
    code quoted ("1" never matches "11")."""
    if connection.vendor == "postgresql":
        return Q(reasons__contains=[code])
    return Q(reasons__icontains=f'"{code}"')


def _application_query(*, user: Any, filters: ApplicationFilters) -> QuerySet[Application]:
    qs = applications_visible(user=user)
    if filters.received_from is not None:
        qs = qs.filter(received_on__gte=filters.received_from)
    if filters.received_to is not None:
        qs = qs.filter(received_on__lte=filters.received_to)
    if filters.unit_id is not None:
        qs = qs.filter(case__unit_id=filters.unit_id)
    if filters.status == OPEN:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.interview in INTERVIEW_FILTERS:
        qs = qs.filter(interview_timeliness_q(filters.interview))
    if filters.reason in ART7_REASONS:
        qs = qs.filter(_has_reason(filters.reason))
    if filters.worker_id is not None:
        qs = qs.filter(case__worker_id=filters.worker_id)
    return qs


def application_list_page(
    *, user: Any, filters: ApplicationFilters, page: Any, per_page: int = APPLICATION_PAGE_SIZE
) -> Page:
    """One page of the applications list (newest received first) with the case's household
    and unit; ``page.paginator.count`` is the number the start pages link from."""
    qs = (
        _application_query(user=user, filters=filters)
        .select_related("case__household", "case__unit")
        .order_by("-received_on", "-pk")
    )
    return Paginator(qs, per_page).get_page(page)


def application_list_worker(*, user: Any, worker_id: int | None) -> str | None:
    """The name of the worker the list is filtered by (shown on the page, so that a list reached
    from a chart's bar says whose cases it holds) — only when the viewer sees at least one case
    that worker leads: an id typed into the URL names nobody outside the viewer's scope."""
    if worker_id is None:
        return None
    if not cases_visible(user=user).filter(worker_id=worker_id).exists():
        return None
    row = get_user_model().objects.filter(pk=worker_id).first()
    return (row.get_full_name() or row.get_username()) if row is not None else None


def application_list_units(*, user: Any) -> list[tuple[int, str]]:
    """The list's "unit" filter: the units the user sees, by name."""
    return list(
        Unit.objects.filter(pk__in=list(visible_unit_ids(user)))
        .order_by(polish("name"), "pk")
        .values_list("pk", "name")
    )


@dataclass(frozen=True, slots=True)
class CaseloadCalculation:
    """The latest law-core calculation of one benefit for one case (the what-if's input)."""

    calculation_id: int
    case_id: int
    unit: str
    benefit: str
    request: dict[str, Any]


def latest_calculations() -> list[CaseloadCalculation]:
    """Per (case, benefit) the most recent calculation snapshot — the live caseload's inputs."""
    rows = (
        Calculation.objects.order_by("case_id", "benefit", "-created_at", "-pk")
        .values_list("pk", "case_id", "case__unit__name", "benefit", "request")
        .iterator(chunk_size=2000)
    )
    out: dict[tuple[int, str], CaseloadCalculation] = {}
    for pk, case_id, unit, benefit, request in rows:
        out.setdefault((case_id, benefit), CaseloadCalculation(pk, case_id, unit, benefit, request))
    return list(out.values())


def case_units(*, case_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Each case's household id and care district name (for statistics)."""
    out: dict[int, tuple[int, str]] = {}
    ids = sorted(set(case_ids))
    for i in range(0, len(ids), 5000):
        for pk, household, unit in Case.objects.filter(pk__in=ids[i : i + 5000]).values_list(
            "pk", "household_id", "unit__name"
        ):
            out[pk] = (household, unit)
    return out

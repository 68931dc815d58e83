"""Reads of the cases context — scope-aware, with a constant number of queries per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet

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
from ostoja.cases.timeline import TimelineItem, event_url, extra_items
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
    reminders = list(
        Interview.objects.filter(
            status=InterviewStatus.COMPLETED,
            update__isnull=True,
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

    @property
    def open_applications(self) -> list[Application]:
        return [r.obj for r in self.applications if r.obj.is_open]


def _sees_protected(*, case: Case, user: Any) -> bool:
    if case.worker_id == user.pk:
        return True
    return bool(user.has_perm("socialwork.protect_case", case))


def case_file(*, case: Case, user: Any, now: datetime, kind: str = "") -> CaseFile:
    """Everything on the family's page with a fixed number of queries."""
    on = local_date(now)
    members = registry_selectors.members_on(household=case.household, on=on)
    applications = list(
        Application.objects.filter(case=case)
        .select_related("applicant")
        .order_by("-received_on", "-pk")[:100]
    )
    interviews = list(
        Interview.objects.filter(case=case)
        .select_related("worker", "application")
        .order_by("-created_at", "-pk")[:50]
    )
    calculations = list(
        Calculation.objects.filter(case=case)
        .select_related("application", "created_by")
        .order_by("-created_at", "-pk")[:20]
    )
    events = TimelineEvent.objects.filter(case=case).select_related("actor")
    if case.protected and not _sees_protected(case=case, user=user):
        # Protected record (e.g. Niebieska Karta): only the assigned worker and the heads see
        # protected entries here; others open them through the social-work break-glass page.
        events = events.filter(protected=False)
    if kind in TIMELINE_KINDS:
        events = events.filter(timeline_group_filter(kind))
    else:
        kind = ""
    timeline = [
        TimelineItem(
            occurred_at=e.occurred_at,
            kind=e.kind,
            kind_label=timeline_kind_label(e.kind),
            title=e.title,
            detail=e.detail,
            actor=(e.actor.get_full_name() or e.actor.username) if e.actor else "",
            url=event_url(source_app=e.source_app, source_id=e.source_id, case=case),
        )
        for e in events.order_by("-occurred_at", "-pk")[:200]
    ]
    # Entries of higher contexts (payments, issue 17), merged by when they happened, newest first.
    timeline += extra_items(case=case, user=user, group=kind)
    timeline.sort(key=lambda item: item.occurred_at, reverse=True)
    current = next(
        (a for a in applications if a.is_open), applications[0] if applications else None
    )
    income = registry_selectors.household_income(
        household=case.household,
        on=current.received_on if current else on,
        income_lost=current.income_lost if current else False,
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
    caseload: list[tuple[str, int]]  # (worker's name, open cases), most loaded first


def demand_figures(*, start: date, end: date) -> DemandFigures:
    """Aggregates only (no personal data); one query per figure."""
    apps = Application.objects.filter(received_on__gte=start, received_on__lt=end)
    by_reason: dict[str, int] = {}
    for reasons in apps.values_list("reasons", flat=True).iterator(chunk_size=5000):
        for code in reasons or []:
            by_reason[code] = by_reason.get(code, 0) + 1
    by_unit = dict(
        apps.values_list("case__unit__name").annotate(n=Count("id")).order_by("case__unit__name")
    )
    by_month: dict[str, int] = {}
    for received in apps.values_list("received_on", flat=True).iterator(chunk_size=5000):
        key = f"{received:%Y-%m}"
        by_month[key] = by_month.get(key, 0) + 1
    interviews = Interview.objects.filter(
        application__in=apps, status=InterviewStatus.COMPLETED, conducted_on__isnull=False
    )
    done = interviews.count()
    on_time = interviews.filter(conducted_on__lte=F("application__interview_due")).count()
    open_cases = (
        Case.objects.filter(worker__isnull=False, applications__status__in=OPEN_STATUSES)
        .values("worker__first_name", "worker__last_name")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "worker__last_name")
    )
    caseload = [(f"{r['worker__first_name']} {r['worker__last_name']}", r["n"]) for r in open_cases]
    return DemandFigures(by_reason, by_unit, by_month, done, on_time, caseload)


def applications_received_count(*, start: date, end: date) -> int:
    return Application.objects.filter(received_on__gte=start, received_on__lt=end).count()


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

"""Writes of the cases context: case files, applications with their case references,
community interviews, calculation snapshots and the timeline.

Deadlines and calculations come from the law core (``ostoja.law``) — never recomputed here.

Size (issue 18): ~750 lines in six sections (timeline, references, case and assignments,
applications, interviews, calculations). Next to split into a ``services/`` package by those
sections; kept whole on 5.12.2026 because every new context calls ``timeline_record`` here and
the three contexts being built in parallel import from this module.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from ostoja.audit.services import access_record
from ostoja.cases.models import (
    ART7_REASONS,
    HELP_FORMS,
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    Calculation,
    Case,
    Channel,
    FilingClass,
    Interview,
    InterviewStatus,
    ReferenceCounter,
    TimelineEvent,
)
from ostoja.cases.sections import SECTION_NAMES, clean_section
from ostoja.cases.selectors import timeline_group_filter
from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.law.codes import BENEFITS
from ostoja.law.deadlines import decision_deadline, interview_deadline, interview_update_due
from ostoja.law.interface import RequestError, calculate_document
from ostoja.org.models import Unit
from ostoja.org.roles import Role
from ostoja.registry import selectors as registry_selectors
from ostoja.registry.models import Household, Person
from ostoja.registry.scope import has_client_role, visible_unit_ids
from ostoja.registry.text import amount_pl

DEFAULT_REFERENCE_PATTERN = "{unit}.{jrwa}.{number}.{year}"
HOMELESS_UNIT_CODE = "bezdomnosc"


def reference_pattern() -> str:
    """The znak sprawy pattern (setting ``OSTOJA_CASE_REFERENCE_PATTERN``); fields: unit, jrwa,
    number, year (formats.md §5.2: unit.class.number.year)."""
    return getattr(settings, "OSTOJA_CASE_REFERENCE_PATTERN", DEFAULT_REFERENCE_PATTERN)


# ------------------------------------------------------------------ timeline


def timeline_record(
    *,
    case: Case | None = None,
    kind: str,
    title: str,
    detail: str = "",
    occurred_at: datetime | date | None = None,
    actor: Any = None,
    source: tuple[str, Any] | None = None,
    protected: bool = False,
    case_id: int | None = None,
    occurred_on: date | None = None,
    source_app: str = "",
    source_id: Any = "",
) -> TimelineEvent:
    """Add one event to the family's timeline — for every context (decisions, payments,
    social work). ``source`` = ``(app_label, object id)`` (or ``source_app``/``source_id``);
    recording the same source and kind twice returns the first event (idempotent).
    ``case_id`` and ``occurred_on`` are accepted as aliases of ``case`` and ``occurred_at``."""
    if case is None:
        if case_id is None:
            raise TypeError("timeline_record needs case or case_id")
        case = Case.objects.get(pk=case_id)
    if occurred_at is None:
        occurred_at = occurred_on
    if occurred_at is None:
        raise TypeError("timeline_record needs occurred_at (time is an input, issue 11)")
    if isinstance(occurred_at, date) and not isinstance(occurred_at, datetime):
        occurred_at = timezone.make_aware(datetime.combine(occurred_at, time(12, 0)))
    if source:
        source_app, source_id = source[0], source[1]
    source_id = "" if source_id in (None, "") else str(source_id)
    if source_id:
        existing = TimelineEvent.objects.filter(
            source_app=source_app, source_id=source_id, kind=kind
        ).first()
        if existing is not None:
            return existing
    return TimelineEvent.objects.create(
        case=case,
        occurred_at=occurred_at,
        kind=kind,
        title=title[:250],
        detail=detail,
        source_app=source_app,
        source_id=source_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        protected=protected or case.protected,
    )


@transaction.atomic
def case_set_protected(
    *, case: Case, protected: bool, user: Any, now: datetime, reason: str = ""
) -> Case:
    """Mark a case protected (restricted record) or lift it — audited, on the timeline."""
    if case.protected != protected:
        case.protected = protected
        case.version += 1
        case.save()
        if protected:
            # Social-work entries written before the protection (note texts, visits…) get
            # the same treatment as those written after it: protected, text blanked (the
            # notes themselves stay in social work behind its protected-record rule).
            TimelineEvent.objects.filter(case=case).filter(
                timeline_group_filter("praca_socjalna")
            ).update(protected=True, detail="")
        timeline_record(
            case=case,
            kind="sprawa",
            title="Sprawa oznaczona jako chroniona" if protected else "Zdjęto ochronę sprawy",
            detail=reason,
            occurred_at=now,
            actor=user,
            protected=True,
        )
    return case


@transaction.atomic
def case_set_ongoing_help(*, case: Case, ongoing: bool) -> Case:
    """Decisions call this when a continuing benefit starts/ends (6-month interview updates)."""
    if case.ongoing_help != ongoing:
        case.ongoing_help = ongoing
        case.version += 1
        case.save()
    return case


# ------------------------------------------------------------------ references


def filing_class_for(*, forms: list[str], on: date) -> FilingClass:
    classes = list(
        FilingClass.objects.filter(for_applications=True, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("symbol")
    )
    if not classes:
        raise DomainError("Brak wykazu akt (JRWA) dla wniosków — wczytaj wykaz.")
    from ostoja.cases.filing import FORMS_OF_CLASS

    for form in forms:
        for c in classes:
            if form in FORMS_OF_CLASS.get(c.symbol, ()):
                return c
    return classes[-1]


def reference_allocate(*, unit_symbol: str, filing_symbol: str, year: int) -> int:
    """The next number in the case register of (unit, class, year) — without gaps or
    duplicates: the counter row is locked (``select_for_update``) for the rest of the
    transaction and the application's reference is unique in the database."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reference_allocate must run inside a transaction")
    key = {"unit_symbol": unit_symbol, "filing_symbol": filing_symbol, "year": year}
    counter = ReferenceCounter.objects.select_for_update().filter(**key).first()
    if counter is None:
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(**key, last_number=0)
        except IntegrityError:
            pass  # created concurrently — lock the winner's row below
        counter = ReferenceCounter.objects.select_for_update().get(**key)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def reference_format(*, unit_symbol: str, filing_symbol: str, number: int, year: int) -> str:
    return reference_pattern().format(
        unit=unit_symbol, jrwa=filing_symbol, number=number, year=year
    )


# ------------------------------------------------------------------ case and assignment


def _least_loaded_worker(unit_id: int) -> Any:
    User = get_user_model()
    return (
        User.objects.filter(
            is_active=True, staff__unit_id=unit_id, groups__name=Role.SOCIAL_WORKER.value
        )
        .annotate(
            load=Count(
                "assigned_cases",
                filter=Q(assigned_cases__applications__status__in=OPEN_STATUSES),
                distinct=True,
            )
        )
        .order_by("load", "pk")
        .first()
    )


def _unit_for(applicant: Person, user: Any) -> Unit:
    """The care district of the applicant's address; homeless → the homelessness department;
    no district (outside Kielce, unmapped street) → the registering user's unit."""
    unit_id = registry_selectors.district_of_person(person=applicant)
    if unit_id is None and applicant.homeless:
        homeless = Unit.objects.filter(code=HOMELESS_UNIT_CODE).first()
        unit_id = homeless.pk if homeless else None
    if unit_id is None:
        staff = getattr(user, "staff", None)
        if staff is None:
            raise DomainError("Nie można ustalić jednostki właściwej dla sprawy.")
        unit_id = staff.unit_id
    return Unit.objects.get(pk=unit_id)


def case_open(*, household: Household, applicant: Person, user: Any, on: date) -> Case:
    """The household's case file, opened on first application (the district of the address)."""
    existing = Case.objects.filter(household=household).first()
    if existing is not None:
        return existing
    unit = _unit_for(applicant, user)
    worker = _least_loaded_worker(unit.pk)
    case = Case.objects.create(household=household, unit=unit, worker=worker, opened_on=on)
    timeline_record(
        case=case,
        kind="sprawa",
        title=f"Założono teczkę rodziny — {unit.name}",
        detail=f"Pracownik socjalny: {worker.get_full_name()}" if worker else "Bez przydziału",
        occurred_at=on,
        actor=user,
        source=("cases.case", case.pk),
    )
    return case


def is_head_of_case_unit(*, user: Any, case: Case) -> bool:
    """The head (kierownik) of the unit holding the case — the one who decides who may read a
    protected case."""
    return has_client_role(user, frozenset({Role.HEAD_OF_UNIT})) and (
        case.unit_id in visible_unit_ids(user)
    )


PROTECTED_ASSIGN_REFUSED = (
    "Pracownika sprawy chronionej zmienia tylko kierownik jednostki. W nagłej potrzebie użyj "
    "dostępu nadzwyczajnego (z podaniem powodu)."
)


@transaction.atomic
def case_assign(
    *, case: Case, worker: Any, expected_version: int, user: Any, now: datetime
) -> Case:
    """Give the case to ``worker`` (None: unassigned). On a protected case the worker decides
    who reads the protected notes, so only the head of the case's unit may change it; the
    change is audited with the protected flag (issue 20, finding 1)."""
    if case.protected and not is_head_of_case_unit(user=user, case=case):
        raise NotPermitted(PROTECTED_ASSIGN_REFUSED)
    staff = getattr(worker, "staff", None) if worker is not None else None
    if worker is not None and (staff is None or staff.unit_id != case.unit_id):
        raise ValidationFailed({"worker": ["Pracownik musi należeć do jednostki sprawy."]})
    previous_id = case.worker_id
    case.worker = worker
    save_versioned(case, expected_version=expected_version)
    if case.protected:
        access_record(
            user=user,
            obj=case,
            extra={
                "protected": True,
                "assignment": "permanent",
                "worker_id": worker.pk if worker is not None else None,
                "previous_worker_id": previous_id,
            },
        )
    timeline_record(
        case=case,
        kind="sprawa",
        title="Zmiana pracownika socjalnego",
        detail=worker.get_full_name() if worker else "bez przydziału",
        occurred_at=now,
        actor=user,
    )
    return case


@transaction.atomic
def case_assign_district_worker(*, case: Case, user: Any, now: datetime) -> Case | None:
    """Give an unassigned case to the least-loaded social worker of its unit (None when the
    case already has a worker or the unit has none)."""
    if case.worker_id is not None or case.protected:
        # A protected case is never given out automatically: the head chooses its worker.
        return None
    worker = _least_loaded_worker(case.unit_id)
    if worker is None:
        return None
    return case_assign(case=case, worker=worker, expected_version=case.version, user=user, now=now)


# ------------------------------------------------------------------ applications


def _application_errors(
    *,
    household: Household,
    applicant: Person,
    received_on: date | None,
    channel: str,
    forms: list[str],
    reasons: list[str],
    on: date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if received_on is None:
        errors["received_on"] = ["Podaj datę wpływu wniosku."]
    elif received_on > on:
        errors["received_on"] = ["Data wpływu nie może być późniejsza niż dzisiejsza."]
    if channel not in Channel.values:
        errors["channel"] = ["Wybierz sposób złożenia wniosku."]
    if not forms:
        errors["forms"] = ["Wskaż co najmniej jedną formę pomocy."]
    elif any(f not in HELP_FORMS for f in forms):
        errors["forms"] = ["Nieznana forma pomocy."]
    if any(r not in ART7_REASONS for r in reasons):
        errors["reasons"] = ["Nieznany powód z art. 7 u.p.s."]
    if received_on is not None and "received_on" not in errors:
        members = registry_selectors.members_on(household=household, on=received_on)
        if applicant.pk not in {m.person_id for m in members}:
            errors["applicant"] = [
                f"{applicant.full_name} nie należy do rodziny w dniu wpływu wniosku."
            ]
    if applicant.date_of_death is not None:
        errors["applicant"] = ["Wnioskodawca nie żyje — wniosku nie można zarejestrować."]
    return errors


@transaction.atomic
def application_register(
    *,
    household: Household,
    applicant: Person,
    received_on: date | None,
    channel: str,
    forms: list[str],
    reasons: list[str],
    user: Any,
    on: date,
    reasons_other: str = "",
    urgent: bool = False,
    income_lost: bool = False,
    description: str = "",
) -> Application:
    """Register a wniosek: open the family's case (district of the address, least-loaded
    social worker), give it the next case reference, set the deadlines from the law core."""
    errors = _application_errors(
        household=household,
        applicant=applicant,
        received_on=received_on,
        channel=channel,
        forms=forms,
        reasons=reasons,
        on=on,
    )
    if errors:
        raise ValidationFailed(errors)
    assert received_on is not None
    case = case_open(household=household, applicant=applicant, user=user, on=received_on)
    filing = filing_class_for(forms=forms, on=received_on)
    unit_symbol = case.unit.case_symbol or case.unit.code.upper()
    number = reference_allocate(
        unit_symbol=unit_symbol, filing_symbol=filing.symbol, year=received_on.year
    )
    reference = reference_format(
        unit_symbol=unit_symbol, filing_symbol=filing.symbol, number=number, year=received_on.year
    )
    application = Application.objects.create(
        case=case,
        applicant=applicant,
        reference=reference,
        reference_number=number,
        reference_year=received_on.year,
        filing_symbol=filing.symbol,
        unit_symbol=unit_symbol,
        received_on=received_on,
        channel=channel,
        forms=list(forms),
        reasons=list(reasons),
        reasons_other=reasons_other.strip(),
        urgent=urgent,
        income_lost=income_lost,
        description=description,
        interview_due=interview_deadline(received_on, urgent=urgent).date,
        decision_due=decision_deadline(received_on).date,
        created_by=user,
    )
    forms_text = ", ".join(HELP_FORMS[f] for f in forms)
    competence = registry_selectors.competence_of(person=applicant)
    timeline_record(
        case=case,
        kind="wniosek",
        title=f"Wniosek {reference} — {forms_text}",
        detail=(
            f"Wpłynął {received_on:%d.%m.%Y} ({Channel(channel).label}). Termin wywiadu: "
            f"{application.interview_due:%d.%m.%Y}; termin załatwienia: "
            f"{application.decision_due:%d.%m.%Y}."
            + (
                f" Gmina właściwa: {competence.gmina} ({competence.basis}) — do przekazania."
                if not competence.local
                else ""
            )
        ),
        occurred_at=received_on,
        actor=user,
        source=("cases.application", application.pk),
    )
    return application


def _set_status(application: Application, status: str, expected_version: int | None) -> None:
    application.status = status
    if expected_version is None:
        application.version += 1
        application.save()
    else:
        save_versioned(application, expected_version=expected_version)


@transaction.atomic
def application_forward(
    *,
    application: Application,
    target: str,
    on: date,
    expected_version: int,
    user: Any,
    today: date,
) -> Application:
    """Forward to the competent centre (art. 101 u.p.s.; art. 65 KPA) instead of handling it;
    a forwarding date after ``today`` is refused."""
    if not application.is_open:
        raise DomainError("Wniosek jest już zakończony.")
    if not (target or "").strip():
        raise ValidationFailed({"target": ["Podaj ośrodek, do którego przekazano wniosek."]})
    if on < application.received_on:
        raise ValidationFailed({"forwarded_on": ["Data przekazania poprzedza wpływ wniosku."]})
    if on > today:
        raise ValidationFailed({"forwarded_on": ["Data przekazania nie może być przyszła."]})
    application.forwarded_to = target.strip()
    application.forwarded_on = on
    application.closed_on = on
    _set_status(application, ApplicationStatus.FORWARDED, expected_version)
    timeline_record(
        case=application.case,
        kind="wniosek",
        title=f"Wniosek {application.reference} przekazano wg właściwości",
        detail=f"Do: {application.forwarded_to} ({on:%d.%m.%Y}), art. 101 u.p.s., art. 65 KPA.",
        occurred_at=on,
        actor=user,
        source=("cases.application.forward", application.pk),
    )
    return application


@transaction.atomic
def application_leave_unconsidered(
    *, application: Application, reason: str, on: date, expected_version: int, user: Any
) -> Application:
    """Pozostawienie bez rozpoznania (art. 64 § 2 KPA) — with the reason."""
    if not application.is_open:
        raise DomainError("Wniosek jest już zakończony.")
    if not (reason or "").strip():
        raise ValidationFailed({"reason": ["Podaj powód (np. nieusunięte braki wniosku)."]})
    application.status_note = reason.strip()
    application.closed_on = on
    _set_status(application, ApplicationStatus.LEFT, expected_version)
    timeline_record(
        case=application.case,
        kind="wniosek",
        title=f"Wniosek {application.reference} pozostawiono bez rozpoznania",
        detail=reason.strip(),
        occurred_at=on,
        actor=user,
        source=("cases.application.left", application.pk),
    )
    return application


@transaction.atomic
def application_mark_ready(
    *, application: Application, expected_version: int, user: Any, now: datetime
) -> Application:
    """„Gotowy do decyzji”: the interview is done (art. 106 ust. 4 u.p.s.)."""
    if application.status != ApplicationStatus.INTERVIEW_DONE:
        raise DomainError("Najpierw trzeba przeprowadzić i zakończyć wywiad środowiskowy.")
    _set_status(application, ApplicationStatus.READY, expected_version)
    timeline_record(
        case=application.case,
        kind="wniosek",
        title=f"Wniosek {application.reference} gotowy do decyzji",
        occurred_at=now,
        actor=user,
        source=("cases.application.ready", application.pk),
    )
    return application


@transaction.atomic
def application_close(*, application: Application, on: date, note: str = "") -> Application:
    """Called by the decisions context when the matter is settled."""
    application.closed_on = on
    application.status_note = note
    _set_status(application, ApplicationStatus.CLOSED, None)
    return application


def application_merge_hook(*, keep: Person, duplicate: Person) -> None:
    """On a merge of duplicates the applications follow the kept person."""
    for application in Application.objects.filter(applicant=duplicate):
        application.applicant = keep
        application.save(update_fields=["applicant"])


# ------------------------------------------------------------------ interviews


@transaction.atomic
def interview_start(
    *,
    case: Case,
    application: Application | None,
    user: Any,
    now: datetime,
    planned_on: date | None = None,
) -> Interview:
    """A draft interview for the application (or an update of the last completed one)."""
    draft = Interview.objects.filter(case=case, status=InterviewStatus.DRAFT).first()
    if draft is not None:
        return draft
    previous = (
        Interview.objects.filter(case=case, status=InterviewStatus.COMPLETED, update__isnull=True)
        .order_by("-conducted_on", "-pk")
        .first()
    )
    interview = Interview.objects.create(
        case=case,
        application=application,
        previous=previous,
        planned_on=planned_on,
        worker=user,
        sections=dict(previous.sections) if previous else {},
        # Art. 7 reasons: the application's, plus those found by the previous interview.
        reasons=list(
            dict.fromkeys(
                [
                    *(application.reasons if application else []),
                    *(previous.reasons if previous else []),
                ]
            )
        ),
    )
    if application is not None and application.status == ApplicationStatus.REGISTERED:
        _set_status(application, ApplicationStatus.INTERVIEW_PLANNED, None)
    timeline_record(
        case=case,
        kind="wywiad",
        title="Rozpoczęto aktualizację wywiadu" if previous else "Rozpoczęto wywiad środowiskowy",
        detail=f"Planowany termin: {planned_on:%d.%m.%Y}" if planned_on else "",
        occurred_at=now,
        actor=user,
        source=("cases.interview.start", interview.pk),
    )
    return interview


@transaction.atomic
def interview_save_section(
    *, interview: Interview, section: str, data: dict[str, Any], expected_version: int
) -> Interview:
    """Save one part of the questionnaire of a draft (autosave and the Save button)."""
    if section not in SECTION_NAMES:
        raise DomainError("Nieznana część kwestionariusza.")
    if interview.is_completed:
        raise DomainError("Wywiad jest zakończony — zmiany wprowadza się w aktualizacji.")
    cleaned = clean_section(section, data)
    sections = dict(interview.sections)
    sections[section] = cleaned
    interview.sections = sections
    if section == "trudnosci":
        interview.reasons = [r for r in cleaned.get("powody", []) if r in ART7_REASONS]
    if section == "analiza":
        benefit = cleaned.get("proponowane_swiadczenie") or ""
        interview.proposed_benefit = benefit if benefit in BENEFITS else ""
        amount = cleaned.get("proponowana_kwota")
        interview.proposed_amount = Decimal(amount) if amount else None
    save_versioned(interview, expected_version=expected_version)
    return interview


@transaction.atomic
def interview_complete(
    *,
    interview: Interview,
    conducted_on: date | None,
    expected_version: int,
    user: Any,
    on: date,
    now: datetime,
) -> Interview:
    """Completion: date and worker; the interview becomes read-only; the update is due in
    6 months for ongoing help (law core, rozp. w sprawie RWŚ)."""
    if interview.is_completed:
        raise DomainError("Wywiad jest już zakończony.")
    errors: dict[str, list[str]] = {}
    if conducted_on is None:
        errors["conducted_on"] = ["Podaj datę przeprowadzenia wywiadu."]
    elif conducted_on > on:
        errors["conducted_on"] = ["Data wywiadu nie może być późniejsza niż dzisiejsza."]
    elif interview.application and conducted_on < interview.application.received_on:
        errors["conducted_on"] = ["Wywiad nie może poprzedzać wpływu wniosku."]
    analysis = interview.sections.get("analiza", {})
    if not (analysis.get("ocena") or "").strip():
        errors["ocena"] = ["Przed zakończeniem wpisz ocenę sytuacji (część „Analiza i plan”)."]
    if not interview.sections.get("rodzina"):
        errors["rodzina"] = ["Przed zakończeniem uzupełnij część „Rodzina”."]
    if errors:
        raise ValidationFailed(errors)
    assert conducted_on is not None
    interview.status = InterviewStatus.COMPLETED
    interview.conducted_on = conducted_on
    interview.worker = user
    interview.completed_at = now
    interview.update_due = interview_update_due(conducted_on).date
    save_versioned(interview, expected_version=expected_version)
    application = interview.application
    if application is not None and application.status in (
        ApplicationStatus.REGISTERED,
        ApplicationStatus.INTERVIEW_PLANNED,
    ):
        _set_status(application, ApplicationStatus.INTERVIEW_DONE, None)
    timeline_record(
        case=interview.case,
        kind="wywiad",
        title=(
            "Zakończono aktualizację wywiadu"
            if interview.previous_id
            else "Przeprowadzono wywiad środowiskowy"
        ),
        detail=(
            f"Data: {conducted_on:%d.%m.%Y}; pracownik: {user.get_full_name()}."
            + (
                f" Propozycja: {BENEFITS.get(interview.proposed_benefit, '')}"
                if interview.proposed_benefit
                else ""
            )
        ),
        occurred_at=conducted_on,
        actor=user,
        source=("cases.interview", interview.pk),
    )
    return interview


# ------------------------------------------------------------------ calculations


@transaction.atomic
def calculation_run(
    *,
    application: Application,
    benefit: str,
    user: Any,
    now: datetime,
    requested_amount: Decimal | None = None,
    entitlement_from: date | None = None,
    options: dict[str, Any] | None = None,
) -> Calculation:
    """Build the law core's request from the household on the application date and its
    incomes, calculate, and store the snapshot (request, result, parameters in force).

    ``options``: further request fields (decision date, social-contract work, funeral costs —
    issue 22), validated by the law core like the rest of the document."""
    from ostoja.cases.selectors import calculation_request_build

    if benefit not in BENEFITS:
        raise ValidationFailed({"benefit": ["Wybierz świadczenie z listy."]})
    doc = calculation_request_build(
        application=application,
        benefit=benefit,
        requested_amount=requested_amount,
        entitlement_from=entitlement_from,
    )
    if options:
        doc.update(options)
    try:
        result = calculate_document(doc)
    except RequestError as exc:
        fields = {"decision_date", "contract_work_start", "contract_amount"}
        errors: dict[str, list[str]] = {}
        for e in exc.errors:
            name = e["field"] if e["field"] in fields else "benefit"
            if e["field"].startswith("funeral"):
                name = "funeral_" + (e["field"].split(".", 1)[1] if "." in e["field"] else "costs")
            errors.setdefault(name, []).append(e["message"])
        raise ValidationFailed(errors or {"benefit": ["Nie można obliczyć."]}) from exc
    amount = result.get("amount")
    calculation = Calculation.objects.create(
        case=application.case,
        application=application,
        benefit=benefit,
        request=doc,
        result=result,
        eligible=bool(result.get("eligible")),
        amount=Decimal(amount) if amount else None,
        parameters_valid_from=date.fromisoformat(result["parameters"]["valid_from"]),
        created_by=user,
    )
    verdict = "spełnia warunki" if calculation.eligible else "nie spełnia warunków"
    timeline_record(
        case=application.case,
        kind="obliczenie",
        title=f"Obliczenie: {BENEFITS[benefit]} — {verdict}",
        detail=(f"Kwota: {amount_pl(amount)}. " if amount else "")
        + f"Dochód na osobę: {amount_pl(result['income']['per_person'])}, kryterium "
        f"{amount_pl(result['income']['criterion'])}.",
        occurred_at=now,
        actor=user,
        source=("cases.calculation", calculation.pk),
    )
    return calculation


def applications_open_for(*, case: Case) -> list[Application]:
    return list(case.applications.filter(status__in=OPEN_STATUSES).order_by("-received_on"))


SECTION_NAMES_ALL = SECTION_NAMES

"""Case files: the protection flag and ongoing help, case references (znak sprawy), opening a
case and assigning its worker."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from ostoja.audit.services import access_record
from ostoja.cases.filing import FORMS_OF_CLASS
from ostoja.cases.models import (
    OPEN_STATUSES,
    Case,
    FilingClass,
    ReferenceCounter,
    TimelineEvent,
)
from ostoja.cases.selectors import timeline_group_filter
from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.org.models import Unit
from ostoja.org.roles import Role
from ostoja.registry import selectors as registry_selectors
from ostoja.registry.models import Household, Person
from ostoja.registry.scope import has_client_role, visible_unit_ids

from .timeline import timeline_record

DEFAULT_REFERENCE_PATTERN = "{unit}.{jrwa}.{number}.{year}"
HOMELESS_UNIT_CODE = "bezdomnosc"


def reference_pattern() -> str:
    """The znak sprawy pattern (setting ``OSTOJA_CASE_REFERENCE_PATTERN``); fields: unit, jrwa,
    number, year (formats.md §5.2: unit.class.number.year)."""
    return getattr(settings, "OSTOJA_CASE_REFERENCE_PATTERN", DEFAULT_REFERENCE_PATTERN)


@transaction.atomic
def case_set_protected(
    *, case: Case, protected: bool, user: Any, now: datetime, reason: str = ""
) -> Case:
    """Mark a case protected (restricted record) or lift it — audited, on the timeline."""
    if case.protected != protected:
        case.protected = protected
        # No version from a form here: the one read with ``case`` — a concurrent change of the
        # case is refused (ConflictError) instead of being overwritten by this save.
        save_versioned(case, expected_version=case.version)
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
        save_versioned(case, expected_version=case.version)
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

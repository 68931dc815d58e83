"""Applications (wnioski): registering with the law-core deadlines, forwarding, leaving
unconsidered, readiness, closing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction

from ostoja.cases.models import (
    ART7_REASONS,
    HELP_FORMS,
    Application,
    ApplicationStatus,
    Case,
    Channel,
)
from ostoja.cases.selectors import applications_open
from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import ConflictError, DomainError, ValidationFailed
from ostoja.law.deadlines import decision_deadline, interview_deadline
from ostoja.registry import selectors as registry_selectors
from ostoja.registry.models import Household, Person

from .casefiles import case_open, filing_class_for, reference_allocate, reference_format
from .timeline import timeline_record

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
    # A system step (no form, so no version from the user) locks on the version it read.
    save_versioned(
        application,
        expected_version=application.version if expected_version is None else expected_version,
    )


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
    if application.status == ApplicationStatus.READY:
        raise ConflictError(
            "Wniosek jest już oznaczony jako gotowy do decyzji — nic nie zmieniono."
        )
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


def applications_open_for(*, case: Case) -> list[Application]:
    return applications_open(case=case)

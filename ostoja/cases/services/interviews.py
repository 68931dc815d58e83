"""Community interviews (rodzinny wywiad środowiskowy): start, sections, completion."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from ostoja.cases.models import (
    ART7_REASONS,
    Application,
    ApplicationStatus,
    Case,
    Interview,
    InterviewStatus,
)
from ostoja.cases.sections import SECTION_NAMES, clean_section
from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.law.codes import BENEFITS
from ostoja.law.deadlines import interview_update_due

from .applications import _set_status
from .timeline import timeline_record

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
    """A draft interview for the application (or an update of the last completed one). A case
    has one draft at a time: a second start (another click, a colleague at the same moment)
    continues it — the case row is locked first, and a database constraint holds where a lock
    cannot (SQLite reads before it writes)."""
    Case.objects.select_for_update().filter(pk=case.pk).first()
    draft = Interview.objects.filter(case=case, status=InterviewStatus.DRAFT).first()
    if draft is not None:
        return draft
    previous = (
        Interview.objects.filter(case=case, status=InterviewStatus.COMPLETED, update__isnull=True)
        .order_by("-conducted_on", "-pk")
        .first()
    )
    try:
        with transaction.atomic():
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
    except IntegrityError:  # a concurrent start won: continue its draft
        return Interview.objects.get(case=case, status=InterviewStatus.DRAFT)
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


SECTION_NAMES_ALL = SECTION_NAMES

"""The powiat's programmes: leaving-care help (art. 88 u.p.s.) and the individual
integration programme for refugees (art. 91–93 u.p.s.)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from ostoja.care.models import (
    IntegrationProgramme,
    IntegrationReview,
    LeavingCareHelp,
    LeavingCareProgramme,
)
from ostoja.care.policy import (
    ProgrammeStatus,
)
from ostoja.care.services._common import (
    _columns,
    _fail,
    _need,
    _timeline,
)
from ostoja.cases.models import Case
from ostoja.core.concurrency import save_versioned
from ostoja.core.dates import shift_months
from ostoja.core.errors import ConflictError, ValidationFailed
from ostoja.law.benefits.powiat import (
    LEAVING_CARE_KINDS,
    integration_benefit,
    leaving_care_amount,
)

# ------------------------------------------------------------------ leaving care (powiat)


@transaction.atomic
def leaving_care_programme_create(
    *,
    person: Any,
    unit: Any,
    institution_kind: str,
    institution_name: str,
    left_on: date,
    stay_months: int,
    guardian_name: str,
    goals: str,
    agreed_on: date,
    actor: Any,
    case: Case | None = None,
) -> LeavingCareProgramme:
    """Indywidualny program usamodzielnienia with its guardian (art. 88 u.p.s.)."""
    _need(actor, "care.manage", case)
    errors: dict[str, list[str]] = {}
    if not guardian_name.strip():
        errors["guardian_name"] = ["Podaj opiekuna usamodzielnienia."]
    if not goals.strip():
        errors["goals"] = ["Opisz cele i działania programu."]
    if not institution_name.strip():
        errors["institution_name"] = ["Podaj nazwę placówki."]
    if stay_months < 0:
        errors["stay_months"] = ["Okres pobytu nie może być ujemny."]
    _columns(
        errors,
        LeavingCareProgramme,
        institution_name=institution_name,
        guardian_name=guardian_name,
        goals=goals,
    )
    if errors:
        raise ValidationFailed(errors)
    prog = LeavingCareProgramme.objects.create(
        person=person,
        case=case,
        unit=unit,
        institution_kind=institution_kind,
        institution_name=institution_name.strip(),
        left_on=left_on,
        stay_months=stay_months,
        guardian_name=guardian_name.strip(),
        goals=goals.strip(),
        agreed_on=agreed_on,
        created_by=actor,
    )
    _timeline(case, "Program usamodzielnienia", "", agreed_on, actor, f"leaving-{prog.pk}")
    return prog


@transaction.atomic
def leaving_care_help_compute(
    *, programme: LeavingCareProgramme, kind: str, age: int, on: date, actor: Any
) -> LeavingCareHelp:
    """Compute one form of help (art. 88 u.p.s.) with the law core; once per kind."""
    _need(actor, "care.manage", programme.case)
    if kind not in LEAVING_CARE_KINDS:
        raise _fail("kind", "Wybierz rodzaj pomocy.")
    r = leaving_care_amount(kind=kind, on=on, stay_months=programme.stay_months, age=age)
    if not r.eligible:
        raise _fail("kind", r.reasons[0])
    try:
        with transaction.atomic():
            return LeavingCareHelp.objects.create(
                programme=programme,
                kind=kind,
                computed_on=on,
                amount=r.amount,
                trace=[s.as_dict() for s in r.trace],
            )
    except IntegrityError as exc:
        raise ConflictError("Ta forma pomocy została już wyliczona w tym programie.") from exc


# ------------------------------------------------------------------ integration (powiat)


@transaction.atomic
def integration_programme_create(
    *,
    person: Any,
    unit: Any,
    family_size: int,
    starts_on: date,
    obligations: str,
    actor: Any,
    case: Case | None = None,
) -> IntegrationProgramme:
    """Individual integration programme (art. 92 u.p.s.): 12 months, the monthly benefit per
    person for each month computed by the law core."""
    _need(actor, "care.manage", case)
    if family_size < 1:
        raise _fail("family_size", "Liczba osób w rodzinie musi być dodatnia.")
    if not obligations.strip():
        raise _fail("obligations", "Opisz zobowiązania uzgodnione z cudzoziemcem.")
    amounts = []
    for m in range(1, 13):
        r = integration_benefit(
            on=shift_months(starts_on, m - 1), family_size=family_size, programme_month=m
        )
        amounts.append({"month": m, "amount": str(r.amount)})
    prog = IntegrationProgramme.objects.create(
        person=person,
        case=case,
        unit=unit,
        family_size=family_size,
        starts_on=starts_on,
        obligations=obligations.strip(),
        monthly_amounts=amounts,
        created_by=actor,
    )
    _timeline(case, "Indywidualny program integracji", "", starts_on, actor, f"integr-{prog.pk}")
    return prog


@transaction.atomic
def integration_review_add(
    *,
    programme: IntegrationProgramme,
    reviewed_on: date,
    obligations_met: bool,
    findings: str,
    actor: Any,
) -> IntegrationReview:
    _need(actor, "care.manage", programme.case)
    if not findings.strip():
        raise _fail("findings", "Opisz ustalenia oceny.")
    if reviewed_on < programme.starts_on:
        raise _fail("reviewed_on", "Ocena nie może poprzedzać początku programu.")
    return IntegrationReview.objects.create(
        programme=programme,
        reviewed_on=reviewed_on,
        obligations_met=obligations_met,
        findings=findings.strip(),
        reviewer=actor,
    )


@transaction.atomic
def integration_programme_end(
    *,
    programme: IntegrationProgramme,
    ended_on: date,
    reason: str,
    broken: bool,
    actor: Any,
    expected_version: int,
) -> IntegrationProgramme:
    _need(actor, "care.manage", programme.case)
    if programme.status != ProgrammeStatus.ACTIVE:
        raise ConflictError("Program został już zakończony.")
    if not reason.strip():
        raise _fail("end_reason", "Podaj przyczynę zakończenia.")
    programme.status = ProgrammeStatus.BROKEN if broken else ProgrammeStatus.ENDED
    programme.ended_on = ended_on
    programme.end_reason = reason.strip()
    save_versioned(programme, expected_version=expected_version)
    return programme

"""REST API of the cases context: applications (list, register, read) and case files — same
permissions and unit scope as the pages; another unit's record answers 404 and is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from ostoja.audit.bulk import audited_list
from ostoja.audit.services import access_record, client_ip
from ostoja.cases import selectors, services
from ostoja.cases.models import Application, ApplicationStatus, Case
from ostoja.core.api import check_choice, require
from ostoja.core.dates import today
from ostoja.registry.api import household_in_scope, person_in_scope

router = Router(tags=["sprawy"])


class ApplicationIn(Schema):
    household: int
    applicant: int
    received_on: date
    channel: str = "osobiscie"
    forms: list[str]
    reasons: list[str] = []
    reasons_other: str = ""
    urgent: bool = False
    income_lost: bool = False
    description: str = ""


class ApplicationOut(Schema):
    id: int
    case: int
    reference: str
    applicant: int
    received_on: date
    channel: str
    forms: list[str]
    reasons: list[str]
    status: str
    urgent: bool
    interview_due: date
    decision_due: date
    interview_overdue: bool
    decision_overdue: bool
    unit: str
    worker: str | None
    forwarded_to: str


def _out(a: Application, on: date) -> dict[str, Any]:
    row = selectors.application_row(a, on=on)
    case = a.case
    return {
        "id": a.pk,
        "case": a.case_id,
        "reference": a.reference,
        "applicant": a.applicant_id,
        "received_on": a.received_on,
        "channel": a.channel,
        "forms": a.forms,
        "reasons": a.reasons,
        "status": a.status,
        "urgent": a.urgent,
        "interview_due": a.interview_due,
        "decision_due": a.decision_due,
        "interview_overdue": row.interview_overdue,
        "decision_overdue": row.decision_overdue,
        "unit": case.unit.code,
        "worker": case.worker.username if case.worker else None,
        "forwarded_to": a.forwarded_to,
    }


def _case_in_scope(request: HttpRequest, case: Case) -> None:
    if not request.user.has_perm("cases.view_case", case):
        access_record(user=request.user, obj=case, remote_addr=client_ip(request), refused=True)
        raise HttpError(404, "Nie znaleziono.")


@router.get(
    "/applications", response=list[ApplicationOut], summary="Wnioski (w zakresie jednostki)"
)
@audited_list("wnioski (API)", Application, terms=("search",))
def applications_list(
    request: HttpRequest, status: str = "", search: str = "", limit: int = 100
) -> list[dict[str, Any]]:
    require(request, "cases.view_case")
    check_choice("status", status, ApplicationStatus.values)
    qs = Application.objects.filter(case__in=selectors.cases_visible(user=request.user))
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(reference__icontains=search)
    qs = qs.select_related("case", "case__unit", "case__worker").order_by("-received_on", "-pk")
    on = today()
    return [_out(a, on) for a in qs[: min(max(limit, 1), 500)]]


@router.post("/applications", response={201: ApplicationOut}, summary="Rejestracja wniosku")
def applications_create(request: HttpRequest, payload: ApplicationIn) -> tuple[int, dict[str, Any]]:
    require(request, "cases.change_case")
    require(request, "registry.change_person")
    household = household_in_scope(request, payload.household)
    applicant = person_in_scope(request, payload.applicant)
    application = services.application_register(
        household=household,
        applicant=applicant,
        received_on=payload.received_on,
        channel=payload.channel,
        forms=payload.forms,
        reasons=payload.reasons,
        reasons_other=payload.reasons_other,
        urgent=payload.urgent,
        income_lost=payload.income_lost,
        description=payload.description,
        user=request.user,
        on=today(),
    )
    return 201, _out(application, today())


@router.get("/applications/{pk}", response=ApplicationOut, summary="Wniosek")
def applications_read(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request, "cases.view_case")
    application = (
        Application.objects.select_related("case", "case__unit", "case__worker")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise HttpError(404, "Nie znaleziono.")
    _case_in_scope(request, application.case)
    access_record(user=request.user, obj=application, remote_addr=client_ip(request))
    return _out(application, today())


class CaseOut(Schema):
    id: int
    household: int
    unit: str
    worker: str | None
    protected: bool
    opened_on: date
    applications: list[ApplicationOut]


@router.get("/cases/{pk}", response=CaseOut, summary="Sprawa rodziny")
def cases_read(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request, "cases.view_case")
    case = Case.objects.select_related("unit", "worker").filter(pk=pk).first()
    if case is None:
        raise HttpError(404, "Nie znaleziono.")
    _case_in_scope(request, case)
    access_record(user=request.user, obj=case, remote_addr=client_ip(request))
    on = today()
    apps = case.applications.select_related("case", "case__unit", "case__worker").order_by("-pk")
    return {
        "id": case.pk,
        "household": case.household_id,
        "unit": case.unit.code,
        "worker": case.worker.username if case.worker else None,
        "protected": case.protected,
        "opened_on": case.opened_on,
        "applications": [_out(a, on) for a in apps],
    }

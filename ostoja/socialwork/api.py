"""REST API of social work: notes (create and list only — append-only), visits, contracts.

The same permissions and the same protected-record rule as the pages: a protected case answers
403 (audited) until a reason is given (``POST /break-glass``)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from ostoja.audit.bulk import audited_list
from ostoja.audit.services import access_record, client_ip
from ostoja.cases.models import Case
from ostoja.core import dates
from ostoja.core.api import require, require_on
from ostoja.core.dates import today
from ostoja.core.errors import ValidationFailed
from ostoja.socialwork import selectors as sel
from ostoja.socialwork import services as svc
from ostoja.socialwork.models import CaseNote, SocialContract, Visit
from ostoja.socialwork.policy import Access

router = Router(tags=["praca socjalna"])


def _case(request: HttpRequest, case_id: int, perm: str) -> Case:
    try:
        case = sel.case_get(pk=case_id)
    except Case.DoesNotExist as exc:
        raise HttpError(404, "Nie ma takiej sprawy.") from exc
    if not request.user.has_perm(perm, case):
        access_record(user=request.user, obj=case, remote_addr=client_ip(request), refused=True)
    require_on(request, perm, case, view_perm="cases.view_case", not_found="Nie ma takiej sprawy.")
    access = sel.note_access(user=request.user, case=case, now=dates.now())
    if access is Access.NEEDS_REASON:
        svc.access_refused(case=case, user=request.user, remote_addr=client_ip(request))
        raise HttpError(403, "Sprawa chroniona: podaj powód dostępu (POST /api/v1/break-glass).")
    access_record(
        user=request.user,
        obj=case,
        remote_addr=client_ip(request),
        extra={"api": True, "access": access.value},
    )
    return case


# ------------------------------------------------------------------ notes


class NoteIn(Schema):
    case: int
    category: str
    occurred_on: date
    text: str
    corrects: int | None = None
    correction_reason: str = ""


class NoteOut(Schema):
    id: int
    case: int
    category: str
    occurred_on: date
    created_at: datetime
    author: str
    text: str
    corrects: int | None
    corrected_by: int | None
    correction_reason: str


def _note_out(n: CaseNote) -> NoteOut:
    corr = getattr(n, "correction", None)
    return NoteOut(
        id=n.pk,
        case=n.case_id,
        category=n.category,
        occurred_on=n.occurred_on,
        created_at=n.created_at,
        author=n.author.get_full_name() or n.author.get_username(),
        text=n.text,
        corrects=n.corrects_id,
        corrected_by=corr.pk if corr else None,
        correction_reason=n.correction_reason,
    )


@router.get("/notes", response=list[NoteOut], summary="Notatki sprawy (chronologia)")
def notes_list(request: HttpRequest, case: int | None = None) -> list[NoteOut]:
    require(request, "socialwork.view_notes")
    if case is None:  # checked after the permission, so a stranger learns nothing
        raise ValidationFailed({"case": ["Podaj numer sprawy (parametr case)."]})
    c = _case(request, case, "socialwork.view_notes")
    return [_note_out(n) for n in sel.case_notes(case=c)]


@router.post("/notes", response={201: NoteOut}, summary="Dodaj notatkę (lub korektę)")
def notes_create(request: HttpRequest, payload: NoteIn) -> tuple[int, NoteOut]:
    require(request, "socialwork.add_note")
    c = _case(request, payload.case, "socialwork.add_note")
    corrects = None
    if payload.corrects is not None:
        corrects = CaseNote.objects.filter(pk=payload.corrects, case=c).first()
        if corrects is None:
            raise HttpError(404, "Nie ma takiej notatki w tej sprawie.")
    note = svc.note_add(
        case=c,
        user=request.user,
        category=payload.category,
        occurred_on=payload.occurred_on,
        text=payload.text,
        now=dates.now(),
        corrects=corrects,
        correction_reason=payload.correction_reason,
    )
    note = CaseNote.objects.select_related("author").get(pk=note.pk)
    return 201, _note_out(note)


@router.get("/notes/{note_id}", response=NoteOut, summary="Jedna notatka")
def notes_get(request: HttpRequest, note_id: int) -> NoteOut:
    require(request, "socialwork.view_notes")
    note = CaseNote.objects.select_related("author").filter(pk=note_id).first()
    if note is None:
        raise HttpError(404, "Nie ma takiej notatki.")
    _case(request, note.case_id, "socialwork.view_notes")
    return _note_out(note)


@router.api_operation(
    ["PUT", "PATCH", "DELETE"], "/notes/{note_id}", summary="Notatek nie zmienia się ani nie usuwa"
)
def notes_immutable(request: HttpRequest, note_id: int) -> None:
    raise HttpError(405, "Notatek nie można zmieniać ani usuwać — dodaj korektę (POST /notes).")


# ------------------------------------------------------------------ break-glass


class BreakGlassIn(Schema):
    case: int
    reason: str


class BreakGlassOut(Schema):
    case: int
    expires_at: datetime


@router.post(
    "/break-glass", response={201: BreakGlassOut}, summary="Dostęp do sprawy chronionej z powodem"
)
def break_glass(request: HttpRequest, payload: BreakGlassIn) -> tuple[int, BreakGlassOut]:
    require(request, "socialwork.view_notes")
    try:
        case = sel.case_get(pk=payload.case)
    except Case.DoesNotExist as exc:
        raise HttpError(404, "Nie ma takiej sprawy.") from exc
    if not request.user.has_perm("socialwork.view_notes", case):
        access_record(user=request.user, obj=case, remote_addr=client_ip(request), refused=True)
    require_on(
        request,
        "socialwork.view_notes",
        case,
        view_perm="cases.view_case",
        not_found="Nie ma takiej sprawy.",
    )
    grant = svc.break_glass_open(
        case=case,
        user=request.user,
        reason=payload.reason,
        now=dates.now(),
        remote_addr=client_ip(request),
    )
    return 201, BreakGlassOut(case=case.pk, expires_at=grant.expires_at)


# ------------------------------------------------------------------ visits


class VisitIn(Schema):
    case: int
    planned_on: date
    planned_time: time | None = None
    purpose: str


class VisitOutcomeIn(Schema):
    occurred_on: date
    text: str
    version: int


class VisitOut(Schema):
    id: int
    case: int
    worker: str
    planned_on: date
    planned_time: time | None
    purpose: str
    status: str
    overdue: bool
    outcome_note: int | None
    version: int


def _visit_out(v: Visit, on: date) -> VisitOut:
    from ostoja.socialwork.policy import visit_overdue

    return VisitOut(
        id=v.pk,
        case=v.case_id,
        worker=v.worker.get_full_name() or v.worker.get_username(),
        planned_on=v.planned_on,
        planned_time=v.planned_time,
        purpose=v.purpose,
        status=v.status,
        overdue=visit_overdue(status=v.status, planned_on=v.planned_on, today=on),
        outcome_note=v.outcome_note_id,
        version=v.version,
    )


@router.get("/visits", response=list[VisitOut], summary="Wizyty: moje albo sprawy (?case=)")
@audited_list("wizyty (API)", Visit)
def visits_list(request: HttpRequest, case: int | None = None) -> list[VisitOut]:
    require(request, "socialwork.plan_visit")
    on = today()
    if case is not None:
        c = _case(request, case, "socialwork.plan_visit")
        visits = list(sel._visit_qs().filter(case=c))
    else:
        visits = sel.visits_list(user=request.user, on=on)
    return [_visit_out(v, on) for v in visits]


@router.post("/visits", response={201: VisitOut}, summary="Zaplanuj wizytę")
def visits_create(request: HttpRequest, payload: VisitIn) -> tuple[int, VisitOut]:
    require(request, "socialwork.plan_visit")
    c = _case(request, payload.case, "socialwork.plan_visit")
    v = svc.visit_plan(
        case=c,
        worker=request.user,
        planned_on=payload.planned_on,
        planned_time=payload.planned_time,
        purpose=payload.purpose,
        user=request.user,
        today=today(),
    )
    return 201, _visit_out(sel.visit_get(pk=v.pk), today())


@router.post("/visits/{visit_id}/outcome", response={201: NoteOut}, summary="Zapisz wynik wizyty")
def visits_outcome(
    request: HttpRequest, visit_id: int, payload: VisitOutcomeIn
) -> tuple[int, NoteOut]:
    require(request, "socialwork.plan_visit")
    visit = Visit.objects.select_related("case").filter(pk=visit_id).first()
    if visit is None:
        raise HttpError(404, "Nie ma takiej wizyty.")
    _case(request, visit.case_id, "socialwork.plan_visit")
    note = svc.visit_record(
        visit=visit,
        occurred_on=payload.occurred_on,
        text=payload.text,
        user=request.user,
        now=dates.now(),
        expected_version=payload.version,
    )
    return 201, _note_out(CaseNote.objects.select_related("author").get(pk=note.pk))


# ------------------------------------------------------------------ contracts


class ActionOut(Schema):
    party: str
    description: str
    due_on: date | None
    annex: int | None


class BreachOut(Schema):
    occurred_on: date
    description: str


class ContractOut(Schema):
    id: int
    case: int
    person: int
    person_name: str
    kind: str
    status: str
    situation: str
    main_goal: str
    specific_goals: str
    valid_from: date | None
    valid_to: date | None
    worker_signed_on: date | None
    person_signed_on: date | None
    actions: list[ActionOut]
    review_dates: list[date]
    breaches: list[BreachOut]
    version: int


def _contract_out(c: SocialContract) -> ContractOut:
    return ContractOut(
        id=c.pk,
        case=c.case_id,
        person=c.person_id,
        person_name=c.person.full_name,
        kind=c.kind,
        status=c.status,
        situation=c.situation,
        main_goal=c.main_goal,
        specific_goals=c.specific_goals,
        valid_from=c.valid_from,
        valid_to=c.valid_to,
        worker_signed_on=c.worker_signed_on,
        person_signed_on=c.person_signed_on,
        actions=[
            ActionOut(
                party=a.party,
                description=a.description,
                due_on=a.due_on,
                annex=a.annex.number if a.annex_id else None,
            )
            for a in c.actions.all()
        ],
        review_dates=[r.due_on for r in c.reviews.all()],
        breaches=[
            BreachOut(occurred_on=b.occurred_on, description=b.description)
            for b in c.breaches.all()
        ],
        version=c.version,
    )


@router.get("/contracts", response=list[ContractOut], summary="Kontrakty socjalne sprawy")
def contracts_list(request: HttpRequest, case: int | None = None) -> list[ContractOut]:
    require(request, "socialwork.view_notes")
    if case is None:  # checked after the permission, so a stranger learns nothing
        raise ValidationFailed({"case": ["Podaj numer sprawy (parametr case)."]})
    c = _case(request, case, "socialwork.view_notes")
    qs = (
        SocialContract.objects.filter(case=c)
        .select_related("person")
        .prefetch_related("actions__annex", "reviews", "breaches")
    )
    return [_contract_out(x) for x in qs]


@router.get("/contracts/{contract_id}", response=ContractOut, summary="Kontrakt socjalny")
def contracts_get(request: HttpRequest, contract_id: int) -> ContractOut:
    require(request, "socialwork.view_notes")
    contract = SocialContract.objects.filter(pk=contract_id).first()
    if contract is None:
        raise HttpError(404, "Nie ma takiego kontraktu.")
    _case(request, contract.case_id, "socialwork.view_notes")
    return _contract_out(sel.contract_get(pk=contract_id))


class ContractIn(Schema):
    case: int
    person: int
    kind: str = "A"
    situation: str
    main_goal: str
    specific_goals: str = ""
    valid_from: date
    valid_to: date
    actions_person: str = ""
    actions_worker: str = ""
    review_dates: str = ""


@router.post("/contracts", response={201: ContractOut}, summary="Projekt kontraktu socjalnego")
def contracts_create(request: HttpRequest, payload: ContractIn) -> tuple[int, ContractOut]:
    from ostoja.registry import selectors as registry_selectors

    require(request, "socialwork.manage_contract")
    c = _case(request, payload.case, "socialwork.manage_contract")
    members = registry_selectors.members_on(household=c.household, on=today())
    person = next((m.person for m in members if m.person_id == payload.person), None)
    if person is None:
        raise HttpError(422, "Osoba nie należy do rodziny tej sprawy.")
    data = payload.dict()
    contract = svc.contract_draft(
        case=c,
        person=person,
        user=request.user,
        data={
            k: data[k]
            for k in ("kind", "situation", "main_goal", "specific_goals", "valid_from", "valid_to")
        },
        actions_person=payload.actions_person,
        actions_worker=payload.actions_worker,
        review_dates=payload.review_dates,
    )
    return 201, _contract_out(sel.contract_get(pk=contract.pk))


class SignIn(Schema):
    worker_signed_on: date
    person_signed_on: date
    consequences_explained: bool
    version: int


@router.post("/contracts/{contract_id}/sign", response=ContractOut, summary="Podpisanie kontraktu")
def contracts_sign(request: HttpRequest, contract_id: int, payload: SignIn) -> ContractOut:
    require(request, "socialwork.manage_contract")
    contract = (
        SocialContract.objects.select_related("person", "case").filter(pk=contract_id).first()
    )
    if contract is None:
        raise HttpError(404, "Nie ma takiego kontraktu.")
    _case(request, contract.case_id, "socialwork.manage_contract")
    svc.contract_sign(
        contract=contract,
        worker_signed_on=payload.worker_signed_on,
        person_signed_on=payload.person_signed_on,
        consequences_explained=payload.consequences_explained,
        user=request.user,
        today=today(),
        expected_version=payload.version,
    )
    return _contract_out(sel.contract_get(pk=contract.pk))


class BreachIn(Schema):
    occurred_on: date
    description: str


@router.post(
    "/contracts/{contract_id}/breaches", response={201: BreachOut}, summary="Naruszenie kontraktu"
)
def contracts_breach(
    request: HttpRequest, contract_id: int, payload: BreachIn
) -> tuple[int, BreachOut]:
    require(request, "socialwork.manage_contract")
    contract = SocialContract.objects.select_related("case").filter(pk=contract_id).first()
    if contract is None:
        raise HttpError(404, "Nie ma takiego kontraktu.")
    _case(request, contract.case_id, "socialwork.manage_contract")
    b = svc.contract_breach_record(
        contract=contract,
        occurred_on=payload.occurred_on,
        description=payload.description,
        user=request.user,
        today=today(),
    )
    return 201, BreachOut(occurred_on=b.occurred_on, description=b.description)

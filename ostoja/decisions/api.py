"""API of the decisions context: list, draft, read, workflow actions, the PDF.

A signed decision cannot be changed here: ``PATCH`` answers 409, and each action runs through
the same services (and the same authorisation checks) as the UI.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from ostoja.audit.bulk import audited_list
from ostoja.audit.services import access_record, client_ip

# the module, not the function: a test replaces ``application_get`` to prove bugs are not 404
from ostoja.cases import selectors as cases_selectors
from ostoja.core import dates
from ostoja.core.api import check_choice, require, require_on
from ostoja.core.dates import today
from ostoja.core.errors import ValidationFailed
from ostoja.decisions import selectors, services
from ostoja.decisions.catalog import BENEFIT_CHOICES
from ostoja.decisions.choices import DecisionKind, DecisionStatus
from ostoja.decisions.models import Appeal, Decision, SignedDecisionImmutable

router = Router(tags=["decyzje"])


class LineBase(Schema):
    benefit: str
    granted: bool = True
    amount: Decimal

    period_from: date
    period_to: date | None = None
    one_off: bool = False
    payment_method: str = "przelew"
    account_number: str = ""
    payment_day: int = 10
    purpose: str = ""
    health_insured_elsewhere: bool = True


class LineIn(LineBase):
    @model_validator(mode="after")
    def _granted_amount_positive(self) -> LineIn:
        # A granted benefit typed in through the API of 0 zł is a typing error; drafts from the
        # law core's calculation do not pass here.
        if self.granted and self.amount.is_finite() and self.amount <= 0:
            raise PydanticCustomError(
                "ostoja_text",
                "Pole „amount”: kwota przyznanego świadczenia musi być większa od zera.",
            )
        return self


class LineOut(LineBase):
    id: int
    budget: str


class DecisionIn(Schema):
    application_id: int | None = None
    from_calculation: bool = False
    # With ``from_calculation``: the calculations chosen, one per requested form of help; each
    # becomes an operative point of the one decision (art. 104 KPA). Empty: the application's
    # only calculation (refused when there are several — nothing is chosen silently).
    calculation_ids: list[int] = []
    kind: str = "przyznanie"
    lines: list[LineIn] = []
    justification: str = ""
    immediate: bool = False
    immediate_reason: str = ""
    account_number: str = ""
    amount_reason: str = ""  # from_calculation: why this amount within the statutory range
    period_reason: str = ""  # from_calculation: why this period


class DecisionPatch(Schema):
    version: int
    justification: str | None = None
    immediate: bool | None = None
    immediate_reason: str | None = None
    lines: list[LineIn] | None = None


class DecisionOut(Schema):
    id: int
    version: int
    number: str
    case_reference: str
    case_id: int
    kind: str
    matter: str
    status: str
    addressee_id: int
    addressee_name: str
    issued_on: date | None
    immediate: bool
    justification: str
    legal_basis: list[str]
    lines: list[LineOut]
    delivered_on: date | None
    appeal_deadline: date | None
    final_on: date | None
    appeal_waived_on: date | None
    enforceable_from: date | None
    not_enforceable_reason: str
    sha256: str | None
    signer: str
    authorisation: str | None
    signature_method: str  # "odreczny" (paper original) | "elektroniczny" (PAdES) | "" unsigned


class ListFilters(Schema):
    """Structured filters of the register (no personal data: they may stand in a URL).

    ``status``: one real status of a decision (``projekt``, ``sprawdzona``, ``podpisana``,
    ``wyslana``, ``doreczona``, ``ostateczna``, ``odwolanie``, ``zakonczona``) or the pseudo-status
    ``wydane`` — every signed (issued) decision whatever happened to it after signing, never a
    draft: the same rows as the web register's "wydane" filter and the start pages' counts
    (issue 13 §3, issue 21).
    """

    kind: str = Field("", max_length=40)
    benefit: str = Field("", max_length=60)
    status: str = Field(
        "",
        max_length=40,
        description=(
            "Status decyzji (projekt, sprawdzona, podpisana, wyslana, doreczona, ostateczna, "
            "odwolanie, zakonczona) albo „wydane” — wszystkie podpisane decyzje, bez projektów "
            "(jak filtr rejestru na stronie i liczby na stronach startowych)."
        ),
    )
    worker_id: int | None = Field(None, ge=1)
    date_from: date | None = None
    date_to: date | None = None
    timeliness: str = Field(
        "",
        max_length=20,
        description=(
            "Terminowość (art. 35 KPA): „w_terminie” — decyzje wydane do terminu załatwienia "
            "wniosku, „po_terminie” — po nim (jak filtr rejestru i liczby na pulpicie analiz)."
        ),
    )


class Filters(ListFilters):
    """The same, plus the free text (a surname, a PESEL): only ever in a request body."""

    q: str = Field("", max_length=100)


class SignIn(Schema):
    authorisation_id: int | None = None
    signature_method: str = "odreczny"  # "odreczny" (paper original) | "elektroniczny" (PAdES)


class NoteIn(Schema):
    note: str = ""


class SendIn(Schema):
    channel: str


class DeliverIn(Schema):
    channel: str
    delivered_on: date


class WaiveIn(Schema):
    received_on: date
    note: str = ""


class AppealIn(Schema):
    lodged_on: date
    note: str = ""


class AppealOutcomeIn(Schema):
    outcome: str
    outcome_on: date
    sko_reference: str = ""


class AppealOut(Schema):
    id: int
    decision_id: int
    lodged_on: date
    forward_due: date
    forwarded_on: date | None
    outcome: str
    outcome_on: date | None


def _out(d: Decision) -> DecisionOut:
    lines = [
        LineOut(
            id=ln.pk,
            benefit=ln.benefit,
            granted=ln.granted,
            amount=ln.amount,
            period_from=ln.period_from,
            period_to=ln.period_to,
            one_off=ln.one_off,
            payment_method=ln.payment_method,
            account_number=ln.account_number,
            payment_day=ln.payment_day,
            purpose=ln.purpose,
            health_insured_elsewhere=ln.health_insured_elsewhere,
            budget=f"{ln.budget_section}/{ln.budget_chapter}/§{ln.budget_paragraph}",
        )
        for ln in d.lines.all()
    ]
    verdict = selectors.decision_payability(d)
    return DecisionOut(
        id=d.pk,
        version=d.version,
        number=d.number,
        case_reference=d.case_reference,
        case_id=d.case_id,
        kind=d.kind,
        matter=d.matter,
        status=d.status,
        addressee_id=d.addressee_id,
        addressee_name=d.addressee_name,
        issued_on=d.issued_on,
        immediate=d.immediate,
        justification=d.justification,
        legal_basis=services.documents.legal_basis(services.content_of(d, on=dates.today())),
        lines=lines,
        delivered_on=d.delivered_on,
        appeal_deadline=d.appeal_deadline,
        final_on=d.final_on,
        appeal_waived_on=d.appeal_waived_on,
        enforceable_from=verdict.enforceable_from,
        not_enforceable_reason=verdict.reason,
        sha256=selectors.document_sha(decision=d) or None,
        signer=d.signer_name,
        authorisation=d.authorisation.number if d.authorisation_id else None,
        signature_method=d.signature_method,
    )


def _get(request: HttpRequest, pk: int, perm: str = "decisions.view_decision") -> Decision:
    """Load a decision the user may act on; every refusal is audited, as on the pages.

    Out of scope (the user may not even see it): 404, so ids cannot be probed. In scope but
    without the action's permission (e.g. a worker checking): 403.
    """
    try:
        d = selectors.decision_get(pk=pk)
    except Decision.DoesNotExist:
        raise HttpError(404, "Nie ma takiej decyzji.") from None
    if not request.user.has_perm(perm, d):
        access_record(
            user=request.user, obj=d, remote_addr=client_ip(request), refused=True, reason=perm
        )
        if perm != "decisions.view_decision" and request.user.has_perm(
            "decisions.view_decision", d
        ):
            raise HttpError(403, "Brak uprawnień do tej operacji.")
        raise HttpError(404, "Nie ma takiej decyzji.")
    return d


SEARCH_IN_URL = (
    "Wyszukiwanie po nazwisku lub PESEL tylko przez POST /api/v1/decisions/search "
    "(treść żądania) — dane osobowe nie trafiają do adresu URL ani do logów serwera."
)


def _register(request: HttpRequest, filters: Filters) -> list[DecisionOut]:
    # Issue 21: a value outside a filter's fixed set answers 400 naming it, not an empty list.
    check_choice("kind", filters.kind, DecisionKind.values)
    check_choice("benefit", filters.benefit, [code for code, _ in BENEFIT_CHOICES])
    check_choice("status", filters.status, [*DecisionStatus.values, selectors.ISSUED])
    check_choice("timeliness", filters.timeliness, [selectors.ON_TIME, selectors.LATE])
    rows = selectors.decision_register(
        user=request.user,
        filters=selectors.RegisterFilters(
            kind=filters.kind,
            benefit=filters.benefit,
            status=filters.status,
            worker_id=filters.worker_id,
            date_from=filters.date_from,
            date_to=filters.date_to,
            query=filters.q,
            timeliness=filters.timeliness,
        ),
        limit=200,
    )
    return [_out(d) for d in rows]


@router.get("/decisions", response=list[DecisionOut], summary="Rejestr decyzji (z filtrami)")
@audited_list("rejestr decyzji (API)", Decision)
def decision_list(request: HttpRequest, filters: Query[ListFilters]) -> list[DecisionOut]:
    """The register in the user's scope; ``status=wydane`` lists every signed decision (no
    drafts), as the web register's filter of that name."""
    require(request, "decisions.view_decision")
    if "q" in request.GET:
        raise ValidationFailed({"q": [SEARCH_IN_URL]})
    return _register(request, Filters(**filters.model_dump()))


@router.post(
    "/decisions/search", response=list[DecisionOut], summary="Rejestr decyzji: wyszukiwanie"
)
@audited_list("rejestr decyzji — wyszukiwanie (API)", Decision, terms=("q",))
def decision_search(request: HttpRequest, payload: Filters) -> list[DecisionOut]:
    require(request, "decisions.view_decision")
    return _register(request, payload)


@router.post("/decisions", response={201: DecisionOut}, summary="Nowy projekt decyzji")
def decision_create(request: HttpRequest, payload: DecisionIn) -> tuple[int, DecisionOut]:
    if payload.application_id is None:
        raise HttpError(422, "Podaj application_id — decyzja dotyczy wniosku.")
    try:
        application = cases_selectors.application_get(pk=payload.application_id)
    except ObjectDoesNotExist:
        raise HttpError(404, "Nie ma takiego wniosku.") from None
    if not request.user.has_perm("decisions.draft", application.case):
        access_record(
            user=request.user, obj=application, remote_addr=client_ip(request), refused=True
        )
    require_on(
        request,
        "decisions.draft",
        application.case,
        view_perm="cases.view_case",
        not_found="Nie ma takiego wniosku.",
    )
    if payload.from_calculation:
        d = services.decision_draft_from_application(
            application=application,
            actor=request.user,
            account_number=payload.account_number,
            immediate=payload.immediate,
            immediate_reason=payload.immediate_reason,
            calculations=payload.calculation_ids or None,
            amount_reason=payload.amount_reason,
            period_reason=payload.period_reason,
        )
    else:
        d = services.decision_create(
            case=application.case,
            application=application,
            kind=payload.kind,
            addressee=application.applicant,
            actor=request.user,
            lines=[ln.dict() for ln in payload.lines],
            justification=payload.justification,
            immediate=payload.immediate,
            immediate_reason=payload.immediate_reason,
        )
    return 201, _out(selectors.decision_get(pk=d.pk))


@router.get("/decisions/{int:pk}", response=DecisionOut, summary="Decyzja")
def decision_read(request: HttpRequest, pk: int) -> DecisionOut:
    d = _get(request, pk)
    access_record(user=request.user, obj=d, remote_addr=client_ip(request))
    return _out(d)


@router.patch("/decisions/{int:pk}", response=DecisionOut, summary="Zmiana projektu decyzji")
def decision_patch(request: HttpRequest, pk: int, payload: DecisionPatch) -> DecisionOut:
    d = _get(request, pk, "decisions.draft")
    if d.is_signed:
        raise SignedDecisionImmutable()
    services.decision_edit(
        decision=d,
        actor=request.user,
        expected_version=payload.version,
        justification=payload.justification
        if payload.justification is not None
        else d.justification,
        immediate=payload.immediate if payload.immediate is not None else d.immediate,
        immediate_reason=payload.immediate_reason
        if payload.immediate_reason is not None
        else d.immediate_reason,
        lines=[ln.dict() for ln in payload.lines] if payload.lines is not None else [],
    )
    return _out(selectors.decision_get(pk=pk))


@router.delete("/decisions/{int:pk}", response={204: None}, summary="Usunięcie projektu")
def decision_delete(request: HttpRequest, pk: int) -> tuple[int, None]:
    d = _get(request, pk, "decisions.draft")
    if d.is_signed:
        raise SignedDecisionImmutable("Podpisanej decyzji nie można usunąć.")
    services.decision_discard(decision=d, actor=request.user)
    return 204, None


def _action(request: HttpRequest, pk: int, perm: str, fn: Any, **kw: Any) -> DecisionOut:
    d = _get(request, pk, perm)
    fn(decision=d, actor=request.user, **kw)
    return _out(selectors.decision_get(pk=pk))


@router.post("/decisions/{int:pk}/check", response=DecisionOut, summary="Sprawdzenie projektu")
def action_check(request: HttpRequest, pk: int, payload: NoteIn) -> DecisionOut:
    return _action(
        request, pk, "decisions.check", services.decision_check, note=payload.note, now=dates.now()
    )


@router.post("/decisions/{int:pk}/return", response=DecisionOut, summary="Zwrot do poprawy")
def action_return(request: HttpRequest, pk: int, payload: NoteIn) -> DecisionOut:
    return _action(request, pk, "decisions.check", services.decision_return, note=payload.note)


@router.post("/decisions/{int:pk}/sign", response=DecisionOut, summary="Podpis (upoważnienie)")
def action_sign(request: HttpRequest, pk: int, payload: SignIn) -> DecisionOut:
    return _action(
        request,
        pk,
        "decisions.sign",
        services.decision_sign,
        on=today(),
        now=dates.now(),
        authorisation_id=payload.authorisation_id,
        signature_method=payload.signature_method,
    )


@router.post("/decisions/{int:pk}/send", response=DecisionOut, summary="Wysłanie")
def action_send(request: HttpRequest, pk: int, payload: SendIn) -> DecisionOut:
    return _action(
        request, pk, "decisions.record", services.decision_send, on=today(), channel=payload.channel
    )


@router.post("/decisions/{int:pk}/deliver", response=DecisionOut, summary="Doręczenie")
def action_deliver(request: HttpRequest, pk: int, payload: DeliverIn) -> DecisionOut:
    return _action(
        request,
        pk,
        "decisions.record",
        services.decision_deliver,
        today=today(),
        delivered_on=payload.delivered_on,
        channel=payload.channel,
    )


@router.post("/decisions/{int:pk}/finalise", response=DecisionOut, summary="Ostateczność")
def action_finalise(request: HttpRequest, pk: int) -> DecisionOut:
    return _action(request, pk, "decisions.record", services.decision_finalise, on=today())


@router.post(
    "/decisions/{int:pk}/waive-appeal",
    response=DecisionOut,
    summary="Zrzeczenie się prawa do wniesienia odwołania (art. 127a KPA)",
)
def action_waive_appeal(request: HttpRequest, pk: int, payload: WaiveIn) -> DecisionOut:
    return _action(
        request,
        pk,
        "decisions.record",
        services.decision_waive_appeal,
        received_on=payload.received_on,
        today=today(),
        note=payload.note,
    )


@router.post("/decisions/{int:pk}/appeal", response={201: AppealOut}, summary="Odwołanie")
def action_appeal(request: HttpRequest, pk: int, payload: AppealIn) -> tuple[int, Appeal]:
    d = _get(request, pk, "decisions.record")
    appeal = services.decision_appeal(
        decision=d, actor=request.user, lodged_on=payload.lodged_on, note=payload.note
    )
    return 201, appeal


@router.post(
    "/decisions/{int:pk}/appeal/{int:apk}/outcome",
    response=AppealOut,
    summary="Rozstrzygnięcie SKO",
)
def action_appeal_outcome(
    request: HttpRequest, pk: int, apk: int, payload: AppealOutcomeIn
) -> Appeal:
    d = _get(request, pk, "decisions.record")
    appeal = Appeal.objects.filter(pk=apk, decision=d).first()
    if appeal is None:
        raise HttpError(404, "Nie ma takiego odwołania.")
    return services.appeal_outcome_record(
        appeal=appeal,
        outcome=payload.outcome,
        on=payload.outcome_on,
        actor=request.user,
        sko_reference=payload.sko_reference,
    )


@router.get(
    "/decisions/{int:pk}/pdf",
    summary="Decyzja w PDF",
    response={200: None},
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    d = _get(request, pk)
    access_record(user=request.user, obj=d, remote_addr=client_ip(request), reason="pdf")
    data, sha, _ = selectors.decision_pdf(decision=d, on=dates.today())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decyzja-{d.pk}.pdf"'
    response["X-Content-SHA256"] = sha
    return response

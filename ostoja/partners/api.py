"""REST API of cooperation: the partner register (``GET/POST /partners``) and referrals
(``GET /referrals``), with the same predicates as the pages. A bad KRS, REGON or NIP answers 422
naming the field with a Polish message; a partner's account sees only its own referrals,
without PESEL and without the case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from ostoja.audit.bulk import audited_list
from ostoja.core import dates
from ostoja.core.api import check_choice, require
from ostoja.partners import selectors as sel
from ostoja.partners import services as svc
from ostoja.partners.models import (
    Call,
    GrantAgreement,
    Instalment,
    Offer,
    Partner,
    PartnerRole,
    Referral,
    ReferralStatus,
)

router = Router(tags=["współpraca"])


class PartnerIn(Schema):
    name: str
    legal_form: str
    short_name: str = ""
    krs: str = ""
    regon: str = ""
    nip: str = ""
    public_benefit_status: bool = False
    roles: list[str] = []
    address: str = ""
    email: str = ""
    phone: str = ""
    active_from: date | None = None
    active_to: date | None = None


class PartnerOut(Schema):
    id: int
    name: str
    short_name: str
    legal_form: str
    krs: str
    regon: str
    nip: str
    public_benefit_status: bool
    roles: list[str]
    address: str
    active_from: date
    active_to: date | None
    version: int


def _partner_out(p: Partner) -> dict[str, Any]:
    return {
        "id": p.pk, "name": p.name, "short_name": p.short_name, "legal_form": p.legal_form,
        "krs": p.krs, "regon": p.regon, "nip": p.nip,
        "public_benefit_status": p.public_benefit_status, "roles": list(p.roles),
        "address": p.address, "active_from": p.active_from, "active_to": p.active_to,
        "version": p.version,
    }  # fmt: skip


@router.get("/partners", response=list[PartnerOut], summary="Rejestr partnerów")
def partners_list(request: HttpRequest, search: str = "", role: str = "") -> list[dict[str, Any]]:
    require(request, "partners.view_partners")
    check_choice("role", role, PartnerRole.values)
    return [_partner_out(p) for p in sel.partner_list(on=dates.today(), query=search, role=role)]


@router.post("/partners", response={201: PartnerOut}, summary="Nowy partner")
def partners_create(request: HttpRequest, payload: PartnerIn) -> tuple[int, dict[str, Any]]:
    require(request, "partners.manage_partners")
    partner = svc.partner_create(data=payload.dict(), user=request.user, now=dates.now())
    return 201, _partner_out(partner)


class ReferralOut(Schema):
    id: int
    number: str
    first_name: str
    last_name: str
    service: str
    partner: int | None = None
    case: int | None = None
    valid_from: date
    valid_to: date
    hours_planned: int | None
    household_size: int
    status: str
    answered_on: date | None
    answer_note: str
    outcome_on: date | None
    outcome: str
    hours_done: int | None


@router.get("/referrals", response=list[ReferralOut], summary="Skierowania (w zakresie roli)")
@audited_list("skierowania do partnerów (API)", Referral, terms=())
def referrals_list(
    request: HttpRequest, status: str = "", limit: int = 100
) -> list[dict[str, Any]]:
    """Staff: referrals of the cases in scope; a partner's account: its own, minimised."""
    if sel.partner_of(request.user) is None and not request.user.has_perm(
        "partners.view_referrals"
    ):
        raise HttpError(403, "Brak uprawnień do tej operacji.")
    check_choice("status", status, ReferralStatus.values)
    qs = sel.referrals_visible(user=request.user, now=dates.now()).order_by("-issued_on", "-pk")
    if status:
        qs = qs.filter(status=status)
    partner_user = sel.partner_of(request.user) is not None
    out = []
    for r in qs[: min(max(limit, 1), 500)]:
        row = sel.partner_view(r).__dict__.copy()
        row["partner"] = r.partner_id
        row["case"] = None if partner_user else r.case_id
        out.append(row)
    return out


# ------------------------------------------------------------------ calls and grants


class CallIn(Schema):
    number: str
    title: str
    mode: str
    budget: Decimal
    chapter: str
    published_on: date
    offers_until: date
    task_from: date
    task_to: date


class CallOut(Schema):
    id: int
    number: str
    title: str
    mode: str
    budget: Decimal
    chapter: str
    paragraph: str
    status: str
    decided_on: date | None


class OfferIn(Schema):
    partner: int
    submitted_on: date
    requested: Decimal
    own_contribution: Decimal = Decimal(0)


class OfferOut(Schema):
    id: int
    call: int
    partner: int
    requested: Decimal
    score: Decimal | None
    selected: bool
    awarded: Decimal | None


class AssessmentIn(Schema):
    score: Decimal
    on: date


class DecisionIn(Schema):
    on: date
    awards: dict[int, Decimal]


class InstalmentIn(Schema):
    amount: Decimal
    due_on: date


class AgreementIn(Schema):
    number: str
    signed_on: date
    instalments: list[InstalmentIn]


class InstalmentOut(Schema):
    id: int
    number: int
    amount: Decimal
    due_on: date
    paid_on: date | None


class GrantOut(Schema):
    id: int
    number: str
    offer: int
    amount: Decimal
    status: str
    report_due: date
    paid: Decimal
    spent: Decimal | None
    to_return: Decimal | None
    returned_on: date | None
    return_deadline: date
    instalments: list[InstalmentOut]
    version: int


class ReportIn(Schema):
    kind: str
    received_on: date
    spent: Decimal
    results: str
    beneficiaries: int = 0


class SettlementIn(Schema):
    on: date
    version: int


class PaymentIn(Schema):
    paid_on: date


def _get(model: type[Any], pk: int, what: str) -> Any:
    try:
        return model.objects.get(pk=pk)
    except model.DoesNotExist as exc:
        raise HttpError(404, f"Nie ma takiego rekordu: {what}.") from exc


def _call_out(c: Call) -> dict[str, Any]:
    return {"id": c.pk, "number": c.number, "title": c.title, "mode": c.mode, "budget": c.budget,
            "chapter": c.chapter, "paragraph": c.paragraph, "status": c.status,
            "decided_on": c.decided_on}  # fmt: skip


def _offer_out(o: Offer) -> dict[str, Any]:
    return {"id": o.pk, "call": o.call_id, "partner": o.partner_id, "requested": o.requested,
            "score": o.score, "selected": o.selected, "awarded": o.awarded}  # fmt: skip


def _grant_out(pk: int) -> dict[str, Any]:
    s = sel.grant_get(pk=pk)
    ag = s.agreement
    return {
        "id": ag.pk, "number": ag.number, "offer": ag.offer_id, "amount": ag.amount,
        "status": ag.status, "report_due": ag.report_due, "paid": s.paid, "spent": ag.spent,
        "to_return": ag.to_return, "returned_on": ag.returned_on,
        "return_deadline": svc.grant_return_deadline(ag), "version": ag.version,
        "instalments": [
            {"id": i.pk, "number": i.number, "amount": i.amount, "due_on": i.due_on,
             "paid_on": i.paid_on} for i in ag.instalments.all()
        ],
    }  # fmt: skip


@router.post("/calls", response={201: CallOut}, summary="Ogłoszenie konkursu ofert")
def calls_create(request: HttpRequest, payload: CallIn) -> tuple[int, dict[str, Any]]:
    require(request, "partners.manage_grants")
    return 201, _call_out(svc.call_publish(**payload.dict()))


@router.post("/calls/{call_id}/offers", response={201: OfferOut}, summary="Złożenie oferty")
def offers_create(
    request: HttpRequest, call_id: int, payload: OfferIn
) -> tuple[int, dict[str, Any]]:
    require(request, "partners.manage_grants")
    call = _get(Call, call_id, "konkurs")
    data = payload.dict()
    partner = _get(Partner, data.pop("partner"), "partner")
    return 201, _offer_out(svc.offer_submit(call=call, partner=partner, **data))


@router.post("/offers/{offer_id}/assessment", response=OfferOut, summary="Ocena oferty")
def offers_assess(request: HttpRequest, offer_id: int, payload: AssessmentIn) -> dict[str, Any]:
    require(request, "partners.manage_grants")
    offer = _get(Offer, offer_id, "oferta")
    return _offer_out(svc.offer_assess(offer=offer, **payload.dict()))


@router.post("/calls/{call_id}/decision", response=CallOut, summary="Rozstrzygnięcie konkursu")
def calls_decide(request: HttpRequest, call_id: int, payload: DecisionIn) -> dict[str, Any]:
    require(request, "partners.manage_grants")
    call = _get(Call, call_id, "konkurs")
    return _call_out(svc.call_decide(call=call, awards=payload.awards, on=payload.on))


@router.post("/offers/{offer_id}/agreement", response={201: GrantOut}, summary="Umowa dotacji")
def grants_sign(
    request: HttpRequest, offer_id: int, payload: AgreementIn
) -> tuple[int, dict[str, Any]]:
    require(request, "partners.manage_grants")
    offer = _get(Offer, offer_id, "oferta")
    ag = svc.grant_sign(
        offer=offer, number=payload.number, signed_on=payload.signed_on,
        instalments=[(i.amount, i.due_on) for i in payload.instalments],
    )  # fmt: skip
    return 201, _grant_out(ag.pk)


@router.get("/grants/{grant_id}", response=GrantOut, summary="Umowa dotacji i jej rozliczenie")
def grants_get(request: HttpRequest, grant_id: int) -> dict[str, Any]:
    require(request, "partners.view_grants")
    _get(GrantAgreement, grant_id, "umowa")
    return _grant_out(grant_id)


@router.post("/instalments/{instalment_id}/payment", response=InstalmentOut,
             summary="Przekazanie transzy (księgowość)")  # fmt: skip
def instalments_pay(request: HttpRequest, instalment_id: int, payload: PaymentIn) -> dict[str, Any]:
    require(request, "partners.pay_instalment")
    i = svc.instalment_pay(
        instalment=_get(Instalment, instalment_id, "transza"),
        paid_on=payload.paid_on,
        today=dates.today(),
    )
    return {
        "id": i.pk,
        "number": i.number,
        "amount": i.amount,
        "due_on": i.due_on,
        "paid_on": i.paid_on,
    }


@router.post(
    "/grants/{grant_id}/reports", response={201: GrantOut}, summary="Sprawozdanie partnera"
)
def grants_report(
    request: HttpRequest, grant_id: int, payload: ReportIn
) -> tuple[int, dict[str, Any]]:
    require(request, "partners.manage_grants")
    svc.report_receive(agreement=_get(GrantAgreement, grant_id, "umowa"), **payload.dict())
    return 201, _grant_out(grant_id)


@router.post("/grants/{grant_id}/settlement", response=GrantOut, summary="Rozliczenie dotacji")
def grants_settle(request: HttpRequest, grant_id: int, payload: SettlementIn) -> dict[str, Any]:
    require(request, "partners.manage_grants")
    svc.grant_settle_agreement(
        agreement=_get(GrantAgreement, grant_id, "umowa"), on=payload.on,
        expected_version=payload.version,
    )  # fmt: skip
    return _grant_out(grant_id)

"""REST API of cooperation: the partner register (``GET/POST /partners``) and referrals
(``GET /referrals``), with the same predicates as the pages. A bad KRS, REGON or NIP answers 422
naming the field with a Polish message; a partner's account sees only its own referrals,
without PESEL and without the case."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from ostoja.audit.bulk import audited_list
from ostoja.core import dates
from ostoja.core.api import require
from ostoja.partners import selectors as sel
from ostoja.partners import services as svc
from ostoja.partners.models import Partner, Referral

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
    qs = sel.referrals_visible(user=request.user).order_by("-issued_on", "-pk")
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

"""API of the organisation context: who am I, units, authorisations."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from ostoja.core.api import require
from ostoja.core.dates import today
from ostoja.org import selectors

router = Router(tags=["organizacja"])


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[str]
    unit: str | None


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    case_symbol: str
    valid_from: date
    valid_to: date | None


class AuthorisationOut(Schema):
    id: int
    number: str
    holder: str
    scope: list[str]
    valid_from: date
    valid_until: date | None
    revoked_on: date | None
    status: str


@router.get("/me", response=MeOut, summary="Zalogowany użytkownik")
def me(request: HttpRequest) -> MeOut:
    require(request, "org.view_own_profile")
    staff = getattr(request.user, "staff", None)
    return MeOut(
        username=request.user.get_username(),
        full_name=request.user.get_full_name(),
        roles=sorted(r.value for r in selectors.user_roles(request.user)),
        unit=staff.unit.name if staff else None,
    )


@router.get("/units", response=list[UnitOut], summary="Jednostki organizacyjne")
def units(request: HttpRequest) -> list[UnitOut]:
    require(request, "org.view_staff")
    return [UnitOut.model_validate(u, from_attributes=True) for u in selectors.unit_list()]


@router.get("/authorisations", response=list[AuthorisationOut], summary="Rejestr upoważnień")
def authorisations(request: HttpRequest) -> list[AuthorisationOut]:
    require(request, "org.view_authorisations")
    return [
        AuthorisationOut(
            id=r.obj.pk,
            number=r.obj.number,
            holder=r.holder_name,
            scope=list(r.obj.scope),
            valid_from=r.obj.valid_from,
            valid_until=r.obj.valid_until,
            revoked_on=r.obj.revoked_on,
            status=r.status.value,
        )
        for r in selectors.authorisation_list(on=today())
    ]

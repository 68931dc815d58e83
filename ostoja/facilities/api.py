"""REST API of social infrastructure: the register with places and occupancy today, and a
facility's waiting list. Same permissions as the pages (``ostoja.facilities.rules``)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from ostoja.audit.services import access_record, client_ip
from ostoja.core.api import check_choice, require
from ostoja.core.dates import today
from ostoja.facilities import policy as p
from ostoja.facilities import selectors as sel
from ostoja.facilities.models import Facility

router = Router(tags=["placówki"])


class FacilityOut(Schema):
    id: int
    name: str
    type: str
    type_label: str
    subtypes: list[str]
    operator: str
    operator_kind: str
    address: str
    places: int
    occupied: int
    free: int
    waiting: int


class WaitingOut(Schema):
    position: int
    entered_on: date
    days_waiting: int
    out_of_turn: bool
    referral: int | None  # None when the referral belongs to another unit
    person: str  # "" outside the user's scope


class WaitingListOut(Schema):
    facility: int
    on: date
    expected_wait_months: str | None
    entries: list[WaitingOut]


@router.get("/facilities", response=list[FacilityOut], summary="Placówki: miejsca i obłożenie")
def facilities(request: HttpRequest, type: str = "") -> list[FacilityOut]:
    """Every facility active today with its ``places`` and ``occupied`` today (no personal data)."""
    require(request, "facilities.view_register")
    check_choice("type", type, p.FACILITY_KINDS)
    rows = sel.facility_rows(on=today(), kind=type or None)
    return [
        FacilityOut(
            id=r.facility.pk,
            name=r.facility.name,
            type=r.facility.kind,
            type_label=r.kind_label,
            subtypes=list(r.facility.subtypes or []),
            operator=r.facility.operator_name,
            operator_kind=r.facility.operator_kind,
            address=r.facility.address,
            places=r.places,
            occupied=r.occupied,
            free=r.free,
            waiting=r.waiting,
        )
        for r in rows
    ]


@router.get(
    "/facilities/{facility_id}/waiting-list",
    response=WaitingListOut,
    summary="Lista oczekujących placówki",
)
def facility_waiting_list(request: HttpRequest, facility_id: int) -> WaitingListOut:
    """The queue in order; names and referral ids only for referrals of the user's units."""
    require(request, "facilities.view_waiting_list")
    facility = Facility.objects.filter(pk=facility_id).first()
    if facility is None:
        raise HttpError(404, "Nie ma takiej placówki.")
    if not request.user.has_perm("facilities.view_waiting_list", facility):
        access_record(user=request.user, obj=facility, remote_addr=client_ip(request),
                      refused=True, extra={"api": True})  # fmt: skip
        raise HttpError(404, "Nie ma takiej placówki.")
    on = today()
    rows = sel.waiting_list(facility=facility, on=on, user=request.user)
    access_record(user=request.user, obj=facility, remote_addr=client_ip(request),
                  extra={"api": True, "what": "lista oczekujących"})  # fmt: skip
    wait = sel.expected_wait(facility=facility, on=on)
    return WaitingListOut(
        facility=facility.pk,
        on=on,
        expected_wait_months=None if wait.months is None else str(wait.months),
        entries=[
            WaitingOut(
                position=r.position,
                entered_on=r.entered_on,
                days_waiting=r.days_waiting,
                out_of_turn=r.entry.priority,
                referral=r.entry.referral_id if r.in_scope else None,
                person=r.name,
            )
            for r in rows
        ],
    )

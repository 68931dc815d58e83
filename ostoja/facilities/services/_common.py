"""Helpers shared by the facilities services: the cent, the no-free-place error, the field
error, live and taken places, and whether a referral fits a facility (private to this package).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.facilities.models import (
    Facility,
    Place,
    Referral,
    Stay,
)

CENT = Decimal("0.01")


class NoFreePlace(DomainError):
    """All places of the facility are taken on that day."""

    def __init__(self, facility: Facility) -> None:
        super().__init__(
            f"Brak wolnego miejsca w placówce „{facility.name}” — osobę można wpisać na listę "
            "oczekujących (art. 59 ust. 3 u.p.s.).",
            field="facility",
        )


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed({field: [message]})


def _live_places(facility: Facility, on: date) -> QuerySet[Place]:
    return Place.objects.filter(facility=facility, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )


def _taken_place_ids(facility: Facility, on: date) -> QuerySet[Any]:
    """Slots held on ``on`` or later (an open stay, or a stay ending after ``on``)."""
    return (
        Stay.objects.filter(facility=facility)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .values_list("place_id", flat=True)
    )


def _matches(referral: Referral, facility: Facility) -> bool:
    if referral.facility_kind != facility.kind:
        return False
    return not referral.subtype or referral.subtype in (facility.subtypes or [])

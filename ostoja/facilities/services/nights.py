"""Nights in the night shelter and the warming room."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from ostoja.facilities import policy as p
from ostoja.facilities.models import (
    Facility,
    Night,
)

from ._common import NoFreePlace, _fail, _live_places


def night_record(
    *,
    facility: Facility,
    night: date,
    actor: Any,
    person: Any = None,
    guest_label: str = "",
) -> Night:
    """A night in a night shelter or warming room (art. 48a ust. 2–3; no decision, art. 106
    ust. 2). The warming room works in winter only (1 October – 31 March ⚠ local practice)."""
    if facility.kind not in p.NIGHTLY:
        raise _fail("facility", "Noclegi rejestruje się w noclegowni i ogrzewalni.")
    if facility.kind == "ogrzewalnia" and night.month not in p.WINTER_MONTHS:
        raise _fail("night", "Ogrzewalnia działa w okresie zimowym (od października do marca).")
    if person is None and not guest_label.strip():
        raise _fail("person", "Wskaż osobę albo wpisz jej opis.")
    if (
        person is not None
        and Night.objects.filter(facility=facility, night=night, person=person).exists()
    ):
        raise _fail("person", "Ta osoba ma już nocleg tej nocy.")
    for _attempt in range(3):
        taken = Night.objects.filter(facility=facility, night=night).values_list(
            "place_id", flat=True
        )
        place = _live_places(facility, night).exclude(pk__in=taken).order_by("number").first()
        if place is None:
            break
        try:
            with transaction.atomic():
                return Night.objects.create(
                    facility=facility, place=place, night=night, person=person,
                    guest_label=guest_label.strip(), recorded_by=actor,
                )  # fmt: skip
        except IntegrityError:
            continue
    raise NoFreePlace(facility)

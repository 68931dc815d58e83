"""Night shelter and warming room: nights without a decision (art. 106 ust. 2 u.p.s.), never
more guests than places on one night (unique place per night)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from ostoja.core.errors import ValidationFailed
from ostoja.facilities import selectors, services
from ostoja.facilities.models import Night
from ostoja.facilities.tests.factories import make_facility, make_person


def test_warming_room_winter_month(staff: Any) -> None:
    f = make_facility(kind="ogrzewalnia", place_kind="nocne", places=2, unit_code="bezdomnosc")
    a, b = make_person(), make_person()
    for day in range(1, 32):
        services.night_record(facility=f, night=date(2026, 1, day), actor=staff.worker, person=a)
    for day in range(1, 11):
        services.night_record(facility=f, night=date(2026, 1, day), actor=staff.worker,
                              guest_label="Mężczyzna ok. 50 lat, bez dokumentów")  # fmt: skip
    with pytest.raises(services.NoFreePlace):
        services.night_record(facility=f, night=date(2026, 1, 5), actor=staff.worker, person=b)
    with pytest.raises(ValidationFailed):
        services.night_record(facility=f, night=date(2026, 1, 20), actor=staff.worker, person=a)
    month = selectors.nights_month(facility=f, month=date(2026, 1, 1))
    assert len(month) == 31
    assert [m["guests"] for m in month[:11]] == [2] * 10 + [1]
    assert sum(m["guests"] for m in month) == 41
    assert selectors.occupied_by_facility(on=date(2026, 1, 5))[f.pk] == 2


def test_warming_room_works_in_winter_only(staff: Any) -> None:
    f = make_facility(kind="ogrzewalnia", place_kind="nocne", places=2, unit_code="bezdomnosc")
    with pytest.raises(ValidationFailed):
        services.night_record(facility=f, night=date(2026, 7, 1), actor=staff.worker,
                              guest_label="x")  # fmt: skip


def test_database_refuses_two_guests_in_one_place_one_night(staff: Any) -> None:
    f = make_facility(kind="noclegownia", place_kind="nocne", places=1, unit_code="bezdomnosc")
    n = services.night_record(facility=f, night=date(2026, 7, 1), actor=staff.worker,
                              guest_label="A")  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Night.objects.create(facility=f, place=n.place, night=n.night, guest_label="B",
                             recorded_by=staff.worker)  # fmt: skip


def test_night_shelter_is_not_a_stay(staff: Any, travel: Any) -> None:
    now = travel("2026-03-02")
    f = make_facility(kind="noclegownia", place_kind="nocne", places=1, unit_code="bezdomnosc")
    with pytest.raises(ValidationFailed):
        services.stay_admit(person=make_person(), facility=f, on=date(2026, 3, 2),
                            actor=staff.worker, now=now)  # fmt: skip

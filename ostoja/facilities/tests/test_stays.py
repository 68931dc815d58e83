"""Admission, transfer, temporary absence, discharge, death; occupancy never exceeds places
(database constraint ``stay_one_open_per_place`` — issue 14 §2)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from ostoja.core import dates
from ostoja.core.errors import ValidationFailed
from ostoja.facilities import selectors, services
from ostoja.facilities.models import Movement, Stay
from ostoja.facilities.tests.factories import make_facility, make_person, placed_referral

D1 = date(2026, 3, 2)


@pytest.fixture
def now(travel: Any) -> Any:
    return travel("2026-03-02")


def admit(facility: Any, person: Any, actor: Any, now: Any, on: date = D1) -> Stay:
    referral = placed_referral(person=person, actor=actor, now=now, on=on)
    return services.stay_admit(
        person=person, facility=facility, on=on, actor=actor, now=now, referral=referral
    )


def test_dps_admission_needs_a_placement_decision_art_59(staff: Any, now: Any) -> None:
    f = make_facility(places=1)
    with pytest.raises(ValidationFailed) as e:
        services.stay_admit(person=make_person(), facility=f, on=D1, actor=staff.worker, now=now)
    assert "art. 59" in e.value.message


def test_occupancy_never_exceeds_places(staff: Any, now: Any) -> None:
    f = make_facility(places=2)
    admit(f, make_person(), staff.worker, now)
    admit(f, make_person(), staff.worker, now)
    with pytest.raises(services.NoFreePlace):
        admit(f, make_person(), staff.worker, now)
    row = selectors.facility_rows(on=D1)[0]
    assert (row.places, row.occupied, row.free) == (2, 2, 0)


def test_the_database_refuses_a_second_open_stay_in_one_place(staff: Any, now: Any) -> None:
    """Even a write that skips the service cannot put two residents into one place."""
    f = make_facility(places=1)
    stay = admit(f, make_person(), staff.worker, now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.create(
            person=make_person(), facility=f, place=stay.place, legal_basis="x", started_on=D1
        )


def test_history_kept_transfer_absence_discharge_death(staff: Any, now: Any) -> None:
    a = make_facility(places=1)
    b = make_facility(places=1)
    person = make_person()
    stay = admit(a, person, staff.worker, now)
    services.absence_start(
        stay=stay, kind="szpital", on=date(2026, 3, 10), actor=staff.worker, now=now
    )
    # The place stays reserved during a temporary absence.
    with pytest.raises(services.NoFreePlace):
        admit(a, make_person(), staff.worker, now, on=date(2026, 3, 11))
    services.absence_end(stay=stay, on=date(2026, 3, 20), actor=staff.worker, now=now)
    moved = services.stay_transfer(
        stay=stay, facility=b, on=date(2026, 4, 1), actor=staff.worker, now=now
    )
    assert moved.transferred_from_id == stay.pk
    stay.refresh_from_db()
    assert stay.ended_on == date(2026, 4, 1) and stay.end_reason == "przeniesienie"
    # The first home has a free place again from the day of transfer, not before.
    assert selectors.occupied_by_facility(on=date(2026, 3, 31)).get(a.pk) == 1
    assert selectors.occupied_by_facility(on=date(2026, 4, 1)).get(a.pk) is None
    services.stay_end(stay=moved, on=date(2026, 5, 5), reason="zgon", actor=staff.worker, now=now)
    kinds = list(Movement.objects.filter(stay__person=person).values_list("kind", flat=True))
    # The transfer is recorded on both stays: "do: …" on the old one, "z: …" on the new one.
    assert kinds == ["przyjecie", "nieobecnosc", "powrot", "przeniesienie", "przeniesienie", "zgon"]
    with pytest.raises(ValidationFailed):
        services.stay_end(
            stay=moved, on=date(2026, 5, 6), reason="wypis", actor=staff.worker, now=now
        )


def test_one_person_cannot_have_two_stays(staff: Any, now: Any) -> None:
    a = make_facility(places=2)
    person = make_person()
    admit(a, person, staff.worker, now)
    with pytest.raises(ValidationFailed) as e:
        services.stay_admit(
            person=person, facility=make_facility(kind="dzienny_dom", place_kind="dzienne"),
            on=D1, actor=staff.worker, now=now, legal_basis="decyzja nr 1",
        )  # fmt: skip
    assert e.value.field == "person"


def test_shelter_needs_an_individual_programme_art_48a(staff: Any, now: Any) -> None:
    f = make_facility(kind="schronisko", unit_code="bezdomnosc")
    with pytest.raises(ValidationFailed) as e:
        services.stay_admit(person=make_person(), facility=f, on=D1, actor=staff.worker, now=now,
                            legal_basis="decyzja nr 5")  # fmt: skip
    assert e.value.field == "programme"
    stay = services.stay_admit(
        person=make_person(), facility=f, on=D1, actor=staff.worker, now=now,
        legal_basis="decyzja nr 5", programme="IPWB nr 3/2026 z 2.03.2026",
    )  # fmt: skip
    assert "nr 5" in stay.legal_basis


def test_places_cannot_drop_below_residents(staff: Any, now: Any) -> None:
    f = make_facility(places=2)
    admit(f, make_person(), staff.worker, now)
    with pytest.raises(ValidationFailed):
        services.places_set(facility=f, kind="stale", count=0, on=D1)
    assert services.places_set(facility=f, kind="stale", count=1, on=D1) == 1


def test_facilities_summary_per_type(staff: Any, now: Any) -> None:
    dps = make_facility(places=3)
    make_facility(kind="noclegownia", place_kind="nocne", places=5, unit_code="bezdomnosc")
    admit(dps, make_person(), staff.worker, now)
    summary = {t["kind"]: t for t in selectors.facilities_summary(on=D1)}
    assert summary["dps"]["places"] == 3 and summary["dps"]["occupied"] == 1
    assert summary["dps"]["free"] == 2
    assert summary["noclegownia"]["free"] == 5


def test_two_workers_admitting_into_the_last_place_at_once(
    staff: Any, transactional_db: Any, travel: Any
) -> None:
    """Issue 14 §2: two concurrent admissions into the last place cannot both succeed."""
    if connection.vendor != "postgresql":
        pytest.skip("równoległe transakcje sprawdzamy na PostgreSQL (SQLite blokuje cały plik)")
    now = travel("2026-03-02")
    f = make_facility(places=1)
    people = [make_person(), make_person()]
    referrals = [placed_referral(person=p, actor=staff.worker, now=now, on=D1) for p in people]
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def run(i: int) -> None:
        from django.db import connections

        try:
            with transaction.atomic():
                barrier.wait()
                results.append(
                    services.stay_admit(
                        person=people[i],
                        facility=f,
                        on=D1,
                        actor=staff.worker,
                        now=dates.now(),
                        referral=referrals[i],
                    )
                )
        except BaseException as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(r, Stay) for r in results) == 1, results
    assert sum(isinstance(r, services.NoFreePlace) for r in results) == 1, results
    assert Stay.objects.filter(facility=f, ended_on__isnull=True).count() == 1

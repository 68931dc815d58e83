"""Facility and place edit pages (issue 14): the head of the responsible unit or the
administrator only, versioned with optimistic locking, places never below occupancy, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry

from ostoja.core.errors import ConflictError, ValidationFailed
from ostoja.facilities import selectors, services
from ostoja.facilities.models import Facility
from ostoja.facilities.tests.factories import make_facility, make_person

D = date(2026, 3, 2)
pytestmark = pytest.mark.django_db


@pytest.fixture
def home(staff: Any, travel: Any) -> Facility:
    travel("2026-03-02")
    f = make_facility(kind="mieszkanie_wspomagane", subtypes=[], places=2, unit_code="ro1",
                      on=date(2026, 1, 1))  # fmt: skip
    services.stay_admit(person=make_person(), facility=f, on=date(2026, 2, 2), actor=staff.worker,
                        now=travel("2026-03-02"), legal_basis="decyzja (test)")  # fmt: skip
    return f


def _data(f: Facility, **kw: Any) -> dict[str, Any]:
    d = {
        "version": f.version, "name": f.name, "operator_kind": f.operator_kind,
        "operator_name": f.operator_name, "agreement": "", "address": f.address,
        "register_entry": "", "phone": "", "email": "", "city_places": "", "valid_to": "",
    }  # fmt: skip
    return {**d, **kw}


def test_head_of_the_unit_edits_the_facility_and_it_is_audited(home, staff, client_for):
    c = client_for(staff.head)
    url = f"/placowki/{home.pk}/edycja/"
    assert c.get(url).status_code == 200
    r = c.post(url, _data(home, name="Mieszkanie przy Źródłowej", phone="41 123 45 67"))
    assert r.status_code == 302
    home.refresh_from_db()
    assert home.name == "Mieszkanie przy Źródłowej" and home.version == 2
    assert (
        LogEntry.objects.get_for_object(home)
        .filter(action=LogEntry.Action.UPDATE, actor=staff.head)
        .exists()
    )


def test_a_stale_version_is_refused_and_nothing_saved(home, staff, client_for):
    c = client_for(staff.head)
    r = c.post(f"/placowki/{home.pk}/edycja/", _data(home, name="Inna", version=0))
    assert r.status_code == 200 and "Ktoś inny zapisał" in r.content.decode()
    assert Facility.objects.get(pk=home.pk).name == home.name
    with pytest.raises(ConflictError):
        services.facility_places_update(facility=home, counts={"stale": 3}, on=D,
                                        expected_version=0)  # fmt: skip


@pytest.mark.parametrize("who", ["worker", "clerk", "finance", "analyst"])
def test_only_head_or_administrator_may_edit(home, staff, client_for, who):
    c = client_for(getattr(staff, who))
    url = f"/placowki/{home.pk}/edycja/"
    assert c.get(url).status_code in (403, 404)
    assert c.post(url, _data(home, name="X")).status_code in (403, 404)
    assert Facility.objects.get(pk=home.pk).name == home.name


def test_administrator_may_edit(home, staff, client_for):
    r = client_for(staff.admin).post(f"/placowki/{home.pk}/edycja/", _data(home, name="Nowa"))
    assert r.status_code == 302
    assert Facility.objects.get(pk=home.pk).name == "Nowa"


def test_places_cannot_drop_below_occupancy_with_the_field_named(home, staff, client_for):
    c = client_for(staff.head)
    r = c.post(f"/placowki/{home.pk}/edycja/",
               {"action": "places", "pl-version": home.version, "pl-on": "2026-03-02",
                "pl-places_stale": "0"})  # fmt: skip
    body = r.content.decode()
    assert r.status_code == 200
    assert "Liczba miejsc (pobyt stały)" in body and "zajętych jest 1" in body
    assert selectors.place_counts(facility=home, on=D) == {"stale": 2}
    r = c.post(f"/placowki/{home.pk}/edycja/",
               {"action": "places", "pl-version": home.version, "pl-on": "2026-03-02",
                "pl-places_stale": "1", "pl-places_interwencyjne": "2"})  # fmt: skip
    assert r.status_code == 302
    assert selectors.place_counts(facility=home, on=D) == {"stale": 1, "interwencyjne": 2}
    assert Facility.objects.get(pk=home.pk).version == home.version + 1


def test_closing_a_facility_with_residents_is_refused(home, staff):
    with pytest.raises(ValidationFailed) as e:
        services.facility_update(facility=home, data={**_data(home), "city_places": None,
                                 "valid_to": date(2026, 4, 1)}, expected_version=home.version)  # fmt: skip
    assert e.value.field == "valid_to"

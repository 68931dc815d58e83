"""Refusals on the household and street pages come back on the same page, at the row's field
(message under it, the summary on top linking to it), the typed value kept, nothing saved."""

from __future__ import annotations

from typing import Any

import pytest

from ostoja.org.roles import Role
from ostoja.registry.models import StreetDistrict
from ostoja.socialwork.tests.factories import make_case
from tests.refusals import error_at_field as _at_field
from tests.refusals import error_summary as _summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_staff: Any, travel: Any) -> dict[str, Any]:
    travel("2028-02-29")
    worker = make_staff("czl_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")
    case = make_case(worker=worker)
    return {"worker": worker, "household": case.household}


def test_member_end_before_it_began_is_refused_at_the_members_date(world, client_for):
    hh = world["household"]
    m = hh.memberships.get()
    url = f"/rodziny/{hh.pk}/zakonczenie/"
    c = client_for(world["worker"])
    r = c.post(url, {"version": hh.version, "membership": m.pk, "valid_to": "2023-12-31"})
    page = r.content.decode()
    assert r.status_code == 422
    assert _at_field(page, f"czl{m.pk}_valid_to", "musi być późniejsza niż data rozpoczęcia")
    assert 'value="2023-12-31"' in page
    r = c.post(url, {"version": hh.version, "membership": m.pk, "valid_to": ""})
    assert r.status_code == 422 and _at_field(r.content.decode(), f"czl{m.pk}_valid_to", "")
    m.refresh_from_db()
    assert m.valid_to is None


def test_member_end_from_a_stale_page_is_refused_on_top(world, client_for):
    """Two workers end members of the same family from the same page: the second is told
    someone else changed it (4xx), nothing saved."""
    hh = world["household"]
    m = hh.memberships.get()
    v0 = hh.version
    type(hh).objects.filter(pk=hh.pk).update(version=v0 + 1)  # someone else saved it
    r = client_for(world["worker"]).post(
        f"/rodziny/{hh.pk}/zakonczenie/",
        {"version": v0, "membership": m.pk, "valid_to": "2028-03-01"},
    )
    assert r.status_code == 409 and "Ktoś inny zapisał" in _summary(r.content.decode())
    m.refresh_from_db()
    assert m.valid_to is None


def test_street_range_backwards_is_refused_at_its_row(make_staff, client_for, travel):
    from ostoja.registry.models import Street
    from ostoja.registry.streets import load_rows, packaged_rows

    travel("2026-12-31")
    if not Street.objects.exists():
        load_rows(Street, packaged_rows())
    admin = make_staff("ul_admin", role=Role.ADMINISTRATOR, unit_code="ro1")
    street = Street.objects.filter(name_1="Sienkiewicza").first()
    from ostoja.org.models import Unit

    unit = Unit.objects.get(code="ro1")
    before = StreetDistrict.objects.count()
    c = client_for(admin)
    data = {"street": street.pk, "unit": unit.pk, "number_from": "20", "number_to": "10"}
    r = c.post("/administracja/ulice/?q=Sienkiewicza", data)
    page = r.content.decode()
    assert r.status_code == 422
    assert _at_field(page, f"ul{street.pk}_number_to", "nie może poprzedzać początku")
    assert f'id="ul{street.pk}_number_from"' in page and 'value="20"' in page
    r = c.post("/administracja/ulice/?q=Sienkiewicza", {**data, "unit": ""})
    assert r.status_code == 422 and _at_field(r.content.decode(), f"ul{street.pk}_unit", "")
    assert StreetDistrict.objects.count() == before

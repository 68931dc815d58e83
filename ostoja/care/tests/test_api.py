"""GET /api/v1/care-orders and /api/v1/service-events: scoped by role and unit, audited."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry

from ostoja.care import services as svc
from ostoja.org.roles import Role
from ostoja.socialwork.tests.factories import make_case

from .helpers import order_for, person_of

ON = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_staff):
    w1 = make_staff("api_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")
    w2 = make_staff("api_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")
    order = order_for(w1, on=ON)
    svc.care_month_report(order=order, month=ON, hours_delivered=D("38"), actor=w1, now=NOW)
    case = order.case
    svc.service_event_record(
        kind="interwencja", person=person_of(case), case=case, unit=case.unit, actor=w1,
        on=ON, occurred_on=ON,
    )  # fmt: skip
    case2 = make_case(unit_code="ro2", worker=w2)
    svc.service_event_record(
        kind="poradnictwo", person=person_of(case2), case=case2, unit=case2.unit, actor=w2,
        on=ON, occurred_on=ON,
    )  # fmt: skip
    return {"w1": w1, "w2": w2, "order": order}


def test_care_orders_with_months_and_fee(world, client_for):
    r = client_for(world["w1"]).get("/api/v1/care-orders")
    assert r.status_code == 200
    (o,) = r.json()
    assert o["hours_per_month"] == "40.00" and o["fee_rate"] == "10.00"
    assert o["months"] == [
        {"month": "2026-03", "hours_ordered": "40.00", "hours_delivered": "38.00",
         "client_fee": "123.50", "status": "zgloszony",
         "hours_corrected": None, "client_fee_corrected": None,
         "paid": "0.00", "owed": "0.00", "refund_left": "0.00", "fee_rate": "10.00"}
    ]  # fmt: skip
    assert LogEntry.objects.filter(
        additional_data__list="zlecenia usług opiekuńczych (API)"
    ).exists()


def test_other_unit_sees_none_of_ro1(world, client_for):
    assert client_for(world["w2"]).get("/api/v1/care-orders").json() == []
    events = client_for(world["w2"]).get("/api/v1/service-events").json()
    assert [e["kind"] for e in events] == ["poradnictwo"]


def test_service_events_kind_and_without_decision(world, client_for):
    (e,) = client_for(world["w1"]).get("/api/v1/service-events?kind=interwencja").json()
    assert e["with_decision"] is False and e["basis"].startswith("art. 47")


@pytest.mark.parametrize("role", [Role.FINANCE, Role.ANALYST, Role.ADMINISTRATOR, None])
def test_roles_without_client_access_are_refused(world, client_for, make_staff, role):
    user = make_staff(f"x_{role}", role=role, unit_code="ro1")
    for url in ("/api/v1/care-orders", "/api/v1/service-events"):
        assert client_for(user).get(url).status_code == 403


def test_same_person_in_two_roles_keeps_unit_scope(world, client_for, make_staff):
    from django.contrib.auth.models import Group

    user = make_staff("dwie_role", role=Role.FINANCE, unit_code="ro2")
    user.groups.add(Group.objects.get(name=str(Role.SOCIAL_WORKER)))
    assert client_for(user).get("/api/v1/care-orders").json() == []

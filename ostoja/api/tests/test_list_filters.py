"""Issue 21: every API list filter with a fixed set of values answers an unknown value with 400
naming the parameter and the allowed values (the API's error body: ``detail`` and ``errors``
with ``field``/``message``) — never a silently empty (or, for facilities, unfiltered) list."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry

from ostoja.care.policy import EventKind
from ostoja.cases.models import ApplicationStatus
from ostoja.decisions.catalog import BENEFIT_CHOICES
from ostoja.decisions.choices import DecisionKind, DecisionStatus
from ostoja.facilities.policy import FACILITY_KINDS
from ostoja.org.roles import Role
from ostoja.partners.models import PartnerRole, ReferralStatus
from ostoja.payments.models import METHOD_CHOICES, ListStatus, PaymentStatus

pytestmark = pytest.mark.django_db

METHODS = [code for code, _ in METHOD_CHOICES]
BENEFITS = [code for code, _ in BENEFIT_CHOICES]

# (path, parameter, its allowed values, the role that may list)
FILTERS = [
    ("/api/v1/payment-lists", "status", ListStatus.values, Role.FINANCE),
    ("/api/v1/payment-lists", "method", METHODS, Role.FINANCE),
    ("/api/v1/payments", "status", PaymentStatus.values, Role.FINANCE),
    ("/api/v1/payments", "method", METHODS, Role.FINANCE),
    ("/api/v1/applications", "status", ApplicationStatus.values, Role.SOCIAL_WORKER),
    ("/api/v1/decisions", "kind", DecisionKind.values, Role.SOCIAL_WORKER),
    ("/api/v1/decisions", "benefit", BENEFITS, Role.SOCIAL_WORKER),
    ("/api/v1/decisions", "status", [*DecisionStatus.values, "wydane"], Role.SOCIAL_WORKER),
    ("/api/v1/service-events", "kind", EventKind.values, Role.SOCIAL_WORKER),
    ("/api/v1/facilities", "type", list(FACILITY_KINDS), Role.SOCIAL_WORKER),
    ("/api/v1/partners", "role", PartnerRole.values, Role.SOCIAL_WORKER),
    ("/api/v1/referrals", "status", ReferralStatus.values, Role.SOCIAL_WORKER),
]
IDS = [f"{path.rsplit('/', 1)[1]}?{param}" for path, param, _, _ in FILTERS]


@pytest.fixture
def user_of(make_staff: Any) -> Any:
    made: dict[Any, Any] = {}

    def get(role: Any) -> Any:
        if role not in made:
            made[role] = make_staff(f"flt_{len(made)}", role=role, unit_code="ro1")
        return made[role]

    return get


def _errors(r: Any) -> list[dict[str, str]]:
    return list(r.json()["errors"])


@pytest.mark.parametrize(("path", "param", "allowed", "role"), FILTERS, ids=IDS)
@pytest.mark.parametrize("bad", ["nonsense", "Zaplanowana ", "%", "przelew,kasa"])
def test_an_unknown_filter_value_is_400_naming_the_parameter_and_the_values(
    path: str, param: str, allowed: list[str], role: Any, bad: str, user_of: Any, client_for: Any
) -> None:
    client = client_for(user_of(role))
    before = LogEntry.objects.count()
    r = client.get(path, {param: bad})
    assert r.status_code == 400, r.content
    (error,) = _errors(r)
    assert error["field"] == param
    assert f"„{param}”" in error["message"] and "Dozwolone wartości" in error["message"]
    assert all(value in error["message"] for value in allowed)
    assert r.json()["detail"] == error["message"]
    assert LogEntry.objects.count() == before  # nothing was read: no bulk-read record


@pytest.mark.parametrize(("path", "param", "allowed", "role"), FILTERS, ids=IDS)
def test_each_allowed_value_and_no_value_still_list(
    path: str, param: str, allowed: list[str], role: Any, user_of: Any, client_for: Any
) -> None:
    client = client_for(user_of(role))
    for value in ["", *allowed]:
        r = client.get(path, {param: value})
        assert r.status_code == 200, (value, r.content)
        assert isinstance(r.json(), list)


@pytest.mark.parametrize(("path", "param", "allowed", "role"), FILTERS, ids=IDS)
def test_without_the_role_the_answer_is_403_not_the_list_of_values(
    path: str, param: str, allowed: list[str], role: Any, user_of: Any, client_for: Any
) -> None:
    """The adversary's side: a user who may not list learns nothing of the values."""
    r = client_for(user_of(Role.DATA_PROTECTION_OFFICER)).get(path, {param: "nonsense"})
    assert r.status_code == 403
    assert "Dozwolone" not in r.content.decode()


def test_the_search_body_of_the_register_is_checked_the_same_way(
    user_of: Any, client_for: Any
) -> None:
    client = client_for(user_of(Role.SOCIAL_WORKER))
    r = client.post("/api/v1/decisions/search", {"status": "nonsense"}, "application/json")
    assert r.status_code == 400 and _errors(r)[0]["field"] == "status"
    r = client.post("/api/v1/decisions/search", {"status": "wydane"}, "application/json")
    assert r.status_code == 200


def test_an_unknown_facility_type_is_no_longer_the_whole_register(
    user_of: Any, client_for: Any
) -> None:
    """Before, an unknown ``type`` silently listed every facility (as no filter)."""
    r = client_for(user_of(Role.SOCIAL_WORKER)).get("/api/v1/facilities", {"type": "DPS"})
    assert r.status_code == 400 and "dps" in _errors(r)[0]["message"]

"""Horizontal access through the REST API: with a bearer token, a social worker of ro2 gets
403/404 for every ro1 record, on every route taking an id (path or body/query), and nothing
changes. Every API route with an id parameter must be listed in ``API_CASES``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.conftest import reads_of

TODAY = date.today().isoformat()

# (method, path with {kind} placeholders, JSON body with {kind} placeholders or None)
API_CASES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/v1/facilities/{facility}/waiting-list", None),
    ("GET", "/api/v1/persons/{person}", None),
    ("PUT", "/api/v1/persons/{person}", {"version": 0, "first_name": "X"}),
    ("PATCH", "/api/v1/persons/{person}", {"version": 0, "first_name": "X"}),
    ("GET", "/api/v1/persons/{person}/incomes", None),
    ("POST", "/api/v1/persons/{person}/incomes", {"month": TODAY, "kind": "inne", "amount": "1"}),
    ("GET", "/api/v1/households/{household}", None),
    (
        "POST",
        "/api/v1/households/{household}/members",
        {"version": 0, "person": "{person}", "relation": "inna", "valid_from": TODAY},
    ),
    ("POST", "/api/v1/households", {"applicant": "{person}", "valid_from": TODAY}),
    ("GET", "/api/v1/applications/{application}", None),
    (
        "POST",
        "/api/v1/applications",
        {
            "household": "{household}",
            "applicant": "{person}",
            "received_on": TODAY,
            "forms": ["zasilek_celowy"],
        },
    ),
    ("GET", "/api/v1/cases/{case}", None),
    ("GET", "/api/v1/decisions/{decision}", None),
    ("PATCH", "/api/v1/decisions/{decision}", {"version": 0, "justification": "X"}),
    ("DELETE", "/api/v1/decisions/{decision}", None),
    ("POST", "/api/v1/decisions", {"application_id": "{application}"}),
    ("POST", "/api/v1/decisions/{decision}/check", {"note": ""}),
    ("POST", "/api/v1/decisions/{decision}/return", {"note": "x"}),
    ("POST", "/api/v1/decisions/{signed_decision}/sign", {}),
    ("POST", "/api/v1/decisions/{signed_decision}/send", {"channel": "poczta"}),
    (
        "POST",
        "/api/v1/decisions/{decision}/deliver",
        {"channel": "poczta", "delivered_on": TODAY},
    ),
    ("POST", "/api/v1/decisions/{decision}/finalise", None),
    ("POST", "/api/v1/decisions/{decision}/waive-appeal", {"received_on": TODAY}),
    ("POST", "/api/v1/decisions/{decision}/appeal", {"lodged_on": TODAY}),
    (
        "POST",
        "/api/v1/decisions/{decision}/appeal/1/outcome",
        {"outcome": "utrzymana", "outcome_on": TODAY},
    ),
    ("GET", "/api/v1/decisions/{decision}/pdf", None),
    ("GET", "/api/v1/notes?case={case}", None),
    ("GET", "/api/v1/notes/{note}", None),
    ("PUT", "/api/v1/notes/{note}", {}),
    (
        "POST",
        "/api/v1/notes",
        {"case": "{case}", "category": "rozmowa", "occurred_on": TODAY, "text": "x"},
    ),
    ("POST", "/api/v1/break-glass", {"case": "{case}", "reason": "Pilna interwencja w rodzinie"}),
    ("GET", "/api/v1/visits?case={case}", None),
    ("POST", "/api/v1/visits", {"case": "{case}", "planned_on": TODAY, "purpose": "x"}),
    (
        "POST",
        "/api/v1/visits/{visit}/outcome",
        {"occurred_on": TODAY, "text": "x", "version": 0},
    ),
    ("GET", "/api/v1/contracts?case={case}", None),
    ("GET", "/api/v1/contracts/{contract}", None),
    (
        "POST",
        "/api/v1/contracts",
        {
            "case": "{case}",
            "person": "{person}",
            "situation": "x",
            "main_goal": "x",
            "valid_from": TODAY,
            "valid_to": TODAY,
        },
    ),
    (
        "POST",
        "/api/v1/contracts/{contract}/sign",
        {
            "worker_signed_on": TODAY,
            "person_signed_on": TODAY,
            "consequences_explained": True,
            "version": 0,
        },
    ),
    (
        "POST",
        "/api/v1/contracts/{contract}/breaches",
        {"occurred_on": TODAY, "description": "x"},
    ),
]

# Cooperation with organisations (issue 16): calls, offers, grants and instalments are
# organisation records kept for the whole centre, not client data. A social worker of any
# district is refused by the role gate (managing grants: heads and management; an instalment:
# finance only — ostoja/partners/tests/test_grants.py::test_grant_lifecycle_through_the_api and
# ::test_grant_api_role_gates). Not in the read control below: a social worker may not read a
# grant in any district.
ORGANISATION_API_CASES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/api/v1/calls/{call}/offers",
     {"partner": "{partner}", "submitted_on": TODAY, "requested": "1"}),
    ("POST", "/api/v1/calls/{call}/decision", {"on": TODAY, "awards": {}}),
    ("POST", "/api/v1/offers/{offer}/assessment", {"score": "60", "on": TODAY}),
    ("POST", "/api/v1/offers/{offer}/agreement",
     {"number": "X/1", "signed_on": TODAY, "instalments": [{"amount": "1", "due_on": TODAY}]}),
    ("GET", "/api/v1/grants/{grant}", None),
    ("POST", "/api/v1/grants/{grant}/reports",
     {"kind": "koncowe", "received_on": TODAY, "spent": "1", "results": "x"}),
    ("POST", "/api/v1/grants/{grant}/settlement", {"on": TODAY, "version": 1}),
    ("POST", "/api/v1/instalments/{instalment}/payment", {"paid_on": TODAY}),
]  # fmt: skip
ALL_API_CASES = API_CASES + ORGANISATION_API_CASES


def _api_routes_with_ids() -> set[str]:
    out: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and "<" in str(p.pattern):
                out.add("/" + prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return {r for r in out if r.startswith("/api/")}


def _normalise(path: str) -> str:
    import re

    path = path.split("?")[0]
    return re.sub(r"/(\{\w+\}|\d+)", "/<id>", path)


def test_every_api_route_with_an_id_is_covered() -> None:
    import re

    routes = {re.sub(r"<[^>]+>", "<id>", r) for r in _api_routes_with_ids()}
    covered = {_normalise(p) for _, p, _ in ALL_API_CASES}
    assert routes <= covered, f"add these API routes to API_CASES: {sorted(routes - covered)}"


def _fill(value: Any, ro1: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ro1[value[1:-1]].pk
    if isinstance(value, dict):
        return {k: _fill(v, ro1) for k, v in value.items()}
    return value


def _path(path: str, ro1: dict[str, Any]) -> str:
    return path.format(**{k: v.pk for k, v in ro1.items() if v is not None})


def _snapshot() -> dict[str, int]:
    from django.apps import apps

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {
            "registry",
            "cases",
            "decisions",
            "socialwork",
            "payments",
            "care",
            "partners",
            "facilities",
        }
    }


def _call(client: Client, method: str, path: str, body: dict[str, Any] | None) -> Any:
    kwargs: dict[str, Any] = {}
    if body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    return client.generic(method, path, **kwargs)


@pytest.mark.parametrize(("method", "path", "body"), ALL_API_CASES, ids=lambda v: str(v)[:60])
def test_ro2_token_is_refused_every_ro1_record(
    method: str,
    path: str,
    body: dict[str, Any] | None,
    ro1: dict[str, Any],
    stranger: Any,
    token_client: Callable[[Any], Client],
) -> None:
    client = token_client(stranger)
    before = _snapshot()
    url = _path(path, ro1)
    response = _call(client, method, url, _fill(body, ro1))
    assert response.status_code in (403, 404, 405), (method, url, response.status_code)
    assert _snapshot() == before, f"{method} {url} changed data"
    assert (
        not LogEntry.objects.filter(actor=stranger).exclude(action=LogEntry.Action.ACCESS).exists()
    ), f"{method} {url} wrote a change"
    assert not reads_of(stranger).exists(), f"{method} {url} recorded a read"


API_READS = [(m, p, b) for m, p, b in API_CASES if m == "GET"]


@pytest.mark.parametrize(("method", "path", "body"), API_READS, ids=lambda v: str(v)[:60])
def test_ro1_token_reads_the_same_records(
    method: str,
    path: str,
    body: dict[str, Any] | None,
    ro1: dict[str, Any],
    users: dict[str, Any],
    token_client: Callable[[Any], Client],
) -> None:
    """Positive control: the refusals above are the scope, not broken paths."""
    url = _path(path, ro1)
    assert token_client(users["socjalny"]).get(url).status_code == 200, url


API_REFUSAL_AUDITED = [
    ("GET", "/api/v1/persons/{person}", None),
    ("GET", "/api/v1/households/{household}", None),
    ("GET", "/api/v1/applications/{application}", None),
    ("GET", "/api/v1/cases/{case}", None),
    ("GET", "/api/v1/notes?case={case}", None),
    ("GET", "/api/v1/contracts/{contract}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), API_REFUSAL_AUDITED, ids=lambda v: str(v))
def test_api_refusals_of_personal_data_are_audited(
    method: str,
    path: str,
    body: Any,
    ro1: dict[str, Any],
    stranger: Any,
    token_client: Callable[[Any], Client],
) -> None:
    _call(token_client(stranger), method, _path(path, ro1), body)
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=stranger, additional_data__refused=True
    ).exists()


@pytest.mark.parametrize(
    "path", ["/api/v1/decisions/{decision}", "/api/v1/decisions/{decision}/pdf"]
)
def test_api_decision_refusal_is_audited(
    path: str, ro1: dict[str, Any], stranger: Any, token_client: Callable[[Any], Client]
) -> None:
    response = token_client(stranger).get(_path(path, ro1))
    assert response.status_code in (403, 404)
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=stranger, additional_data__refused=True
    ).exists()


@pytest.mark.parametrize(
    "path", ["/api/v1/decisions/{decision}", "/api/v1/decisions/{decision}/pdf"]
)
def test_api_decision_read_is_audited(
    path: str, ro1: dict[str, Any], users: dict[str, Any], token_client: Callable[[Any], Client]
) -> None:
    user = users["socjalny"]
    assert token_client(user).get(_path(path, ro1)).status_code == 200
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=user, object_pk=str(ro1["decision"].pk)
    ).exists()

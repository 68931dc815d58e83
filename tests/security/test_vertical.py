"""Vertical access: roles without a business need are refused — administrator, analyst, data
protection officer and finance never open a case file; the social worker does not approve
payments, manage authorisations or read the audit log. UI and API alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

NO_CASE_FILES = ["admin", "analityk", "iod", "ksiegowosc"]


def _case_file_urls(ro1: dict[str, Any]) -> list[str]:
    return [
        reverse("registry:person_list"),
        reverse("registry:person_detail", args=[ro1["person"].pk]),
        reverse("registry:household_detail", args=[ro1["household"].pk]),
        reverse("cases:desk"),
        reverse("cases:case_detail", args=[ro1["case"].pk]),
        reverse("cases:interview", args=[ro1["interview"].pk]),
        reverse("cases:calculation", args=[ro1["calculation"].pk]),
        reverse("decisions:register"),
        reverse("decisions:detail", args=[ro1["decision"].pk]),
        reverse("decisions:pdf", args=[ro1["decision"].pk]),
        reverse("decisions:export", args=["csv"]),
        reverse("socialwork:index"),
        reverse("socialwork:case", args=[ro1["case"].pk]),
        reverse("socialwork:contract_pdf", args=[ro1["contract"].pk]),
        reverse("socialwork:plan", args=[ro1["plan"].pk]),
        reverse("care:index"),
        reverse("care:events"),
        reverse("care:powiat"),
    ]


def _case_file_api(ro1: dict[str, Any]) -> list[str]:
    return [
        "/api/v1/persons",
        f"/api/v1/persons/{ro1['person'].pk}",
        "/api/v1/households",
        f"/api/v1/households/{ro1['household'].pk}",
        "/api/v1/applications",
        f"/api/v1/cases/{ro1['case'].pk}",
        "/api/v1/decisions",
        f"/api/v1/decisions/{ro1['decision'].pk}",
        f"/api/v1/notes?case={ro1['case'].pk}",
        f"/api/v1/contracts?case={ro1['case'].pk}",
        "/api/v1/visits",
        "/api/v1/care-orders",
        "/api/v1/service-events",
    ]


@pytest.mark.parametrize("username", NO_CASE_FILES)
def test_roles_without_need_never_open_a_case_file(
    username: str,
    ro1: dict[str, Any],
    users: dict[str, Any],
    client_for: Callable[[Any], Client],
    token_client: Callable[[Any], Client],
) -> None:
    ui = client_for(users[username])
    for url in _case_file_urls(ro1):
        assert ui.get(url).status_code in (403, 404), (username, url)
    api = token_client(users[username])
    for url in _case_file_api(ro1):
        response = api.get(url)
        assert response.status_code in (403, 404), (username, url, response.status_code)


def test_positive_control_social_worker_opens_the_case_file(
    ro1: dict[str, Any], users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    ui = client_for(users["socjalny"])
    for url in _case_file_urls(ro1):
        assert ui.get(url).status_code == 200, url


def _payment_list_pk() -> int:
    from ostoja.payments.models import PaymentList

    return PaymentList.objects.order_by("pk").first().pk  # type: ignore[union-attr]


@pytest.mark.parametrize("username", ["socjalny", "kierownik", "swiadczenia", "analityk", "iod"])
def test_only_finance_approves_payment_lists_and_exports_bank_files(
    username: str, demo: None, users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    pk = _payment_list_pk()
    client = client_for(users[username])
    assert client.post(reverse("payments:list_approve", args=[pk])).status_code == 403
    for fmt in ("elixir", "pain001"):
        response = client.post(reverse("payments:list_export", args=[pk, fmt]))
        assert response.status_code in (403, 405), (username, fmt)
    assert client.get(reverse("payments:statements")).status_code == 403


@pytest.mark.parametrize("username", ["socjalny", "kierownik", "analityk", "iod", "admin"])
def test_case_staff_and_others_see_no_payment_lists(
    username: str, demo: None, users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    client = client_for(users[username])
    assert client.get(reverse("payments:index")).status_code == 403
    assert client.get(reverse("payments:list_detail", args=[_payment_list_pk()])).status_code == 403


@pytest.mark.parametrize("username", ["socjalny", "swiadczenia", "ksiegowosc", "analityk"])
def test_authorisations_are_managed_by_the_administrator_only(
    username: str,
    demo: None,
    users: dict[str, Any],
    client_for: Callable[[Any], Client],
    token_client: Callable[[Any], Client],
) -> None:
    from ostoja.org.models import Authorisation

    client = client_for(users[username])
    assert client.get(reverse("org:authorisation_create")).status_code == 403
    assert client.post(reverse("org:authorisation_create"), {}).status_code == 403
    auth = Authorisation.objects.order_by("pk").first()
    if auth is not None:
        assert (
            client.post(reverse("org:authorisation_detail", args=[auth.pk]), {}).status_code == 403
        )
    assert client.get(reverse("org:staff_list")).status_code == 403
    assert client.get(reverse("org:settings")).status_code == 403
    assert token_client(users[username]).get("/api/v1/authorisations").status_code == 403


@pytest.mark.parametrize(
    "username", ["socjalny", "swiadczenia", "kierownik", "dyrektor", "ksiegowosc", "analityk"]
)
def test_only_dpo_and_administrator_read_the_audit_log(
    username: str, demo: None, users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    assert client_for(users[username]).get(reverse("audit:log")).status_code == 403


def test_dpo_reads_the_audit_log(
    demo: None, users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    assert client_for(users["iod"]).get(reverse("audit:log")).status_code == 200


@pytest.mark.parametrize("username", ["socjalny", "ksiegowosc", "analityk", "iod"])
def test_only_heads_and_clerks_import_persons(
    username: str, demo: None, users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    assert client_for(users[username]).get(reverse("registry:person_import")).status_code == 403


def test_social_worker_cannot_check_or_protect(
    ro1: dict[str, Any], users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    """Checking a draft and marking a case protected belong to the head of unit."""
    client = client_for(users["socjalny"])
    assert client.get(reverse("socialwork:protect", args=[ro1["case"].pk])).status_code == 403
    assert client.get(reverse("socialwork:caseload")).status_code == 403
    assert not users["socjalny"].has_perm("decisions.check", ro1["decision"])

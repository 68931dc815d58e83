"""The REST API: OpenAPI document, token authentication, same permissions as the UI."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client


def _token(username: str) -> str:
    out = StringIO()
    call_command("token", "create", username, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_openapi_document_needs_login(demo_org: None, client: Client) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 401
    token = _token("socjalny")
    doc = client.get("/api/v1/openapi.json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert doc.status_code == 200
    assert "/api/v1/me" in doc.json()["paths"]


@pytest.mark.django_db
def test_bearer_token_authenticates(demo_org: None, client: Client) -> None:
    token = _token("kierownik")
    assert token.startswith("ost_")
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["roles"] == ["kierownik"]
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer ost_zly").status_code == 401
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_api_applies_the_same_permissions(demo_org: None, client: Client) -> None:
    social = _token("socjalny")
    assert (
        client.get("/api/v1/authorisations", HTTP_AUTHORIZATION=f"Bearer {social}").status_code
        == 403
    )
    admin = _token("admin")
    rows = client.get("/api/v1/authorisations", HTTP_AUTHORIZATION=f"Bearer {admin}").json()
    assert {r["number"]: r["status"] for r in rows}["DYR/3/2023"] == "wygasło"


@pytest.mark.django_db
def test_only_the_hash_of_a_token_is_stored(demo_org: None) -> None:
    from ostoja.org.models import ApiToken

    token = _token("socjalny")
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert ApiToken.objects.get().prefix == token[:8]


@pytest.mark.django_db
def test_token_command_refuses_unknown_user(demo_org: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        _token("nikt")

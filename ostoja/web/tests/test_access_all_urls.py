"""Deny by default: every URL in the URL configuration refuses anonymous users and users
without the needed role. New URLs are covered automatically — nothing to register."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Reachable without logging in.
PUBLIC = {
    "/konto/login/",
    "/konto/logout/",
    "/konto/reauthenticate/",
    "/konto/2fa/authenticate/",
    "/konto/2fa/reauthenticate/",
    "/healthz",
    "/healthz/status",
    "/sprawdz/",
    "/deklaracja-dostepnosci/",
}
# Reachable by any logged-in staff account, whatever its role (own account, start page).
ANY_STAFF = {
    "/",
    "/konto/password/change/",
    "/konto/2fa/",
    "/konto/2fa/totp/activate/",
    "/konto/2fa/totp/deactivate/",
    "/konto/2fa/recovery-codes/",
    "/konto/2fa/recovery-codes/generate/",
    "/konto/2fa/recovery-codes/download/",
    "/sesja/przedluz/",
    "/moje-pliki/",  # one's own files prepared in the background (each kind checks its role)
}
# "1" for untyped parameters too: the API's typed ids must reach the permission check, not a 422.
SAMPLE = {"int": "1", "str": "1", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001",
          "path": "x"}  # fmt: skip


def _route(pattern: object) -> str:
    text = str(pattern)
    if text.startswith("^"):  # a regex pattern (third-party): make it a literal path
        text = text.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
        text = re.sub(r"\(\?P<\w+>[^)]*\)", "x", text)
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "1"), text)


def all_urls(patterns: list[object] | None = None, prefix: str = "/") -> Iterator[str]:
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from all_urls(p.url_patterns, prefix + _route(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + _route(p.pattern)


URLS = sorted(set(all_urls()))


def test_enumeration_finds_the_main_areas() -> None:
    assert "/administracja/upowaznienia/" in URLS
    assert "/audyt/" in URLS
    assert any(u.startswith("/api/v1/") for u in URLS)


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_anonymous_is_refused(client: object, url: str) -> None:
    response = client.get(url)  # type: ignore[attr-defined]
    if url in PUBLIC:
        # 503: the health report answers "fail" while no worker runs (ostoja.ops.health)
        assert response.status_code in (200, 302, 404, 405, 503)
        return
    assert response.status_code in (302, 401, 403, 404, 405), url
    if response.status_code == 302:
        assert response["Location"].startswith("/konto/login/"), url


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_user_without_role_is_refused(client: object, django_user_model: object, url: str) -> None:
    user = django_user_model.objects.create_user(username="bezroli", password="x")  # type: ignore[attr-defined]
    client.force_login(user)  # type: ignore[attr-defined]
    response = client.get(url)  # type: ignore[attr-defined]
    if url in PUBLIC or url in ANY_STAFF:
        return
    assert response.status_code in (302, 401, 403, 404, 405), (url, response.status_code)
    if response.status_code == 302:
        assert "/konto/" in response["Location"], url


@pytest.mark.django_db
@pytest.mark.parametrize("url", [u for u in URLS if u.startswith("/api/")])
def test_api_refuses_anonymous_posts(client: object, url: str) -> None:
    response = client.post(url, data="{}", content_type="application/json")  # type: ignore[attr-defined]
    assert response.status_code in (401, 403, 404, 405), url

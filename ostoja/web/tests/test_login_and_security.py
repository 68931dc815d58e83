"""Access: login, failed-login throttling, two-factor for administrators, secure settings."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.mark.django_db
def test_login_page_is_polish_and_offers_no_signup(client: Client) -> None:
    text = client.get("/konto/login/").content.decode()
    assert "Logowanie" in text and 'lang="pl"' in text
    assert "zarejestruj" not in text.lower()
    assert client.get("/konto/signup/").status_code == 404


@pytest.mark.django_db
def test_demo_user_logs_in_and_sees_the_start_page(demo_org: None) -> None:
    client = Client()
    response = client.post("/konto/login/", {"login": "socjalny", "password": "demo"})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "Dzień dobry, Anna Wójcik" in home.content.decode()


@pytest.mark.django_db
def test_failed_logins_are_throttled_and_recorded(demo_org: None) -> None:
    from axes.models import AccessAttempt

    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/konto/login/", {"login": "socjalny", "password": "zle"})
    locked = client.post("/konto/login/", {"login": "socjalny", "password": "demo"})
    assert locked.status_code == 429
    assert "zablokowane" in locked.content.decode()
    assert AccessAttempt.objects.filter(username="socjalny").exists()


@pytest.mark.mfa
@pytest.mark.django_db
def test_administrator_must_enrol_two_factor_first(demo_org: None, settings: object) -> None:
    settings.OSTOJA_REQUIRE_ADMIN_MFA = True  # type: ignore[attr-defined]
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get("/administracja/")
    assert response.status_code == 302 and response["Location"] == "/konto/2fa/totp/activate/"
    other = Client()
    other.force_login(get_user_model().objects.get(username="socjalny"))
    assert other.get("/").status_code == 200  # only administrators are forced


@pytest.mark.mfa
@pytest.mark.django_db
def test_administrator_with_totp_passes(demo_org: None, settings: object) -> None:
    from allauth.mfa.models import Authenticator

    settings.OSTOJA_REQUIRE_ADMIN_MFA = True  # type: ignore[attr-defined]
    admin = get_user_model().objects.get(username="admin")
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(admin)
    assert client.get("/administracja/").status_code == 200


def test_sessions_expire_after_inactivity() -> None:
    """Renewed by ``IdleSessionMiddleware`` at most once a minute, right after the session
    middleware (``ostoja/core/tests/test_idle_session.py``)."""
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    sessions = settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert settings.MIDDLEWARE[sessions + 1] == "ostoja.core.middleware.IdleSessionMiddleware"


def test_production_defaults_are_secure(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without OSTOJA_DEV the settings refuse to start with no SECRET_KEY and turn DEBUG off."""
    import importlib
    import subprocess
    import sys

    code = "import ostoja.settings"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "ostoja.settings"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
    code = (
        "import ostoja.settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_CONTENT_TYPE_NOSNIFF)"
    )
    env["SECRET_KEY"] = "x" * 50
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True", "True", "True"], result.stderr
    assert importlib.util.find_spec("csp") is not None


@pytest.mark.django_db
def test_csp_header_is_sent(client: Client) -> None:
    response = client.get("/konto/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_healthz(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}

"""The shell in a real browser: logging in as a social worker and as the administrator."""

from __future__ import annotations

import time
from typing import Any

import pytest

from ostoja.core.dates import today


@pytest.fixture
def org(transactional_db: Any) -> None:
    from ostoja.org.demo import load_demo_organisation

    load_demo_organisation(on=today())


def test_social_worker_logs_in_and_sees_the_start_page(org: None, login: Any, shot: Any) -> None:
    page = login("socjalny")
    assert page.locator("h1").inner_text() == "Dzień dobry, Anna Wójcik"
    assert page.locator("nav[aria-label='Główna nawigacja']").count() in (0, 1)
    # The skip link is the first thing the keyboard reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Przejdź do treści"
    shot("start-socjalny")
    page.goto(page.url.rstrip("/") + "/administracja/")
    assert "Brak dostępu" in page.locator("h1").inner_text()


@pytest.mark.mfa
def test_administrator_enrols_two_factor_then_manages_authorisations(
    org: None, login: Any, shot: Any, live_server: Any, settings: Any
) -> None:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    settings.OSTOJA_REQUIRE_ADMIN_MFA = True
    page = login("admin")
    assert "2fa%2Ftotp%2Factivate" in page.url or "/konto/2fa/totp/activate/" in page.url
    shot("admin-after-login")
    if "/konto/reauthenticate/" in page.url:  # allauth asks for the password again first
        page.fill("input[name=password]", "demo")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    assert "/konto/2fa/totp/activate/" in page.url  # administrators must enrol TOTP first
    shot("admin-totp-activate")
    secret = page.input_value("#authenticator_secret")
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.fill("input[name=code]", code)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text().startswith("Dzień dobry, Adam Kowalczyk")
    assert page.get_by_role("heading", name="Administracja").count() == 1
    shot("start-admin")
    page.goto(f"{live_server.url}/administracja/upowaznienia/")
    row = page.locator("tr", has_text="DYR/3/2023")
    assert "wygasło" in row.inner_text()
    shot("admin-authorisations")

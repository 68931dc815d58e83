"""Keyboard only (issue 17; WCAG 2.1.1 keyboard, 2.4.7 focus visible, 3.3.1 error
identification, 2.2.1 timing adjustable): no mouse click in these tests."""

from __future__ import annotations

from typing import Any

import pytest

from ostoja.core.dates import today


@pytest.fixture
def org(transactional_db: Any) -> None:
    from ostoja.org.demo import load_demo_organisation
    from ostoja.web.demo import reference_data_ensure

    reference_data_ensure()
    load_demo_organisation(on=today())


def _focus_is_visible(page: Any) -> bool:
    return bool(
        page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                       return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; }"""
        )
    )


def _tab_to(page: Any, predicate: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"Tab nie dochodzi do: {predicate}")


def test_keyboard_login_then_a_failed_form_announces_its_errors(
    org: None, page: Any, live_server: Any, shot: Any
) -> None:
    page.goto(f"{live_server.url}/konto/login/")
    _tab_to(page, "el.id === 'id_login'")
    page.keyboard.type("socjalny")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Dzień dobry")

    # To "Klienci" through the main navigation, then to the new-person form.
    _tab_to(page, "el.textContent.trim() === 'Klienci'")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/klienci/")
    page.wait_for_load_state("networkidle")
    _tab_to(page, "el.getAttribute('href') === '/klienci/nowa/'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/klienci/nowa/")
    page.wait_for_load_state("networkidle")
    assert "Pola oznaczone gwiazdką (*) są wymagane." in page.inner_text("main")

    # Submit the empty form from the keyboard: the error summary takes the focus.
    _tab_to(page, "el.type === 'submit' && el.textContent.trim() === 'Zapisz'", limit=120)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    active = page.evaluate("document.activeElement.getAttribute('data-error-summary')")
    assert active is not None, "fokus nie trafił do podsumowania błędów"
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    shot("keyboard-person-errors")
    # Its first link leads to the field in error, which names its error through aria.
    page.keyboard.press("Tab")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    assert href and href.startswith("#id_")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    field = page.locator(href)
    described = field.get_attribute("aria-describedby") or ""
    assert field.get_attribute("aria-invalid") == "true"
    assert all(page.locator(f"#{ref}").count() == 1 for ref in described.split())


def test_session_warning_offers_more_time_to_the_keyboard(
    org: None, page: Any, live_server: Any, settings: Any, shot: Any
) -> None:
    settings.SESSION_COOKIE_AGE = 123  # the warning shows 2 minutes before: after 3 seconds
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("#id_login", "socjalny")
    page.fill("#id_password", "demo")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    box = page.locator("#sesja")
    box.wait_for(state="visible", timeout=10_000)
    assert "Sesja wkrótce wygaśnie" in box.inner_text()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Przedłuż sesję"
    shot("keyboard-session-warning")
    with page.expect_response(lambda r: "/sesja/przedluz/" in r.url) as info:
        page.keyboard.press("Enter")
    assert info.value.status == 204
    box.wait_for(state="hidden")

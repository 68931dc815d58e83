"""Browser tests: Playwright driving Debian's chromium against the live test server.

Screenshots go to ``test-artifacts/`` (ignored by git).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs an event loop

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Brak /usr/bin/chromium: zainstaluj pakiet Debiana `chromium`.")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh page; the test fails if any page it opened logged a console error or threw
    (a CSP refusal, a missing asset, a script error) — issue 11."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="pl-PL")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []

    def on_console(msg: Any) -> None:
        if msg.type != "error":
            return
        # A page answering 403/404 on purpose (a refusal the test asserts) logs its own status;
        # a failing asset or script on the page (another URL) is still an error.
        if msg.text.startswith("Failed to load resource") and msg.location.get("url") == pg.url:
            return
        errors.append(f"{msg.type}: {msg.text} ({msg.location.get('url') or pg.url})")

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: errors.append(f"pageerror: {exc} ({pg.url})"))
    yield pg
    context.close()
    if errors and "allow_console_errors" not in request.keywords:
        pytest.fail("Błędy w konsoli przeglądarki:\n" + "\n".join(errors))


@pytest.fixture
def shot(page: Any) -> Callable[[str], Path]:
    """Save a full-page screenshot under test-artifacts/ and return its path."""

    def take(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page: Any, live_server: Any) -> Callable[[str], Any]:
    """Log in through the real login form: ``login("socjalny")``."""

    def do(username: str, password: str = "demo") -> Any:
        page.goto(f"{live_server.url}/konto/login/")
        page.fill("#id_login", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        return page

    return do

"""The Kalkulator page and the public pre-check page in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from ostoja.core.dates import today


@pytest.fixture
def org(transactional_db: Any) -> None:
    from ostoja.org.demo import load_demo_organisation

    load_demo_organisation(on=today())


def test_staff_calculator_shows_result_and_trace(org: None, login: Any, shot: Any,
                                                 live_server: Any) -> None:  # fmt: skip
    page = login("socjalny")
    page.get_by_role("link", name="Kalkulator").first.click()
    page.fill("#id_application_date", "2025-11-05")
    page.fill("#id_m-0-birth_date", "1980-04-02")
    page.select_option("#id_m-0-sex", "K")
    page.select_option("#id_i-0-member", "A")
    page.select_option("#id_i-0-kind", "wynagrodzenie")
    page.fill("#id_i-0-amount", "600")
    page.get_by_role("button", name="Oblicz").click()
    page.wait_for_selector("#wynik-h")
    assert "przysługuje" in page.inner_text("#wynik-h")
    assert "205,00" in page.inner_text("#wynik")
    assert "art. 38 ust. 3 u.p.s." in page.inner_text("#wynik")
    shot("calculator-result")


def test_public_precheck_for_a_resident(transactional_db: Any, page: Any, live_server: Any,
                                        shot: Any) -> None:  # fmt: skip
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_role("link", name="sprawdź, czy warto złożyć wniosek o pomoc").click()
    page.fill("#id_household_size", "3")
    page.fill("#id_net_income", "1500")
    page.fill("#id_birth_date", "1985-01-01")
    page.get_by_role("button", name="Sprawdź").click()
    page.wait_for_selector("#wyniki-h")
    assert "500,00" in page.inner_text("main")
    shot("precheck-result")


def test_public_precheck_result_is_scrolled_into_view_on_a_phone(
    transactional_db: Any, page: Any, live_server: Any
) -> None:
    """On a narrow screen the result sits below the form: it is brought into view and focused,
    and amounts typed the Polish way ("1 200,50") are accepted."""
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(f"{live_server.url}/sprawdz/")
    page.fill("#id_household_size", "2")
    page.fill("#id_net_income", "1 200,50")
    page.fill("#id_birth_date", "1985-01-01")
    page.get_by_role("button", name="Sprawdź").click()
    page.wait_for_selector("#wyniki-h")
    top = page.evaluate("document.getElementById('wyniki').getBoundingClientRect().top")
    assert -2 <= top < 667  # sub-pixel rounding
    assert page.evaluate("document.activeElement.id") == "wyniki"

"""In a real browser (issue 20): the administrator asks for a client-facing role for itself;
the role does not change and it cannot confirm its own request; the director confirms it on
„Zmiany ról pracowników”; the DPO reaches the list from the audit page. Then the annual
Ocena zasobów (art. 16a) is opened and saved by the director (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS


def _login(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="pl-PL")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.goto(f"{live_server.url}/konto/login/")
    pg.fill("#id_login", username)
    pg.fill("#id_password", "demo")
    pg.click("main button[type=submit]")
    pg.wait_for_load_state()
    return pg


@pytest.mark.django_db(transaction=True)
def test_admin_role_for_itself_confirmed_by_director(
    demo_org: None, login: Any, page: Any, browser: Any, live_server: Any, shot: Any
) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.org import services
    from ostoja.org.models import StaffMember

    admin = get_user_model().objects.get(username="admin")
    me = StaffMember.objects.get(user=admin)
    page = login("admin")
    page.goto(f"{live_server.url}/administracja/pracownicy/{me.pk}/")
    page.get_by_label("Pracownik socjalny").check()
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_load_state()
    assert "czeka na potwierdzenie" in page.locator(".messages").inner_text()
    assert services.roles_of(admin) == ["administrator"]
    page.goto(f"{live_server.url}/administracja/zmiany-rol/")
    row = page.locator("main table tbody tr").first
    assert "dostęp do danych klientów" in row.inner_text()
    assert "czeka na drugą osobę" in row.inner_text()
    assert row.get_by_role("button", name="Potwierdź zmianę ról: Adam Kowalczyk").count() == 0
    shot("org-role-change-requested")

    director = _login(browser, live_server, "dyrektor")
    director.goto(f"{live_server.url}/administracja/zmiany-rol/")
    director.get_by_role("button", name="Potwierdź zmianę ról: Adam Kowalczyk").click()
    director.wait_for_load_state()
    assert "Potwierdzono" in director.locator(".messages").inner_text()
    assert "potwierdzona" in director.locator("main table tbody tr").first.inner_text()
    director.screenshot(
        path=str(ARTIFACTS / "org-role-change-confirmed.png"),
        full_page=True,
    )
    assert sorted(services.roles_of(admin)) == ["administrator", "pracownik_socjalny"]

    dpo = _login(browser, live_server, "iod")
    dpo.goto(f"{live_server.url}/audyt/")
    dpo.get_by_role("link", name="Zmiany ról pracowników").click()
    dpo.wait_for_load_state()
    assert "Krzysztof Żółkiewski" in dpo.locator("main table tbody tr").first.inner_text()

    director.goto(f"{live_server.url}/analiza/ocena-zasobow/2025/")
    assert "Ocena zasobów pomocy społecznej za 2025" in director.locator("h1").inner_text()
    director.fill("#introduction", "Ocena przygotowana z danych ośrodka.")
    director.fill("#recommendations", "Mieszkania chronione\nDrugie centrum usług")
    director.get_by_role("button", name="Zapisz").click()
    director.wait_for_load_state()
    assert "Ocena przygotowana z danych ośrodka." in director.locator("#introduction").input_value()
    assert director.locator("#recommendations").input_value() == (
        "Mieszkania chronione\nDrugie centrum usług"
    )
    assert director.locator("main ol li").count() == 2
    director.screenshot(path=str(ARTIFACTS / "analysis-ozps.png"), full_page=True)

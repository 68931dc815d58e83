"""In a real browser: the benefits clerk runs the month, finance approves the list and downloads
the Elixir-O file; the cash list prints. Decision lines come from a monkeypatched source."""

from __future__ import annotations

from typing import Any

import pytest

from ostoja.core.dates import today


@pytest.fixture
def payable(transactional_db: Any, monkeypatch: Any) -> list[Any]:
    from ostoja.decisions.lines import PaymentMethod
    from ostoja.org.demo import load_demo_organisation
    from ostoja.payments import sources
    from ostoja.payments.demo import _ensure_centre_account
    from ostoja.payments.testing import make_line

    load_demo_organisation(on=today())
    _ensure_centre_account()
    lines = [
        make_line(i, benefit="zasilek_staly", amount="1229.00", insured=i != 2) for i in (1, 2, 3)
    ]
    lines.append(make_line(4, amount="450.00", method=PaymentMethod.CASH))
    monkeypatch.setattr(sources, "payable_lines", lambda **kw: lines)
    return lines


@pytest.mark.django_db(transaction=True)
def test_run_month_approve_and_download_bank_file(
    payable: Any, login: Any, page: Any, live_server: Any, shot: Any, tmp_path: Any
) -> None:
    page = login("swiadczenia")
    page.goto(f"{live_server.url}/wyplaty/?miesiac=2026-11")
    page.fill("#id_month", "2026-11")
    page.get_by_role("button", name="Uruchom listę wypłat").click()
    page.wait_for_load_state()
    assert "utworzono 4 płatności" in page.locator(".messages").inner_text()
    shot("payments-run")
    page.get_by_role("link", name="LW/2026/11/85216/3110/przelew/1").click()
    assert page.locator("#control-count").inner_text() == "3"
    assert page.get_by_role("button", name="Zatwierdź i zablokuj listę").count() == 0  # not finance
    page.get_by_role("button", name="Wyloguj").click()

    page = login("ksiegowosc")
    page.goto(f"{live_server.url}/wyplaty/?miesiac=2026-11")
    page.get_by_role("link", name="LW/2026/11/85216/3110/przelew/1").click()
    page.fill("#id_execution_date", "2026-11-10")
    page.get_by_role("button", name="Zatwierdź i zablokuj listę").click()
    page.wait_for_load_state()
    assert page.locator("#list-status").inner_text() == "zatwierdzona"
    with page.expect_download() as info:
        page.get_by_role("button", name="Pobierz plik Elixir-O").click()
    path = tmp_path / "elixir.txt"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.count(b"\r\n") == 3 and data.startswith(b"110,20261110,122900,")
    page.reload()
    assert page.locator("code.hash").count() == 1
    shot("payments-list-approved")

    page.goto(f"{live_server.url}/wyplaty/?miesiac=2026-11")
    page.get_by_role("link", name="LW/2026/11/85214/3110/kasa/1").click()
    page.fill("#id_execution_date", "2026-11-10")
    page.get_by_role("button", name="Zatwierdź i zablokuj listę").click()
    page.get_by_role("link", name="Lista wypłat w kasie — do druku").click()
    assert page.get_by_role("columnheader", name="Podpis odbierającego").count() == 1
    shot("payments-cash-list")
    page.goto(f"{live_server.url}/wyplaty/skladki/?miesiac=2026-11")
    assert page.locator("#health-total").inner_text() == "110,61 zł"
    shot("payments-health")

"""Pages and API: permissions (deny by default), the run/approve/download flow, query counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ostoja.core import dates
from ostoja.core.errors import DomainError
from ostoja.payments import services, sources
from ostoja.payments.models import PaymentList
from ostoja.payments.testing import make_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(monkeypatch: Any) -> list[Any]:
    data = [
        make_line(i, benefit="zasilek_staly", amount="1229.00", insured=False) for i in range(1, 6)
    ]
    monkeypatch.setattr(sources, "payable_lines", lambda **kw: data)
    return data


def test_social_worker_has_no_access(make_staff: Any, client_for: Any) -> None:
    from ostoja.org.roles import Role

    c = client_for(make_staff("sw", role=Role.SOCIAL_WORKER))
    assert c.get("/wyplaty/").status_code == 403
    assert c.get("/api/v1/payments").status_code == 403


def test_clerk_runs_finance_approves_and_downloads(
    lines: Any,
    clerk: Any,
    finance: Any,
    client_for: Any,
    centre_account: None,
    django_assert_max_num_queries: Any,
) -> None:
    c = client_for(clerk)
    r = c.post("/wyplaty/uruchom/", {"month": "2026-11"})
    assert r.status_code == 302
    pl = PaymentList.objects.get()
    assert pl.payment_count == 5
    assert (
        c.post(
            f"/wyplaty/listy/{pl.id}/zatwierdz/",
            {"execution_date": "2026-11-10", "version": pl.version},
        ).status_code
        == 403
    )
    f = client_for(finance)
    with django_assert_max_num_queries(25):
        page = f.get(f"/wyplaty/listy/{pl.id}/")
    assert page.status_code == 200 and "Zatwierdź i zablokuj listę" in page.content.decode()
    r = f.post(
        f"/wyplaty/listy/{pl.id}/zatwierdz/",
        {"execution_date": "2026-11-10", "version": pl.version},
    )
    assert r.status_code == 302
    r = f.post(f"/wyplaty/listy/{pl.id}/plik/elixir/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert r.content.count(b"\r\n") == 5
    with django_assert_max_num_queries(20):
        assert f.get("/wyplaty/?miesiac=2026-11").status_code == 200
    api = f.get("/api/v1/payment-lists?month=2026-11&status=wyeksportowana").json()
    assert api[0]["payment_count"] == 5 and api[0]["total"] == "6145.00"
    payments = f.get("/api/v1/payments?month=2026-11&method=przelew").json()
    assert len(payments) == 5 and payments[0]["status"] == "przekazana"
    assert f.get("/api/v1/payments?month=11-2026").status_code == 422


def test_all_pages_render(
    lines: Any, clerk: Any, finance: Any, client_for: Any, centre_account: None
) -> None:
    services.payroll_build(now=dates.now(), month="2026-11", lines=lines, actor=clerk)
    pl = PaymentList.objects.get()
    f = client_for(finance)
    for url in [
        "/wyplaty/",
        f"/wyplaty/listy/{pl.id}/druk/",
        "/wyplaty/wyciagi/",
        "/wyplaty/zwroty/",
        "/wyplaty/naleznosci/",
        "/wyplaty/skladki/?miesiac=2026-11",
        "/wyplaty/plan/?rok=2026",
    ]:
        assert f.get(url).status_code == 200, url
    csv = f.get("/wyplaty/skladki/?miesiac=2026-11&format=csv")
    assert b"RAZEM;5;;;;553.05" in csv.content  # 5 × 110.61
    r = f.post(
        "/wyplaty/naleznosci/",
        {
            "person_id": 1,
            "debtor_name": "Jan",
            "decision_number": "ZPS.1",
            "decided_on": "2026-12-01",
            "due_date": "2026-12-20",
            "principal": "100.00",
            "reason": "art. 98",
            "instalments": 1,
        },
    )
    assert r.status_code == 302
    assert client_for(clerk).get("/wyplaty/plan/").status_code == 403


def test_run_refused_by_a_rule_shows_its_message(
    clerk: Any, client_for: Any, monkeypatch: Any
) -> None:
    def refused(**kw: Any) -> Any:
        raise DomainError("Decyzje nie podały linii do wypłaty za ten miesiąc.")

    monkeypatch.setattr(sources, "payable_lines", refused)
    r = client_for(clerk).post("/wyplaty/uruchom/", {"month": "2026-11"}, follow=True)
    assert "nie podały linii do wypłaty" in r.content.decode()


def test_command_build_json_and_export(
    lines: Any, finance: Any, centre_account: None, tmp_path: Any
) -> None:
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("payroll", "build", "--month", "2026-11", "--json", stdout=out, stderr=StringIO())
    data = json.loads(out.getvalue())
    assert (data["created"], data["skipped"], data["total"]) == (5, 0, "6145.00")
    out = StringIO()
    call_command("payroll", "build", "--month", "2026-11", "--json", stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue())["skipped"] == 5
    pl = PaymentList.objects.get()
    services.payment_list_approve(
        now=dates.now(),
        list_id=pl.id,
        actor=finance,
        execution_date=date(2026, 11, 10),
        expected_version=pl.version,
    )
    target = tmp_path / "lista.xml"
    call_command(
        "payroll",
        "export",
        "--list",
        str(pl.id),
        "--format",
        "pain001",
        "--output",
        str(target),
        stderr=StringIO(),
    )
    first = target.read_bytes()
    call_command(
        "payroll",
        "export",
        "--list",
        str(pl.id),
        "--format",
        "pain001",
        "--output",
        str(target),
        stderr=StringIO(),
    )
    assert target.read_bytes() == first and b"<NbOfTxs>5</NbOfTxs>" in first

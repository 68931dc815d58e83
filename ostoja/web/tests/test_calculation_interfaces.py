"""`ostoja calc`, `POST /api/v1/calculations` and the pages agree with the law core."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from ostoja.law.interface import calculate_document
from ostoja.law.tests.test_interface import REQUEST, minimal

CASES: list[dict[str, Any]] = [
    REQUEST,
    minimal("zasilek_staly"),
    minimal("zasilek_okresowy"),
    minimal("zasilek_okresowy", income="2000.00"),
    minimal("zasilek_celowy", requested_amount="350"),
    minimal("specjalny_zasilek_celowy", requested_amount="350"),
    minimal("zasilek_celowy_zdarzenie_losowe", requested_amount="5000.00"),
    minimal("posilek"),
    minimal("oplata_dps", income="900.00", dps=REQUEST["dps"]),
    minimal("uslugi_opiekuncze", care={"hourly_price": "45.00", "hours": 30}),
    minimal("specjalistyczne_uslugi_opiekuncze_zaburzenia",
            care={"hourly_price": "45.00", "hours": 30}),
]  # fmt: skip
BAD: list[tuple[dict[str, Any], str]] = [
    ({**minimal("zasilek_okresowy"), "members": []}, "members"),
    ({"benefit": "zasilek_okresowy", "application_date": "2025-13-45",
      "members": minimal("zasilek_okresowy")["members"]}, "application_date"),
    ({**minimal("zasilek_okresowy", income="-5.00")}, "members[0].incomes[0].amount"),
    ({**minimal("zasilek_okresowy"), "benefit": "nieznany"}, "benefit"),
]  # fmt: skip


def run_cli(doc: Any, tmp_path: Path) -> tuple[int, dict[str, Any]]:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(doc), "utf-8")
    out = StringIO()
    try:
        call_command("calc", str(path), stdout=out)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, json.loads(out.getvalue())


@pytest.fixture
def api(demo_org: None) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="socjalny"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("doc", CASES, ids=lambda d: d["benefit"])
def test_cli_and_api_agree_with_the_core(doc: dict[str, Any], api: Client, tmp_path: Path) -> None:
    expected = calculate_document(doc)
    code, cli = run_cli(doc, tmp_path)
    response = api.post("/api/v1/calculations", data=json.dumps(doc),
                        content_type="application/json")  # fmt: skip
    assert code == 0 and response.status_code == 200
    assert cli == expected == response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("doc, field", BAD, ids=[f for _, f in BAD])
def test_bad_input_gives_field_errors_exit_2_and_422(
    doc: dict[str, Any], field: str, api: Client, tmp_path: Path
) -> None:
    code, cli = run_cli(doc, tmp_path)
    response = api.post("/api/v1/calculations", data=json.dumps(doc),
                        content_type="application/json")  # fmt: skip
    assert code == 2 and response.status_code == 422
    assert cli == response.json()
    assert field in {e["field"] for e in cli["errors"]}
    assert all(e["message"] for e in cli["errors"])


def test_cli_reads_stdin_and_exits_2_on_invalid_json() -> None:
    ostoja = Path(sys.executable).parent / "ostoja"
    env = {"OSTOJA_DEV": "1", "PATH": "/usr/bin:/bin"}
    ok = subprocess.run([ostoja, "calc"], input=json.dumps(minimal("posilek")), text=True,
                        capture_output=True, env=env)  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["free_of_charge"] is True
    bad = subprocess.run([ostoja, "calc"], input="{nie json", text=True, capture_output=True,
                         env=env)  # fmt: skip
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["errors"][0]["field"] == "body"


@pytest.mark.django_db
def test_api_needs_login_and_the_calculator_permission(demo_org: None) -> None:
    doc = json.dumps(minimal("posilek"))
    anonymous = Client().post("/api/v1/calculations", data=doc, content_type="application/json")
    assert anonymous.status_code == 401
    finance = Client()
    finance.force_login(get_user_model().objects.get(username="ksiegowosc"))
    refused = finance.post("/api/v1/calculations", data=doc, content_type="application/json")
    assert refused.status_code == 403


@pytest.mark.django_db
def test_calculator_page_computes_and_shows_the_trace(api: Client) -> None:
    form = {
        "benefit": "zasilek_okresowy", "application_date": "2025-11-05", "residence_title": "obywatel_pl",
        "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-0-role": "wnioskodawca",
        "m-0-birth_date": "1980-04-02", "m-0-sex": "K", "m-0-insured_elsewhere": "on",
        "i-TOTAL_FORMS": "1", "i-INITIAL_FORMS": "0", "i-0-member": "A", "i-0-kind": "wynagrodzenie",
        "i-0-amount": "600", "r-TOTAL_FORMS": "0", "r-INITIAL_FORMS": "0",
    }  # fmt: skip
    text = api.post("/kalkulator/", form).content.decode()
    assert "Wynik: przysługuje" in text and "205,00\u00a0zł" in text
    assert "art. 38 ust. 3 u.p.s." in text
    form["i-0-amount"] = "-1"
    text = api.post("/kalkulator/", form).content.decode()
    # The error names the field in Polish, not by its API path (issue 17).
    assert "popraw dane" in text and "Dochód 1 — Kwota netto" in text


@pytest.mark.django_db
def test_public_precheck_stores_nothing(client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ostoja.org.selectors import instance_settings

    instance_settings()  # exists after migrate; a flushed test database recreates it lazily
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/sprawdz/", {"household_size": "3", "net_income": "1500",
                                             "birth_date": "1985-01-01", "sex": "K"})  # fmt: skip
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    text = response.content.decode()
    assert response.status_code == 200 and "Wynik orientacyjny" in text
    assert "500,00\u00a0zł" in text and "823,00\u00a0zł" in text
    bad = client.post("/sprawdz/", {"household_size": "0", "net_income": "-1"}).content.decode()
    assert "Wynik orientacyjny" not in bad and "errors" in bad


@pytest.mark.django_db
def test_calculator_tells_an_okresowy_applicant_of_retirement_age_about_zasilek_staly_art_37(
    api: Client,
) -> None:
    """The hint from the law core (ostoja.law.alternatives) is shown beside the result."""
    form = {
        "benefit": "zasilek_okresowy", "application_date": "2026-11-05", "residence_title": "obywatel_pl",
        "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-0-role": "wnioskodawca",
        "m-0-birth_date": "1950-04-02", "m-0-sex": "K",
        "i-TOTAL_FORMS": "1", "i-INITIAL_FORMS": "0", "i-0-member": "A", "i-0-kind": "alimenty",
        "i-0-amount": "600", "r-TOTAL_FORMS": "0", "r-INITIAL_FORMS": "0",
    }  # fmt: skip
    text = api.post("/kalkulator/", form).content.decode()
    assert "Inne świadczenia, które mogą przysługiwać" in text
    assert "Zasiłek stały" in text and "art. 37 ust. 1–2 u.p.s." in text


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1200,50", "1 200", "1\u00a0200,00", "1200.50"])
def test_public_precheck_accepts_amounts_as_people_type_them(client: Client, typed: str) -> None:
    response = client.post("/sprawdz/", {"household_size": "2", "net_income": typed,
                                         "birth_date": "1985-01-01", "sex": "K"})  # fmt: skip
    text = response.content.decode()
    assert "Wynik orientacyjny" in text, text[:2000]
    assert ("600,25" in text) or ("600,00" in text)  # per person


@pytest.mark.django_db
def test_public_precheck_moderate_disability_counts_for_zasilek_staly_art_6_pkt_5(
    client: Client,
) -> None:
    """Art. 6 pkt 5 u.p.s.: total incapacity includes a moderate (umiarkowany) disability."""
    data = {"household_size": "1", "net_income": "600", "birth_date": "1980-01-01", "sex": "M",
            "disability": "umiarkowany"}  # fmt: skip
    text = client.post("/sprawdz/", data).content.decode()
    assert "Możesz dostać zasiłek stały" in text and "713,00" in text
    none = client.post("/sprawdz/", {**data, "disability": ""}).content.decode()
    assert "Zasiłek stały raczej Ci nie przysługuje" in none


@pytest.mark.django_db
def test_public_precheck_names_celowy_special_celowy_and_income_free_help(client: Client) -> None:
    low = client.post("/sprawdz/", {"household_size": "1", "net_income": "500",
                                    "birth_date": "1985-01-01", "sex": "K"}).content.decode()  # fmt: skip
    assert "Możesz dostać zasiłek celowy" in low
    assert "nie zależy od dochodu" in low and "precheck.js" in low
    high = client.post("/sprawdz/", {"household_size": "1", "net_income": "1500",
                                     "birth_date": "1985-01-01", "sex": "K"}).content.decode()  # fmt: skip
    assert "specjalny zasiłek celowy" in high
    assert "Wnioskodawca" not in high and "u.p.s." not in high  # plain words, no staff jargon

"""Issue 22: every new request field through `ostoja calc` (exit 2) and the API (422)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ostoja.law.interface import calculate_document
from ostoja.law.tests.issue22_requests import BAD, VALID

from .test_calculation_interfaces import api, run_cli  # noqa: F401  (fixture)


@pytest.mark.django_db
@pytest.mark.parametrize("doc", VALID, ids=lambda d: d["benefit"])
def test_new_inputs_agree_in_cli_api_and_core(doc: dict[str, Any], api: Client,  # noqa: F811
                                              tmp_path: Path) -> None:  # fmt: skip
    expected = calculate_document(doc)
    code, cli = run_cli(doc, tmp_path)
    response = api.post("/api/v1/calculations", data=json.dumps(doc),
                        content_type="application/json")  # fmt: skip
    assert code == 0 and response.status_code == 200
    assert cli == expected == response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("doc, field", BAD, ids=[f for _, f in BAD])
def test_bad_new_field_exit_2_and_422_naming_the_field(
    doc: dict[str, Any],
    field: str,
    api: Client,  # noqa: F811
    tmp_path: Path,
) -> None:
    code, cli = run_cli(doc, tmp_path)
    response = api.post("/api/v1/calculations", data=json.dumps(doc),
                        content_type="application/json")  # fmt: skip
    assert code == 2 and response.status_code == 422
    assert cli == response.json()
    assert field in {e["field"] for e in cli["errors"]}


def _page_form(**extra: str) -> dict[str, str]:
    form = {
        "benefit": "zasilek_okresowy", "application_date": "2025-11-05",
        "residence_title": "obywatel_pl",
        "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-0-role": "wnioskodawca",
        "m-0-birth_date": "1950-04-02", "m-0-sex": "K", "m-0-insured_elsewhere": "on",
        "i-TOTAL_FORMS": "1", "i-INITIAL_FORMS": "0", "i-0-member": "A", "i-0-kind": "inne",
        "i-0-amount": "6000", "i-0-one_off": "on", "i-0-received": "2025-08",
        "r-TOTAL_FORMS": "0", "r-INITIAL_FORMS": "0",
    }  # fmt: skip
    form.update(extra)
    return form


@pytest.mark.django_db
def test_calculator_page_one_off_income_and_decision_date_art_8_ust_11(
    api: Client,  # noqa: F811
) -> None:
    text = api.post("/kalkulator/", _page_form(decision_date="2025-11-20")).content.decode()
    assert "art. 8 ust. 11 u.p.s." in text and "data decyzji 20.11.2025" in text
    text = api.post("/kalkulator/", _page_form(**{"i-0-one_off": ""})).content.decode()
    # The error names the field in Polish, not by its API path (issue 17).
    assert "popraw dane" in text and "Dochód 1 — Miesiąc wypłaty (jednorazowy)" in text


@pytest.mark.django_db
def test_calculator_page_funeral_and_dps_relative_household_art_40_and_61(
    api: Client,  # noqa: F811
) -> None:
    funeral = _page_form(benefit="zasilek_celowy_pogrzeb", application_date="2026-02-10",
                         funeral_costs="8000")  # fmt: skip
    text = api.post("/kalkulator/", funeral).content.decode()
    assert "Wynik: przysługuje" in text and "art. 40 ust. 1a u.p.s." in text
    dps = _page_form(
        benefit="oplata_dps", dps_monthly_cost="7000", **{
            "r-TOTAL_FORMS": "1", "r-0-relation": "syn", "r-0-household_size": "2",
            "r-0-income_kind_1": "wynagrodzenie", "r-0-income_amount_1": "7000",
            "r-0-exemption_basis": "art_64", "r-0-exemption_amount": "500",
        },
    )  # fmt: skip
    text = api.post("/kalkulator/", dps).content.decode()
    assert "ustalony według art. 8" in text and "art. 64 u.p.s." in text

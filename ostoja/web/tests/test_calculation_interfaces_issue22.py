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

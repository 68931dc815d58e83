"""Issue 22: the case file's calculation carries the new request fields to the law core."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ostoja.cases import services
from ostoja.cases.forms import CalculationForm
from ostoja.core.dates import noon
from ostoja.core.errors import ValidationFailed

from .test_applications import register


@pytest.mark.django_db
def test_calculation_with_decision_date_art_8_ust_1(family: Any, worker: Any) -> None:
    h, a = family(3)
    app = register(h, a, worker)
    calc = services.calculation_run(
        application=app,
        benefit="zasilek_okresowy",
        user=worker,
        now=noon(date(2025, 11, 20)),
        options={"decision_date": "2025-11-20"},
    )
    assert calc.request["decision_date"] == "2025-11-20"
    assert any("data decyzji 2025-11-20" in s["step"] for s in calc.result["trace"])


@pytest.mark.django_db
def test_calculation_bad_decision_date_names_the_field(family: Any, worker: Any) -> None:
    h, a = family(1)
    app = register(h, a, worker)
    with pytest.raises(ValidationFailed) as exc:
        services.calculation_run(
            application=app,
            benefit="zasilek_okresowy",
            user=worker,
            now=noon(date(2025, 11, 20)),
            options={"decision_date": "2025-01-01"},
        )
    assert "decision_date" in exc.value.errors


def test_calculation_form_builds_the_issue_22_fields() -> None:
    form = CalculationForm(
        data={
            "application": "1",
            "benefit": "zasilek_celowy_pogrzeb",
            "decision_date": "2026-02-12",
            "funeral_costs": "8000",
            "funeral_zus_grant_due": "on",
            "funeral_extraordinary_costs": "2500",
            "contract_work_start": "2026-01-15",
            "contract_amount": "400",
        }
    )
    form.fields["application"].choices = [(1, "W/1")]
    assert form.is_valid(), form.errors
    assert form.request_options() == {
        "decision_date": "2026-02-12",
        "contract_work_start": "2026-01-15",
        "contract_amount": "400.00",
        "funeral": {"costs": "8000.00", "zus_grant_due": True, "extraordinary_costs": "2500.00"},
    }

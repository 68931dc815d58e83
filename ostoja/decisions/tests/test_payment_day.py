"""The payment day of a decision line is 1–28 (payments: ``schedule.PAYMENT_DAYS``): 0 has no
meaning. Refused by the drafting service naming the line's field (formerly 0 silently became the
10th), by the form, and by the database's check constraint ``decision_line_payment_day``."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from ostoja.core.errors import ValidationFailed
from ostoja.decisions import services
from ostoja.decisions.models import DecisionLine

NRB = "61109010140000071219812874"

pytestmark = pytest.mark.django_db


def _draft(ready_application: Any, users: dict[str, Any]) -> Any:
    app = ready_application(benefit="zasilek_staly")
    return services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB
    )


@pytest.mark.parametrize("day", [0, "0", 29, "x"])
def test_payment_day_outside_1_28_is_refused_naming_the_field(
    ready_application: Any, users: dict[str, Any], day: Any
) -> None:
    d = _draft(ready_application, users)
    before = list(d.lines.values_list("payment_day", flat=True))
    line = {
        "benefit": "zasilek_staly",
        "amount": "300.00",
        "period_from": date(2026, 12, 1),
        "account_number": NRB,
        "payment_day": day,
    }
    with pytest.raises(ValidationFailed) as exc, transaction.atomic():
        services.decision_update_draft(
            decision=d, expected_version=d.version, actor=users["socjalny"], lines=[line]
        )
    assert "Dzień wypłaty" in exc.value.errors["lines[0].payment_day"][0]
    d.refresh_from_db()
    assert list(d.lines.values_list("payment_day", flat=True)) == before  # nothing half-saved


def test_payment_day_not_given_is_the_10th_and_the_database_refuses_0(
    ready_application: Any, users: dict[str, Any]
) -> None:
    d = _draft(ready_application, users)
    line = {
        "benefit": "zasilek_staly",
        "amount": "300.00",
        "period_from": date(2026, 12, 1),
        "account_number": NRB,
    }
    services.decision_update_draft(
        decision=d, expected_version=d.version, actor=users["socjalny"], lines=[line]
    )
    (saved,) = d.lines.all()
    assert saved.payment_day == 10
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionLine.objects.filter(pk=saved.pk).update(payment_day=0)

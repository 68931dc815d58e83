"""Calculation snapshots: a law-core calculation stored with its request and result."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from ostoja.cases.models import (
    Application,
    Calculation,
)
from ostoja.cases.selectors import calculation_request_build
from ostoja.core.errors import ValidationFailed
from ostoja.law.codes import BENEFITS
from ostoja.law.interface import RequestError, calculate_document
from ostoja.registry.text import amount_pl

from .timeline import timeline_record

# ------------------------------------------------------------------ calculations


@transaction.atomic
def calculation_run(
    *,
    application: Application,
    benefit: str,
    user: Any,
    now: datetime,
    requested_amount: Decimal | None = None,
    entitlement_from: date | None = None,
    options: dict[str, Any] | None = None,
) -> Calculation:
    """Build the law core's request from the household on the application date and its
    incomes, calculate, and store the snapshot (request, result, parameters in force).

    ``options``: further request fields (decision date, social-contract work, funeral costs —
    issue 22), validated by the law core like the rest of the document."""
    if benefit not in BENEFITS:
        raise ValidationFailed({"benefit": ["Wybierz świadczenie z listy."]})
    doc = calculation_request_build(
        application=application,
        benefit=benefit,
        requested_amount=requested_amount,
        entitlement_from=entitlement_from,
    )
    if options:
        doc.update(options)
    try:
        result = calculate_document(doc)
    except RequestError as exc:
        fields = {"decision_date", "contract_work_start", "contract_amount"}
        errors: dict[str, list[str]] = {}
        for e in exc.errors:
            name = e["field"] if e["field"] in fields else "benefit"
            if e["field"].startswith("funeral"):
                name = "funeral_" + (e["field"].split(".", 1)[1] if "." in e["field"] else "costs")
            errors.setdefault(name, []).append(e["message"])
        raise ValidationFailed(errors or {"benefit": ["Nie można obliczyć."]}) from exc
    amount = result.get("amount")
    calculation = Calculation.objects.create(
        case=application.case,
        application=application,
        benefit=benefit,
        request=doc,
        result=result,
        eligible=bool(result.get("eligible")),
        amount=Decimal(amount) if amount else None,
        parameters_valid_from=date.fromisoformat(result["parameters"]["valid_from"]),
        created_by=user,
    )
    verdict = "spełnia warunki" if calculation.eligible else "nie spełnia warunków"
    timeline_record(
        case=application.case,
        kind="obliczenie",
        title=f"Obliczenie: {BENEFITS[benefit]} — {verdict}",
        detail=(f"Kwota: {amount_pl(amount)}. " if amount else "")
        + f"Dochód na osobę: {amount_pl(result['income']['per_person'])}, kryterium "
        f"{amount_pl(result['income']['criterion'])}.",
        occurred_at=now,
        actor=user,
        source=("cases.calculation", calculation.pk),
    )
    return calculation

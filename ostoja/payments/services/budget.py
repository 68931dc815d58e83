"""Budget plan (plan finansowy) per classification."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from ostoja.core.errors import ValidationFailed

from ..models import (
    BudgetPlan,
)
from ._common import _need


# --------------------------------------------------------------------------------- budget
def budget_plan_set(
    *,
    year: int,
    chapter: str,
    paragraph: str,
    task_type: str,
    funding: str,
    amount: Decimal,
    actor: Any,
    section: str = "852",
) -> BudgetPlan:
    _need(actor, "payments.manage_budget")
    if amount is None or amount < 0:
        raise ValidationFailed({"amount": ["Plan nie może być ujemny."]})
    if not (chapter.isdigit() and len(chapter) == 5 and chapter.startswith(section)):
        raise ValidationFailed({"chapter": [f"Rozdział to 5 cyfr zaczynających się od {section}."]})
    if not (paragraph.isdigit() and len(paragraph) == 4):
        raise ValidationFailed({"paragraph": ["Paragraf to 4 cyfry."]})
    with transaction.atomic():
        plan, created = BudgetPlan.objects.get_or_create(
            year=year,
            section=section,
            chapter=chapter,
            paragraph=paragraph,
            task_type=task_type,
            funding=funding,
            defaults={"amount": amount},
        )
        if not created and plan.amount != amount:
            plan.amount = amount
            plan.version += 1
            plan.save()
    return plan

"""Writes of the analysis context: saving a what-if scenario (aggregates only)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ostoja.analysis.models import Scenario
from ostoja.analysis.whatif import WhatIf
from ostoja.core.errors import ValidationFailed


@transaction.atomic
def scenario_save(*, name: str, result: WhatIf, actor: Any) -> Scenario:
    name = name.strip()
    if not name:
        raise ValidationFailed({"name": ["Podaj nazwę scenariusza."]})
    data = result.as_dict()
    return Scenario.objects.create(
        name=name[:120],
        changes=data["changes"],
        evaluated_on=result.on,
        totals={k: data[k] for k in ("totals", "by_district", "by_benefit", "skipped")},
        created_by=actor,
    )

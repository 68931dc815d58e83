"""Restriction of processing (art. 18 RODO) started and lifted in tests, as the DPO's page does."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def restrict(person_id: int, actor: Any, at: datetime) -> Any:
    """A restriction of processing of the person (art. 18 ust. 1 lit. a RODO) from ``at``."""
    from ostoja.ops.models import ProcessingRestriction

    return ProcessingRestriction.objects.create(
        person_id=person_id, reason="Wniosek osoby, art. 18 ust. 1 lit. a", started_by=actor,
        started_at=at,
    )  # fmt: skip


def lift(restriction: Any, actor: Any, at: datetime) -> None:
    """The restriction lifted at ``at`` (the data checked)."""
    restriction.lifted_by, restriction.lifted_at = actor, at
    restriction.lift_reason = "Dane sprawdzone"
    restriction.save()

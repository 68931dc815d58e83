"""The case timeline (oś czasu): one row per event any context records on a case."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from ostoja.cases.models import (
    Case,
    TimelineEvent,
)

# ------------------------------------------------------------------ timeline


def timeline_record(
    *,
    case: Case | None = None,
    kind: str,
    title: str,
    detail: str = "",
    occurred_at: datetime | date | None = None,
    actor: Any = None,
    source: tuple[str, Any] | None = None,
    protected: bool = False,
    case_id: int | None = None,
    occurred_on: date | None = None,
    source_app: str = "",
    source_id: Any = "",
) -> TimelineEvent:
    """Add one event to the family's timeline — for every context (decisions, payments,
    social work). ``source`` = ``(app_label, object id)`` (or ``source_app``/``source_id``);
    recording the same source and kind twice returns the first event (idempotent).
    ``case_id`` and ``occurred_on`` are accepted as aliases of ``case`` and ``occurred_at``."""
    if case is None:
        if case_id is None:
            raise TypeError("timeline_record needs case or case_id")
        case = Case.objects.get(pk=case_id)
    if occurred_at is None:
        occurred_at = occurred_on
    if occurred_at is None:
        raise TypeError("timeline_record needs occurred_at (time is an input, issue 11)")
    if isinstance(occurred_at, date) and not isinstance(occurred_at, datetime):
        occurred_at = timezone.make_aware(datetime.combine(occurred_at, time(12, 0)))
    if source:
        source_app, source_id = source[0], source[1]
    source_id = "" if source_id in (None, "") else str(source_id)
    if source_id:
        existing = TimelineEvent.objects.filter(
            source_app=source_app, source_id=source_id, kind=kind
        ).first()
        if existing is not None:
            return existing
    return TimelineEvent.objects.create(
        case=case,
        occurred_at=occurred_at,
        kind=kind,
        title=title[:250],
        detail=detail,
        source_app=source_app,
        source_id=source_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        protected=protected or case.protected,
    )

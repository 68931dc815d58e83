"""Adapters to the contexts below payments: decisions (payable lines, recovery drafts) and cases
(timeline). Each import happens inside the function, so payments works — and fails clearly —
before the other context has landed.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from typing import Any

from ostoja.core.errors import DomainError
from ostoja.decisions.lines import HeldLine, PayableLine

log = logging.getLogger(__name__)

__all__ = [
    "LineSourceMissing",
    "held_lines",
    "payable_lines",
    "recovery_draft",
    "timeline_event",
]


class LineSourceMissing(DomainError):
    pass


def payable_lines(*, period_start: date, period_end: date) -> list[PayableLine]:
    """Enforceable decision lines touching ``[period_start, period_end)`` (from decisions)."""
    try:
        from ostoja.decisions.selectors import payable_lines as source
    except ImportError:
        raise LineSourceMissing(
            "Moduł decyzji nie udostępnia jeszcze linii do wypłaty "
            "(ostoja.decisions.selectors.payable_lines)."
        ) from None
    return list(source(period_start=period_start, period_end=period_end))


def held_lines(*, period_start: date, period_end: date) -> list[HeldLine]:
    """Granted lines touching the period whose decision cannot be executed yet, with reasons
    (art. 130 KPA) — what the run leaves out and what waits for finality."""
    try:
        from ostoja.decisions.selectors import held_lines as source
    except ImportError:
        return []
    return list(source(period_start=period_start, period_end=period_end))


def recovery_draft(
    *,
    case_id: int,
    person_id: int,
    amount: Decimal,
    reason: str,
    source_line_ids: list[int],
    actor: Any,
) -> str:
    """Ask decisions for a draft recovery decision; returns its reference (str) for the record.

    Raises :class:`LineSourceMissing` while decisions has no such service.
    """
    try:
        from ostoja.decisions.services import decision_recovery_draft
    except ImportError:
        raise LineSourceMissing(
            "Moduł decyzji nie udostępnia jeszcze projektów decyzji o zwrocie "
            "(ostoja.decisions.services.decision_recovery_draft)."
        ) from None
    result = decision_recovery_draft(
        case_id=case_id,
        person_id=person_id,
        amount=amount,
        reason=reason,
        source_line_ids=source_line_ids,
        actor=actor,
    )
    return str(getattr(result, "pk", None) or getattr(result, "number", None) or result or "")


def timeline_event(
    *, case_id: int, title: str, occurred_on: date, actor: Any, kind: str, source_id: Any = ""
) -> bool:
    """Record an event on the case timeline (best effort: a case that no longer exists never
    stops reconciliation; a programming error such as a wrong argument is not hidden)."""
    from django.core.exceptions import ObjectDoesNotExist
    from django.db import transaction

    from ostoja.cases.services import timeline_record

    try:
        with transaction.atomic():
            timeline_record(
                case_id=case_id,
                kind=kind,
                title=title,
                occurred_at=occurred_on,
                actor=actor,
                source_app="payments",
                source_id=source_id,
            )
    except (ObjectDoesNotExist, DomainError) as exc:
        log.warning("timeline event for case %s not recorded: %s", case_id, exc)
        return False
    return True

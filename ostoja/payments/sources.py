"""Adapters to the contexts below payments: decisions (payable lines, recovery drafts) and cases
(timeline). The one place payments reads another context's public functions, so a change of
their signature fails here, loudly, and in the tests.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from ostoja.cases.services import timeline_record
from ostoja.core import restriction
from ostoja.core.errors import DomainError
from ostoja.decisions import selectors as decision_selectors
from ostoja.decisions.lines import HeldLine, PayableLine
from ostoja.decisions.services import decision_recovery_draft

log = logging.getLogger(__name__)

__all__ = [
    "held_lines",
    "lines_now",
    "payable_lines",
    "recovery_draft",
    "restricted_persons",
    "timeline_event",
]


def payable_lines(*, period_start: date, period_end: date) -> list[PayableLine]:
    """Enforceable decision lines touching ``[period_start, period_end)`` (from decisions)."""
    return list(decision_selectors.payable_lines(period_start=period_start, period_end=period_end))


def lines_now(
    *, line_ids: Collection[int], period_start: date, period_end: date
) -> dict[int, PayableLine]:
    """The present state of a few decision lines (by id) for ``[period_start, period_end)``:
    absent when the line is no longer payable there (revoked, expired, quashed or no longer
    enforceable), ``effective_to`` when a later decision ended it early (art. 106 ust. 5)."""
    if not line_ids:
        return {}
    return {
        ln.line_id: ln
        for ln in decision_selectors.payable_lines(
            period_start=period_start, period_end=period_end, line_ids=line_ids
        )
    }


def held_lines(*, period_start: date, period_end: date) -> list[HeldLine]:
    """Granted lines touching the period whose decision cannot be executed yet, with reasons
    (art. 130 KPA) — what the run leaves out and what waits for finality."""
    return list(decision_selectors.held_lines(period_start=period_start, period_end=period_end))


def restricted_persons(*, now: datetime) -> dict[int, datetime]:
    """Persons whose processing is restricted at ``now`` (art. 18 RODO) → since when; answered
    by ops through ``ostoja.core.restriction`` (the run's bulk insert sends no ``pre_save``)."""
    return restriction.restricted_persons(now=now)


def recovery_draft(
    *,
    case_id: int,
    person_id: int,
    amount: Decimal,
    reason: str,
    source_line_ids: list[int],
    actor: Any,
) -> str:
    """Ask decisions for a draft recovery decision (art. 104 u.p.s.); returns its reference for
    the record. A :class:`~ostoja.core.errors.DomainError` (e.g. no author for the draft) leaves
    the overpayment proposed; the next run hands it over again."""
    result = decision_recovery_draft(
        case_id=case_id,
        person_id=person_id,
        amount=amount,
        reason=reason,
        source_line_ids=source_line_ids,
        actor=actor,
    )
    return str(result.pk)


def timeline_event(
    *, case_id: int, title: str, occurred_on: date, actor: Any, kind: str, source_id: Any = ""
) -> bool:
    """Record an event on the case timeline (best effort: a case that no longer exists never
    stops reconciliation; a programming error such as a wrong argument is not hidden)."""
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

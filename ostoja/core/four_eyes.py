"""The two-person rule (zasada dwóch osób) shared by every request-and-confirm flow: a change
proposed by one person takes effect only when another confirms it, and neither the proposer
nor the person the change is about may be that other (staff role and unit changes, partner
accounts, anonymisation under art. 17 RODO)."""

from __future__ import annotations

from typing import Any

from ostoja.core.errors import NotPermitted


def require_second_person(actor: Any, *excluded: int | None, message: str) -> None:
    """Refuse ``actor`` when it is one of the ``excluded`` accounts (ids; ``None`` is ignored)."""
    if getattr(actor, "pk", None) in {pk for pk in excluded if pk is not None}:
        raise NotPermitted(message)

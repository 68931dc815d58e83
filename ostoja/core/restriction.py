"""Who is under restriction of processing (art. 18 RODO), for contexts below ``ops``.

``ops`` keeps the restrictions and sits above payments in the layers, so payments may not
import it; ``ops`` registers its answer here at start-up (``OpsConfig.ready``). Single saves are
guarded by ops' ``pre_save`` signals; set-based work (the payment run's bulk insert sends no
signals) asks this function instead. Without ops installed nothing is restricted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

RestrictedPersons = Callable[[datetime], dict[int, datetime]]

_provider: RestrictedPersons | None = None


def register_provider(provider: RestrictedPersons) -> None:
    """Called once by ops at start-up."""
    global _provider  # one provider per process, set at start-up
    _provider = provider


def restricted_persons(*, now: datetime) -> dict[int, datetime]:
    """Person id → when the restriction started, for restrictions in force at ``now``."""
    return _provider(now) if _provider is not None else {}

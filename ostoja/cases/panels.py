"""Panels on the case file contributed by higher contexts (decisions, payments, social work).

A higher context calls ``register_case_panel(fn)`` in its ``AppConfig.ready()``; ``fn(case, user,
now)``
returns ``{"template": "ctx/_panel.html", "title": "…", "context": {...}}`` or ``None``. The cases
context never imports them — "current help" comes from decisions this way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

PanelFn = Callable[[Any, Any, datetime], "dict[str, Any] | None"]

_PANELS: list[PanelFn] = []


def register_case_panel(fn: PanelFn) -> PanelFn:
    """Register a panel function (idempotent); usable as a decorator."""
    if fn not in _PANELS:
        _PANELS.append(fn)
    return fn


def unregister_case_panel(fn: PanelFn) -> None:
    if fn in _PANELS:
        _PANELS.remove(fn)


def case_panels(*, case: Any, user: Any, now: datetime) -> list[dict[str, Any]]:
    panels = []
    for fn in list(_PANELS):
        panel = fn(case, user, now)
        if panel:
            panels.append(panel)
    return panels

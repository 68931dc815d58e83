"""Kielce demo data of this context (idempotent)."""

from __future__ import annotations

from datetime import datetime


def load_demo(*, now: datetime) -> None:
    """Nothing yet."""

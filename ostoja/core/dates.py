"""The one place that asks the clock: today in Europe/Warsaw (never inside the law core)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()

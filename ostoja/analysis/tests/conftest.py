"""Shared fixtures of the analysis tests: the synthetic city, seeded once per module."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

UNTIL = date(2026, 12, 1)


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    # Seeded inside an outer transaction rolled back when the module ends (no flush: a flush
    # would take the migrations' reference data — streets, the filing list — from later tests).
    from django.db import transaction

    from ostoja.core.dates import noon
    from ostoja.web.demo import reference_data_ensure
    from ostoja.web.seed import seed_city

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            reference_data_ensure()
            seed_city(scale=0.01, seed=11, until=UNTIL, now=noon(UNTIL))
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

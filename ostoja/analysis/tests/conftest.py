"""Shared fixtures of the analysis tests: the synthetic city, seeded once per module."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

UNTIL = date(2026, 12, 1)


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    from ostoja.core.dates import noon
    from ostoja.web.demo import reference_data_ensure
    from ostoja.web.seed import seed_city

    with django_db_blocker.unblock():
        reference_data_ensure()  # a previous module's flush removed the streets
        seed_city(scale=0.01, seed=11, until=UNTIL, now=noon(UNTIL))
    yield
    with django_db_blocker.unblock():
        from django.core.management import call_command as cc

        cc("flush", "--no-input", verbosity=0)

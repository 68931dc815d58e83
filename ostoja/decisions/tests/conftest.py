"""Fixtures: a family with an application ready for decision and its calculation snapshot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest


@pytest.fixture
def ready_application(demo_org: None) -> Callable[..., Any]:
    """``ready_application(benefit="zasilek_staly", unit="ro1")`` → an Application in
    „gotowy do decyzji” with a completed interview and the law core's calculation."""
    from ostoja.decisions.tests.factories import make_ready_application

    return make_ready_application


@pytest.fixture
def users(demo_org: None) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def on() -> date:
    return date(2026, 11, 26)

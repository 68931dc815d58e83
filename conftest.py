"""Fixtures shared by every Django test: staff users per role, logged-in clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def demo_org(db: Any) -> None:
    """The demo organisation: units, the eight demo accounts, authorisations."""
    from ostoja.org.demo import load_demo_organisation

    load_demo_organisation()


@pytest.fixture
def make_staff(db: Any) -> Callable[..., Any]:
    """Create a staff user: ``make_staff("jan", role=Role.SOCIAL_WORKER, unit_code="ro2")``."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from ostoja.org.models import StaffMember, Unit
    from ostoja.org.services import roles_ensure

    def factory(
        username: str, *, role: Any = None, unit_code: str = "ro1", password: str = "demo"
    ) -> Any:
        roles_ensure()
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            unit = Unit.objects.create(
                code=unit_code, name=f"Jednostka {unit_code}", kind="rejon",
                valid_from="2020-01-01", case_symbol=unit_code.upper(),
            )  # fmt: skip
        user = get_user_model().objects.create_user(
            username=username, password=password, first_name=username.title(), last_name="Test"
        )
        if role is not None:
            user.groups.add(Group.objects.get(name=str(role)))
        StaffMember.objects.create(user=user, unit=unit, position="Test")
        return user

    return factory


@pytest.fixture
def client_for(db: Any) -> Callable[[Any], Client]:
    """A test client logged in as ``user`` (session auth, MFA not enforced in tests)."""

    def factory(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return factory


@pytest.fixture(autouse=True)
def _no_admin_mfa_unless_asked(settings: Any, request: pytest.FixtureRequest) -> None:
    """Most tests log in with force_login; the MFA tests switch the requirement back on."""
    if "mfa" not in request.keywords:
        settings.OSTOJA_REQUIRE_ADMIN_MFA = False

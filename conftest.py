"""Fixtures shared by every Django test: staff users per role, logged-in clients; the clock.

``pytest --on-date 2028-02-29`` (or ``OSTOJA_TEST_DATE=2028-02-29``) runs the whole suite with
the clock moved to that day (09:00 in Warsaw, ticking; ``--on-date 2028-01-01T00:20`` sets the
Warsaw time too — between midnight in Warsaw and midnight UTC the UTC day is still yesterday)
through time-machine, which moves every clock read at once — ``timezone.now``, ``date.today``;
the database's defaults are not touched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from ostoja.core.dates import today

WARSAW = ZoneInfo("Europe/Warsaw")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--on-date",
        default=os.environ.get("OSTOJA_TEST_DATE") or None,
        help="Run the suite as if today were this day (RRRR-MM-DD[THH:MM], Warsaw time), "
        "e.g. 2028-02-29 or 2028-01-01T00:20.",
    )


def pytest_configure(config: pytest.Config) -> None:
    day = config.getoption("--on-date")
    if not day:
        return
    import time_machine

    moment = _moment(day)
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    config.stash[_TRAVELLER] = traveller


def _moment(text: str) -> datetime:
    """``RRRR-MM-DD`` → that day 09:00 Warsaw; ``RRRR-MM-DDTHH:MM`` → that Warsaw moment."""
    if "T" in text:
        return datetime.fromisoformat(text).replace(tzinfo=WARSAW)
    return datetime.combine(date.fromisoformat(text), time(9, 0), tzinfo=WARSAW)


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_TRAVELLER, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    day = config.getoption("--on-date")
    if not day:
        return None
    return f"ostoja: zegar przestawiony na {_moment(day):%Y-%m-%d %H:%M} (Europe/Warsaw)"


_TRAVELLER = pytest.StashKey[Any]()


@pytest.fixture
def travel() -> Any:
    """Move the clock for one test: ``travel("2028-02-29")`` (09:00 Warsaw, ticking)."""
    import time_machine

    started: list[Any] = []

    def go(day: str | date, hour: int = 9) -> datetime:
        d = date.fromisoformat(day) if isinstance(day, str) else day
        moment = datetime.combine(d, time(hour, 0), tzinfo=WARSAW)
        t = time_machine.travel(moment, tick=True)
        t.start()
        started.append(t)
        return moment

    yield go
    for t in reversed(started):
        t.stop()


@pytest.fixture
def demo_org(db: Any) -> None:
    """The demo organisation: units, the eight demo accounts, authorisations."""
    from ostoja.org.demo import load_demo_organisation

    load_demo_organisation(on=today())


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


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_audit_trail() -> Any:
    """The SQLite audit triggers refuse DELETE (ostoja.audit.sqlite_guard); the test runner's
    flush between transactional tests is the one caller allowed to empty the tables."""
    from django.core.management.commands import flush

    from ostoja.audit import sqlite_guard

    original = flush.Command.handle

    def handle(self: Any, *args: Any, **options: Any) -> Any:
        sqlite_guard.UNLOCKED = True
        try:
            return original(self, *args, **options)
        finally:
            sqlite_guard.UNLOCKED = False

    flush.Command.handle = handle  # type: ignore[method-assign]
    yield
    flush.Command.handle = original  # type: ignore[method-assign]

"""Fixtures of the security suite: a small world built from factories once per module, a
social worker of ro2 (the "stranger" to every ro1 record), and a map from object kind to an ro1
record.

The world (``tests.factories.build_world``) is built on ``SECURITY_ON`` — or on the day given
with ``--on-date`` / ``OSTOJA_TEST_DATE`` — with the clock frozen there (ticking) for the whole
module, so the views' and the tests' own reading of the clock agrees with the world.
It is built inside an outer transaction that is rolled back when the module ends; each test runs
in its own savepoint on top of it (pytest-django's ``db``), so tests stay independent and the
world is built once per module instead of once per test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.factories import World, build_world, world_clock

# The day the demo loader first failed (issue 11): the world must work on it like on any other.
SECURITY_ON = date(2026, 12, 4)


def security_on(config: pytest.Config) -> date:
    """The suite's day: ``--on-date`` when the whole run is moved to a day, else SECURITY_ON."""
    day = config.getoption("--on-date")
    return date.fromisoformat(day[:10]) if day else SECURITY_ON


@pytest.fixture(scope="module")
def demo(
    request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any
) -> Iterator[World]:
    on = security_on(request.config)
    with world_clock(on), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(on=on)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def users(demo: World, db: Any) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def stranger(demo: World, make_staff: Callable[..., Any]) -> Any:
    """A social worker of ro2: must never reach an ro1 record."""
    from ostoja.org.roles import Role

    return make_staff("sec_sw_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")


@pytest.fixture
def colleague(demo: World, make_staff: Callable[..., Any]) -> Any:
    """A second social worker of ro1 (same unit as ``socjalny``, not assigned to its cases)."""
    from ostoja.org.roles import Role

    return make_staff("sec_sw_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")


@pytest.fixture
def token_client() -> Callable[[Any], Client]:
    """An API client authenticated with a bearer token (no session, no CSRF)."""
    from ostoja.org.services import api_token_create

    def factory(user: Any) -> Client:
        raw = api_token_create(user=user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return factory


@pytest.fixture
def ro1(demo: World, db: Any) -> dict[str, Any]:
    """One ro1 record of each kind (worker ``socjalny``), read afresh for each test."""
    from ostoja.cases.models import Application, Calculation, Case, Interview
    from ostoja.decisions.models import Decision
    from ostoja.registry.models import Household, Income, Person
    from ostoja.socialwork.models import AssistancePlan, CaseNote, SocialContract, Visit

    income = Income.objects.get(pk=demo.income.pk)
    records = _facility_records(demo) | _care_records(demo) | _partner_records(demo)
    return records | {
        "case": Case.objects.get(pk=demo.case.pk),
        "household": Household.objects.get(pk=demo.household.pk),
        "person": Person.objects.get(pk=demo.person.pk),
        "income": income,
        "income_person": income.person,
        "application": Application.objects.get(pk=demo.application.pk),
        "interview": Interview.objects.get(pk=demo.interview.pk),
        "calculation": Calculation.objects.get(pk=demo.calculation.pk),
        "decision": Decision.objects.get(pk=demo.decision.pk),
        "signed_decision": Decision.objects.get(pk=demo.signed_decision.pk),
        "note": CaseNote.objects.get(pk=demo.note.pk),
        "visit": Visit.objects.get(pk=demo.visit.pk),
        "contract": SocialContract.objects.get(pk=demo.contract.pk),
        "plan": AssistancePlan.objects.get(pk=demo.plan.pk),
    }


def _facility_records(demo: World) -> dict[str, Any]:
    """Issue 14: a facility of ro1 with a stay and an ro1 referral on its waiting list."""
    from django.contrib.auth import get_user_model

    from ostoja.facilities.tests.factories import security_records

    worker = get_user_model().objects.get(username="socjalny")
    return security_records(unit=demo.case.unit, actor=worker, on=demo.on)


def _care_records(demo: World) -> dict[str, Any]:
    """Issue 15: a care order of the ro1 case with a reported month, a leaving-care and an
    integration programme of ro1."""
    from django.contrib.auth import get_user_model

    from ostoja.care.tests.factories import security_records

    worker = get_user_model().objects.get(username="socjalny")
    return security_records(case=demo.case, actor=worker, on=demo.on)


def _partner_records(demo: World) -> dict[str, Any]:
    """Issue 16: a referral of the ro1 case to a partner, that partner's portal account and a
    second partner's account, a call, an offer, a signed grant and a programme."""
    from django.contrib.auth import get_user_model

    from ostoja.partners.tests.factories import security_records

    users = get_user_model().objects
    return security_records(
        case=demo.case, actor=users.get(username="socjalny"),
        head=users.get(username="kierownik"), on=demo.on,
    )  # fmt: skip


def reads_of(user: Any) -> Any:
    """ACCESS entries of ``user`` that are reads, not refusals (a JSON key may be missing, so
    ``exclude(additional_data__refused=True)`` would drop those rows too)."""
    from auditlog.models import LogEntry
    from django.db.models import Q

    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=user).filter(
        Q(additional_data__isnull=True)
        | Q(additional_data__refused__isnull=True)
        | Q(additional_data__refused=False)
    )

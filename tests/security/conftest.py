"""Fixtures of the security suite: the Kielce demo data loaded once per module, a social
worker of ro2 (the "stranger" to every ro1 record), and a map from object kind to an ro1 record.

The demo is loaded inside an outer transaction that is rolled back when the module ends; each
test runs in its own savepoint on top of it (pytest-django's ``db``), so tests stay independent
and the slow loader runs once per module instead of once per test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from ostoja.core import dates


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from ostoja.web.demo import load_demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo(now=dates.now())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def users(demo: None, db: Any) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def stranger(demo: None, make_staff: Callable[..., Any]) -> Any:
    """A social worker of ro2: must never reach an ro1 record."""
    from ostoja.org.roles import Role

    return make_staff("sec_sw_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")


@pytest.fixture
def colleague(demo: None, make_staff: Callable[..., Any]) -> Any:
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
def ro1(demo: None, db: Any) -> dict[str, Any]:
    """One ro1 record of each kind (the demo's first district, worker ``socjalny``)."""
    from ostoja.cases.models import Application, Calculation, Case, Interview
    from ostoja.decisions.models import SIGNED_STATUSES, Decision
    from ostoja.registry.models import Income, Person
    from ostoja.socialwork.models import AssistancePlan, CaseNote, SocialContract, Visit

    note = CaseNote.objects.filter(case__unit__code="ro1").order_by("pk").first()
    case: Case = note.case
    household = case.household
    person = (
        Person.objects.filter(memberships__household=household, registered_by_unit__code="ro1")
        .order_by("pk")
        .first()
    )
    income = Income.objects.filter(person__registered_by_unit__code="ro1").order_by("pk").first()
    return {
        "case": case,
        "household": household,
        "person": person,
        "income": income,
        "income_person": income.person,
        "application": Application.objects.filter(case__unit__code="ro1").order_by("pk").first(),
        "interview": Interview.objects.filter(case__unit__code="ro1").order_by("pk").first(),
        "calculation": Calculation.objects.filter(case__unit__code="ro1").order_by("pk").first(),
        "decision": Decision.objects.filter(case__unit__code="ro1").order_by("pk").first(),
        "signed_decision": Decision.objects.filter(
            case__unit__code="ro1", status__in=SIGNED_STATUSES, lines__isnull=False
        )
        .distinct()
        .order_by("pk")
        .first(),
        "note": note,
        "visit": Visit.objects.filter(case__unit__code="ro1").order_by("pk").first(),
        "contract": SocialContract.objects.filter(case__unit__code="ro1").order_by("pk").first(),
        "plan": AssistancePlan.objects.filter(case__unit__code="ro1").order_by("pk").first(),
    }


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

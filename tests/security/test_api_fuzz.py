"""schemathesis over /api/v1/openapi.json with a bearer token of every role (issue 20).

For each API operation, hypothesis generates a bounded number of requests from the OpenAPI
document (``MAX_EXAMPLES``); each request is sent once with the token of each role. Every
answer must be documented (status code in the operation's responses — ostoja.api.main adds the
common error codes) and none may be a 5xx. Marked ``fuzz`` (about 2–3 minutes on two cores):
.ci/run should run it as its own step (``pytest -m fuzz tests/security/test_api_fuzz.py``); run it on PostgreSQL too (``DATABASE_URL``), where over-long
or NUL-byte strings used to give 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from ostoja.api.main import api

MAX_EXAMPLES = 1
# One account of each role (Role in ostoja.org.roles): the demo's eight and a deputy director.
ROLES = (
    "socjalny", "swiadczenia", "kierownik", "dyrektor", "zastepca", "ksiegowosc", "analityk",
    "admin", "iod",
)  # fmt: skip

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = get_wsgi_application()


@pytest.fixture(scope="module")
def module_tokens(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """A token for each role, and a few records so that some generated ids exist — built once
    per module inside an outer transaction (rolled back at the end), like the demo fixture."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from ostoja.core.dates import today
    from ostoja.decisions import services
    from ostoja.decisions.tests.factories import make_ready_application
    from ostoja.org.demo import load_demo_organisation
    from ostoja.org.models import StaffMember, Unit
    from ostoja.org.roles import Role
    from ostoja.org.services import api_token_create

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo_organisation(on=today())
            deputy = get_user_model().objects.create_user(username="zastepca", password="x")
            deputy.groups.add(Group.objects.get(name=Role.DEPUTY_DIRECTOR))
            StaffMember.objects.create(
                user=deputy, unit=Unit.objects.get(code="dyrekcja"), position="Zastępca"
            )
            users = {u.username: u for u in get_user_model().objects.all()}
            for _ in range(2):
                app = make_ready_application("zasilek_staly")
                services.decision_draft_from_application(
                    application=app,
                    actor=users["socjalny"],
                    account_number="61109010140000071219812874",
                )
            yield {name: api_token_create(user=users[name]) for name in ROLES}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """schemathesis calls the WSGI application directly, so Django's request signals close the
    database connection after each call — on PostgreSQL that is the test's own transaction.
    Django's test client disconnects the same handler; so does this fixture."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(module_tokens: dict[str, str], db: Any) -> dict[str, str]:
    return module_tokens


@pytest.mark.fuzz
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_fuzz_every_role_no_5xx_and_documented_statuses(
    case: Any, tokens: dict[str, str]
) -> None:
    assert len(tokens) == len(ROLES)
    for token in tokens.values():
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance])

"""Issue 19: the case file costs the same whatever the size of the city — a fixed number of
queries, and its payments read through an index on the case, not a scan of every payment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from ostoja.core.dates import noon
from ostoja.socialwork.models import SocialContract
from ostoja.web.seed import seed_city

UNTIL = date(2026, 1, 1)
NOW = noon(date(2026, 1, 15))
# 39 measured on 2026-12-06 (sessions, access, the audit of the read, the panels); 32 after the
# second pass (roles read once per request, today's and the application's household in one query,
# the incomes once, the open applications handed to the decisions panel, no partner-link lookup
# for staff).
BOUND = 32


def _busiest_case() -> tuple[int, int]:
    """The case with the most payments and its worker."""
    from ostoja.cases.models import Case
    from ostoja.payments.models import Payment

    case_id = (
        Payment.objects.values("case_id")
        .annotate(n=Count("id"))
        .order_by("-n", "case_id")
        .values_list("case_id", flat=True)
        .first()
    )
    assert case_id is not None
    worker_id = Case.objects.filter(pk=case_id).values_list("worker_id", flat=True).get()
    assert worker_id
    return case_id, worker_id


def _captured(client_for: Callable[[Any], Any], case_id: int, worker_id: int) -> list[str]:
    from django.contrib.auth import get_user_model

    client = client_for(get_user_model().objects.get(pk=worker_id))
    client.get(f"/sprawy/{case_id}/")  # first request: session, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/sprawy/{case_id}/")
    assert response.status_code == 200
    assert "Wypłata" in response.content.decode()  # the payments are on the timeline
    # The audit chain's PostgreSQL advisory lock (one per audited read) is not a read of data and
    # exists only there; counting it made the same page 33 on PostgreSQL and 32 on SQLite.
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith("SELECT pg_advisory_xact_lock(")
    ]


def _queries(client_for: Callable[[Any], Any], case_id: int, worker_id: int) -> int:
    return len(_captured(client_for, case_id, worker_id))


def _reads_of(sqls: list[str], table: str) -> int:
    """Queries that read ``table`` first (its own SELECT, not a subquery of another's)."""
    return sum(
        1
        for sql in sqls
        if sql.startswith("SELECT") and sql.split(" FROM ", 1)[-1].startswith(f'"{table}"')
    )


@pytest.mark.django_db
def test_case_file_query_count_does_not_grow_with_the_city(
    client_for: Callable[[Any], Any],
) -> None:
    from ostoja.payments.models import Payment

    seed_city(scale=0.002, seed=7, until=UNTIL, now=NOW)
    few = Payment.objects.count()
    case_id, worker_id = _busiest_case()
    small = _queries(client_for, case_id, worker_id)
    seed_city(scale=0.02, seed=7, until=UNTIL, now=NOW, append=True)
    assert Payment.objects.count() > 5 * few
    assert _queries(client_for, case_id, worker_id) == small <= BOUND
    busiest = _busiest_case()
    assert _queries(client_for, *busiest) <= small


@pytest.mark.django_db
def test_case_file_reads_each_thing_once(client_for: Callable[[Any], Any]) -> None:
    """Issue 19, second pass: the user's roles, the household's members, the applications and
    the incomes are each read once per request, whichever panel or rule asks for them."""
    seed_city(scale=0.002, seed=7, until=UNTIL, now=NOW)
    case_id, worker_id = _busiest_case()
    sqls = _captured(client_for, case_id, worker_id)
    assert _reads_of(sqls, "auth_group") == 1, "roles"
    assert _reads_of(sqls, "registry_householdmembership") == 1, "members"
    assert _reads_of(sqls, "cases_application") == 1, "applications"
    assert _reads_of(sqls, "registry_income") <= 1, "incomes"
    # the social-work panel's breach flags come from the contracts it reads (prefetched)
    contracts = SocialContract.objects.filter(case_id=case_id).exists()
    assert _reads_of(sqls, "socialwork_contractbreach") == int(contracts), "contract breaches"
    assert _reads_of(sqls, "partners_partneruser") == 0, "a staff member is no partner"
    assert len(sqls) <= BOUND


@pytest.mark.django_db
def test_case_payments_are_read_through_the_case_index(django_user_model: Any) -> None:
    from ostoja.payments.models import Payment, PaymentStatus

    rows = (
        Payment.objects.filter(case_id=1)
        .exclude(status=PaymentStatus.CANCELLED)
        .order_by("-due_date", "-pk")[:60]
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table: force the choice
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(part) for row in cursor.fetchall() for part in row)
    assert "payments_case_due_idx" in plan, plan
    assert "TEMP B-TREE" not in plan.upper()  # the index gives the order too (no sort)

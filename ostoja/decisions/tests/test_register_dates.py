"""Issue 19: the register's date filter rewritten so indexes serve it (an issued decision by
``issued_on``, a draft by the moment it was drafted) — the same rows as the old
``issued_on OR drafted_at__date`` filter on awkward days (local midnight, DST changes,
29 February, year end), and a query count that does not grow with the rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import product

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from ostoja.decisions.models import Decision
from ostoja.decisions.selectors.register import (
    RegisterFilters,
    decision_register_page,
    register_date_q,
)

NRB = "61109010140000071219812874"
pytestmark = pytest.mark.django_db

# (drafted_at in UTC, issued_on) — Warsaw is UTC+1 in winter, UTC+2 in summer.
MOMENTS = [
    (datetime(2026, 12, 31, 22, 59, 59, tzinfo=UTC), None),  # 31.12 23:59:59 local
    (datetime(2026, 12, 31, 23, 0, 0, tzinfo=UTC), None),  # 1.01.2027 00:00 local
    (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), None),  # 29.03 00:30 CET, DST day
    (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), None),  # 29.03 03:30 CEST
    (datetime(2026, 10, 24, 22, 30, tzinfo=UTC), None),  # 25.10 00:30 CEST, DST ends
    (datetime(2026, 10, 25, 22, 59, tzinfo=UTC), None),  # 25.10 23:59 CET
    (datetime(2028, 2, 28, 23, 0, tzinfo=UTC), None),  # 29.02.2028 00:00 local
    (datetime(2028, 2, 29, 22, 59, tzinfo=UTC), None),  # 29.02.2028 23:59 local
    # issued decisions: the issue date rules, whatever the draft moment
    (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), date(2026, 12, 31)),
    (datetime(2026, 3, 1, 10, 0, tzinfo=UTC), date(2026, 3, 29)),
    (datetime(2028, 2, 1, 10, 0, tzinfo=UTC), date(2028, 2, 29)),
    (datetime(2026, 10, 25, 10, 0, tzinfo=UTC), date(2026, 10, 24)),
]
BOUNDS = [
    None,
    date(2026, 3, 28),
    date(2026, 3, 29),
    date(2026, 3, 30),
    date(2026, 10, 24),
    date(2026, 10, 25),
    date(2026, 12, 31),
    date(2027, 1, 1),
    date(2028, 2, 28),
    date(2028, 2, 29),
    date(2028, 3, 1),
]


def _old_q(date_from: date | None, date_to: date | None) -> Q:
    """The filter before issue 19 (an OR over two dates, the draft's local date computed
    per row)."""
    q = Q()
    if date_from:
        q &= Q(issued_on__gte=date_from) | Q(
            issued_on__isnull=True, drafted_at__date__gte=date_from
        )
    if date_to:
        q &= Q(issued_on__lte=date_to) | Q(issued_on__isnull=True, drafted_at__date__lte=date_to)
    return q


@pytest.fixture
def dated(ready_application, users):
    from ostoja.decisions import services

    ids = []
    for drafted_at, issued_on in MOMENTS:
        d = services.decision_draft_from_application(
            application=ready_application("zasilek_staly"),
            actor=users["socjalny"],
            account_number=NRB,
        )
        Decision.objects.filter(pk=d.pk).update(drafted_at=drafted_at, issued_on=issued_on)
        ids.append(d.pk)
    return ids


def test_register_date_filter_same_rows_as_the_old_or(dated):
    base = Decision.objects.filter(pk__in=dated)
    checked = 0
    for date_from, date_to in product(BOUNDS, BOUNDS):
        if date_from is None and date_to is None:
            continue
        old = set(base.filter(_old_q(date_from, date_to)).values_list("pk", flat=True))
        new = set(
            base.filter(register_date_q(date_from=date_from, date_to=date_to)).values_list(
                "pk", flat=True
            )
        )
        assert new == old, (date_from, date_to)
        checked += 1
    assert checked == len(BOUNDS) ** 2 - 1


def test_register_date_filter_on_local_midnight_and_dst(dated):
    base = Decision.objects.filter(pk__in=dated)

    def count(date_from: date | None, date_to: date | None) -> int:
        return base.filter(register_date_q(date_from=date_from, date_to=date_to)).count()

    # 31.12.2026 23:59:59 local is 31 December, 00:00 on 1 January is the new year
    assert count(date(2027, 1, 1), date(2027, 1, 1)) == 1
    # 29 March 2026 (clocks go forward): the 00:30 CET and the 03:30 CEST drafts, and the
    # decision issued that day
    assert count(date(2026, 3, 29), date(2026, 3, 29)) == 3
    # 29 February 2028: two drafts (00:00 and 23:59 local) and one issued decision
    assert count(date(2028, 2, 29), date(2028, 2, 29)) == 3
    # 25 October 2026 (clocks go back): two drafts; the decision drafted that day but
    # issued on the 24th counts on the 24th
    assert count(date(2026, 10, 25), date(2026, 10, 25)) == 2
    assert count(date(2026, 10, 24), date(2026, 10, 24)) == 1


def test_register_page_with_dates_query_count_does_not_grow(ready_application, users):
    from ostoja.decisions import services

    user = users["kierownik"]
    filters = RegisterFilters(date_from=date(2020, 1, 1), date_to=date(2030, 1, 1))

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            page = decision_register_page(user=user, filters=filters, page=1)
            rows = list(page.object_list)
        return len(ctx.captured_queries), len(rows)

    def add(n: int) -> None:
        for _ in range(n):
            services.decision_draft_from_application(
                application=ready_application("zasilek_okresowy"),
                actor=users["socjalny"],
                account_number=NRB,
            )

    add(2)
    queries()  # the user's groups, staff record and units are read once per request
    few, rows_few = queries()
    add(6)
    many, rows_many = queries()
    assert rows_many > rows_few > 0
    assert many == few == 3  # count, the page, its lines

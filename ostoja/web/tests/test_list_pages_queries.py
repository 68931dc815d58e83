"""Issue 19: every list and register page issues a number of queries that does not grow with
the data — measured on a small synthetic city and again on ten times as many families, as the
role that uses each page (``django_assert_max_num_queries`` with the page's fixed bound)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostoja.core.dates import noon
from ostoja.web.seed import seed_city

UNTIL = date(2026, 1, 1)
NOW = noon(date(2026, 1, 15))

# The most queries each page may issue, whatever the amount of data (sessions, access rules,
# the audit record of the read, the page's own selectors, navigation) — measured on
# 2026-12-05 plus 2 of slack.
BOUNDS = {
    "decision_register": 20,
    "register_filtered": 20,
    "payment_lists": 16,
    "payment_list": 24,  # 22 after issue 17 (who made the list) and issue 20 (second person) joined
    "receivables": 14,
    "audit_trail": 14,
    "caseload": 22,
    "dashboard": 22,
    "mrpips03": 15,
}


def _user(role: str, unit: str | None = None) -> Any:
    from django.contrib.auth import get_user_model

    from ostoja.org.models import StaffMember

    staff = StaffMember.objects.filter(user__groups__name=role, user__is_active=True)
    if unit:
        staff = staff.filter(unit__code=unit)
    user_id = staff.order_by("pk").values_list("user_id", flat=True).first()
    assert user_id, role
    return get_user_model().objects.get(pk=user_id)


def _urls() -> dict[str, tuple[tuple[str, str | None], str]]:
    from ostoja.payments.models import PaymentList

    latest = PaymentList.objects.order_by("-month", "-pk").values_list("pk", flat=True).first()
    return {
        "decision_register": (("kierownik", "ro1"), "/decyzje/"),
        "register_filtered": (
            ("kierownik", "ro1"),
            "/decyzje/?benefit=zasilek_okresowy&date_from=2025-01-01",
        ),
        "payment_lists": (("ksiegowosc", None), "/wyplaty/"),
        "payment_list": (("ksiegowosc", None), f"/wyplaty/listy/{latest}/"),
        "receivables": (("ksiegowosc", None), "/wyplaty/naleznosci/"),
        "audit_trail": (("iod", None), "/audyt/"),
        "caseload": (("kierownik", "ro1"), "/praca-socjalna/obciazenie/"),
        "dashboard": (("analityk", None), "/analiza/"),
        "mrpips03": (("analityk", None), "/analiza/mrpips03/?okres=2025-H1"),
    }


def _measure(client_for: Callable[[Any], Any], assert_max: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for page, ((role, unit), url) in _urls().items():
        client = client_for(_user(role, unit))
        client.get(url)  # first request: session, caches
        with assert_max(BOUNDS[page]), CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (page, response.status_code)
        counts[page] = len(ctx.captured_queries)
    return counts


@pytest.mark.django_db
def test_list_pages_query_count_is_bounded_and_does_not_grow_with_the_data(
    client_for: Callable[[Any], Any], django_assert_max_num_queries: Any
) -> None:
    from ostoja.decisions.models import Decision
    from ostoja.payments.models import Payment

    seed_city(scale=0.002, seed=7, until=UNTIL, now=NOW)
    few = (Decision.objects.count(), Payment.objects.count())
    small = _measure(client_for, django_assert_max_num_queries)
    seed_city(scale=0.02, seed=7, until=UNTIL, now=NOW, append=True)  # ten times the families
    many = (Decision.objects.count(), Payment.objects.count())
    big = _measure(client_for, django_assert_max_num_queries)
    assert many[0] > 5 * few[0] and many[1] > 5 * few[1], (few, many)
    for page in BOUNDS:
        assert big[page] <= small[page], (page, small[page], big[page])

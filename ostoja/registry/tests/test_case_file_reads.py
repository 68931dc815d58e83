"""Issue 19, second pass: the case file reads the household once for two days and the incomes
once — the answers are those of the one-day reads."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostoja.registry import selectors, services
from ostoja.registry.tests.helpers import parent_and_child

ON = date(2025, 11, 5)


@pytest.fixture
def worker(demo_org: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="socjalny")


def _family(person_data: dict[str, Any], worker: Any) -> Any:
    p, _child, h, m = parent_and_child(person_data, worker)
    # The child leaves on 1 March 2028: on 29 February 2028 still a member, the next day not.
    services.membership_end(membership=m, valid_to=date(2028, 3, 1), expected_version=h.version)
    for month, amount in ((date(2028, 1, 1), "900.00"), (date(2028, 2, 1), "1200.00")):
        services.income_add(
            person=p,
            data={"month": month, "kind": "emerytura", "amount": amount},
            user=worker,
            on=date(2028, 3, 1),
        )
    return h


@pytest.mark.django_db
@pytest.mark.parametrize(
    "days",
    [
        [date(2028, 3, 1), date(2028, 2, 29)],  # today after the leaving, application before
        [date(2028, 2, 29), date(2028, 2, 29)],  # the application today
        [date(2028, 3, 31), date(2023, 12, 31)],  # month end; before the household existed
    ],
)
def test_members_on_days_is_members_on_each_day(
    person_data: dict[str, Any], worker: Any, days: list[date]
) -> None:
    h = _family(person_data, worker)
    with CaptureQueriesContext(connection) as ctx:
        by_day = selectors.members_on_days(household=h, days=days)
    assert len(ctx.captured_queries) == 1
    for day in days:
        assert [m.pk for m in by_day[day]] == [
            m.pk for m in selectors.members_on(household=h, on=day)
        ]


@pytest.mark.django_db
def test_household_income_with_members_read_is_the_same(
    person_data: dict[str, Any], worker: Any
) -> None:
    h = _family(person_data, worker)
    on = date(2028, 3, 1)  # income month February 2028 (29 days)
    alone = selectors.household_income(household=h, on=on)
    members = selectors.members_on(household=h, on=on)
    with CaptureQueriesContext(connection) as ctx:
        handed = selectors.household_income(household=h, on=on, memberships=members)
    assert len(ctx.captured_queries) == 1  # the incomes, once
    assert alone.month == handed.month == date(2028, 2, 1)
    assert alone.total == handed.total == 1200
    assert alone.per_person == handed.per_person
    assert [m.own for m in alone.members] == [m.own for m in handed.members]
    assert alone.trace == handed.trace

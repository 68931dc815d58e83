"""The desk's reminders of community interviews to update (ongoing help: at least every six
months — rozporządzenie w sprawie rodzinnego wywiadu środowiskowego, Dz.U. 2021 poz. 893, as the
parameter ``wywiad_terminy`` cites it; the centre's
30-day horizon): a completed interview of an ongoing case, due within 30 days and not yet
updated. Starting the update (even a draft) takes it off the list; a case without ongoing help,
an interview due later and another unit's case never show. A worker sees their own cases; a
head (no own cases) the unit's; a benefits clerk above the districts all of them (issue 19: the
query walks the ``interview_completed_due`` index and stops at the first hundred)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostoja.cases import selectors
from ostoja.cases.models import Interview
from ostoja.cases.services.interviews import interview_start
from ostoja.core import dates
from ostoja.decisions.tests.factories import make_ready_application
from ostoja.org.roles import Role

ON = date(2026, 11, 20)
pytestmark = pytest.mark.django_db


def _completed(unit: str, worker: Any, *, due: date, ongoing: bool = True) -> Interview:
    app = make_ready_application("zasilek_staly", unit=unit, worker=worker, received_on=ON)
    case = app.case
    case.ongoing_help = ongoing
    case.save(update_fields=["ongoing_help"])
    interview = Interview.objects.get(case=case)
    Interview.objects.filter(pk=interview.pk).update(update_due=due)
    return interview


def test_reminders_due_not_updated_in_scope_only(demo_org: None, make_staff: Any) -> None:
    users = {u.username: u for u in get_user_model().objects.all()}
    worker = users["socjalny"]  # ro1
    head = make_staff("kier_ro1", role=Role.HEAD_OF_UNIT, unit_code="ro1")
    due = _completed("ro1", worker, due=ON + timedelta(days=10))
    overdue = _completed("ro1", worker, due=ON - timedelta(days=40))
    _completed("ro1", worker, due=ON + timedelta(days=31))  # beyond the 30 days
    _completed("ro1", worker, due=ON, ongoing=False)  # no ongoing help: no update required
    updated = _completed("ro1", worker, due=ON - timedelta(days=5))
    other_unit = _completed("ro2", None, due=ON)
    interview_start(
        case=updated.case, application=None, user=worker,
        now=dates.noon(ON - timedelta(days=1)),
    )  # fmt: skip

    mine = selectors.desk(user=worker, on=ON).reminders
    assert [i.pk for i in mine] == [overdue.pk, due.pk]  # oldest first
    units = selectors.desk(user=head, on=ON).reminders
    assert [i.pk for i in units] == [overdue.pk, due.pk]
    assert other_unit.pk not in [i.pk for i in units]


def test_reminders_cost_one_query_whatever_their_number(demo_org: None, make_staff: Any) -> None:
    head = make_staff("kier_ro1", role=Role.HEAD_OF_UNIT, unit_code="ro1")
    _completed("ro1", None, due=ON)
    selectors.desk(user=head, on=ON)
    with CaptureQueriesContext(connection) as one:
        desk = selectors.desk(user=head, on=ON)
        [i.case.household.name for i in desk.reminders]
    for k in range(4):
        _completed("ro1", None, due=ON - timedelta(days=k))
    with CaptureQueriesContext(connection) as five:
        desk = selectors.desk(user=head, on=ON)
        [i.case.household.name for i in desk.reminders]
    assert len(desk.reminders) == 5
    assert len(five.captured_queries) == len(one.captured_queries)

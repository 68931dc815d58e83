"""The caseload's overdue interviews and decisions (issue 19: counted in one query per kind of
item, whatever the number of workers) — who is counted, and who is not."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostoja.cases.models import Application, ApplicationStatus
from ostoja.org.roles import Role
from ostoja.socialwork import selectors as sel
from ostoja.socialwork.tests.factories import make_case

pytestmark = pytest.mark.django_db
ON = date(2028, 2, 29)
_n = {"n": 0}


def _app(case: Any, status: str, *, interview_due: date, decision_due: date) -> Application:
    _n["n"] += 1
    person = case.household.memberships.first().person
    return Application.objects.create(
        case=case,
        applicant=person,
        reference=f"RO1.5111.{_n['n']}.2028",
        reference_number=_n["n"],
        reference_year=2028,
        filing_symbol="5111",
        unit_symbol="RO1",
        received_on=ON - timedelta(days=40),
        channel="osobiscie",
        status=status,
        interview_due=interview_due,
        decision_due=decision_due,
    )


def _row(head: Any, worker: Any) -> sel.CaseloadRow:
    return next(r for r in sel.caseload(user=head, on=ON) if r.worker_id == worker.pk)


def test_overdue_interviews_and_decisions_per_worker(sw: Any, make_staff: Any) -> None:
    late, due_today, later = ON - timedelta(days=1), ON, ON + timedelta(days=1)
    mine = make_case(worker=sw.worker)
    _app(mine, ApplicationStatus.REGISTERED, interview_due=late, decision_due=later)
    _app(mine, ApplicationStatus.INTERVIEW_PLANNED, interview_due=late, decision_due=late)
    # the interview is done: its decision can be late, its interview no longer
    _app(mine, ApplicationStatus.INTERVIEW_DONE, interview_due=late, decision_due=late)
    _app(mine, ApplicationStatus.READY, interview_due=late, decision_due=due_today)
    _app(mine, ApplicationStatus.REGISTERED, interview_due=due_today, decision_due=later)
    _app(mine, ApplicationStatus.CLOSED, interview_due=late, decision_due=late)  # not open
    colleague = make_staff("kolega", role=Role.SOCIAL_WORKER, unit_code="ro1")
    theirs = make_case(worker=colleague)
    _app(theirs, ApplicationStatus.REGISTERED, interview_due=late, decision_due=late)
    other_unit = make_staff("obcy", role=Role.SOCIAL_WORKER, unit_code="ro2")
    far = make_case(unit_code="ro2", worker=other_unit)
    _app(far, ApplicationStatus.REGISTERED, interview_due=late, decision_due=late)

    row = _row(sw.head, sw.worker)
    assert (row.interviews_overdue, row.decisions_overdue) == (2, 2)
    assert row.overdue_total == 4
    row = _row(sw.head, colleague)
    assert (row.interviews_overdue, row.decisions_overdue) == (1, 1)
    # the head of ro1 does not see the worker of ro2 at all
    assert other_unit.pk not in {r.worker_id for r in sel.caseload(user=sw.head, on=ON)}


def test_caseload_queries_do_not_grow_with_workers_and_cases(sw: Any, make_staff: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = sel.caseload(user=sw.head, on=ON)
        assert rows
        return len(ctx.captured_queries)

    make_case(worker=sw.worker)
    count()  # caches (units visible to the head)
    few = count()
    # staff, cases, covers, visits (overdue and planned together), reviews, applications
    # (interviews and decisions together)
    assert few <= 6
    for i in range(6):
        worker = make_staff(f"pracownik{i}", role=Role.SOCIAL_WORKER, unit_code="ro1")
        case = make_case(worker=worker)
        _app(case, ApplicationStatus.REGISTERED, interview_due=ON, decision_due=ON)
    assert count() == few
    assert len(sel.caseload(user=sw.head, on=ON)) >= 8

"""Visits, the work view, the caseload, plans, reassignment and the demo."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from ostoja.core import dates
from ostoja.core.dates import now, today
from ostoja.core.errors import ValidationFailed
from ostoja.socialwork import selectors as sel
from ostoja.socialwork import services as svc
from ostoja.socialwork.models import CaseAssignment, CaseNote, Visit
from ostoja.socialwork.policy import VisitStatus
from ostoja.socialwork.tests.factories import make_case

pytestmark = pytest.mark.django_db


def _visit(case: Any, user: Any, days: int) -> Visit:
    on = today() + timedelta(days=days)
    return svc.visit_plan(
        case=case, worker=user, planned_on=on, purpose="Wizyta", user=user, today=min(on, today())
    )


def test_visit_in_the_past_cannot_be_planned(case: Any, sw: Any) -> None:
    with pytest.raises(ValidationFailed):
        svc.visit_plan(
            case=case,
            worker=sw.worker,
            planned_on=today() - timedelta(days=1),
            purpose="x",
            user=sw.worker,
            today=today(),
        )


def test_recording_outcome_creates_note_and_closes_visit(case: Any, sw: Any) -> None:
    v = _visit(case, sw.worker, -2)
    note = svc.visit_record(
        visit=v,
        occurred_on=today() - timedelta(days=2),
        text="Rodzina w domu.",
        user=sw.worker,
        now=now(),
        expected_version=v.version,
    )
    v.refresh_from_db()
    assert v.status == "odbyta" and v.outcome_note == note and note.category == "wizyta"


def test_visits_for_desk_today_and_overdue(case: Any, sw: Any) -> None:
    today_v, overdue_v, _future = (
        _visit(case, sw.worker, 0),
        _visit(case, sw.worker, -3),
        _visit(case, sw.worker, 4),
    )
    desk = sel.visits_for_desk(user=sw.worker, on=today())
    assert desk.today == [today_v] and desk.overdue == [overdue_v]


def test_calendar_and_list_pages(case: Any, sw: Any, client_for: Any) -> None:
    _visit(case, sw.worker, 0)
    c = client_for(sw.worker)
    r = c.get(reverse("socialwork:calendar"))
    assert r.status_code == 200 and case.household.name in r.content.decode()
    assert c.get(reverse("socialwork:calendar") + "?miesiac=2024-13").status_code == 200
    assert case.household.name in c.get(reverse("socialwork:visits")).content.decode()


def test_ui_plan_and_record_visit(case: Any, sw: Any, client_for: Any) -> None:
    c = client_for(sw.worker)
    r = c.post(
        reverse("socialwork:visit_plan", args=[case.pk]),
        {"planned_on": today().isoformat(), "purpose": "Ocena sytuacji", "worker": sw.worker.pk},
    )
    assert r.status_code == 302
    v = Visit.objects.get(case=case)
    r = c.post(
        reverse("socialwork:visit", args=[v.pk]),
        {
            "action": "record",
            "version": v.version,
            "occurred_on": today().isoformat(),
            "text": "Ustalenia.",
        },
    )
    assert r.status_code == 302
    assert CaseNote.objects.filter(case=case, category="wizyta").count() == 1


def test_ui_cancel_has_its_own_url_and_each_form_is_validated(
    case: Any, sw: Any, client_for: Any
) -> None:
    """Issue 17: no dispatcher on POST["action"]; record and cancel are separate views."""
    c = client_for(sw.worker)
    c.post(
        reverse("socialwork:visit_plan", args=[case.pk]),
        {"planned_on": today().isoformat(), "purpose": "Ocena sytuacji", "worker": sw.worker.pk},
    )
    v = Visit.objects.get(case=case)
    # An empty reason: the cancel form comes back with its error, the visit stays planned.
    r = c.post(reverse("socialwork:visit_cancel", args=[v.pk]), {"version": v.version})
    assert r.status_code == 200
    assert r.context["cancel"].errors["cancel_reason"]
    assert not r.context["form"].is_bound
    # "action" is no longer read: a cancel posted to the record URL is a record attempt.
    r = c.post(
        reverse("socialwork:visit", args=[v.pk]),
        {"action": "cancel", "version": v.version, "cancel_reason": "Choroba"},
    )
    assert r.status_code == 200 and r.context["form"].errors["text"]
    v.refresh_from_db()
    assert v.status == VisitStatus.PLANNED
    r = c.post(
        reverse("socialwork:visit_cancel", args=[v.pk]),
        {"version": v.version, "cancel_reason": "Choroba klienta"},
    )
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.cancel_reason == "Choroba klienta"


def _data(sw: Any, n: int) -> None:
    for _ in range(n):
        c = make_case(worker=sw.worker)
        svc.note_add(
            case=c, user=sw.worker, category="rozmowa", occurred_on=today(), text="t", now=now()
        )
        _visit(c, sw.worker, 0)
        _visit(c, sw.worker, -1)


@pytest.mark.parametrize(
    "name", ["socialwork:index", "socialwork:caseload", "socialwork:visits", "socialwork:calendar"]
)
def test_query_counts_do_not_grow_with_data(
    name: str, sw: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    user = sw.head if name == "socialwork:caseload" else sw.worker
    c = client_for(user)
    _data(sw, 1)
    c.get(reverse(name))  # warm caches (session, roles)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert c.get(reverse(name)).status_code == 200
    _data(sw, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert c.get(reverse(name)).status_code == 200


def test_case_page_query_count_does_not_grow(
    case: Any, sw: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(sw.worker)
    url = reverse("socialwork:case", args=[case.pk])
    svc.note_add(
        case=case, user=sw.worker, category="rozmowa", occurred_on=today(), text="t", now=now()
    )
    c.get(url)
    with CaptureQueriesContext(connection) as small:
        c.get(url)
    for i in range(8):
        n = svc.note_add(
            case=case,
            user=sw.worker,
            category="telefon",
            occurred_on=today(),
            text=f"t{i}",
            now=now(),
        )
        svc.note_add(
            case=case,
            user=sw.worker,
            category="telefon",
            occurred_on=today(),
            text="k",
            now=now(),
            corrects=n,
            correction_reason="r",
        )
        _visit(case, sw.worker, i)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert c.get(url).status_code == 200


def test_caseload_counts(sw: Any) -> None:
    _data(sw, 2)
    row = next(r for r in sel.caseload(user=sw.head, on=today()) if r.worker_id == sw.worker.pk)
    assert row.cases == 2 and row.visits_overdue == 2 and row.visits_planned == 2


def test_caseload_only_for_head_and_management(sw: Any, client_for: Any) -> None:
    assert client_for(sw.worker).get(reverse("socialwork:caseload")).status_code == 403
    assert client_for(sw.head).get(reverse("socialwork:caseload")).status_code == 200
    assert client_for(sw.director).get(reverse("socialwork:caseload")).status_code == 200


def test_reassign_permanent_goes_through_cases_service_and_keeps_history(
    case: Any, sw: Any, colleague: Any
) -> None:
    svc.case_reassign(
        now=dates.now(),
        case=case,
        worker=colleague,
        kind="stale",
        starts_on=today(),
        ends_on=None,
        reason="Zmiana rejonu",
        user=sw.head,
    )
    case.refresh_from_db()
    assert case.worker == colleague
    a = CaseAssignment.objects.get(case=case)
    assert a.previous_worker == sw.worker and a.assigned_by == sw.head


def test_plan_with_review(case: Any, sw: Any) -> None:
    plan = svc.plan_create(
        case=case,
        user=sw.worker,
        kind="ipwzb",
        title="IPWzB",
        goals="Wyjście z bezdomności",
        valid_from=today(),
        valid_to=None,
        next_review_on=None,
        actions="Zgłoszenie do schroniska — osoba | " + today().isoformat(),
    )
    assert plan.actions.get().responsible == "osoba"
    svc.plan_review_add(
        plan=plan,
        held_on=today(),
        findings="Postępy.",
        next_review_on=None,
        close_as="zrealizowany",
        user=sw.worker,
        today=today(),
        expected_version=plan.version,
    )
    plan.refresh_from_db()
    assert plan.status == "zrealizowany"


def test_demo_is_idempotent(sw: Any) -> None:
    from auditlog.models import LogEntry

    from ostoja.socialwork import demo

    for _ in range(3):
        make_case(worker=sw.worker)
    demo.load_demo(now=dates.now())
    assert CaseNote.objects.exists() and Visit.objects.exists()
    assert sel.case_protected(
        case=make_case.__globals__["Case"].objects.filter(unit__code="ro1").order_by("pk")[2]
    )
    before = (CaseNote.objects.count(), Visit.objects.count(), LogEntry.objects.count())
    demo.load_demo(now=dates.now())
    assert (CaseNote.objects.count(), Visit.objects.count(), LogEntry.objects.count()) == before

"""Deadline performance (interviews and decisions on time) links to the lists it is counted
from (issue 13 §3): on time / late / still open, each list's count equal to the dashboard's
number, in the viewer's scope — a head of one unit sees only that unit's cases in both."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

DAY = "2026-11-20"
ON = date(2026, 11, 20)
KEYS = {
    "interviews-on-time",
    "interviews-late",
    "interviews-open",
    "decisions-on-time",
    "decisions-late",
    "applications-open",
}
KPI = re.compile(r'<a href="([^"]+)" data-kpi="([\w-]+)">(\d+)</a>')
TOTAL = re.compile(r"\(łącznie (?:<span data-testid=\"total\">)?(\d+)")


def _user(name: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def _count(client: Any, url: str) -> int:
    response = client.get(html.unescape(url))
    assert response.status_code == 200, url
    found = TOTAL.search(response.content.decode())
    assert found, url
    return int(found.group(1))


def _independent(unit_code: str | None) -> dict[str, int]:
    """The six figures counted here from the rows, not by the code under test."""
    from ostoja.analysis.dashboard import window
    from ostoja.cases.models import OPEN_STATUSES, Application
    from ostoja.decisions.models import SIGNED_STATUSES, Decision

    start, end = window(on=ON)
    apps = Application.objects.filter(received_on__gte=start, received_on__lt=end)
    decs = Decision.objects.filter(
        status__in=SIGNED_STATUSES, issued_on__gte=start, issued_on__lt=end
    )
    if unit_code:
        apps = apps.filter(case__unit__code=unit_code)
        decs = decs.filter(case__unit__code=unit_code)
    out = dict.fromkeys(KEYS, 0)
    for app in apps.prefetch_related("interviews"):
        done = [
            i.conducted_on
            for i in app.interviews.all()
            if i.status == "zakonczony" and i.conducted_on is not None
        ]
        if any(d <= app.interview_due for d in done):
            out["interviews-on-time"] += 1
        elif done:
            out["interviews-late"] += 1
        elif app.status in OPEN_STATUSES:
            out["interviews-open"] += 1
        if app.status in OPEN_STATUSES:
            out["applications-open"] += 1
    for dec in decs.select_related("application"):
        if dec.application is None:
            continue
        key = "on-time" if dec.issued_on <= dec.application.decision_due else "late"
        out[f"decisions-{key}"] += 1
    return out


def test_interview_status_value_is_the_models() -> None:
    from ostoja.cases.models import InterviewStatus

    assert InterviewStatus.COMPLETED == "zakonczony"


@pytest.mark.parametrize(("who", "unit"), [("kierownik", "ro1"), ("ro9.kier.0001", "ro9")])
def test_each_deadline_figure_opens_a_list_of_exactly_that_many_in_the_heads_unit(
    seeded: Any, client_for: Any, travel: Any, who: str, unit: str
) -> None:
    travel(DAY)
    client = client_for(_user(who))
    body = client.get("/analiza/").content.decode()
    found = {key: (url, int(n)) for url, key, n in KPI.findall(body) if key in KEYS}
    assert set(found) == KEYS
    expected = _independent(unit)
    assert {k: n for k, (_, n) in found.items()} == expected
    assert sum(expected.values()) > 0
    for key, (url, number) in found.items():
        assert _count(client, url) == number, key
    # The same cells in the table under the chart.
    cells = re.findall(r'<a href="([^"]+)" data-cell="deadlines">(\d+)</a>', body)
    assert sorted(int(n) for _, n in cells) == sorted(expected.values())
    for url, n in cells:
        assert _count(client, url) == int(n), url


def test_the_percentages_are_made_of_the_linked_counts(
    seeded: Any, client_for: Any, travel: Any
) -> None:
    from ostoja.analysis.dashboard import dashboard

    travel(DAY)
    board = dashboard(on=ON, user=_user("dyrektor"))
    expected = _independent(None)
    assert board.interviews_on_time == expected["interviews-on-time"]
    assert board.decisions_late == expected["decisions-late"]
    done = board.interviews_on_time + board.interviews_late
    if done:
        pct = Decimal(board.interviews_on_time * 100) / done
        assert board.interviews_on_time_pct == pct.quantize(Decimal("0.1"))
    answered = board.decisions_on_time + board.decisions_late
    if answered:
        pct = Decimal(board.decisions_on_time * 100) / answered
        assert board.decisions_on_time_pct == pct.quantize(Decimal("0.1"))


def test_another_heads_link_shows_only_the_followers_own_unit(
    seeded: Any, client_for: Any, travel: Any
) -> None:
    """The adversary's side: the ro1 head's 'late decisions' link followed by the ro9 head
    shows ro9's late decisions — the same number as ro9's own figure, never ro1's rows."""
    from ostoja.analysis.dashboard import dashboard

    travel(DAY)
    mine, other = _user("kierownik"), _user("ro9.kier.0001")
    a, b = dashboard(on=ON, user=mine), dashboard(on=ON, user=other)
    foreign = client_for(other)
    for key, attr in (("decisions-late", "decisions_late"), ("interviews-open", "interviews_open")):
        assert _count(foreign, a.deadline_urls[key]) == getattr(b, attr)


def test_without_case_lists_the_figures_are_shown_but_not_linked(
    seeded: Any, client_for: Any, travel: Any
) -> None:
    travel(DAY)
    body = client_for(_user("analityk")).get("/analiza/").content.decode()
    assert 'data-kpi="decisions-late"' in body
    assert not [k for _, k, _ in KPI.findall(body) if k in KEYS]
    expected = _independent(None)
    assert f'<span data-kpi="interviews-on-time">{expected["interviews-on-time"]}</span>' in body


def test_the_list_filters_alone(seeded: Any, client_for: Any, travel: Any) -> None:
    """On time + late = the interviews done; the filter is refused politely on a bad value
    (ignored as a form error, not a 500)."""
    travel(DAY)
    client = client_for(_user("dyrektor"))
    assert client.get("/sprawy/wnioski/?wywiad=zle").status_code == 422


def _give_open_cases_a_worker() -> None:
    """The seeded city leaves ro1 without open, assigned cases: a few ro1 applications are
    reopened and two ro1 workers lead the cases (one in three to the first one)."""
    from ostoja.cases.models import OPEN_STATUSES, Application, ApplicationStatus, Case
    from ostoja.org.models import StaffMember

    if not Application.objects.filter(case__unit__code="ro1", status__in=OPEN_STATUSES).exists():
        some = Application.objects.filter(case__unit__code="ro1").order_by("pk")[:6]
        Application.objects.filter(pk__in=list(some.values_list("pk", flat=True))).update(
            status=ApplicationStatus.REGISTERED
        )

    staff = list(
        StaffMember.objects.filter(unit__code="ro1", user__is_active=True)
        .exclude(user__username="kierownik")
        .order_by("pk")
        .values_list("user_id", flat=True)[:2]
    )
    assert staff
    cases = Case.objects.filter(unit__code="ro1", applications__status__in=OPEN_STATUSES)
    for n, pk in enumerate(sorted(set(cases.values_list("pk", flat=True)))):
        Case.objects.filter(pk=pk).update(worker_id=staff[(n % 3 == 0) * (len(staff) - 1)])


CELL = re.compile(r'<a href="([^"]+)" data-cell="(\w+)">(\d+)</a>')


@pytest.mark.parametrize("who", ["kierownik", "dyrektor"])
def test_reason_and_caseload_cells_open_their_lists(
    seeded: Any, client_for: Any, travel: Any, who: str
) -> None:
    """Issue 13 §3: the charts that showed counts without a list behind them (art. 7 reasons,
    caseload per worker) now link each count to the applications list of exactly its rows."""
    from ostoja.analysis.dashboard import dashboard
    from ostoja.cases.models import ART7_REASONS

    travel(DAY)
    _give_open_cases_a_worker()
    user = _user(who)
    client = client_for(user)
    body = client.get("/analiza/").content.decode()
    cells = [(url, key, int(n)) for url, key, n in CELL.findall(body)]
    board = dashboard(on=ON, user=user)
    for key in ("reasons", "caseload"):
        chart = next(c for c in board.charts if c.key == key)
        mine = [c for c in cells if c[1] == key]
        assert len(mine) == len(chart.rows) > 0, key
        for url, _, n in mine:
            assert _count(client, url) == n, url
    # A reason's list holds only applications naming that reason ("1" is not "11").
    reason_urls = [html.unescape(u) for u, k, _ in cells if k == "reasons"]
    assert all("powod=" in u for u in reason_urls)
    assert set(ART7_REASONS) >= {u.split("powod=")[1].split("&")[0] for u in reason_urls}


def test_a_workers_caseload_link_followed_by_another_head_shows_none_of_it(
    seeded: Any, client_for: Any, travel: Any
) -> None:
    """The adversary's side: a ro1 worker's open applications, opened by the ro9 head, list
    nothing (scope, not the link, decides)."""
    from ostoja.analysis.dashboard import dashboard
    from ostoja.analysis.links import open_applications_url

    travel(DAY)
    _give_open_cases_a_worker()
    board = dashboard(on=ON, user=_user("kierownik"))
    chart = next(c for c in board.charts if c.key == "caseload")
    assert chart.cell_links
    url = chart.cell_links[0][1]
    assert url.startswith(open_applications_url(worker_id=int(url.split("pracownik=")[1])))
    assert _count(client_for(_user("ro9.kier.0001")), url) == 0


def test_the_api_filters_decisions_by_timeliness_as_the_register_does(
    seeded: Any, client_for: Any, travel: Any
) -> None:
    """The decisions API takes the same deadline filter (``timeliness``) as the register's
    ``terminowosc``: the same number of rows in the head's unit; an unknown value answers 400
    naming the parameter."""
    from urllib.parse import parse_qs, urlsplit

    travel(DAY)
    client = client_for(_user("kierownik"))
    body = client.get("/analiza/").content.decode()
    links = {key: url for url, key, _n in KPI.findall(body)}
    for key in ("decisions-on-time", "decisions-late"):
        url = html.unescape(links[key])
        q = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        r = client.get(
            "/api/v1/decisions",
            {
                "status": q["status"],
                "date_from": q["date_from"],
                "date_to": q["date_to"],
                "timeliness": q["terminowosc"],
            },
        )
        assert r.status_code == 200
        assert len(r.json()) == _count(client, url), key
    r = client.get("/api/v1/decisions", {"timeliness": "wczoraj"})
    assert r.status_code == 400
    assert "timeliness" in r.content.decode()

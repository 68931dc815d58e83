"""Every number on the management start pages and the dashboard links to its list (issue 13 §3,
issue 17 §3): follow the link as the same user, count the list's rows — equal to the number
(same period, same unit scope, same status), also for the head of another unit."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.analysis.links import applications_url, decisions_url

pytestmark = pytest.mark.django_db

# The seeded city runs until 1.12.2026: November is the last full month with data.
DAY = "2026-11-20"
KPI = re.compile(r'<a href="([^"]+)" data-kpi="([\w-]+)"><strong>(\d+)</strong></a>')
CELL = re.compile(r'<a href="([^"]+)" data-cell="(\w+)">(\d+)</a>')
DASH_KPI = re.compile(r'<a href="([^"]+)" data-kpi="(applications|decisions)">(\d+)</a>')
DEADLINE_KPIS = ("interviews-on-time", "interviews-late", "decisions-on-time", "decisions-late")
TOTAL = re.compile(r"\(łącznie (?:<span data-testid=\"total\">)?(\d+)")


def _user(name: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def _other_head() -> Any:
    """The head of another district than the demo head's (ro1): ro9, with applications in
    November in the seeded city."""
    return _user("ro9.kier.0001")


def _count(client: Any, url: str) -> int:
    response = client.get(html.unescape(url))
    assert response.status_code == 200, url
    found = TOTAL.search(response.content.decode())
    assert found, url
    return int(found.group(1))


def test_list_links_cover_the_whole_last_day_even_on_29_february() -> None:
    """Half-open [start, end) becomes the lists' inclusive dates: the month's last day."""
    feb = applications_url(start=date(2028, 2, 1), end=date(2028, 3, 1))
    assert feb.endswith("?od=2028-02-01&do=2028-02-29")
    dec = decisions_url(start=date(2026, 12, 1), end=date(2027, 1, 1))
    assert "status=wydane" in dec and "date_to=2026-12-31" in dec


@pytest.mark.parametrize("who", ["dyrektor", "kierownik", "other-head"])
def test_every_start_page_number_opens_a_list_of_exactly_that_many(
    seeded: Any, client_for: Any, travel: Any, who: str
) -> None:
    travel(DAY)
    user = _other_head() if who == "other-head" else _user(who)
    assert user is not None
    client = client_for(user)
    body = client.get("/").content.decode()
    found = {kpi: (url, int(n)) for url, kpi, n in KPI.findall(body)}
    # The centre panel's and the decisions panel's numbers, all of them links — also the
    # month's deadline performance (interviews art. 106 ust. 4 u.p.s., decisions art. 35 KPA).
    linked = {"applications", "decisions", "to_check", "to_sign", *DEADLINE_KPIS}
    assert linked <= set(found)
    for kpi, (url, number) in found.items():
        if kpi in linked:
            assert _count(client, url) == number, kpi
    assert found["applications"][1] > 0 or who == "kierownik"  # ro1: none in November
    # the percentage printed is made of the two linked counts
    for what, on_time, late in (
        ("art. 106 ust. 4 u.p.s.", "interviews-on-time", "interviews-late"),
        ("art. 35 KPA", "decisions-on-time", "decisions-late"),
    ):
        n, m = found[on_time][1], found[late][1]
        item = re.search(rf"<li>\w+ \({re.escape(what)}\): (.*?)</li>", body)
        assert item, what
        if n + m:
            pct = f"{Decimal(n * 100) / Decimal(n + m):.1f}".replace(".", ",")
            assert item.group(1).endswith(f" — {pct} % w terminie"), (who, what, n, m)
        else:
            assert "% w terminie" not in item.group(1)


def test_a_head_counts_their_own_unit_not_another_ones(
    seeded: Any, client_for: Any, travel: Any
) -> None:
    """The adversary's side: two heads of different units get their own numbers, each equal to
    their own list, and one head following the other's link sees only their own rows."""
    from ostoja.analysis.dashboard import dashboard, window
    from ostoja.cases.models import Application

    travel(DAY)
    on = date(2026, 12, 4)
    mine, other = _user("kierownik"), _other_head()
    a, b, centre = dashboard(on=on, user=mine), dashboard(on=on, user=other), dashboard(on=on)
    start, end = window(on=on)
    year = Application.objects.filter(received_on__gte=start, received_on__lt=end)
    assert a.scoped and b.scoped and not centre.scoped and not centre.applications_url
    assert centre.applications == year.count()
    assert a.applications == year.filter(case__unit__code="ro1").count() > 0
    assert b.applications == year.filter(case__unit__code="ro9").count() > 0
    assert _count(client_for(mine), a.applications_url) == a.applications
    # The same link, followed by the other head: their own rows only, never ro1's.
    foreign = client_for(other)
    assert _count(foreign, a.applications_url) == b.applications
    body = foreign.get(html.unescape(a.applications_url)).content.decode()
    for ref in year.filter(case__unit__code="ro1").values_list("reference", flat=True):
        assert ref not in body


@pytest.mark.parametrize("who", ["kierownik", "other-head", "dyrektor"])
def test_every_dashboard_number_and_table_cell_opens_its_list(
    seeded: Any, client_for: Any, travel: Any, who: str
) -> None:
    travel(DAY)
    user = _other_head() if who == "other-head" else _user(who)
    client = client_for(user)
    body = client.get("/analiza/").content.decode()
    kpis = DASH_KPI.findall(body)
    assert {k for _, k, _ in kpis} == {"applications", "decisions"}
    cells = CELL.findall(body)
    # 12 months × (applications, decisions) + one cell per district with applications.
    assert sum(1 for _, key, _ in cells if key == "flow") == 24
    assert any(key == "districts" for _, key, _ in cells) or who == "other-head"
    for url, _, number in kpis + cells:
        assert _count(client, url) == int(number), url


@pytest.mark.parametrize("username", ["analityk", "ksiegowosc"])
def test_without_client_lists_the_numbers_are_the_centres_and_lead_to_no_refusal(
    seeded: Any, client_for: Any, travel: Any, username: str
) -> None:
    """The analyst and finance see the whole centre's aggregates; no number or chart links to a
    list they would be refused (403)."""
    from ostoja.cases.models import Application

    travel(DAY)
    client = client_for(_user(username))
    home = client.get("/").content.decode()
    n = Application.objects.filter(
        received_on__gte=date(2026, 11, 1), received_on__lt=date(2026, 12, 1)
    ).count()
    assert f'<strong data-kpi="applications">{n}</strong>' in home
    for kpi in DEADLINE_KPIS:  # shown, not linked
        assert f'<strong data-kpi="{kpi}">' in home
    assert "(cały ośrodek)" in home
    board = client.get("/analiza/").content.decode()
    assert "data-cell=" not in board
    for href in re.findall(r'href="([^"]+)"', home + board):
        if href.startswith("/sprawy/") or href.startswith("/decyzje/"):
            raise AssertionError(f"{username}: link to a refused list {href}")


def test_just_after_midnight_in_warsaw_the_month_is_already_the_new_one(
    seeded: Any, client_for: Any, travel: Any
) -> None:
    """00:30 on 1 December in Warsaw is still 30 November in UTC: the start page counts
    December (and links to December's lists)."""
    travel("2026-12-01", hour=0)
    body = client_for(_user("kierownik")).get("/").content.decode()
    found = {kpi: html.unescape(url) for url, kpi, _ in KPI.findall(body)}
    assert "od=2026-12-01&do=2026-12-31" in found["applications"]
    assert "date_from=2026-12-01&date_to=2026-12-31" in found["decisions"]

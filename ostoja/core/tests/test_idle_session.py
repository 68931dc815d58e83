"""The idle timeout (``ostoja.core.middleware``): a session is written at most once a minute, and
still never outlives ``SESSION_COOKIE_AGE`` of inactivity — tried at a year's end, on 29
February and across the clock moving back."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ostoja.core.middleware import RENEW_EVERY

WARSAW = ZoneInfo("Europe/Warsaw")
AGE = settings.SESSION_COOKIE_AGE
START = datetime(2027, 12, 31, 23, 50, tzinfo=WARSAW)
NEW_YEAR_EVE = datetime(2027, 12, 31, 23, 59, 30, tzinfo=WARSAW)  # the minute spans midnight


def _session_writes(client: Client, url: str = "/") -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    writes = [
        q for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "session" in q["sql"]
    ]
    return status, len(writes)


def _logged_in() -> Client:
    client = Client()
    assert (
        client.post("/konto/login/", {"login": "socjalny", "password": "demo"}).status_code == 302
    )
    return client


def _expiry(client: Client) -> datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.django_db
def test_a_session_is_written_at_most_once_a_minute(demo_org: None) -> None:
    with time_machine.travel(NEW_YEAR_EVE, tick=False) as traveller:
        client = _logged_in()
        first = _expiry(client)  # the login wrote the session and recorded the moment
        assert _session_writes(client) == (200, 0)
        traveller.shift(RENEW_EVERY - 1)  # 00:00:29 on 1 January
        assert _session_writes(client) == (200, 0)  # within the minute: no write at all
        assert _expiry(client) == first
        traveller.shift(1)  # a minute after the login, in the new year
        assert _session_writes(client) == (200, 1)
        assert _expiry(client) == first + timedelta(seconds=RENEW_EVERY)


@pytest.mark.django_db
def test_the_idle_timeout_is_never_longer_than_configured(demo_org: None) -> None:
    """Adversary: a request just inside the minute does not renew — the session still ends
    ``AGE`` after its last write, so at most ``AGE`` after the last request."""
    with time_machine.travel(datetime(2028, 2, 29, 10, 0, tzinfo=WARSAW), tick=False) as traveller:
        client = _logged_in()
        _session_writes(client)
        traveller.shift(RENEW_EVERY - 1)
        assert _session_writes(client) == (200, 0)  # the last request, not written
        traveller.shift(AGE - RENEW_EVERY + 2)  # AGE + 1 s after the last write
        response = client.get("/")
        assert response.status_code == 302 and "/konto/login/" in response["Location"]


@pytest.mark.django_db
@hsettings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    gaps=st.lists(st.integers(min_value=0, max_value=3 * RENEW_EVERY), min_size=1, max_size=6),
    idle=st.integers(min_value=0, max_value=AGE + RENEW_EVERY),
)
def test_the_session_lives_between_age_minus_a_minute_and_age_of_idleness(
    demo_org: None, gaps: list[int], idle: int
) -> None:
    """Invariant: after any pattern of requests, an idle time over ``AGE`` always logs out and
    one under ``AGE − RENEW_EVERY`` never does."""
    with time_machine.travel(START, tick=False) as traveller:
        client = _logged_in()
        for gap in gaps:
            traveller.shift(gap)
            assert client.get("/").status_code == 200
        traveller.shift(idle)
        status = client.get("/").status_code
    if idle > AGE:
        assert status == 302
    if idle < AGE - RENEW_EVERY:
        assert status == 200


@pytest.mark.django_db
def test_the_warning_counts_down_from_the_time_actually_left(demo_org: None) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        client = _logged_in()
        client.get("/")
        traveller.shift(40)
        page = client.get("/").content.decode()
    left = int(re.search(r'data-timeout="(\d+)"', page).group(1))  # type: ignore[union-attr]
    assert left == AGE - 40


@pytest.mark.django_db
def test_extending_the_session_writes_it_at_once(demo_org: None) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        client = _logged_in()
        client.get("/")
        first = _expiry(client)
        traveller.shift(10)
        assert client.post("/sesja/przedluz/").status_code == 204
        assert _expiry(client) == first + timedelta(seconds=10)
        assert _session_writes(client) == (200, 0)  # the next minute starts at the extension
        page = client.get("/").content.decode()
    assert f'data-timeout="{AGE}"' in page


@pytest.mark.django_db
def test_a_clock_moved_back_renews_instead_of_trusting_a_future_stamp(demo_org: None) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        client = _logged_in()
        client.get("/")
        traveller.move_to(START - timedelta(hours=1))
        assert _session_writes(client) == (200, 1)


@pytest.mark.django_db
def test_anonymous_visitors_get_no_session_row(client: Client) -> None:
    before = Session.objects.count()
    assert client.get("/konto/login/").status_code == 200
    assert Session.objects.count() == before

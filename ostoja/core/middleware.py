"""The idle timeout of a staff session, renewed at most once a minute.

A session ends ``SESSION_COOKIE_AGE`` seconds (30 minutes) after it was last renewed. Django's
``SESSION_SAVE_EVERY_REQUEST`` renews it by writing the session row on *every* request — a
write transaction (and on PostgreSQL a WAL flush) for each page, each htmx fragment and each
autosave. Issue 19: the row is written when the last renewal is at least ``RENEW_EVERY``
seconds old, or when the request changed the session anyway. The session therefore ends
between ``SESSION_COOKIE_AGE − RENEW_EVERY`` and ``SESSION_COOKIE_AGE`` seconds after the last
request — never later than the configured idle time, which is the security property; the
page's warning (``base.html``, ``data-timeout``) counts down from the time actually left.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

from ostoja.core import dates

RENEW_EVERY = 60  # seconds; the idle timeout is at most this much shorter than configured
RENEWED_KEY = "_ostoja_renewed"  # epoch seconds of the last write of the session


def stamp_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in``: the login writes the session, so its renewal moment is now — the
    first page after it is not written again (also for the test client's ``force_login``)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[RENEWED_KEY] = int(dates.now().timestamp())


class IdleSessionMiddleware:
    """Marks a logged-in session modified (so ``SessionMiddleware`` writes it and moves its
    expiry) only when its last renewal is ``RENEW_EVERY`` seconds old or more; records the
    moment of every write. Must come right after ``SessionMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is None:
            return self.get_response(request)
        now = int(dates.now().timestamp())  # the request's one read of the clock
        if SESSION_KEY in session:
            renewed = session.get(RENEWED_KEY)
            # A renewal "in the future" (the clock moved back) counts as stale: renewed now.
            if not isinstance(renewed, int) or not 0 <= now - renewed < RENEW_EVERY:
                session[RENEWED_KEY] = renewed = now
            # the page's warning (``base.html``) counts down from the time actually left
            left = settings.SESSION_COOKIE_AGE - (now - renewed)
            request.ostoja_session_left = left  # type: ignore[attr-defined]
        response = self.get_response(request)
        # A request that changed the session (login, a filter kept in it, "Przedłuż sesję")
        # writes it anyway: its expiry moves, so record the moment.
        if session.modified and SESSION_KEY in session and session.get(RENEWED_KEY) != now:
            session[RENEWED_KEY] = now
        return response

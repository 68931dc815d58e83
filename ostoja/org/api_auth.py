"""API authentication: the staff session (with CSRF) or a bearer token from ``ostoja token``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from auditlog.context import auditlog_value
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.security import HttpBearer, SessionAuth

from ostoja.core import dates
from ostoja.org.services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(now=dates.now(), raw=token)
        if user is not None:
            request.user = user
            audit_actor_set(user)
        return user


def audit_actor_set(user: Any) -> None:
    """Name the token's user as the actor of every change logged in this request.

    ``AuditlogMiddleware`` captures ``request.user`` before the view runs, when a bearer
    request is still anonymous (the token is read later, here): without this, every API write
    made with a token is logged with no actor. The middleware's context for the request is a
    dict held in a context variable; setting its actor reaches every later ``LogEntry``."""
    context = auditlog_value.get(None)
    if context is not None:
        context["actor"] = user


class StaffSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [BearerToken(), StaffSession()]


def login_required_401(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI document and docs are for staff (session or token) holding a role."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            header = request.headers.get("Authorization", "")
            user = None
            if header.lower().startswith("bearer "):
                user = api_token_authenticate(now=dates.now(), raw=header[7:].strip())
            if user is None:
                return JsonResponse({"detail": "Wymagane uwierzytelnienie."}, status=401)
            request.user = user
        if not request.user.has_perm("org.view_own_profile"):
            return JsonResponse({"detail": "Brak uprawnień do tej operacji."}, status=403)
        return view(request, *args, **kwargs)

    return wrapped

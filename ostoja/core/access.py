"""Deny by default: every view must declare who may open it.

A view is reachable only when it is marked with one of the decorators below. Anything else —
a new view someone forgot to protect, a third-party view not on the allow-list — answers 403 to
staff and sends anonymous users to the login page. Object-level checks (scope: unit, assignment)
still happen in selectors and services; this is the first gate, not the only one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
AUTHENTICATED = "authenticated"

# Third-party URL names that are reachable without our decorators: the login flow itself.
PUBLIC_URL_NAMES = {
    "account_login",
    "account_logout",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "account_reauthenticate",
}
AUTHENTICATED_URL_NAMES = {
    "account_change_password",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
}
# Everything else under these prefixes answers 404: sign-up, e-mail management and password reset
# by e-mail are closed — staff accounts and their passwords are managed by the administrator.
CLOSED_PREFIXES = ("/konto/",)


def public(view: F) -> F:
    """No login needed (login page, public pre-check, health check)."""
    view.access_policy = PUBLIC  # type: ignore[attr-defined]
    return view


def login_only(view: F) -> F:
    """Any logged-in staff member (own profile, start page)."""
    view.access_policy = AUTHENTICATED  # type: ignore[attr-defined]
    return view


def require_perm(*perms: str) -> Callable[[F], F]:
    """The user must hold every permission (rules predicates); checked before the view runs."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            for perm in perms:
                if not request.user.has_perm(perm):
                    raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_policy = tuple(perms)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def policy_of(view: Callable[..., Any]) -> str | tuple[str, ...] | None:
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        policy = getattr(candidate, "access_policy", None)
        if policy is not None:
            return policy
    return None


class AccessPolicyMiddleware:
    """Refuse any view that declares no access policy (deny by default)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Iterable[Any], kwargs: Any
    ) -> HttpResponse | None:
        if request.path.startswith(settings.STATIC_URL):
            return None
        if request.path.startswith("/api/"):
            return None  # the API authenticates and authorises each endpoint itself (ostoja.api)
        match = request.resolver_match
        url_name = match.url_name if match else None
        policy = policy_of(view)
        if policy is None and url_name in PUBLIC_URL_NAMES:
            policy = PUBLIC
        elif policy is None and url_name in AUTHENTICATED_URL_NAMES:
            policy = AUTHENTICATED
        if policy is None:
            if request.path.startswith(CLOSED_PREFIXES):
                raise Http404
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        if policy == PUBLIC:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_active:
            raise PermissionDenied
        return None

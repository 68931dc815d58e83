"""Administrators must use two-factor authentication (TOTP) before doing anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

ALLOWED_WITHOUT_MFA = (
    "/konto/2fa/",
    "/konto/logout/",
    "/konto/reauthenticate/",
    "/static/",
)


class RequireAdminMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.OSTOJA_REQUIRE_ADMIN_MFA
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_WITHOUT_MFA)
            and not request.path.startswith("/api/")
            and user.groups.filter(name="administrator").exists()
        ):
            from allauth.mfa.models import Authenticator

            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                return redirect("mfa_activate_totp")
        return self.get_response(request)

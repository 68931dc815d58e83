"""Administrators must use two-factor authentication (TOTP) before doing anything else.

Pages redirect to the TOTP enrolment; the API (session or token) answers 403, so an
administrator's token is no way around the rule (issue 20).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from ostoja.org.services import admin_lacks_mfa

ALLOWED_WITHOUT_MFA = (
    "/konto/2fa/",
    "/konto/logout/",
    "/konto/reauthenticate/",
    "/static/",
)
MFA_REQUIRED = "Administrator musi najpierw włączyć weryfikację dwuetapową (TOTP)."


class RequireAdminMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_WITHOUT_MFA)
            and admin_lacks_mfa(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MFA_REQUIRED}, status=403)
            return redirect("mfa_activate_totp")
        return self.get_response(request)

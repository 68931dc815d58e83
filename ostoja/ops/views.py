"""The health endpoint for monitoring (no personal data, no login: figures only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from ostoja.core.access import public
from ostoja.core.dates import now
from ostoja.ops.health import health_report


@public
def health(request: HttpRequest) -> HttpResponse:
    report = health_report(now=now())
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)

"""Pages of the shell: the start page and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ostoja.core.access import login_only, public
from ostoja.core.dates import today
from ostoja.web.home import home_page


@login_only
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"page": home_page(user=request.user, on=today())})


@public
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

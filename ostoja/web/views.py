"""Pages of the shell: the start page and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from ostoja.core.access import login_only, public, require_perm
from ostoja.core.dates import today
from ostoja.web.calculator import (
    CaseForm,
    IncomeFormSet,
    MemberFormSet,
    PreCheckForm,
    RelativeFormSet,
    calculate_from_forms,
    precheck,
)
from ostoja.web.home import home_page


@login_only
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"page": home_page(user=request.user, on=today())})


@public
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_perm("law.use_calculator")
def calculator(request: HttpRequest) -> HttpResponse:
    """Kalkulator: a household typed by staff → result and its trace (nothing stored)."""
    data = request.POST if request.method == "POST" else None
    case = CaseForm(data, initial={"application_date": today(), "residence_title": "obywatel_pl",
                                   "benefit": "zasilek_okresowy"})  # fmt: skip
    members = MemberFormSet(data, prefix="m", initial=[{"role": "wnioskodawca"}])
    incomes = IncomeFormSet(data, prefix="i")
    relatives = RelativeFormSet(data, prefix="r")
    outcome = calculate_from_forms(case, members, incomes, relatives) if data else None
    context = {"case": case, "members": members, "incomes": incomes, "relatives": relatives,
               "outcome": outcome}  # fmt: skip
    if request.htmx and outcome is not None:
        return render(request, "web/_calc_result.html", context)
    return render(request, "web/calculator.html", context)


@public
def precheck_page(request: HttpRequest) -> HttpResponse:
    """Public pre-check for residents: should I apply? Nothing is stored, nothing is logged."""
    form = PreCheckForm(request.POST if request.method == "POST" else None)
    results = precheck(form, on=today()) if request.method == "POST" and form.is_valid() else None
    return render(request, "web/precheck.html", {"form": form, "results": results})


@public
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """Deklaracja dostępności (art. 10 ustawy o dostępności cyfrowej): public, linked from
    every page's footer."""
    from ostoja.web.accessibility import STATEMENT

    return render(request, "web/accessibility.html", {"statement": STATEMENT})


@require_POST
@login_only
def session_extend(request: HttpRequest) -> HttpResponse:
    """ "Przedłuż sesję": renews the idle timeout now (other requests renew it at most once a
    minute — ``ostoja.core.middleware``); this one does nothing else, so the warning before
    the session ends can offer it (WCAG 2.2.1 — timing adjustable)."""
    request.session.modified = True
    return HttpResponse(status=204)

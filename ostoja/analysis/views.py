"""Pages of the analysis context: the MRPiPS-03 report, its exports and the cell drill-down,
the dashboard and the policy what-if."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ostoja.analysis import annual, exports, ozps, selectors, services
from ostoja.analysis import dashboard as dashboard_selectors
from ostoja.analysis.forms import SubmissionForm
from ostoja.analysis.links import cell_url
from ostoja.analysis.periods import last_completed_half_year, parse_period
from ostoja.analysis.pseudonymised import DICTIONARY
from ostoja.audit.services import access_record, client_ip
from ostoja.core.access import require_perm
from ostoja.core.dates import now, today
from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.core.forms import attach_errors
from ostoja.org.selectors import instance_settings

T = TypeVar("T")


@require_perm("analysis.view_reports")
def mrpips03(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("okres") or last_completed_half_year(on=today()).code
    try:
        period = parse_period(raw, field="okres")
    except ValidationFailed as exc:
        return render(
            request,
            "analysis/mrpips03.html",
            {"error": exc.message, "raw": raw, "report": None},
            status=422,
        )
    report = _cached(f"mrpips03:{period.code}", lambda: selectors.mrpips03_report(period=period))
    context = {
        "report": report,
        "raw": raw,
        "data": exports.as_dict(report, link=lambda s, r, c: cell_url(period.code, s, r, c)),
    }
    fmt = request.GET.get("format")
    if not fmt:
        return render(request, "analysis/mrpips03.html", context)
    try:
        centre = instance_settings()
        data = exports.export(report, fmt, regon=centre.regon, centre=centre.name)
    except DomainError as exc:
        context["export_error"] = exc.message
        return render(request, "analysis/mrpips03.html", context, status=422)
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="MRPiPS-03_{period.code}.{exports.EXTENSIONS[fmt]}"'
    )
    return response


@require_perm("analysis.view_reports")
def mrpips03_cell(
    request: HttpRequest, period: str, section: str, row: str, column: str
) -> HttpResponse:
    try:
        p = parse_period(period)
        # Keyset paging: ``po`` / ``przed`` carry a page's edge key, ``koniec`` the list's end;
        # an old ``?strona=N`` link (OFFSET paging, before issue 13's keyset) opens the first page.
        drill = selectors.mrpips03_drilldown(
            user=request.user, period=p, section=section, row=row, column=column,
            after=request.GET.get("po", ""), before=request.GET.get("przed", ""),
            last=bool(request.GET.get("koniec")),
        )  # fmt: skip
    except (ValidationFailed, KeyError, LookupError, ValueError):
        raise Http404 from None
    # Names on this page are personal data: one read entry per case file shown.
    for case in drill.shown_cases:
        access_record(
            user=request.user,
            obj=case,
            remote_addr=client_ip(request),
            reason=f"MRPiPS-03 {p.code}, komórka {drill.cell_ref}",
        )
    return render(request, "analysis/mrpips03_cell.html", {"drill": drill})


def _cached(key: str, build: Callable[[], T]) -> T:
    """Issue 19: the dashboard and the statutory report aggregate a year of payments and
    decisions (seconds at ten times Kielce) and are the same for every viewer; they are
    computed at most once per ``OSTOJA_REPORT_CACHE_SECONDS`` (default 300 s) per process.
    Tests set 0 (always fresh)."""
    seconds = int(getattr(settings, "OSTOJA_REPORT_CACHE_SECONDS", 300))
    if seconds <= 0:
        return build()
    return cast(T, cache.get_or_set(f"ostoja:analysis:{key}", build, seconds))


def dashboard_links(*, lists: bool = True) -> dict[str, str]:
    """Each chart's list: the page a viewer opens to see the records behind it (scoped there);
    without access to the case lists (``lists`` False: the analyst, finance) no chart links
    to one (it would answer 403)."""
    links = {
        "reasons": reverse("analysis:mrpips03") + "#s-2",
        "budget": reverse("payments:plan"),
        "caseload": reverse("org:staff_list"),
    }
    if lists:
        links |= {
            "districts": reverse("cases:application_list"),
            "flow": reverse("decisions:register") + "?status=wydane",
            "deadlines": reverse("cases:desk"),
        }
    return links


@require_perm("analysis.view_dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    on = today()
    # Who may open the case lists gets the figures of their own scope (each number a link to
    # the filtered list of its rows); the analyst and finance the whole centre's aggregates.
    user = request.user
    lists = user.has_perm("cases.view_case") and user.has_perm("decisions.view_decision")
    scope = f"u{user.pk}" if lists else "centre"
    board = _cached(
        f"dashboard:{on.isoformat()}:{scope}",
        lambda: dashboard_selectors.dashboard(
            on=on, links=dashboard_links(lists=lists), user=user if lists else None
        ),
    )
    return render(request, "analysis/dashboard.html", {"board": board})


@require_perm("analysis.run_whatif")
def whatif(request: HttpRequest) -> HttpResponse:
    """Run a scenario (GET with ``zmiana`` lines shows it; POST with a name saves it) and list
    or compare saved ones (``porownaj=ID&porownaj=ID``)."""
    context: dict[str, Any] = {"scenarios": selectors.scenarios(), "text": "", "error": ""}
    text = request.POST.get("zmiany") if request.method == "POST" else request.GET.get("zmiany")
    status = 200
    if text:
        context["text"] = text
        try:
            result = selectors.whatif_run(texts=text.split(), on=today())
            context["result"] = result.as_dict()
            if request.method == "POST":
                saved = services.scenario_save(
                    name=request.POST.get("nazwa", ""), result=result, actor=request.user
                )
                return redirect(f"{reverse('analysis:whatif')}?porownaj={saved.pk}")
        except ValidationFailed as exc:
            context["error"] = " ".join(e["message"] for e in exc.as_list())
            status = 422
    compare = []
    for raw in request.GET.getlist("porownaj")[:2]:
        try:
            compare.append(selectors.scenario_get(pk=int(raw)))
        except (ValueError, ObjectDoesNotExist):
            raise Http404 from None
    context["compare"] = compare
    return render(request, "analysis/whatif.html", context, status=status)


@require_perm("analysis.view_reports")
def reporting_calendar(request: HttpRequest) -> HttpResponse:
    """The statutory reports with deadline, owner and status; POST records a submission (a
    refusal is shown at the field of the row's form, the row's input kept)."""
    on = today()
    failed: SubmissionForm | None = None
    if request.method == "POST":
        if not request.user.has_perm("analysis.record_submission"):
            raise PermissionDenied
        form = SubmissionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.submission_record(
                    report=data["report"], period=data["period"],
                    submitted_on=data["submitted_on"], reference=data["reference"],
                    actor=request.user, on=on,
                )  # fmt: skip
                return redirect("analysis:calendar")
            except ValidationFailed as exc:
                attach_errors(form, exc)
        failed = form
    entries = selectors.reporting_calendar(on=on)
    rows = []
    sent = (failed.data.get("report"), failed.data.get("period")) if failed else None
    for n, e in enumerate(entries, start=1):
        if failed is not None and sent == (e.kind.code, e.period):
            form = failed
        else:
            form = SubmissionForm(initial={"report": e.kind.code, "period": e.period})
        form.auto_id = f"z{n}-%s"
        rows.append((e, form))
    placed = failed is not None and any(f is failed for _, f in rows)
    return render(
        request,
        "analysis/calendar.html",
        {"rows": rows, "failed": failed, "unplaced": failed if failed and not placed else None,
         "on": on},
        status=422 if failed is not None else 200,
    )  # fmt: skip


@require_perm("analysis.export_pseudonymised")
def pseudonymised_export(request: HttpRequest) -> HttpResponse:
    """GET shows the form and the data dictionary; POST (okres) downloads the ZIP."""
    error = ""
    if request.method == "POST":
        try:
            period = parse_period(request.POST.get("okres", ""), field="okres")
            export = services.pseudonymised_export(period=period, actor=request.user)
        except ValidationFailed as exc:
            error = exc.message
        else:
            response = HttpResponse(export.data, content_type="application/zip")
            response["Content-Disposition"] = (
                f'attachment; filename="ostoja_pseudonimy_{period.code}.zip"'
            )
            return response
    return render(
        request,
        "analysis/export.html",
        {"dictionary": DICTIONARY, "error": error,
         "default": last_completed_half_year(on=today()).code},
        status=422 if error else 200,
    )  # fmt: skip


@require_perm("analysis.edit_annual_report")
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    """Draft of the art. 110 ust. 9 report for ``year``: figures from the data, the narrative
    and needs edited here (optimistic locking); ``?pdf=1`` downloads the PDF."""
    if not 2000 <= year <= 2100:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.annual_report_save(
                year=year,
                narrative=request.POST.get("narrative", ""),
                needs=request.POST.get("needs", ""),
                expected_version=int(request.POST.get("version") or 0),
                actor=request.user,
                now=now(),
            )
            return redirect("analysis:annual_report", year=year)
        except (DomainError, ValueError) as exc:
            error = getattr(exc, "message", "Nieprawidłowe dane formularza.")
    draft = annual.draft(year=year, stored=selectors.annual_report_stored(year=year), on=today())
    if request.GET.get("pdf"):
        data = annual.to_pdf(draft, centre=instance_settings().name)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="sprawozdanie_{year}.pdf"'
        return response
    return render(
        request,
        "analysis/annual.html",
        {"d": draft, "error": error},
        status=409 if error and "zapisał" in error else (422 if error else 200),
    )


@require_perm("analysis.edit_resource_assessment")
def resource_assessment(request: HttpRequest, year: int) -> HttpResponse:
    """Ocena zasobów pomocy społecznej (art. 16a u.p.s.) for ``year``: figures from the data
    over the form's multi-year window, the narrative parts edited here; ``?pdf=1`` downloads
    the whole as PDF."""
    if not 2000 <= year <= 2100:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.resource_assessment_save(
                year=year,
                introduction=request.POST.get("introduction", ""),
                conclusions=request.POST.get("conclusions", ""),
                recommendations=request.POST.get("recommendations", ""),
                expected_version=int(request.POST.get("version") or 0),
                actor=request.user,
                now=now(),
            )
            return redirect("analysis:ozps", year=year)
        except (DomainError, ValueError) as exc:
            error = getattr(exc, "message", "Nieprawidłowe dane formularza.")
    draft = ozps.draft(
        year=year, stored=selectors.resource_assessment_stored(year=year), on=today()
    )
    if request.GET.get("pdf"):
        data = ozps.to_pdf(draft, centre=instance_settings().name)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="ocena_zasobow_{year}.pdf"'
        return response
    return render(
        request,
        "analysis/ozps.html",
        {"d": draft, "error": error},
        status=409 if error and "zapisał" in error else (422 if error else 200),
    )

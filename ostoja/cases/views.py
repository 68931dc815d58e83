"""Pages of the cases context: the desk, the case file, applications, interviews, calculations.

Size (issue 18): ~670 lines, one section per page group (desk, case file, applications,
interviews, calculations, letters); the candidate split is a ``views/`` package by those
sections, left until the cases pages are next changed.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from ostoja.audit.bulk import bulk_read_record
from ostoja.audit.selectors import history_of
from ostoja.audit.services import access_record, client_ip, refuse_access
from ostoja.cases import letters, selectors, services
from ostoja.cases.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    AssignForm,
    CalculationForm,
    ForwardForm,
    InterviewCompleteForm,
    InterviewStartForm,
    LeaveForm,
    LetterForm,
    VersionForm,
)
from ostoja.cases.interview_print import interview_pdf
from ostoja.cases.models import Application, Calculation, Case, CaseLetter, Interview
from ostoja.cases.sections import SECTIONS, section_form
from ostoja.core import dates
from ostoja.core.access import require_perm
from ostoja.core.collation import polish
from ostoja.core.dates import today
from ostoja.core.errors import DomainError, ValidationFailed, page_status
from ostoja.core.forms import RefusalForm, attach_errors, refusal_form, refusal_status
from ostoja.law.codes import BENEFITS
from ostoja.org.roles import Role
from ostoja.registry import selectors as registry_selectors
from ostoja.registry.models import Household
from ostoja.registry.text import amount_pl

# The case page holds two forms with a "Wniosek" field: the prefix keeps their ids unique.
START_PREFIX = "wywiad"


def case_for(request: HttpRequest, pk: int, perm: str = "cases.view_case") -> Case:
    try:
        case = selectors.case_get(pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm(perm, case):
        known = perm != "cases.view_case" and request.user.has_perm("cases.view_case", case)
        refuse_access(request, case, known=known)
    return case


def application_for(request: HttpRequest, pk: int, perm: str = "cases.change_case") -> Application:
    try:
        application = selectors.application_get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm(perm, application.case):
        known = perm != "cases.view_case" and request.user.has_perm(
            "cases.view_case", application.case
        )
        refuse_access(request, application.case, known=known)
    return application


def interview_for(request: HttpRequest, pk: int, perm: str = "cases.view_case") -> Interview:
    try:
        interview = selectors.interview_get(pk=pk)
    except Interview.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm(perm, interview.case):
        known = perm != "cases.view_case" and request.user.has_perm(
            "cases.view_case", interview.case
        )
        refuse_access(request, interview.case, known=known)
    return interview


# ------------------------------------------------------------------ desk


@require_perm("cases.view_case")
def desk(request: HttpRequest) -> HttpResponse:
    # The search form posts: a PESEL or surname must never land in a URL.
    query = str(request.POST.get("q", "")).strip() if request.method == "POST" else ""
    on = today()
    context = {
        "desk": selectors.desk(user=request.user, on=on),
        "on": on,
        "query": query,
        "results": selectors.search(user=request.user, query=query) if query else None,
    }
    return render(request, "cases/desk.html", context)


@require_perm("cases.view_case")
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications the user may see, filtered by the period of receipt, unit and status
    — the list behind the start pages' and the dashboard's application counts (issue 13 §3)."""
    units = selectors.application_list_units(user=request.user)
    form = ApplicationFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.ApplicationFilters(
        received_from=data.get("od"),
        received_to=data.get("do"),
        unit_id=data.get("jednostka"),
        status=data.get("status") or "",
        interview=data.get("wywiad") or "",
        reason=data.get("powod") or "",
        worker_id=data.get("pracownik"),
    )
    page = selectors.application_list_page(
        user=request.user, filters=filters, page=request.GET.get("strona")
    )
    bulk_read_record(
        user=request.user,
        model=Application,
        what="lista wniosków",
        rows=len(page.object_list),
        filters={
            "received_from": filters.received_from,
            "received_to": filters.received_to,
            "unit": filters.unit_id,
            "status": filters.status,
            "interview": filters.interview,
            "reason": filters.reason,
            "worker": filters.worker_id,
            "page": request.GET.get("strona"),
        },
        remote_addr=client_ip(request),
    )
    params = request.GET.copy()
    params.pop("strona", None)
    all_workers = params.copy()
    all_workers.pop("pracownik", None)
    return render(
        request,
        "cases/application_list.html",
        {
            "form": form,
            "page": page,
            "rows": page.object_list,
            "query": params.urlencode(),
            "worker_label": selectors.application_list_worker(
                user=request.user, worker_id=filters.worker_id
            ),
            "query_all_workers": all_workers.urlencode(),
        },
        status=422 if form.errors else 200,
    )


# ------------------------------------------------------------------ case file


# ``?os=wszystko``: the whole timeline of the case file (issue 19; the newest entries otherwise).
TIMELINE_ALL = "wszystko"


def _workers_of(case: Case) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(
            is_active=True, staff__unit_id=case.unit_id, groups__name=Role.SOCIAL_WORKER.value
        )
        .only("pk", "username", "first_name", "last_name")
        .order_by(polish("last_name"), polish("first_name"), "pk")
    )


@require_perm("cases.view_case")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk)
    access_record(user=request.user, obj=case, remote_addr=client_ip(request))
    return _case_page(request, case)


def _worker_choices(case: Case) -> list[tuple[Any, str]]:
    return [("", "bez przydziału")] + [
        (u.pk, u.get_full_name() or u.username) for u in _workers_of(case)
    ]


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    calc_form: CalculationForm | None = None,
    start_form: InterviewStartForm | None = None,
    assign_form: AssignForm | None = None,
    ready_form: VersionForm | None = None,
    ready_row: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case file; a refused form (calculation, interview start, assignment) comes back
    bound, its errors at its fields and in the summary on top; a refused „gotowy do decyzji”
    (``ready_form``) in the summary and at its application's row (``ready_row``)."""
    kind = request.GET.get("rodzaj", "")
    full = request.GET.get("os") == TIMELINE_ALL
    file = selectors.case_file(case=case, user=request.user, now=dates.now(), kind=kind, full=full)
    open_choices = [(a.pk, a.reference) for a in file.open_applications] or [
        (r.obj.pk, r.obj.reference) for r in file.applications[:5]
    ]
    if calc_form is None:
        draft = next((i for i in file.interviews if i.is_completed and i.proposed_benefit), None)
        calc_form = CalculationForm(
            initial={
                "benefit": draft.proposed_benefit if draft else "zasilek_okresowy",
                "application": open_choices[0][0] if open_choices else None,
            }
        )
    cast(forms.ChoiceField, calc_form.fields["application"]).choices = open_choices
    if start_form is None:
        start_form = InterviewStartForm(initial={"planned_on": today()}, prefix=START_PREFIX)
        cast(forms.ChoiceField, start_form.fields["application"]).choices = [
            ("", "—"),
            *open_choices,
        ]
    can_change = request.user.has_perm("cases.change_case", case)
    if can_change and assign_form is None:
        assign_form = AssignForm(initial={"version": case.version, "worker": case.worker_id})
        cast(forms.ChoiceField, assign_form.fields["worker"]).choices = _worker_choices(case)
    rendered_panels = [
        {
            "title": p.get("title", ""),
            "html": render_to_string(p["template"], p.get("context", {}), request=request),
        }
        for p in file.panels
    ]
    return render(
        request,
        "cases/case_detail.html",
        {
            "file": file,
            "panels": rendered_panels,
            "case": case,
            "calc_form": calc_form,
            "start_form": start_form,
            "assign_form": assign_form,
            "ready_form": ready_form,
            "ready_row": ready_row,
            "can_change": can_change,
            "benefits": BENEFITS,
        },
        status=status,
    )


@require_perm("cases.change_case")
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the case to another worker. A refusal (a worker of another unit, a protected case
    changed by someone else than the head, a stale page) comes back on the case page at the
    field, or in the summary on top; nothing is saved."""
    case = case_for(request, pk, "cases.change_case")
    if request.method != "POST":
        return redirect("cases:case_detail", pk=case.pk)
    form = AssignForm(request.POST)
    cast(forms.ChoiceField, form.fields["worker"]).choices = _worker_choices(case)
    status = 422
    if form.is_valid():
        worker_id = form.cleaned_data["worker"]
        worker = get_user_model().objects.filter(pk=worker_id).first() if worker_id else None
        try:
            services.case_assign(
                now=dates.now(),
                case=case,
                worker=worker,
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except DomainError as exc:
            attach_errors(form, exc)
            status = 422 if exc.field == "worker" else page_status(exc)
        else:
            messages.success(request, "Zmieniono pracownika socjalnego.")
            return redirect("cases:case_detail", pk=case.pk)
    return _case_page(request, case, assign_form=form, status=status)


# ------------------------------------------------------------------ applications


@require_perm("cases.change_case", "registry.change_person")
def application_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = Household.objects.filter(pk=household_pk).first()
    if household is None:
        raise Http404
    if not registry_selectors.household_visible_to(user=request.user, household=household):
        refuse_access(request, household)
    on = today()
    members = registry_selectors.members_on(household=household, on=on)
    form = ApplicationForm(
        request.POST or None,
        initial={
            "received_on": on,
            "channel": "osobiscie",
            "applicant": next((m.person_id for m in members if m.relation == "wnioskodawca"), None),
        },
    )
    cast(forms.ChoiceField, form.fields["applicant"]).choices = [
        (m.person_id, m.person.full_name) for m in members
    ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        applicant = next(m.person for m in members if m.person_id == data["applicant"])
        try:
            application = services.application_register(
                household=household,
                applicant=applicant,
                received_on=data["received_on"],
                channel=data["channel"],
                forms=data["help_forms"],
                reasons=data["reasons"],
                reasons_other=data["reasons_other"],
                urgent=data["urgent"],
                income_lost=data["income_lost"],
                description=data["description"],
                user=request.user,
                on=on,
            )
        except DomainError as exc:
            attach_errors(form, exc)
            if "forms" in getattr(exc, "errors", {}):
                form.add_error("help_forms", exc.errors["forms"][0])
        else:
            case = application.case
            who = case.worker.get_full_name() if case.worker else "bez przydziału"
            messages.success(
                request,
                f"Zarejestrowano wniosek {application.reference}. Rejon: {case.unit.name}; "
                f"pracownik socjalny: {who}; termin wywiadu: {application.interview_due:%d.%m.%Y}.",
            )
            if request.user.has_perm("cases.view_case", case):
                return redirect("cases:case_detail", pk=case.pk)
            return redirect("registry:household_detail", pk=household.pk)
    # Art. 101 u.p.s.: say up front when another gmina is competent (address outside Kielce,
    # a homeless person last registered elsewhere) — the application is registered and forwarded.
    notices = [
        (m.person, competence)
        for m in members
        if (competence := registry_selectors.competence_of(person=m.person)).explanation
    ]
    return render(
        request,
        "cases/application_form.html",
        {
            "form": form,
            "household": household,
            "title": f"Nowy wniosek — {household.name}",
            "notices": notices,
        },
    )


@require_perm("cases.change_case")
def application_forward(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk)
    competence = registry_selectors.competence_of(person=application.applicant)
    target = "" if competence.local else f"Ośrodek pomocy społecznej — gmina {competence.gmina}"
    form = ForwardForm(
        request.POST or None,
        initial={"version": application.version, "forwarded_on": today(), "target": target},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_forward(
                application=application,
                target=form.cleaned_data["target"],
                on=form.cleaned_data["forwarded_on"],
                expected_version=form.cleaned_data["version"],
                user=request.user,
                today=today(),
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Wniosek {application.reference} przekazano.")
            return redirect("cases:case_detail", pk=application.case_id)
    return render(
        request,
        "cases/simple_form.html",
        {
            "form": form,
            "case": application.case,
            "button": "Przekaż wniosek",
            "title": f"Przekazanie wniosku {application.reference} (art. 101 u.p.s.)",
            "lead": competence.explanation
            or "Wnioskodawca mieszka w Kielcach — MOPR Kielce jest właściwy (art. 101 u.p.s.). "
            "Przekaż wniosek tylko wtedy, gdy właściwość ustalono inaczej (np. nowy adres).",
        },
    )


@require_perm("cases.change_case")
def application_leave(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk)
    form = LeaveForm(request.POST or None, initial={"version": application.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.application_leave_unconsidered(
                application=application,
                reason=form.cleaned_data["reason"],
                on=today(),
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Wniosek pozostawiono bez rozpoznania.")
            return redirect("cases:case_detail", pk=application.case_id)
    return render(
        request,
        "cases/simple_form.html",
        {
            "form": form,
            "case": application.case,
            "button": "Pozostaw bez rozpoznania",
            "title": f"Pozostawienie wniosku {application.reference} bez rozpoznania",
            "lead": "Art. 64 § 2 KPA — gdy braków wniosku nie usunięto w terminie.",
        },
    )


@require_perm("cases.change_case")
def application_ready(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an application „gotowy do decyzji”. A refusal (no finished interview, already
    marked, a stale page) comes back on the case page: the Polish message in the summary on
    top and at the application's row (409; 422 for a broken form); nothing saved."""
    application = application_for(request, pk)
    if request.method != "POST":
        return redirect("cases:case_detail", pk=application.case_id)
    form = VersionForm(request.POST, auto_id=f"gotowy{application.pk}_%s")
    status = 422
    if form.is_valid():
        try:
            services.application_mark_ready(
                now=dates.now(),
                application=application,
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except DomainError as exc:
            attach_errors(form, exc)
            status = page_status(exc)
        else:
            messages.success(request, f"Wniosek {application.reference} gotowy do decyzji.")
            return redirect("cases:case_detail", pk=application.case_id)
    return _case_page(
        request, application.case, ready_form=form, ready_row=application.pk, status=status
    )


# ------------------------------------------------------------------ interviews


@require_perm("cases.change_case")
def interview_start(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk, "cases.change_case")
    if request.method != "POST":
        return redirect("cases:case_detail", pk=case.pk)
    form = InterviewStartForm(request.POST, prefix=START_PREFIX)
    cast(forms.ChoiceField, form.fields["application"]).choices = [("", "—")] + [
        (a.pk, a.reference) for a in services.applications_open_for(case=case)
    ]
    if not form.is_valid():
        return _case_page(request, case, start_form=form, status=422)
    app_id = form.cleaned_data["application"]
    application = Application.objects.filter(pk=app_id, case=case).first() if app_id else None
    interview = services.interview_start(
        now=dates.now(),
        case=case,
        application=application,
        user=request.user,
        planned_on=form.cleaned_data["planned_on"],
    )
    return redirect("cases:interview", pk=interview.pk)


@require_perm("cases.view_case")
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    interview = interview_for(request, pk)
    access_record(user=request.user, obj=interview, remote_addr=client_ip(request))
    return _interview_page(request, interview)


def _interview_page(
    request: HttpRequest,
    interview: Interview,
    *,
    errors_for: str = "",
    bound: Any = None,
    complete_form: InterviewCompleteForm | None = None,
    refusal_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    case = interview.case
    application = interview.application
    on = application.received_on if application else today()
    income = registry_selectors.household_income(
        household=case.household,
        on=on,
        income_lost=application.income_lost if application else False,
    )
    parts = []
    for name, title, _ in SECTIONS:
        form = (
            bound if (bound is not None and name == errors_for) else section_form(name, interview)
        )
        parts.append({"name": name, "title": title, "form": form, "display": _display(form)})
    editable = not interview.is_completed and request.user.has_perm("cases.change_case", case)
    return render(
        request,
        "cases/interview.html",
        {
            "interview": interview,
            "case": case,
            "parts": parts,
            "editable": editable,
            "members": registry_selectors.members_on(household=case.household, on=on),
            "income": income,
            "complete_form": complete_form
            or InterviewCompleteForm(
                initial={"version": interview.version, "conducted_on": today()}
            ),
            "history": _readable_history(history_of(interview)),
            "refusal_form": refusal_form,
        },
        status=status,
    )


SECTION_TITLES = {name: title for name, title, _ in SECTIONS}
# The audit rows name a field by its code or (newer audit selectors) by its verbose name.
SECTIONS_FIELD_NAMES = {"sections", str(Interview._meta.get_field("sections").verbose_name)}


def _readable_history(rows: list[Any]) -> list[Any]:
    """The audit log stores the questionnaire as one JSON field; show which parts changed
    instead of two copies of the whole JSON (escaped Polish letters and all) per autosave."""
    readable = []
    for row in rows:
        changes = []
        for name, old, new in row.changes:
            if name not in SECTIONS_FIELD_NAMES:
                changes.append((name, old, new))
                continue
            try:
                before, after = json.loads(old or "{}"), json.loads(new or "{}")
            except ValueError:
                before, after = {}, {}
            parts = [
                SECTION_TITLES.get(key, key)
                for key in SECTION_TITLES
                if (before or {}).get(key) != (after or {}).get(key)
            ]
            changes.append(("części wywiadu", "", "zmieniono: " + (", ".join(parts) or "—")))
        readable.append(dataclasses.replace(row, changes=changes))
    return readable


def _display(form: Any) -> list[tuple[str, str]]:
    """Read-only rendering of a saved part: labels instead of codes, Polish numbers."""
    rows = []
    for field in form:
        value = field.value()
        choices = dict(getattr(field.field, "choices", []) or [])
        if isinstance(field.field, forms.DecimalField) and value not in (None, ""):
            rows.append((field.label, amount_pl(value, currency=False)))
            continue
        if isinstance(value, list):
            text = "; ".join(str(choices.get(v, v)) for v in value)
        elif value is True:
            text = "tak"
        elif value in (None, "", False):
            text = "—"
        else:
            text = str(choices.get(value, value))
        rows.append((field.label, text))
    return rows


@require_perm("cases.change_case")
def interview_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """Save one part: htmx autosave (answers a small status fragment) or the Save button."""
    interview = interview_for(request, pk, "cases.change_case")
    if request.method != "POST":
        return redirect("cases:interview", pk=interview.pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        interview = services.interview_save_section(
            interview=interview, section=section, data=request.POST, expected_version=version
        )
    except DomainError as exc:
        if request.htmx:
            return render(
                request,
                "cases/_autosave.html",
                {
                    "interview": interview,
                    "error": exc.message,
                    "section": section,
                    "section_names": [*(n for n, _, _ in SECTIONS), "zakonczenie"],
                },
                status=200,
            )
        # The interview page again, never a flash only (issue 17): an answer the part's own
        # rules refused stands at its field in that part, as typed (422); any other refusal
        # (the interview completed meanwhile, a stale page, an unknown part) is in the summary
        # at the top of the page (409). Nothing is saved.
        bound = (
            section_form(section, interview, data=request.POST)
            if section in SECTION_TITLES and isinstance(exc, ValidationFailed)
            else None
        )
        if bound is not None:
            if bound.is_valid():
                attach_errors(bound, exc)
            return _interview_page(request, interview, errors_for=section, bound=bound, status=422)
        interview.refresh_from_db()  # the service refused: show what is stored, not the attempt
        return _interview_page(
            request, interview, refusal_form=refusal_form(exc.message), status=page_status(exc)
        )
    if request.htmx:
        return render(
            request,
            "cases/_autosave.html",
            {
                "interview": interview,
                "section": section,
                "section_names": [*(n for n, _, _ in SECTIONS), "zakonczenie"],
            },
        )
    messages.success(request, "Zapisano część wywiadu.")
    return redirect(reverse("cases:interview", args=[interview.pk]) + f"#{section}")


@require_perm("cases.change_case")
def interview_complete(request: HttpRequest, pk: int) -> HttpResponse:
    interview = interview_for(request, pk, "cases.change_case")
    form = InterviewCompleteForm(request.POST or None)
    top, status = None, 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_complete(
                now=dates.now(),
                interview=interview,
                conducted_on=form.cleaned_data["conducted_on"],
                expected_version=form.cleaned_data["version"],
                user=request.user,
                on=today(),
            )
        except DomainError as exc:
            # A refused completion is the page again, never a flash (issue 17): at the date
            # (422), or — completed meanwhile, a stale page — in the summary on top (409),
            # with the form as stored now.
            status = refusal_status(form, exc)
            if status == 422:
                attach_errors(form, exc)
            else:
                top = RefusalForm({})
                attach_errors(top, exc)  # no fields: every message goes to the summary
        else:
            messages.success(request, "Wywiad zakończony i zamknięty do edycji.")
            return redirect("cases:case_detail", pk=interview.case_id)
    interview.refresh_from_db()
    if top is not None:
        typed = form.cleaned_data.get("conducted_on") or today()
        form = InterviewCompleteForm(initial={"version": interview.version, "conducted_on": typed})
    return _interview_page(request, interview, complete_form=form, refusal_form=top, status=status)


# ------------------------------------------------------------------ calculations


@require_perm("cases.change_case")
def calculate(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk, "cases.change_case")
    form = CalculationForm(request.POST or None)
    cast(forms.ChoiceField, form.fields["application"]).choices = [
        (a.pk, a.reference) for a in case.applications.all()
    ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = Application.objects.select_related("case", "applicant").get(
            pk=data["application"], case=case
        )
        try:
            calculation = services.calculation_run(
                now=dates.now(),
                application=application,
                benefit=data["benefit"],
                user=request.user,
                requested_amount=data["requested_amount"],
                entitlement_from=data["entitlement_from"],
                options=form.request_options(),
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Obliczono — wynik zapisano w teczce.")
            return redirect("cases:calculation", pk=calculation.pk)
    return _case_page(request, case, calc_form=form)


@require_perm("cases.view_case")
def calculation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    calculation = (
        Calculation.objects.select_related("case", "application", "created_by")
        .filter(pk=pk)
        .first()
    )
    if calculation is None:
        raise Http404
    case = case_for(request, calculation.case_id)
    access_record(user=request.user, obj=case, remote_addr=client_ip(request))
    return render(
        request,
        "cases/calculation.html",
        {
            "calculation": calculation,
            "case": case,
            "result": calculation.result,
            "benefit": BENEFITS.get(calculation.benefit, calculation.benefit),
        },
    )


# ------------------------------------------------------------------ letters


@require_perm("cases.change_case")
def letter_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate a letter in the case (art. 36, art. 10 § 1, art. 50 and 64 § 2 KPA)."""
    application = application_for(request, pk)
    form = LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = letters.letter_create(
                application=application,
                kind=data["kind"],
                actor=request.user,
                on=today(),
                missing=data["missing"],
                reason=data["reason"],
                days=data["days"],
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Przygotowano pismo: {letter.get_kind_display()}.")
            return redirect("cases:case_detail", pk=application.case_id)
    return render(
        request,
        "cases/letter_form.html",
        {
            "form": form,
            "application": application,
            "case": application.case,
            "letters": CaseLetter.objects.filter(application=application).defer("pdf", "html"),
        },
    )


@require_perm("cases.view_case")
def letter_pdf(request: HttpRequest, pk: int, letter_pk: int) -> HttpResponse:
    application = application_for(request, pk, "cases.view_case")
    letter = CaseLetter.objects.filter(pk=letter_pk, application=application).first()
    if letter is None:
        raise Http404
    access_record(user=request.user, obj=letter, remote_addr=client_ip(request))
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="pismo-{letter.pk}.pdf"'
    return response


@require_perm("cases.view_case")
def interview_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The interview (or its update) as the regulation's questionnaire, PDF (WeasyPrint)."""
    interview = interview_for(request, pk)
    access_record(user=request.user, obj=interview, remote_addr=client_ip(request), reason="wydruk")
    pdf = interview_pdf(interview=interview, on=today())
    response = HttpResponse(pdf, content_type="application/pdf")
    kind = "aktualizacja-wywiadu" if interview.previous_id else "wywiad"
    response["Content-Disposition"] = f'inline; filename="{kind}-{interview.pk}.pdf"'
    return response

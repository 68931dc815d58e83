"""Pages of social work: the work view, the case chronology, visits, social contracts,
assistance plans, protected records (break-glass) and the caseload.

Size (issue 18): ~780 lines, one section per area of the social-work menu (visits, contracts,
plans, protected records, caseload). To become a ``views/`` package by those sections, like
``decisions/services/``; not split on 5.12.2026 because social work is being extended in
parallel and a move would collide with that work.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.forms import BaseFormSet, Form
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ostoja.audit.services import access_record, client_ip, refuse_access
from ostoja.cases.models import Case
from ostoja.core import dates
from ostoja.core.access import require_perm
from ostoja.core.dates import today
from ostoja.core.errors import DomainError
from ostoja.core.forms import attach_errors, refusal_form, refusal_status
from ostoja.core.redirects import safe_next
from ostoja.law.store import default_store
from ostoja.org.selectors import instance_settings
from ostoja.registry import selectors as registry_selectors
from ostoja.socialwork import forms as f
from ostoja.socialwork import selectors as sel
from ostoja.socialwork import services as svc
from ostoja.socialwork.documents import contract_pdf
from ostoja.socialwork.models import ActionParty, CaseNote, SocialContract
from ostoja.socialwork.policy import (
    NOTE_CATEGORY_CHOICES,
    Access,
    VisitStatus,
    is_adult,
    visit_overdue,
)

MONTHS = (
    "styczeń",
    "luty",
    "marzec",
    "kwiecień",
    "maj",
    "czerwiec",
    "lipiec",
    "sierpień",
    "wrzesień",
    "październik",
    "listopad",
    "grudzień",
)


# ------------------------------------------------------------------ guards


def _case(request: HttpRequest, pk: int, perm: str) -> Case:
    """The case, if the user's scope and role allow ``perm`` on it; refusals are audited."""
    try:
        case = sel.case_get(pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm(perm, case):
        refuse_access(request, case, known=request.user.has_perm("cases.view_case", case))
    return case


def _protected_gate(request: HttpRequest, case: Case) -> HttpResponse | None:
    """Apply the protected-record rule; ``None`` lets the page open (and the read is audited)."""
    access = sel.note_access(user=request.user, case=case, now=dates.now())
    if access is Access.NEEDS_REASON:
        svc.access_refused(case=case, user=request.user, remote_addr=client_ip(request))
        return render(
            request,
            "socialwork/protected.html",
            {"case": case, "form": f.BreakGlassForm(), "next": request.get_full_path()},
            status=403,
        )
    access_record(
        user=request.user,
        obj=case,
        remote_addr=client_ip(request),
        extra={"view": "socialwork", "access": access.value},
    )
    return None


def _back(case: Case) -> str:
    return reverse("socialwork:case", args=[case.pk])


# ------------------------------------------------------------------ work view


@require_GET
@require_perm("socialwork.view_notes")
def index(request: HttpRequest) -> HttpResponse:
    on = today()
    view = sel.work_view(user=request.user, on=on)
    return render(request, "socialwork/index.html", {"view": view, "on": on})


# ------------------------------------------------------------------ chronology


@require_GET
@require_perm("socialwork.view_notes")
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "socialwork.view_notes")
    if (refused := _protected_gate(request, case)) is not None:
        return refused
    show = request.GET.get("pokaz", "all")
    if show not in ("all", "notes", "system"):
        show = "all"
    category = request.GET.get("kategoria", "")
    if category not in {c for c, _ in NOTE_CATEGORY_CHOICES}:
        category = ""
    on = today()
    user = request.user
    ctx: dict[str, Any] = {
        "case": case,
        "rows": sel.chronology(case=case, show=show, category=category),
        "show": show,
        "category": category,
        "categories": NOTE_CATEGORY_CHOICES,
        "visits": [
            (v, visit_overdue(status=v.status, planned_on=v.planned_on, today=on))
            for v in sel._visit_qs().filter(case=case).order_by("-planned_on")[:50]
        ],
        "contracts": sel.contracts_of(case=case),
        "plans": sel.plans_of(case=case),
        "protected": sel.case_protected(case=case),
        "can_add": user.has_perm("socialwork.add_note", case),
        "can_visit": user.has_perm("socialwork.plan_visit", case),
        "can_contract": user.has_perm("socialwork.manage_contract", case),
        "can_protect": user.has_perm("socialwork.protect_case", case),
        "can_reassign": user.has_perm("socialwork.reassign_case", case),
        "note_form": f.NoteForm(initial={"occurred_on": on, "category": "rozmowa"}),
        "assignments": sel.assignment_history(case=case),
    }
    if ctx["can_protect"]:
        ctx["grants"] = sel.grants_of_case(case=case)
        ctx["protection_history"] = sel.protection_history(case=case)
    return render(request, "socialwork/case.html", ctx)


@require_POST
@require_perm("socialwork.add_note")
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "socialwork.add_note")
    if (refused := _protected_gate(request, case)) is not None:
        return refused
    form = f.NoteForm(request.POST)
    if form.is_valid():
        try:
            svc.note_add(case=case, user=request.user, now=dates.now(), **form.cleaned_data)
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Notatka zapisana w chronologii.")
            return redirect(_back(case))
    return render(request, "socialwork/note_form.html", {"case": case, "form": form}, status=422)


@require_http_methods(["GET", "POST"])
@require_perm("socialwork.add_note")
def note_correct(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        note = CaseNote.objects.select_related("case__household", "author").get(pk=pk)
    except CaseNote.DoesNotExist as exc:
        raise Http404 from exc
    case = _case(request, note.case_id, "socialwork.add_note")
    if (refused := _protected_gate(request, case)) is not None:
        return refused
    if request.method == "POST":
        form = f.CorrectionForm(request.POST)
        if form.is_valid():
            try:
                svc.note_add(
                    case=case,
                    user=request.user,
                    now=dates.now(),
                    corrects=note,
                    **form.cleaned_data,
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request, "Korekta zapisana; pierwotna notatka pozostała bez zmian."
                )
                return redirect(_back(case))
    else:
        form = f.CorrectionForm(
            initial={"category": note.category, "occurred_on": note.occurred_on, "text": note.text}
        )
    return render(request, "socialwork/note_form.html", {"case": case, "form": form, "note": note})


# ------------------------------------------------------------------ visits


@require_GET
@require_perm("socialwork.plan_visit")
def visit_list(request: HttpRequest) -> HttpResponse:
    on = today()
    scope = "unit" if request.GET.get("zakres") == "jednostka" else "mine"
    visits = sel.visits_list(user=request.user, on=on, scope=scope)
    rows = [(v, visit_overdue(status=v.status, planned_on=v.planned_on, today=on)) for v in visits]
    return render(request, "socialwork/visits.html", {"rows": rows, "scope": scope, "on": on})


@require_GET
@require_perm("socialwork.plan_visit")
def visit_calendar(request: HttpRequest) -> HttpResponse:
    on = today()
    try:
        year, month = (int(x) for x in request.GET.get("miesiac", "").split("-"))
        date(year, month, 1)
    except ValueError:
        year, month = on.year, on.month
    prev = (year - 1, 12) if month == 1 else (year, month - 1)
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return render(
        request,
        "socialwork/calendar.html",
        {
            "weeks": sel.visits_calendar(user=request.user, year=year, month=month, on=on),
            "title": f"{MONTHS[month - 1]} {year}",
            "prev": f"{prev[0]}-{prev[1]:02d}",
            "next": f"{nxt[0]}-{nxt[1]:02d}",
            "weekdays": (
                "Poniedziałek",
                "Wtorek",
                "Środa",
                "Czwartek",
                "Piątek",
                "Sobota",
                "Niedziela",
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("socialwork.plan_visit")
def visit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "socialwork.plan_visit")
    if (refused := _protected_gate(request, case)) is not None:
        return refused
    workers = sel.workers_for_case(case=case)
    if request.user not in workers:
        workers = [request.user, *workers]
    if request.method == "POST":
        form = f.VisitPlanForm(request.POST, workers=workers)
        if form.is_valid():
            data = form.cleaned_data
            worker = next(w for w in workers if w.pk == data["worker"])
            try:
                svc.visit_plan(
                    case=case,
                    worker=worker,
                    planned_on=data["planned_on"],
                    planned_time=data["planned_time"],
                    purpose=data["purpose"],
                    user=request.user,
                    today=today(),
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "Wizyta zaplanowana.")
                return redirect(_back(case))
    else:
        form = f.VisitPlanForm(
            workers=workers,
            initial={"planned_on": today(), "worker": case.worker_id or request.user.pk},
        )
    return render(request, "socialwork/visit_plan.html", {"case": case, "form": form})


def _visit_for(request: HttpRequest, pk: int) -> tuple[Any, Case]:
    """The visit and its case, if the user may plan visits on it (refusals audited)."""
    try:
        visit = sel.visit_get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    return visit, _case(request, visit.case_id, "socialwork.plan_visit")


# The cancel form shares the page with the record form: its own ids (both have ``version``).
CANCEL_IDS = "odwolanie_%s"


def _visit_page(
    request: HttpRequest,
    visit: Any,
    case: Case,
    *,
    form: f.VisitRecordForm | None = None,
    cancel: f.VisitCancelForm | None = None,
) -> HttpResponse:
    """The visit page with its two forms; the one that was submitted comes back bound."""
    form = form or f.VisitRecordForm(
        initial={"version": visit.version, "occurred_on": min(today(), visit.planned_on)}
    )
    cancel = cancel or f.VisitCancelForm(initial={"version": visit.version}, auto_id=CANCEL_IDS)
    on = today()
    return render(
        request,
        "socialwork/visit_detail.html",
        {
            "visit": visit,
            "case": case,
            "form": form,
            "cancel": cancel,
            "overdue": visit_overdue(status=visit.status, planned_on=visit.planned_on, today=on),
            "is_planned": visit.status == VisitStatus.PLANNED,
            # the submitted form whose errors the summary at the top lists (issue 17)
            "failed": next((x for x in (form, cancel) if x.is_bound and x.errors), None),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("socialwork.plan_visit")
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The visit; a POST here records its outcome (cancelling has its own URL)."""
    visit, case = _visit_for(request, pk)
    if (refused := _protected_gate(request, case)) is not None:
        return refused
    if request.method != "POST":
        return _visit_page(request, visit, case)
    form = f.VisitRecordForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.visit_record(
                visit=visit,
                occurred_on=d["occurred_on"],
                text=d["text"],
                user=request.user,
                now=dates.now(),
                expected_version=d["version"],
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Wynik wizyty zapisany jako notatka; wizyta zamknięta.")
            return redirect(_back(case))
    return _visit_page(request, visit, case, form=form)


@require_POST
@require_perm("socialwork.plan_visit")
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    visit, case = _visit_for(request, pk)
    if (refused := _protected_gate(request, case)) is not None:
        return refused
    cancel = f.VisitCancelForm(request.POST, auto_id=CANCEL_IDS)
    if cancel.is_valid():
        try:
            svc.visit_cancel(
                visit=visit,
                reason=cancel.cleaned_data["cancel_reason"],
                expected_version=cancel.cleaned_data["version"],
            )
        except DomainError as exc:
            attach_errors(cancel, exc)
        else:
            messages.success(request, "Wizyta odwołana.")
            return redirect(_back(case))
    return _visit_page(request, visit, case, cancel=cancel)


# ------------------------------------------------------------------ contracts


def _contract(request: HttpRequest, pk: int, perm: str = "socialwork.view_notes") -> SocialContract:
    try:
        contract = sel.contract_get(pk=pk)
    except SocialContract.DoesNotExist as exc:
        raise Http404 from exc
    _case(request, contract.case_id, perm)
    return contract


def _persons(case: Case) -> list[Any]:
    return [m.person for m in registry_selectors.members_on(household=case.household, on=today())]


def _adult_age(on: date) -> int:
    """Age of majority on ``on`` (parameter ``pelnoletnosc``, art. 10 § 1 k.c.)."""
    return int(default_store().get("pelnoletnosc", on)["age"])


def _parties(case: Case, on: date, keep: Any = None) -> list[Any]:
    """Members offered as contracting party: adults on ``on`` (and the current party of a
    draft, so an edit never silently changes it)."""
    age = _adult_age(on)
    people = [p for p in _persons(case) if is_adult(p.birth_date, on, age)]
    if keep is not None and keep not in people:
        people.append(keep)
    return people


ACTIONS_PREFIX = "dzialania"
REVIEWS_PREFIX = "przeglady"
ADD_ACTION = "dodaj_dzialanie"
ADD_REVIEW = "dodaj_przeglad"


def _quiet(form: Any) -> None:
    """A form re-shown only to add a row: no validation errors yet (Django validates a bound
    form when its errors are first read)."""
    if isinstance(form, BaseFormSet):
        form._errors = [ErrorDict() for _ in form.forms]  # type: ignore[attr-defined]
        form._non_form_errors = form.error_class()  # type: ignore[attr-defined]
        for sub in form.forms:
            sub._errors = ErrorDict()
    else:
        form._errors = ErrorDict()


def _with_added_rows(post: Any, buttons: tuple[tuple[str, str], ...]) -> tuple[Any, bool]:
    """The POST data, with one more row in each formset whose "add row" button was pressed
    (plain submit buttons, so they work without JavaScript)."""
    data = post.copy()
    adding = False
    for button, prefix in buttons:
        if button in data:
            key = f"{prefix}-TOTAL_FORMS"
            data[key] = str(int(data.get(key) or 0) + 1)
            adding = True
    return data, adding


def _contract_forms(
    request: HttpRequest, persons: list[Any], on: date
) -> tuple[f.ContractForm, Any, Any, bool]:
    """The contract form and its action / review-date rows bound to the POST; the "add row"
    buttons add an empty row."""
    data, adding = _with_added_rows(
        request.POST, ((ADD_ACTION, ACTIONS_PREFIX), (ADD_REVIEW, REVIEWS_PREFIX))
    )
    form = f.ContractForm(data, persons=persons, adult_age=_adult_age(on))
    actions = f.ActionFormSet(data, prefix=ACTIONS_PREFIX)
    reviews = f.ReviewDateFormSet(data, prefix=REVIEWS_PREFIX)
    if adding:
        for x in (form, actions, reviews):
            _quiet(x)
    return form, actions, reviews, adding


def _rows_valid(form: Any, *formsets: tuple[Any, str]) -> bool:
    """Validate the form and its row formsets (each with its heading); row errors are also
    listed in the form's error summary, named by heading, row and field."""
    ok = form.is_valid()
    for formset, what in formsets:
        if formset.is_valid():
            continue
        ok = False
        for n, errors in enumerate(formset.errors, start=1):
            for field, messages_ in errors.items():
                row_field = formset.forms[n - 1].fields.get(field)
                where = f"{what}, wiersz {n}" + (f" — {row_field.label}" if row_field else "")
                for m in messages_:
                    form.add_error(None, f"{where}: {m}")
        for m in formset.non_form_errors():
            form.add_error(None, f"{what}: {m}")
    return ok


def _action_lines_by_party(actions: Any) -> dict[str, list[svc.ActionLine]]:
    """The filled action rows of a formset, by party (empty rows are skipped)."""
    by_party: dict[str, list[svc.ActionLine]] = {p.value: [] for p in ActionParty}
    for row in actions.cleaned_data:
        if row and row.get("description", "").strip():
            by_party[row["party"]].append(
                svc.ActionLine(description=row["description"].strip(), due_on=row.get("due_on"))
            )
    return by_party


def _contract_kwargs(data: dict[str, Any], actions: Any, reviews: Any) -> dict[str, Any]:
    by_party = _action_lines_by_party(actions)
    return {
        "data": {k: v for k, v in data.items() if k in svc.CONTENT_FIELDS},
        "actions_person": by_party[ActionParty.PERSON],
        "actions_worker": by_party[ActionParty.WORKER],
        "actions_other": by_party[ActionParty.OTHER],
        "review_dates": [r["due_on"] for r in reviews.cleaned_data if r and r.get("due_on")],
    }


def _contract_page(request: HttpRequest, ctx: dict[str, Any], status: int = 200) -> HttpResponse:
    """The contract's draft form; a refused one answers ``status`` (422 at a field, 409 a stale
    page — issue 17), a new empty row 200."""
    ctx.update(add_action=ADD_ACTION, add_review=ADD_REVIEW)
    return render(request, "socialwork/contract_form.html", ctx, status=status)


@require_http_methods(["GET", "POST"])
@require_perm("socialwork.manage_contract")
def contract_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "socialwork.manage_contract")
    if (refused := _protected_gate(request, case)) is not None:
        return refused
    on = today()
    persons = _parties(case, on)
    status = 200
    if request.method == "POST":
        form, actions, reviews, adding = _contract_forms(request, persons, on)
        status = 200 if adding else 422
        if not adding and _rows_valid(
            form, (actions, "Działania"), (reviews, "Terminy przeglądów")
        ):
            person = next(p for p in persons if p.pk == form.cleaned_data["person"])
            try:
                contract = svc.contract_draft(
                    case=case,
                    person=person,
                    user=request.user,
                    **_contract_kwargs(form.cleaned_data, actions, reviews),
                )
            except DomainError as exc:
                attach_errors(form, exc)
                status = refusal_status(form, exc)
            else:
                messages.success(
                    request, "Projekt kontraktu zapisany. Po podpisaniu treść zostanie zamknięta."
                )
                return redirect("socialwork:contract", pk=contract.pk)
    else:
        form = f.ContractForm(persons=persons, initial={"valid_from": on, "kind": "A"})
        actions = f.ActionFormSet(prefix=ACTIONS_PREFIX)
        reviews = f.ReviewDateFormSet(prefix=REVIEWS_PREFIX)
    return _contract_page(
        request, {"case": case, "form": form, "actions": actions, "reviews": reviews}, status
    )


@require_http_methods(["GET", "POST"])
@require_perm("socialwork.manage_contract")
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk, "socialwork.manage_contract")
    case = contract.case
    if (refused := _protected_gate(request, case)) is not None:
        return refused
    if not contract.is_draft:  # the summary on top of the contract's page, not a flash
        return _contract_detail_page(
            request,
            contract,
            failed=refusal_form("Kontrakt jest podpisany — zmiany wprowadza się aneksem."),
            status=409,
        )
    on = today()
    persons = _parties(case, on, keep=contract.person)
    status = 200
    if request.method == "POST":
        form, actions, reviews, adding = _contract_forms(request, persons, on)
        status = 200 if adding else 422
        if not adding and _rows_valid(
            form, (actions, "Działania"), (reviews, "Terminy przeglądów")
        ):
            person = next(p for p in persons if p.pk == form.cleaned_data["person"])
            try:
                svc.contract_update(
                    contract=contract,
                    person=person,
                    expected_version=form.cleaned_data["version"] or 0,
                    **_contract_kwargs(form.cleaned_data, actions, reviews),
                )
            except DomainError as exc:
                attach_errors(form, exc)
                status = refusal_status(form, exc)
            else:
                messages.success(request, "Projekt kontraktu zapisany.")
                return redirect("socialwork:contract", pk=contract.pk)
    else:
        initial = {k: getattr(contract, k) for k in svc.CONTENT_FIELDS}
        initial.update(version=contract.version, person=contract.person_id)
        form = f.ContractForm(persons=persons, initial=initial)
        actions = f.ActionFormSet(
            prefix=ACTIONS_PREFIX,
            initial=[
                {"party": a.party, "description": a.description, "due_on": a.due_on}
                for a in contract.actions.all()
                if not a.annex_id
            ],
        )
        reviews = f.ReviewDateFormSet(
            prefix=REVIEWS_PREFIX,
            initial=[{"due_on": r.due_on} for r in contract.reviews.all() if not r.held_on],
        )
    return _contract_page(
        request,
        {"case": case, "form": form, "contract": contract, "actions": actions, "reviews": reviews},
        status,
    )


PLAN_ACTIONS_PREFIX = "plan-dzialania"
ADD_PLAN_ACTION = "dodaj_dzialanie_planu"
ANNEX_PREFIX = "aneks"
ANNEX_ACTIONS_PREFIX = "aneks-dzialania"
ADD_ANNEX_ACTION = "dodaj_dzialanie_aneksu"

# The buttons of the contract page: URL slug → (name of its form in the page, form class).
CONTRACT_ACTIONS: dict[str, tuple[str, type[Any]]] = {
    "podpisz": ("sign_form", f.SignForm),
    "przeglad": ("review_form", f.ReviewForm),
    "zaplanuj-przeglad": ("review_plan_form", f.ReviewPlanForm),
    "naruszenie": ("breach_form", f.BreachForm),
    "zakoncz": ("close_form", f.CloseForm),
    "aneks": ("annex_form", f.AnnexForm),
}


def _contract_detail_page(
    request: HttpRequest,
    contract: SocialContract,
    *,
    bound: dict[str, Any] | None = None,
    failed: Any = None,
    status: int = 200,
) -> HttpResponse:
    """The contract with its forms; ``bound`` replaces the blank forms by the submitted ones
    (kept with what was typed), ``failed`` is the one whose errors the summary at the top
    lists (issue 17: errors at the field, no flash message), answered with ``status`` (422 a
    field, 409 the contract's state or a stale page, 403 not permitted)."""
    on = today()
    actions = list(contract.actions.all())
    reviews = list(contract.reviews.all())
    open_reviews = [r for r in reviews if r.held_on is None]
    annexes = list(contract.annexes.all())
    ctx: dict[str, Any] = {
        "c": contract,
        "case": contract.case,
        "person_actions": [a for a in actions if a.party == "osoba" and not a.annex_id],
        "worker_actions": [a for a in actions if a.party == "pracownik" and not a.annex_id],
        "other_actions": [a for a in actions if a.party == "inny" and not a.annex_id],
        "annexes": [(a, [x for x in actions if x.annex_id == a.pk]) for a in annexes],
        "reviews": [(r, r.held_on is None and r.due_on < on) for r in reviews],
        "open_reviews": open_reviews,
        "can_manage": request.user.has_perm("socialwork.manage_contract", contract.case),
        "sign_form": f.SignForm(
            initial={"version": contract.version, "worker_signed_on": on, "person_signed_on": on}
        ),
        "review_form": f.ReviewForm(reviews=open_reviews, initial={"held_on": on}),
        "review_plan_form": f.ReviewPlanForm(),
        "breach_form": f.BreachForm(initial={"occurred_on": on}),
        "close_form": f.CloseForm(initial={"version": contract.version, "ended_on": on}),
        "annex_form": f.AnnexForm(
            prefix=ANNEX_PREFIX,
            initial={"worker_signed_on": on, "person_signed_on": on, "version": contract.version},
        ),
        "annex_actions": f.ActionFormSet(prefix=ANNEX_ACTIONS_PREFIX),
        "add_annex_action": ADD_ANNEX_ACTION,
        "failed": failed,
    }
    ctx.update(bound or {})
    return render(request, "socialwork/contract_detail.html", ctx, status=status)


@require_GET
@require_perm("socialwork.view_notes")
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    if (refused := _protected_gate(request, contract.case)) is not None:
        return refused
    return _contract_detail_page(request, contract)


def _contract_action_run(
    action: str, contract: SocialContract, form: Any, rows: Any, user: Any, on: date
) -> tuple[int, str]:
    """The one service call behind a button; returns the message level and text."""
    d = form.cleaned_data
    if action == "podpisz":
        svc.contract_sign(
            contract=contract,
            user=user,
            today=on,
            expected_version=d["version"],
            worker_signed_on=d["worker_signed_on"],
            person_signed_on=d["person_signed_on"],
            consequences_explained=d["consequences_explained"],
        )
        return messages.SUCCESS, "Kontrakt podpisany — jego treść jest teraz zamknięta."
    if action == "przeglad":
        svc.contract_review_record(
            review=form.reviews[d["review"]],
            held_on=d["held_on"],
            findings=d["findings"],
            user=user,
            today=on,
        )
        return messages.SUCCESS, "Przegląd zapisany."
    if action == "zaplanuj-przeglad":
        svc.contract_review_plan(contract=contract, due_on=d["due_on"])
        return messages.SUCCESS, "Termin przeglądu dodany."
    if action == "naruszenie":
        svc.contract_breach_record(
            contract=contract,
            occurred_on=d["occurred_on"],
            description=d["description"],
            user=user,
            today=on,
        )
        return (
            messages.WARNING,
            "Naruszenie odnotowane — widoczne dla przygotowujących decyzje (art. 11 ust. 2).",
        )
    if action == "zakoncz":
        svc.contract_close(
            contract=contract,
            outcome=d["outcome"],
            ended_on=d["ended_on"],
            evaluation=d["evaluation"],
            reason=d["reason"],
            user=user,
            expected_version=d["version"],
        )
        return messages.SUCCESS, "Kontrakt zakończony."
    by_party = _action_lines_by_party(rows)
    annex = svc.contract_annex_add(
        contract=contract,
        changes=d["changes"],
        new_valid_to=d["new_valid_to"],
        worker_signed_on=d["worker_signed_on"],
        person_signed_on=d["person_signed_on"],
        actions_person=by_party[ActionParty.PERSON],
        actions_worker=by_party[ActionParty.WORKER],
        actions_other=by_party[ActionParty.OTHER],
        user=user,
        today=on,
        expected_version=d.get("version"),
    )
    return messages.SUCCESS, f"Aneks nr {annex.number} zapisany."


@require_POST
@require_perm("socialwork.manage_contract")
def contract_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """sign / review / plan-review / breach / close / annex — each one service call. A refusal
    re-shows the contract page with the submitted form, its errors at the fields and the
    summary at the top; nothing is saved (each service is one transaction)."""
    contract = _contract(request, pk, "socialwork.manage_contract")
    if (refused := _protected_gate(request, contract.case)) is not None:
        return refused
    if action not in CONTRACT_ACTIONS:
        raise Http404
    name, form_class = CONTRACT_ACTIONS[action]
    bound: dict[str, Any] = {}
    rows = None
    form: Form
    if action == "aneks":
        data, adding = _with_added_rows(request.POST, ((ADD_ANNEX_ACTION, ANNEX_ACTIONS_PREFIX),))
        form = f.AnnexForm(data, prefix=ANNEX_PREFIX)
        rows = f.ActionFormSet(data, prefix=ANNEX_ACTIONS_PREFIX)
        bound["annex_actions"] = rows
        if adding:  # only a new empty row: the form comes back as typed, without errors
            _quiet(form)
            _quiet(rows)
            return _contract_detail_page(request, contract, bound={name: form, **bound})
        valid = _rows_valid(form, (rows, "Nowe działania"))
    elif action == "przeglad":
        form = f.ReviewForm(
            request.POST, reviews=[r for r in contract.reviews.all() if r.held_on is None]
        )
        valid = form.is_valid()
    else:
        form = form_class(request.POST)
        valid = form.is_valid()
    status = 422
    if valid:
        try:
            level, text = _contract_action_run(action, contract, form, rows, request.user, today())
        except DomainError as exc:
            attach_errors(form, exc)
            status = refusal_status(form, exc)
        else:
            messages.add_message(request, level, text)
            return redirect("socialwork:contract", pk=contract.pk)
        # A refused service may have changed the object in memory: show what is stored.
        contract = sel.contract_get(pk=contract.pk)
    return _contract_detail_page(
        request, contract, bound={name: form, **bound}, failed=form, status=status
    )


@require_GET
@require_perm("socialwork.view_notes")
def contract_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    if (refused := _protected_gate(request, contract.case)) is not None:
        return refused
    pdf = contract_pdf(contract=contract, centre=instance_settings())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kontrakt-socjalny-{contract.pk}.pdf"'
    return response


# ------------------------------------------------------------------ plans


@require_http_methods(["GET", "POST"])
@require_perm("socialwork.manage_plan")
def plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "socialwork.manage_plan")
    if (refused := _protected_gate(request, case)) is not None:
        return refused
    if request.method == "POST":
        data, adding = _with_added_rows(request.POST, ((ADD_PLAN_ACTION, PLAN_ACTIONS_PREFIX),))
        form = f.PlanForm(data)
        rows = f.PlanActionFormSet(data, prefix=PLAN_ACTIONS_PREFIX)
        if adding:  # only a new empty row: the form comes back as typed, without errors
            _quiet(form)
            _quiet(rows)
        elif _rows_valid(form, (rows, "Działania")):
            lines = [
                svc.PlanActionLine(
                    description=r["description"].strip(),
                    responsible=r.get("responsible", ""),
                    due_on=r.get("due_on"),
                )
                for r in rows.cleaned_data
                if r and r.get("description", "").strip()
            ]
            try:
                plan = svc.plan_create(
                    case=case, user=request.user, actions=lines, **form.cleaned_data
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "Plan zapisany.")
                return redirect("socialwork:plan", pk=plan.pk)
    else:
        form = f.PlanForm(initial={"valid_from": today()})
        rows = f.PlanActionFormSet(prefix=PLAN_ACTIONS_PREFIX)
    return render(
        request,
        "socialwork/plan_form.html",
        {"case": case, "form": form, "rows": rows, "add_plan_action": ADD_PLAN_ACTION},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@require_perm("socialwork.view_notes")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        plan = sel.plan_get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    case = _case(request, plan.case_id, "socialwork.view_notes")
    if (refused := _protected_gate(request, case)) is not None:
        return refused
    can_manage = request.user.has_perm("socialwork.manage_plan", case)
    form = f.PlanReviewForm(initial={"version": plan.version, "held_on": today()})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = f.PlanReviewForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                svc.plan_review_add(
                    plan=plan,
                    held_on=d["held_on"],
                    findings=d["findings"],
                    next_review_on=d["next_review_on"],
                    close_as=d["close_as"],
                    user=request.user,
                    today=today(),
                    expected_version=d["version"],
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "Przegląd planu zapisany.")
                return redirect("socialwork:plan", pk=plan.pk)
    return render(
        request,
        "socialwork/plan_detail.html",
        {"plan": plan, "case": case, "form": form, "can_manage": can_manage},
    )


# ------------------------------------------------------------------ protected records


@require_http_methods(["GET", "POST"])
@require_perm("socialwork.protect_case")
def protect(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "socialwork.protect_case")
    protected = sel.case_protected(case=case)
    form = f.ProtectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.case_protect(
                now=dates.now(),
                case=case,
                protected=not protected,
                reason=form.cleaned_data["reason"],
                user=request.user,
                remote_addr=client_ip(request),
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, "Zdjęto ochronę sprawy." if protected else "Sprawa jest teraz chroniona."
            )
            return redirect(_back(case))
    return render(
        request, "socialwork/protect.html", {"case": case, "form": form, "protected": protected}
    )


@require_POST
@require_perm("socialwork.view_notes")
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "socialwork.view_notes")
    form = f.BreakGlassForm(request.POST)
    nxt = safe_next(request, _back(case))
    if not nxt.startswith("/praca-socjalna/"):
        nxt = _back(case)
    if form.is_valid():
        try:
            svc.break_glass_open(
                case=case,
                user=request.user,
                reason=form.cleaned_data["reason"],
                now=dates.now(),
                remote_addr=client_ip(request),
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.warning(
                request,
                "Dostęp nadzwyczajny na 60 minut — zapisany w dzienniku i widoczny dla kierownika.",
            )
            return redirect(nxt)
    return render(
        request, "socialwork/protected.html", {"case": case, "form": form, "next": nxt}, status=403
    )


# ------------------------------------------------------------------ caseload


@require_GET
@require_perm("socialwork.view_caseload")
def caseload(request: HttpRequest) -> HttpResponse:
    on = today()
    rows = sel.caseload(user=request.user, on=on)
    worker = request.GET.get("pracownik", "")
    cases = sel.worker_cases(user=request.user, worker_id=int(worker)) if worker.isdigit() else []
    return render(
        request,
        "socialwork/caseload.html",
        {
            "rows": rows,
            "on": on,
            "cases": cases,
            "worker_id": int(worker) if worker.isdigit() else None,
            "grants": sel.grants_for_head(user=request.user, since=on.replace(day=1))
            if request.user.has_perm("socialwork.protect_case")
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("socialwork.reassign_case")
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "socialwork.reassign_case")
    workers = sel.workers_for_case(case=case)
    if request.method == "POST":
        form = f.ReassignForm(request.POST, workers=workers)
        if form.is_valid():
            d = form.cleaned_data
            worker = next(w for w in workers if w.pk == d["worker"])
            try:
                svc.case_reassign(
                    now=dates.now(),
                    case=case,
                    worker=worker,
                    kind=d["kind"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    reason=d["reason"],
                    user=request.user,
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "Przydział zapisany.")
                return redirect(_back(case))
    else:
        form = f.ReassignForm(workers=workers, initial={"starts_on": today(), "kind": "zastepstwo"})
    return render(
        request,
        "socialwork/reassign.html",
        {"case": case, "form": form, "history": sel.assignment_history(case=case)},
    )

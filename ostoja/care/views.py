"""Pages of the care context: care orders with their months and bills, the provider invoice
check, service events, and the powiat's programmes. One domain call per action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ostoja.audit.bulk import bulk_read_record
from ostoja.audit.services import access_record, client_ip, refuse_access
from ostoja.care import forms as f
from ostoja.care import selectors as sel
from ostoja.care import services as svc
from ostoja.care.models import (
    CareMonth,
    CareOrder,
    IntegrationProgramme,
    LeavingCareProgramme,
    Provider,
    ServiceEvent,
)
from ostoja.care.policy import EventKind
from ostoja.cases.models import Case
from ostoja.cases.selectors import cases_visible
from ostoja.core.access import require_perm
from ostoja.core.dates import now, today
from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.core.forms import attach_errors


def _cases(request: HttpRequest) -> Any:
    return (
        cases_visible(user=request.user)
        .select_related("household")
        .order_by("household__name")[:300]
    )


def _person(case: Case) -> Any:
    m = case.household.memberships.select_related("person").order_by("pk").first()
    if m is None:
        raise DomainError("Rodzina nie ma członków.", field="case")
    return m.person


def _create(
    request: HttpRequest,
    form: Any,
    make: Callable[[dict[str, Any]], Any],
    *,
    done: str,
    target: Callable[[Any], str],
) -> HttpResponse | None:
    """The create pages' one pattern: a valid POST makes the record through one domain call;
    a refusal lands on the form's fields, success flashes ``done`` and goes to ``target``.
    ``None``: render the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = make(form.cleaned_data)
    except DomainError as exc:
        attach_errors(form, exc)
        return None
    messages.success(request, done)
    return redirect(target(obj))


@require_GET
@require_perm("care.view")
def index(request: HttpRequest) -> HttpResponse:
    orders = list(sel.orders_visible(user=request.user)[:200])
    events = list(sel.events_visible(user=request.user)[:50])
    bulk_read_record(
        user=request.user, model=CareOrder, what="zlecenia usług", rows=len(orders),
        remote_addr=client_ip(request),
    )  # fmt: skip
    rows = [(o, sel.order_months(o)[-1:] or None) for o in orders]
    return render(request, "care/index.html", {"rows": rows, "events": events})


@require_http_methods(["GET", "POST"])
@require_perm("care.manage")
def order_new(request: HttpRequest) -> HttpResponse:
    on = today()
    cases = list(_cases(request))
    contracts = list(sel.contracts_in_force(on=on))
    form = f.CareOrderForm(request.POST or None, cases=cases, contracts=contracts)

    def make(d: dict[str, Any]) -> Any:
        case = next(c for c in cases if c.pk == d["case"])
        contract = next(c for c in contracts if c.pk == d["contract"])
        return svc.care_order_create(
            case=case, person=_person(case), decision_number=d["decision_number"],
            service_kind=d["service_kind"], scope=d["scope"],
            hours_per_day=d["hours_per_day"], days_per_week=d["days_per_week"],
            hours_per_month=d["hours_per_month"], period_from=d["period_from"],
            period_until=d["period_until"], place=d["place"],
            living_alone=d["living_alone"], contract=contract, income=d["income"],
            single=d["single"], actor=request.user, on=on,
        )  # fmt: skip

    done = _create(
        request, form, make, done="Zapisano zlecenie usług.",
        target=lambda o: reverse("care:order", args=[o.pk]),
    )  # fmt: skip
    if done is not None:
        return done
    return render(request, "care/order_form.html", {"form": form})


def _refuse_if_exists(request: HttpRequest, model: type[Any], pk: int) -> NoReturn:
    """The record is outside the user's scope: a refusal of an existing record is audited
    (``refuse_access``), an unknown id is a plain 404 — both answer alike."""
    other = sel.record_unscoped(model=model, pk=pk)
    if other is not None:
        refuse_access(request, other)
    raise Http404


def _visible_record(request: HttpRequest, scope: QuerySet[Any], model: type[Any], pk: int) -> Any:
    """One record of the user's scope, its opening audited; outside the scope as
    ``_refuse_if_exists``."""
    record = scope.filter(pk=pk).first()
    if record is None:
        _refuse_if_exists(request, model, pk)
    access_record(user=request.user, obj=record, remote_addr=client_ip(request))
    return record


def _order(request: HttpRequest, pk: int) -> CareOrder:
    try:
        order = sel.order_get(user=request.user, pk=pk)
    except CareOrder.DoesNotExist:
        _refuse_if_exists(request, CareOrder, pk)
    access_record(user=request.user, obj=order, remote_addr=client_ip(request))
    return order


@require_http_methods(["GET", "POST"])
@require_perm("care.view")
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    carers = list(order.provider.carers.all())
    initial: dict[str, Any] = {}
    fix = request.GET.get("popraw", "")
    if fix.isdigit():  # correcting a reported month: its month, hours and version prefilled
        m = order.months.filter(pk=int(fix), status="zgloszony").first()
        if m is not None:
            initial = {"month": m.month, "hours_delivered": m.hours_delivered,
                       "carer": m.carer_id, "version": m.version}  # fmt: skip
    form = f.MonthReportForm(request.POST or None, carers=carers, initial=initial)
    if request.method == "POST":
        if not request.user.has_perm("care.manage"):
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            carer = next((c for c in carers if c.pk == d["carer"]), None)
            try:
                svc.care_month_report(
                    order=order, month=d["month"], hours_delivered=d["hours_delivered"],
                    carer=carer, actor=request.user, now=now(),
                    expected_version=d["version"],
                )  # fmt: skip
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "Zapisano godziny za miesiąc.")
                return redirect("care:order", order.pk)
    months = sorted(order.months.all(), key=lambda m: m.month)
    return render(
        request,
        "care/order_detail.html",
        {
            "order": order,
            "months": months,
            "form": form,
            "can_bill": request.user.has_perm("care.bill"),
            "decision": order.decision,
            "active_from": sel.order_active_from(order),
            "decide_form": f.CareDecisionForm(page="order", initial={"version": order.version}),
            "decide_url": reverse("care:order_decide", args=[order.pk]),
        },
    )


@require_POST
@require_perm("care.bill")
def month_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        month = sel.month_get(user=request.user, pk=pk)
    except CareMonth.DoesNotExist:
        _refuse_if_exists(request, CareMonth, pk)
    try:
        version = int(request.POST.get("version", "0"))
    except ValueError:
        version = 0
    try:
        if action == "rachunek":
            svc.care_month_bill(
                month=month, actor=request.user, on=today(), expected_version=version
            )
            messages.success(request, "Wystawiono rachunek za miesiąc.")
        elif action == "wplata":
            svc.care_month_paid(
                month=month, actor=request.user, on=today(), expected_version=version
            )
            messages.success(request, "Zapisano wpłatę.")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("care:order", month.order_id)


@require_http_methods(["GET", "POST"])
@require_perm("care.check_invoices")
def invoices(request: HttpRequest) -> HttpResponse:
    providers = list(Provider.objects.order_by("name"))
    form = f.InvoiceForm(request.POST or None, providers=providers)
    result = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        provider = next(p for p in providers if p.pk == d["provider"])
        try:
            result = svc.provider_invoice_check(
                provider=provider, number=d["number"], month=d["month"],
                hours_invoiced=d["hours_invoiced"], amount_invoiced=d["amount_invoiced"],
                actor=request.user, on=today(),
            )  # fmt: skip
        except DomainError as exc:
            attach_errors(form, exc)
    overdue = (
        list(sel.overdue_bills(on=today())[:200])
        if request.user.has_perm("payments.manage_receivables")
        else []
    )
    return render(
        request,
        "care/invoices.html",
        {"form": form, "result": result, "invoices": sel.invoices_recent(), "overdue": overdue},
    )


@require_POST
@require_perm("care.check_invoices", "payments.manage_receivables")
def month_receivable(request: HttpRequest, pk: int) -> HttpResponse:
    """An unpaid bill after its payment date becomes a receivable (finance)."""
    month = sel.overdue_bills(on=today()).filter(pk=pk).first()
    if month is None:
        raise Http404
    try:
        svc.care_month_to_receivable(
            month=month, actor=request.user, on=today(),
            expected_version=int(request.POST.get("version", "0") or 0),
        )  # fmt: skip
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "Błędne dane."))
    else:
        messages.success(request, "Zarejestrowano należność z nieopłaconego rachunku.")
    return redirect("care:invoices")


@require_GET
@require_perm("care.view")
def events(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("rodzaj", "")
    if kind not in EventKind.values:
        kind = ""
    rows = list(sel.events_visible(user=request.user, kind=kind)[:300])
    bulk_read_record(
        user=request.user, model=ServiceEvent, what="zdarzenia pomocy", rows=len(rows),
        filters={"kind": kind}, remote_addr=client_ip(request),
    )  # fmt: skip
    kinds = EventKind.choices
    share = sel.school_meal_share(month=today())
    return render(
        request,
        "care/events.html",
        {"rows": rows, "kind": kind, "kinds": kinds, "share": share},
    )


@require_http_methods(["GET", "POST"])
@require_perm("care.manage")
def event_new(request: HttpRequest) -> HttpResponse:
    on = today()
    cases = list(_cases(request))
    form = f.ServiceEventForm(request.POST or None, cases=cases, initial={"occurred_on": on})

    def make(d: dict[str, Any]) -> Any:
        case = next(c for c in cases if c.pk == d["case"])
        details: dict[str, Any] = {}
        if d["description"]:
            key = {"bilet": "route", "pogrzeb": "deceased"}.get(d["kind"], "description")
            details[key] = d["description"]
        return svc.service_event_record(
            kind=d["kind"], person=_person(case), case=case, unit=case.unit,
            occurred_on=d["occurred_on"], decision_number=d["decision_number"],
            emergency_basis=d["emergency_basis"] or "", quantity=d["quantity"],
            amount=d["amount"], details=details, stay_until=d["stay_until"],
            recovery_route=d["recovery_route"] or "", income=d["income"],
            single=d["single"], actor=request.user, on=on,
        )  # fmt: skip

    done = _create(
        request, form, make, done="Zapisano pomoc.", target=lambda _e: reverse("care:events")
    )
    if done is not None:
        return done
    return render(request, "care/event_form.html", {"form": form})


@require_GET
@require_perm("care.view")
def powiat(request: HttpRequest) -> HttpResponse:
    leaving = list(sel.leaving_care_visible(user=request.user)[:200])
    integration = list(sel.integration_visible(user=request.user)[:200])
    return render(request, "care/powiat.html", {"leaving": leaving, "integration": integration})


def _visible_case(request: HttpRequest, pk: int, cases: list[Case]) -> Case:
    return next(c for c in cases if c.pk == pk)


@require_http_methods(["GET", "POST"])
@require_perm("care.manage")
def leaving_new(request: HttpRequest) -> HttpResponse:
    cases = list(_cases(request))
    form = f.LeavingCareForm(request.POST or None, cases=cases)

    def make(d: dict[str, Any]) -> Any:
        case = _visible_case(request, d["case"], cases)
        return svc.leaving_care_programme_create(
            person=_person(case), case=case, unit=case.unit,
            institution_kind=d["institution_kind"], institution_name=d["institution_name"],
            left_on=d["left_on"], stay_months=d["stay_months"],
            guardian_name=d["guardian_name"], goals=d["goals"], agreed_on=d["agreed_on"],
            actor=request.user,
        )  # fmt: skip

    done = _create(
        request, form, make, done="Zapisano program usamodzielnienia.",
        target=lambda p: reverse("care:leaving", args=[p.pk]),
    )  # fmt: skip
    if done is not None:
        return done
    return render(
        request,
        "care/simple_form.html",
        {"form": form, "title": "Nowy program usamodzielnienia", "back": reverse("care:powiat")},
    )


@require_http_methods(["GET", "POST"])
@require_perm("care.view")
def leaving_detail(request: HttpRequest, pk: int) -> HttpResponse:
    prog = _visible_record(
        request, sel.leaving_care_visible(user=request.user), LeavingCareProgramme, pk
    )
    form = f.LeavingCareHelpForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("care.manage"):
            raise Http404
        if form.is_valid():
            try:
                svc.leaving_care_help_compute(
                    programme=prog, kind=form.cleaned_data["kind"], age=form.cleaned_data["age"],
                    on=today(), actor=request.user,
                )  # fmt: skip
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "Wyliczono kwotę pomocy.")
                return redirect("care:leaving", prog.pk)
    helps = [
        (
            h,
            sel.decision_enforceable_from(h.decision) if h.decision_id else None,
            f.CareDecisionForm(
                page="education" if h.kind == "kontynuowanie_nauki" else "leaving",
                initial={"help": h.pk}, auto_id=f"id_pomoc{h.pk}_%s",
            ),
        )
        for h in prog.helps.select_related("decision").order_by("pk")
    ]  # fmt: skip
    return render(
        request,
        "care/leaving_detail.html",
        {"p": prog, "form": form, "helps": helps,
         "decide_url": reverse("care:leaving_decide", args=[prog.pk])},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@require_perm("care.manage")
def integration_new(request: HttpRequest) -> HttpResponse:
    cases = list(_cases(request))
    form = f.IntegrationForm(request.POST or None, cases=cases)

    def make(d: dict[str, Any]) -> Any:
        case = _visible_case(request, d["case"], cases)
        return svc.integration_programme_create(
            person=_person(case), case=case, unit=case.unit, family_size=d["family_size"],
            starts_on=d["starts_on"], obligations=d["obligations"], actor=request.user,
        )  # fmt: skip

    done = _create(
        request, form, make, done="Zapisano program integracji.",
        target=lambda p: reverse("care:integration", args=[p.pk]),
    )  # fmt: skip
    if done is not None:
        return done
    return render(
        request,
        "care/simple_form.html",
        {
            "form": form,
            "title": "Nowy indywidualny program integracji",
            "back": reverse("care:powiat"),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("care.view")
def integration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    prog = _visible_record(
        request, sel.integration_visible(user=request.user), IntegrationProgramme, pk
    )
    action = request.POST.get("action", "")
    review = f.IntegrationReviewForm(request.POST if action == "review" else None)
    end = f.IntegrationEndForm(
        request.POST if action == "end" else None, initial={"version": prog.version}
    )
    if request.method == "POST":
        if not request.user.has_perm("care.manage"):
            raise Http404
        try:
            if action == "review" and review.is_valid():
                d = review.cleaned_data
                svc.integration_review_add(
                    programme=prog, reviewed_on=d["reviewed_on"],
                    obligations_met=d["obligations_met"], findings=d["findings"],
                    actor=request.user,
                )  # fmt: skip
                messages.success(request, "Zapisano ocenę programu.")
                return redirect("care:integration", prog.pk)
            if action == "end" and end.is_valid():
                d = end.cleaned_data
                svc.integration_programme_end(
                    programme=prog, ended_on=d["ended_on"], reason=d["end_reason"],
                    broken=d["broken"], actor=request.user, expected_version=d["version"],
                )  # fmt: skip
                messages.success(request, "Zakończono program.")
                return redirect("care:integration", prog.pk)
        except DomainError as exc:
            attach_errors(review if action == "review" else end, exc)
    return render(
        request,
        "care/integration_detail.html",
        {
            "p": prog, "review": review, "end": end, "decision": prog.decision,
            "active_from": sel.decision_enforceable_from(prog.decision) if prog.decision else None,
            "decide_form": f.CareDecisionForm(
                page="integration", initial={"version": prog.version}, auto_id="id_dec_%s"
            ),
            "decide_url": reverse("care:integration_decide", args=[prog.pk]),
        },
    )  # fmt: skip


def _decision_refused(request: HttpRequest, form: Any, exc: DomainError | None = None) -> None:
    """A refused draft: each message names its field (Polish label) on the page it came from."""
    labels = {name: str(field.label) for name, field in form.fields.items()}
    if exc is None:
        problems = [(k, m) for k, msgs in form.errors.items() for m in msgs]
    elif isinstance(exc, ValidationFailed):
        problems = [(k, m) for k, msgs in exc.errors.items() for m in msgs]
    else:
        problems = [("", exc.message)]
    for key, message in problems:
        label = labels.get(key, "")
        messages.error(request, f"{label}: {message}" if label else message)


def _decide(request: HttpRequest, make: Callable[[dict[str, Any]], Any], back: str) -> HttpResponse:
    form = f.CareDecisionForm(request.POST, page="education")
    if not form.is_valid():
        _decision_refused(request, form)
        return redirect(back)
    try:
        make(form.cleaned_data)
    except DomainError as exc:
        _decision_refused(request, form, exc)
    else:
        messages.success(
            request, "Przygotowano projekt decyzji — przekaż go do sprawdzenia i podpisu."
        )
    return redirect(back)


@require_POST
@require_perm("care.manage")
def order_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the decision granting an order's services (art. 50 u.p.s.)."""
    order = _order(request, pk)
    return _decide(
        request,
        lambda d: svc.care_order_decision_draft(
            order=order,
            actor=request.user,
            on=today(),
            expected_version=d["version"] or 0,
            immediate=d["immediate"],
            immediate_reason=d["immediate_reason"],
        ),
        reverse("care:order", args=[order.pk]),
    )


@require_POST
@require_perm("care.manage")
def leaving_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the decision granting one computed form of leaving-care help (art. 88 u.p.s.)."""
    prog = _visible_record(
        request, sel.leaving_care_visible(user=request.user), LeavingCareProgramme, pk
    )

    def make(d: dict[str, Any]) -> Any:
        help = prog.helps.filter(pk=d["help"] or 0).first()
        if help is None:
            raise DomainError("Wybierz wyliczoną pomoc z tego programu.", field="help")
        return svc.leaving_care_help_decide(
            help=help, actor=request.user, on=today(), account_number=d["account_number"],
            education_until=d["education_until"], immediate=d["immediate"],
            immediate_reason=d["immediate_reason"],
        )  # fmt: skip

    return _decide(request, make, reverse("care:leaving", args=[prog.pk]))


@require_POST
@require_perm("care.manage")
def integration_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the decision granting the integration programme's benefit (art. 91–92 u.p.s.)."""
    prog = _visible_record(
        request, sel.integration_visible(user=request.user), IntegrationProgramme, pk
    )
    return _decide(
        request,
        lambda d: svc.integration_benefit_decide(
            programme=prog,
            actor=request.user,
            on=today(),
            expected_version=d["version"] or 0,
            account_number=d["account_number"],
            immediate=d["immediate"],
            immediate_reason=d["immediate_reason"],
        ),
        reverse("care:integration", args=[prog.pk]),
    )

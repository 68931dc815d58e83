"""Pages of the care context: care orders with their months and bills, the provider invoice
check, service events, and the powiat's programmes. One domain call per action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
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
from ostoja.care.bill_document import bill_of, bill_pdf, correcting_bill_of
from ostoja.care.models import (
    CareMonth,
    CareMonthCorrection,
    CareOrder,
    IntegrationProgramme,
    LeavingCareProgramme,
    Provider,
    ServiceEvent,
)
from ostoja.care.policy import CorrectionStatus, EventKind
from ostoja.cases.models import Case
from ostoja.cases.selectors import cases_visible
from ostoja.core.access import require_perm
from ostoja.core.dates import now, today
from ostoja.core.errors import DomainError, page_status
from ostoja.core.forms import attach_errors, refusal_form, refusal_status
from ostoja.law.money import CENT


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
    on = today()
    rows = [(o, sel.order_months(o)[-1:] or None, sel.terms_now(o, on)) for o in orders]
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
            paper_enforceable_from=d["paper_enforceable_from"],
            exemption=d["exemption"], exemption_percent=d["exemption_percent"],
            exemption_requested_on=d["exemption_requested_on"],
            exemption_reason=d["exemption_reason"],
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
    if request.method == "POST" and request.POST.get("action") == "paper_day":
        return _order_paper_day(request, order)
    if request.method == "POST" and request.POST.get("action") == "day_propose":
        return _order_day_propose(request, order)
    if request.method == "POST" and request.POST.get("action") == "month_fix":
        return _month_fix_propose(request, order)
    if request.method == "POST" and request.POST.get("action") in TWO_PERSON_DECISIONS:
        return _two_person_decide(request, order, request.POST["action"])
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
    return _order_page(request, order, form=form, status=422 if form.errors else 200)


def _order_page(
    request: HttpRequest,
    order: CareOrder,
    *,
    form: Any = None,
    decide_form: Any = None,
    paper_form: Any = None,
    fix_form: Any = None,
    day_decision_form: Any = None,
    month_form: Any = None,
    refused_month: int | None = None,
    fix_month_form: Any = None,
    fix_decision_form: Any = None,
    pay_form: Any = None,
    fee_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    """The order's page; a refused form comes back bound, its errors at its fields (a refused
    bill or payment of a month: ``month_form`` in the summary and at ``refused_month``'s row)."""
    if form is None:
        form = f.MonthReportForm(carers=list(order.provider.carers.all()))
    paper_missing = order.decision_id is None and order.paper_enforceable_from is None
    if paper_form is None and paper_missing and order.decision_number:
        paper_form = f.PaperDayForm(initial={"version": order.version}, auto_id="id_papier_%s")
    months = sel.order_months_with_payments(order)
    corrections = sel.order_day_corrections(order)
    pending = next((c for c in corrections if c.status == CorrectionStatus.PENDING), None)
    revisions, month_fixes = sel.order_month_history(order)
    fix = request.GET.get("korekta", "")
    if fix_month_form is None and fix.isdigit():  # a billed month's correcting bill
        m = next((m for m in months if m.pk == int(fix) and m.status != "zgloszony"), None)
        if m is not None:
            fix_month_form = f.MonthCorrectionForm(
                initial={"month": m.pk, "version": m.version,
                         "hours_delivered": svc.month_current(m)[0]},
                auto_id="id_kor_%s",
            )  # fmt: skip
    pay_month = None  # the month of the payment panel (part or all of a billed month's fee)
    pay = request.GET.get("wplata", "")
    if pay_form is None and pay.isdigit():
        pay_month = next((m for m in months if m.pk == int(pay) and m.status == "naliczony"), None)
        if pay_month is not None:
            pay_form = f.MonthPaymentForm(
                initial={"version": pay_month.version, "paid_on": today(),
                         "amount": pay_month.money.owed},  # type: ignore[attr-defined]
                auto_id="id_wpl_%s",
            )  # fmt: skip
    elif pay_form is not None and request.resolver_match is not None:
        raw = request.resolver_match.kwargs.get("pk")
        pay_month = next((m for m in months if str(m.pk) == str(raw)), None)
    fee = sel.order_fee_state(order, today())
    fixed_month = None
    if fix_month_form is not None:
        raw = fix_month_form["month"].value()
        fixed_month = next((m for m in months if str(m.pk) == str(raw)), None)
    return render(
        request,
        "care/order_detail.html",
        {
            "order": order,
            "months": months,
            "pay_form": pay_form if pay_month is not None else None,
            "pay_month": pay_month,
            "form": form,
            "can_bill": request.user.has_perm("care.bill"),
            "decision": order.decision,
            "active_from": sel.order_active_from(order),
            "decide_form": decide_form
            or f.CareDecisionForm(
                page="order", initial={"version": order.version}, auto_id="id_dec_%s"
            ),
            "decide_url": reverse("care:order_decide", args=[order.pk]),
            "paper_form": paper_form,
            "corrections": corrections,
            "pending": pending,
            "fix_form": fix_form
            or f.DayCorrectionForm(initial={"version": order.version}, auto_id="id_spr_%s"),
            "day_decision_form": day_decision_form
            or f.DayDecisionForm(
                initial={"correction": pending.pk if pending else None}, auto_id="id_rozstrz_%s"
            ),
            "month_form": month_form,
            "refused_month": refused_month,
            "revisions": revisions,
            "month_fixes": month_fixes,
            "fix_month_form": fix_month_form,
            "fixed_month": fixed_month,
            "fix_decision_form": fix_decision_form,
            "fee_changes": fee.changes,
            "fee_pending": fee.pending,
            "fee_now": fee.rate_now,
            "extent_now": svc.care_extent(fee.terms_now),
            "extent_order": svc.care_extent(sel.CareTerms.of_order(order)),
            "order_end": fee.end,
            "fee_form": fee_form
            or f.OrderChangeForm(
                initial=_terms_initial(fee.terms_next),
                auto_id="id_zo_%s",
                paper_date_asked=sel.paper_date_asked(order, fee.changes),
            ),
            "changeable": sel.order_changeable(order),
        },
        status=status,
    )


def _terms_initial(terms: sel.CareTerms) -> dict[str, Any]:
    """The change form starts from the extent in force: the clerk alters what changes."""
    return {
        "scope": list(terms.scope), "hours_per_day": terms.hours_per_day,
        "days_per_week": terms.days_per_week, "hours_per_month": terms.hours_per_month,
    }  # fmt: skip


def _order_paper_day(request: HttpRequest, order: CareOrder) -> HttpResponse:
    """Record the day an order's paper decision became enforceable (art. 130 KPA)."""
    if not request.user.has_perm("care.manage"):
        raise Http404
    form = f.PaperDayForm(request.POST, auto_id="id_papier_%s")
    if form.is_valid():
        try:
            svc.care_order_paper_day_record(
                order=order, enforceable_from=form.cleaned_data["paper_enforceable_from"],
                actor=request.user, on=today(), expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Zapisano dzień wykonalności decyzji.")
            return redirect("care:order", order.pk)
    return _order_page(request, order, paper_form=form, status=422)


def _month_fix_propose(request: HttpRequest, order: CareOrder) -> HttpResponse:
    """Propose corrected hours of a billed month (a correcting bill; another person issues it)."""
    if not request.user.has_perm("care.manage"):
        raise Http404
    form = f.MonthCorrectionForm(request.POST, auto_id="id_kor_%s")
    status = 422
    if form.is_valid():
        d = form.cleaned_data
        month = sel.month_of(order=order, pk=d["month"])
        if month is None:
            raise Http404
        try:
            svc.care_month_correction_propose(
                month=month, hours_delivered=d["hours_delivered"], reason=d["reason"],
                actor=request.user, now=now(), expected_version=d["version"],
            )  # fmt: skip
        except DomainError as exc:
            attach_errors(form, exc)
            status = refusal_status(form, exc)
        else:
            messages.success(
                request, "Zapisano korektę godzin — rachunek korygujący wystawia inna osoba."
            )
            return redirect("care:order", order.pk)
    return _order_page(request, order, fix_month_form=form, status=status)


def _order_day_propose(request: HttpRequest, order: CareOrder) -> HttpResponse:
    """Propose a corrected day of the order's paper decision (the first of two people)."""
    if not request.user.has_perm("care.manage"):
        raise Http404
    form = f.DayCorrectionForm(request.POST, auto_id="id_spr_%s")
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.care_order_paper_day_propose(
                order=order, new_day=d["new_day"], reason=d["reason"], evidence=d["evidence"],
                actor=request.user, now=now(), expected_version=d["version"],
            )  # fmt: skip
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, "Zapisano propozycję sprostowania — czeka na zatwierdzenie drugiej osoby."
            )
            return redirect("care:order", order.pk)
    return _order_page(request, order, fix_form=form, status=422)


@dataclass(frozen=True)
class _TwoPersonDecision:
    """One two-person confirm/reject on the order page: a proposal (``correction`` in the
    :class:`~ostoja.care.forms.DayDecisionForm`) found among the order's own, decided by its
    service; a refusal comes back in ``page_form`` of :func:`_order_page` at ``status``."""

    confirm_action: str  # the other action of the pair rejects (or withdraws)
    find: Callable[..., Any]  # (order=, pk=) -> the order's proposal or None (404)
    confirm: Callable[..., Any]
    reject: Callable[..., Any]
    confirmed: str
    rejected: str
    auto_id: str
    page_form: str
    perm: str | None = None  # the view's own gate (404) before the form is read


# Sprostowanie of a paper decision's day (art. 130 KPA).
_DAY_DECISION = _TwoPersonDecision(
    confirm_action="day_confirm",
    find=sel.day_correction_of,
    confirm=svc.care_order_paper_day_confirm,
    reject=svc.care_order_paper_day_reject,
    confirmed="Zatwierdzono sprostowanie dnia wykonalności decyzji.",
    rejected="Propozycję sprostowania odrzucono.",
    auto_id="id_rozstrz_%s",
    page_form="day_decision_form",
    perm="care.manage",
)
# A billed month's correcting bill (rachunek korygujący).
_MONTH_FIX_DECISION = _TwoPersonDecision(
    confirm_action="month_fix_confirm",
    find=sel.month_correction_of,
    confirm=svc.care_month_correction_confirm,
    reject=svc.care_month_correction_reject,
    confirmed="Wystawiono rachunek korygujący.",
    rejected="Korektę odrzucono.",
    auto_id="id_korrozstrz_%s",
    page_form="fix_decision_form",
)
TWO_PERSON_DECISIONS = {
    "day_confirm": _DAY_DECISION,
    "day_reject": _DAY_DECISION,
    "month_fix_confirm": _MONTH_FIX_DECISION,
    "month_fix_reject": _MONTH_FIX_DECISION,
}


def _two_person_decide(request: HttpRequest, order: CareOrder, action: str) -> HttpResponse:
    """Confirm (another person than the proposer) or reject / withdraw a proposal of the
    order: a corrected paper decision's day or a billed month's correcting bill."""
    d = TWO_PERSON_DECISIONS[action]
    if d.perm is not None and not request.user.has_perm(d.perm):
        raise Http404
    form = f.DayDecisionForm(request.POST, auto_id=d.auto_id)
    status = 422
    if form.is_valid():
        row = d.find(order=order, pk=form.cleaned_data["correction"])
        if row is None:
            raise Http404
        confirm = action == d.confirm_action
        try:
            (d.confirm if confirm else d.reject)(correction=row, actor=request.user, now=now())
        except DomainError as exc:
            attach_errors(form, exc)
            status = page_status(exc)
        else:
            messages.success(request, d.confirmed if confirm else d.rejected)
            return redirect("care:order", order.pk)
    refused: dict[str, Any] = {d.page_form: form}
    return _order_page(request, order, status=status, **refused)


@require_POST
@require_perm("care.bill")
def month_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Bill a reported month (``rachunek``) or record its payment (``wplata``). A refusal (a
    stale page, the month's present state, a case of another unit) comes back on the order's
    page: the Polish message in the summary on top and at the month's row (403/409; 422 for
    a broken form); nothing saved."""
    if action not in ("rachunek", "wplata"):
        raise Http404
    try:
        month = sel.month_get(user=request.user, pk=pk)
    except CareMonth.DoesNotExist:
        _refuse_if_exists(request, CareMonth, pk)
    # the payment panel (an amount and a date) or the row's one-click button
    panel = action == "wplata" and "amount" in request.POST
    form: f.MonthActionForm = (
        f.MonthPaymentForm(request.POST, auto_id="id_wpl_%s")
        if panel
        else f.MonthActionForm(request.POST, auto_id=f"mies{month.pk}_%s")
    )
    status = 422
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "rachunek":
                svc.care_month_bill(
                    month=month, actor=request.user, on=today(), expected_version=d["version"]
                )
            else:
                svc.care_month_paid(
                    month=month, actor=request.user, on=today(),
                    expected_version=d["version"], amount=d.get("amount"),
                    paid_on=d.get("paid_on"),
                )  # fmt: skip
        except DomainError as exc:
            attach_errors(form, exc)
            status = page_status(exc)
        else:
            messages.success(
                request,
                "Wystawiono rachunek za miesiąc." if action == "rachunek" else "Zapisano wpłatę.",
            )
            return redirect("care:order", month.order_id)
    if panel:
        return _order_page(request, month.order, pay_form=form, status=status)
    return _order_page(request, month.order, month_form=form, refused_month=month.pk, status=status)


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
    return _invoices_page(request, form=form, result=result)


def _invoices_page(
    request: HttpRequest,
    *,
    form: Any = None,
    result: Any = None,
    refused: tuple[int, Any] | None = None,
    refund_form: Any = None,
    refund_month: Any = None,
    status: int = 200,
) -> HttpResponse:
    """The invoice check page; ``refused`` is (month id, the bound receivable form with its
    errors), shown in the summary on top and at the month's row. Finance also sees the refunds
    due to clients; ``?zwrot=<month>`` (or a refused ``refund_form``) opens the refund panel."""
    finance = request.user.has_perm("payments.manage_receivables")
    overdue = list(sel.overdue_bills(on=today())[:200]) if finance else []
    refunds = list(sel.refunds_due()[:200]) if finance else []
    if overdue or refunds:  # clients' names and money: a read of personal data
        bulk_read_record(
            user=request.user, model=CareMonth, what="rachunki po terminie i zwroty dla klientów",
            rows=len(overdue) + len(refunds), remote_addr=client_ip(request),
        )  # fmt: skip
    wanted = request.GET.get("zwrot", "")
    if finance and refund_form is None and wanted.isdigit():
        refund_month = next((m for m in refunds if m.pk == int(wanted)), None)
        if refund_month is not None:
            refund_form = f.MonthRefundForm(
                initial={"version": refund_month.version, "paid_on": today(),
                         "amount": Decimal(refund_month.refund_left).quantize(CENT)},
                auto_id="id_zwr_%s",
            )  # fmt: skip
    return render(
        request,
        "care/invoices.html",
        {
            "form": form or f.InvoiceForm(providers=list(Provider.objects.order_by("name"))),
            "result": result,
            "invoices": sel.invoices_recent(),
            "overdue": overdue,
            "refunds": refunds,
            "refund_form": refund_form if refund_month is not None else None,
            "refund_month": refund_month,
            "refused_month": refused[0] if refused else None,
            "receivable_form": refused[1] if refused else None,
        },
        status=status,
    )


@require_POST
@require_perm("care.check_invoices", "payments.manage_receivables")
def month_receivable(request: HttpRequest, pk: int) -> HttpResponse:
    """An unpaid bill after its payment date becomes a receivable (finance). A refusal (stale
    version, already registered, not yet due) comes back on the page with the summary on top,
    nothing saved."""
    month = sel.overdue_bills(on=today()).filter(pk=pk).first()
    if month is None:
        raise Http404
    form = f.MonthReceivableForm(request.POST)
    if form.is_valid():
        try:
            svc.care_month_to_receivable(
                month=month, actor=request.user, on=today(),
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except DomainError as exc:
            attach_errors(form, exc)
            return _invoices_page(request, refused=(month.pk, form), status=page_status(exc))
        messages.success(request, "Zarejestrowano należność z nieopłaconego rachunku.")
        return redirect("care:invoices")
    return _invoices_page(request, refused=(month.pk, form), status=422)


@require_POST
@require_perm("care.check_invoices", "payments.manage_receivables")
def month_refund(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a refund paid back to a client (finance). A refusal (too much, a stale page, the
    person who proposed or issued the correcting bill) comes back in the panel, the summary on
    top, nothing saved."""
    month = sel.refunds_due().filter(pk=pk).first()
    if month is None:
        raise Http404
    form = f.MonthRefundForm(request.POST, auto_id="id_zwr_%s")
    status = 422
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.care_month_refund_record(
                month=month, actor=request.user, on=today(), expected_version=d["version"],
                amount=d["amount"], paid_on=d["paid_on"], reference=d["reference"],
            )  # fmt: skip
        except DomainError as exc:
            attach_errors(form, exc)
            status = page_status(exc)
        else:
            messages.success(request, "Zapisano zwrot dla klienta.")
            return redirect("care:invoices")
    return _invoices_page(request, refund_form=form, refund_month=month, status=status)


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@require_perm("care.view")
def month_bill_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The client's bill for the month as issued (PDF): within the order's scope, only once
    billed; the opening is audited (a document with the client's name, address and money)."""
    try:
        month = sel.month_get(user=request.user, pk=pk)
    except CareMonth.DoesNotExist:
        _refuse_if_exists(request, CareMonth, pk)
    if month.billed_on is None:
        raise Http404
    access_record(user=request.user, obj=month, remote_addr=client_ip(request), reason="rachunek")
    doc = bill_of(month)
    return _pdf(bill_pdf(doc), f"rachunek-{doc.number.replace('/', '-')}.pdf")


@require_GET
@require_perm("care.view")
def correction_bill_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A correcting bill as issued (PDF): within the order's scope, only once confirmed."""
    try:
        correction = sel.correction_get(user=request.user, pk=pk)
    except CareMonthCorrection.DoesNotExist:
        _refuse_if_exists(request, CareMonthCorrection, pk)
    if correction.status != CorrectionStatus.CONFIRMED:
        raise Http404
    access_record(
        user=request.user, obj=correction, remote_addr=client_ip(request),
        reason="rachunek korygujący",
    )  # fmt: skip
    doc = correcting_bill_of(correction)
    return _pdf(bill_pdf(doc), f"rachunek-{doc.number.replace('/', '-')}.pdf")


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
    return _leaving_page(request, prog, form=form, status=422 if form.errors else 200)


def _help_page(help: Any) -> str:
    return "education" if help.kind == "kontynuowanie_nauki" else "leaving"


def _leaving_page(
    request: HttpRequest,
    prog: LeavingCareProgramme,
    *,
    form: Any = None,
    refused: tuple[int, Any] | None = None,
    status: int = 200,
    refusal: Any = None,
) -> HttpResponse:
    """The programme's page; ``refused`` is (help id, the bound decision form with its errors),
    ``refusal`` a :func:`refusal_form` for the summary on top."""

    def decide_form(h: Any) -> Any:
        if refused is not None and refused[0] == h.pk:
            return refused[1]
        return f.CareDecisionForm(
            page=_help_page(h), initial={"help": h.pk}, auto_id=f"id_pomoc{h.pk}_%s"
        )

    helps = [
        (h, sel.decision_enforceable_from(h.decision) if h.decision_id else None, decide_form(h))
        for h in prog.helps.select_related("decision").order_by("pk")
    ]
    return render(
        request,
        "care/leaving_detail.html",
        {"p": prog, "form": form or f.LeavingCareHelpForm(), "helps": helps,
         "decide_url": reverse("care:leaving_decide", args=[prog.pk]), "refusal": refusal},
        status=status,
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
    refused = request.method == "POST" and bool(review.errors or end.errors)
    return _integration_page(request, prog, review=review, end=end, status=422 if refused else 200)


def _integration_page(
    request: HttpRequest,
    prog: IntegrationProgramme,
    *,
    review: Any = None,
    end: Any = None,
    decide_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "care/integration_detail.html",
        {
            "p": prog, "review": review or f.IntegrationReviewForm(),
            "end": end or f.IntegrationEndForm(initial={"version": prog.version}),
            "decision": prog.decision,
            "active_from": sel.decision_enforceable_from(prog.decision) if prog.decision else None,
            "decide_form": decide_form or f.CareDecisionForm(
                page="integration", initial={"version": prog.version}, auto_id="id_dec_%s"
            ),
            "decide_url": reverse("care:integration_decide", args=[prog.pk]),
        },
        status=status,
    )  # fmt: skip


def _decide(
    request: HttpRequest,
    form: Any,
    make: Callable[[dict[str, Any]], Any],
    back: str,
    page: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """Draft a decision from the page's decision form. A refusal comes back on the same page
    with the bound form: each message at its field (Polish label), the summary on top."""
    if form.is_valid():
        try:
            make(form.cleaned_data)
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, "Przygotowano projekt decyzji — przekaż go do sprawdzenia i podpisu."
            )
            return redirect(back)
    response = page(form)
    response.status_code = 422
    return response


@require_POST
@require_perm("care.manage")
def order_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the decision granting an order's services (art. 50 u.p.s.)."""
    order = _order(request, pk)
    return _decide(
        request,
        f.CareDecisionForm(request.POST, page="order", auto_id="id_dec_%s"),
        lambda d: svc.care_order_decision_draft(
            order=order,
            actor=request.user,
            on=today(),
            expected_version=d["version"] or 0,
            immediate=d["immediate"],
            immediate_reason=d["immediate_reason"],
        ),
        reverse("care:order", args=[order.pk]),
        lambda form: _order_page(request, order, decide_form=form),
    )


@require_POST
@require_perm("care.manage")
def order_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the changing decision setting an order's terms from a month: the extent or scope
    (art. 50 ust. 4), the fee for the client's income now or an exemption on request (art. 50
    ust. 6) — art. 106 ust. 5 u.p.s."""
    order = _order(request, pk)
    return _decide(
        request,
        f.OrderChangeForm(
            request.POST, auto_id="id_zo_%s", paper_date_asked=sel.paper_date_asked(order)
        ),
        lambda d: svc.care_order_change_draft(
            order=order,
            effective_from=d["effective_from"],
            actor=request.user,
            on=today(),
            income=d["income"],
            single=d["single"],
            exemption=d["exemption"],
            exemption_percent=d["exemption_percent"],
            exemption_requested_on=d["exemption_requested_on"],
            exemption_reason=d["exemption_reason"],
            hours_per_day=d["hours_per_day"],
            days_per_week=d["days_per_week"],
            hours_per_month=d["hours_per_month"],
            scope=d["scope"],
            extent_reason=d["extent_reason"],
            requested_on=d["requested_on"],
            paper_issued_on=d.get("paper_issued_on"),
        ),
        reverse("care:order", args=[order.pk]) + "#zmiana-odplatnosci",
        lambda form: _order_page(request, order, fee_form=form),
    )


@require_POST
@require_perm("care.manage")
def leaving_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the decision granting one computed form of leaving-care help (art. 88 u.p.s.)."""
    prog = _visible_record(
        request, sel.leaving_care_visible(user=request.user), LeavingCareProgramme, pk
    )
    raw = request.POST.get("help", "")
    help = prog.helps.filter(pk=int(raw)).first() if raw.isdigit() else None
    if help is None:
        # Issue 17: no help of this programme chosen (a stale page, a forged id) — the reason in
        # the summary on top of the programme's page (409, as ``page_status``), nothing saved.
        return _leaving_page(
            request, prog, refusal=refusal_form("Wybierz wyliczoną pomoc z tego programu."),
            status=409,
        )  # fmt: skip
    form = f.CareDecisionForm(request.POST, page=_help_page(help), auto_id=f"id_pomoc{help.pk}_%s")

    def make(d: dict[str, Any]) -> Any:
        return svc.leaving_care_help_decide(
            help=help, actor=request.user, on=today(), account_number=d["account_number"],
            education_until=d.get("education_until"), immediate=d["immediate"],
            immediate_reason=d["immediate_reason"],
        )  # fmt: skip

    return _decide(
        request, form, make, reverse("care:leaving", args=[prog.pk]),
        lambda bound: _leaving_page(request, prog, refused=(help.pk, bound)),
    )  # fmt: skip


@require_POST
@require_perm("care.manage")
def integration_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft the decision granting the integration programme's benefit (art. 91–92 u.p.s.)."""
    prog = _visible_record(
        request, sel.integration_visible(user=request.user), IntegrationProgramme, pk
    )
    return _decide(
        request,
        f.CareDecisionForm(request.POST, page="integration", auto_id="id_dec_%s"),
        lambda d: svc.integration_benefit_decide(
            programme=prog,
            actor=request.user,
            on=today(),
            expected_version=d["version"] or 0,
            immediate=d["immediate"],
            immediate_reason=d["immediate_reason"],
            account_number=d["account_number"],
        ),
        reverse("care:integration", args=[prog.pk]),
        lambda form: _integration_page(request, prog, decide_form=form),
    )

"""Pages of the payments context (Polish UI; one domain call per view)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ostoja.audit.bulk import bulk_read_record
from ostoja.audit.selectors import history_of
from ostoja.audit.services import access_record, client_ip, refuse_access
from ostoja.core import dates
from ostoja.core.access import require_perm
from ostoja.core.dates import today
from ostoja.core.errors import DomainError, page_status
from ostoja.core.forms import attach_errors, refusal_form, refusal_status
from ostoja.decisions.lines import PaymentMethod
from ostoja.law.money import pln
from ostoja.law.periods import YearMonth, parse_year_month
from ostoja.payments import forms as f
from ostoja.payments import selectors, services, sources
from ostoja.payments.budget import FUNDING_LABELS, TASK_LABELS
from ostoja.payments.formats.accounts import format_nrb
from ostoja.payments.models import ListStatus, Payment, PaymentList


def _month_param(request: HttpRequest, name: str = "miesiac") -> YearMonth:
    try:
        return parse_year_month(request.GET.get(name, ""))
    except ValueError:
        return YearMonth.of(today())


def _list_or_404(request: HttpRequest, list_id: int) -> PaymentList:
    """A list mixes districts: only whoever sees every district opens it (selectors.sees_lists);
    a refusal is audited."""
    try:
        pl = selectors.payment_list(list_id)
    except PaymentList.DoesNotExist:
        raise Http404 from None
    if not selectors.sees_lists(user=request.user):
        refuse_access(request, pl, reason="lista wypłat poza zakresem")
    return pl


def _index(
    request: HttpRequest, month: YearMonth, form: f.RunForm | None = None, status: int = 200
) -> HttpResponse:
    wide = selectors.sees_lists(user=request.user)  # lists mix districts (see selectors)
    run = selectors.last_run(month.first_day)
    return render(
        request,
        "payments/index.html",
        {
            "month": month,
            "prev": month.shift(-1),
            "next": month.shift(1),
            "months": selectors.months_overview() if wide else [],
            "lists": selectors.lists_for_month(month.first_day) if wide else [],
            "run": run,
            "wide": wide,
            # Art. 18 RODO: names only of persons the user may see, otherwise a count.
            "restricted": selectors.run_restricted(run=run, user=request.user),
            "held": sources.held_lines(
                period_start=month.first_day, period_end=month.shift(1).first_day
            )
            if wide
            else [],
            "form": form or f.RunForm(initial={"month": str(month)}),
        },
        status=status,
    )


@require_perm("payments.view_payments")
def index(request: HttpRequest) -> HttpResponse:
    return _index(request, _month_param(request))


@require_POST
@require_perm("payments.run_payroll")
def run(request: HttpRequest) -> HttpResponse:
    form = f.RunForm(request.POST)
    if not form.is_valid():
        return _index(request, YearMonth.of(today()), form, status=422)
    month = form.cleaned_data["month"]
    try:
        start, end = month.first_day, month.shift(1).first_day
        lines = sources.payable_lines(period_start=start, period_end=end)
        held = sources.held_lines(period_start=start, period_end=end)
        result = services.payroll_build(
            now=dates.now(), month=month, lines=lines, actor=request.user, held=held
        )
    except DomainError as exc:
        attach_errors(form, exc)
        return _index(request, month, form, status=refusal_status(form, exc))
    else:
        messages.success(
            request,
            f"Miesiąc {result.month}: utworzono {result.created} płatności na {pln(result.total)}, "
            f"pominięto {result.skipped} (już istniały), skorygowano {result.adjusted}, "
            f"anulowano {result.cancelled}, nadpłaty do zwrotu: {result.overpayments}; "
            f"wstrzymano {len(result.held)} (decyzja jeszcze niewykonalna — lista poniżej)"
            + (
                f"; pominięto {len(result.restricted)} należności {result.restricted_persons} "
                "os. — ograniczenie przetwarzania (art. 18 RODO), wypłata po zniesieniu "
                "ograniczenia"
                if result.restricted
                else ""
            )
            + (
                f"; dopłacono {result.carried} należności pominiętych wcześniej"
                if result.carried
                else ""
            )
            + ".",
        )
    return redirect(f"{reverse('payments:index')}?miesiac={month}")


@require_perm("payments.view_payments")
def list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    pl = _list_or_404(request, list_id)
    access_record(user=request.user, obj=pl, remote_addr=client_ip(request))
    return _render_list(request, pl)


def _default_exec(pl: PaymentList) -> date:
    return max(pl.month.replace(day=10), today())


def _render_list(
    request: HttpRequest,
    pl: PaymentList,
    form: f.ApproveForm | None = None,
    status: int = 200,
    refusal: Any = None,
) -> HttpResponse:
    """The list's page; ``form`` the approval form as posted, a fresh one when None."""
    if form is None:
        form = f.ApproveForm(initial={"version": pl.version, "execution_date": _default_exec(pl)})
    payments = selectors.list_payments(pl)
    return render(
        request,
        "payments/list_detail.html",
        {
            "pl": pl,
            "payments": payments,
            # Art. 18 RODO: restricted persons neither counted nor named (issue 21).
            "shared": selectors.list_shared_accounts(pl=pl, user=request.user, now=dates.now()),
            "form": form,
            "task_label": TASK_LABELS.get(pl.task_type, pl.task_type),  # type: ignore[call-overload]
            "funding_label": FUNDING_LABELS.get(pl.funding, pl.funding),  # type: ignore[call-overload]
            "is_transfer": pl.method == PaymentMethod.TRANSFER,
            "exports": list(pl.exports.defer("content")),
            "restricted": selectors.list_restricted(pl=pl, user=request.user),
            "history": history_of(pl),
            # Four eyes: the maker is not offered "Zatwierdź" (the service refuses it anyway).
            "is_maker": request.user.pk in services.list_makers(pl),
            "refusal": refusal,
        },
        status=status,
    )


def _held_back(n: int) -> str:
    """Counts only: names are on the list's page, for whoever may see the person."""
    return (
        f"Wstrzymano płatności: {n} — ograniczenie przetwarzania (art. 18 RODO). Czekają na "
        "liście uzupełniającej do zniesienia ograniczenia."
    )


@require_POST
@require_perm("payments.approve_list")
def list_approve(request: HttpRequest, list_id: int) -> HttpResponse:
    pl = _list_or_404(request, list_id)
    form = f.ApproveForm(request.POST)
    if form.is_valid():
        try:
            approved = services.payment_list_approve(
                now=dates.now(),
                list_id=pl.id,
                actor=request.user,
                execution_date=form.cleaned_data["execution_date"],
                expected_version=form.cleaned_data["version"],
                shared_account_reason=form.cleaned_data["shared_account_reason"],
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Lista {pl.number} zatwierdzona i zablokowana.")
            if approved.restricted:
                messages.warning(request, _held_back(len(approved.restricted)))
            return redirect("payments:list_detail", list_id=pl.id)
    return _render_list(request, pl, form, status=422)


@require_POST
@require_perm("payments.export_bank_file")
def list_export(request: HttpRequest, list_id: int, fmt: str) -> HttpResponse:
    pl = _list_or_404(request, list_id)
    try:
        export = services.payment_list_export(
            list_id=pl.id, fmt=fmt, actor=request.user, now=dates.now()
        )
    except DomainError as exc:
        # Issue 17: the refusal on the list's page (summary on top), not a flash + redirect.
        return _render_list(request, pl, status=page_status(exc), refusal=refusal_form(exc.message))
    if export.withheld:
        messages.warning(request, _held_back(len(export.withheld)))
    content_type = "application/xml" if fmt == "pain001" else "text/plain; charset=cp852"
    response = HttpResponse(bytes(export.content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Content-SHA256"] = export.sha256
    return response


@require_perm("payments.view_payments")
def list_print(request: HttpRequest, list_id: int) -> HttpResponse:
    pl = _list_or_404(request, list_id)
    access_record(user=request.user, obj=pl, remote_addr=client_ip(request), reason="wydruk listy")
    return render(
        request,
        "payments/list_print.html",
        {"pl": pl, "payments": [p for p in selectors.list_payments(pl) if p.status != "anulowana"]},
    )


@require_perm("payments.import_statement")
def statements(request: HttpRequest) -> HttpResponse:
    form = f.StatementForm()
    if request.method == "POST":
        form = f.StatementForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                imp, again = services.statement_import(
                    filename=upload.name, data=upload.read(), actor=request.user
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                if again:
                    messages.info(request, "Ten wyciąg był już zaimportowany — nic nie zmieniono.")
                else:
                    messages.success(request, "Wyciąg zaimportowany.")
                return redirect("payments:statement_detail", import_id=imp.id)
    return render(
        request,
        "payments/statements.html",
        {"form": form, "imports": selectors.statement_imports()},
    )


@require_perm("payments.import_statement")
def statement_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    try:
        imp, entries = selectors.statement_detail(import_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(request, "payments/statement_detail.html", {"imp": imp, "entries": entries})


@require_perm("payments.view_payments")
def returns(request: HttpRequest) -> HttpResponse:
    return _returns_page(request)


def _returns_page(
    request: HttpRequest,
    *,
    refused: tuple[int, Any] | None = None,
    confirm_refused: tuple[int, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The returned transfers; ``refused`` is (payment id, the bound re-issue form with its
    errors), shown at that payment's row and in the summary on top; ``confirm_refused`` is
    (re-issue id, a form carrying the refused confirmation of its new account), likewise."""
    returned = list(selectors.returned_payments(user=request.user))
    overpayments = list(selectors.overpayments(user=request.user))
    bulk_read_record(
        user=request.user,
        model=Payment,
        what="zwroty i nadpłaty",
        rows=len(returned) + len(overpayments),
        remote_addr=client_ip(request),
    )
    return render(
        request,
        "payments/returns.html",
        {
            "payments": returned,
            "form": f.ReissueForm(),
            "overpayments": overpayments,
            "refused_row": refused[0] if refused else None,
            "reissue_form": refused[1] if refused else None,
            "confirm_row": confirm_refused[0] if confirm_refused else None,
            "confirm_form": confirm_refused[1] if confirm_refused else None,
        },
        status=status,
    )


@require_POST
@require_perm("payments.reissue_payment")
def reissue(request: HttpRequest, payment_id: int) -> HttpResponse:
    """Pay a returned transfer again. A refusal (no form, a wrong account number, a payment
    out of scope or already re-issued) comes back at the payment's row with the summary on
    top, the typed values kept; nothing is saved."""
    form = f.ReissueForm(request.POST, auto_id=f"zw{payment_id}_%s")
    status = 422
    if form.is_valid():
        try:
            new = services.payment_reissue(
                payment_id=payment_id,
                method=form.cleaned_data["method"],
                account_number=form.cleaned_data["account_number"],
                actor=request.user,
                on=today(),
            )
        except DomainError as exc:
            attach_errors(form, exc)
            status = 422 if exc.field in form.fields else page_status(exc)
        else:
            done = f"Utworzono płatność {new.reference} na liście {new.list}."
            if new.note.startswith("Ponowienie skorygowane"):  # the right ended meanwhile
                done = f"{done[:-1]} na kwotę {pln(new.amount)}. {new.note}"
            messages.success(request, done)
            return redirect("payments:returns")
    return _returns_page(request, refused=(payment_id, form), status=status)


@require_POST
@require_perm("payments.reissue_payment")
def reissue_confirm(request: HttpRequest, payment_id: int) -> HttpResponse:
    """A second person confirms a re-issue to a changed account (two people for money). A
    refusal (the re-issuer or the importer of the return, a payment out of scope, already
    confirmed, a list already approved) comes back on the page: the Polish message in the
    summary on top and at the payment's row (403/409); nothing saved."""
    try:
        confirmed = services.payment_reissue_confirm(
            payment_id=payment_id, actor=request.user, now=dates.now()
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    except DomainError as exc:
        form = refusal_form(exc.message)
        return _returns_page(request, confirm_refused=(payment_id, form), status=page_status(exc))
    messages.success(request, f"Potwierdzono zmianę rachunku w płatności {confirmed.reference}.")
    return redirect("payments:returns")


@require_perm("payments.view_receivables")
def receivables(request: HttpRequest) -> HttpResponse:
    form = f.ReceivableForm()
    if request.method == "POST":
        if not request.user.has_perm("payments.manage_receivables"):
            raise Http404
        form = f.ReceivableForm(request.POST)
        if form.is_valid():
            try:
                rec = services.receivable_register(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request, f"Zarejestrowano należność z decyzji {rec.decision_number}."
                )
                return redirect("payments:receivable_detail", receivable_id=rec.id)
    return _receivables_page(request, form)


def _receivables_page(
    request: HttpRequest, form: f.ReceivableForm, status: int = 200, refusal: Any = None
) -> HttpResponse:
    return render(
        request,
        "payments/receivables.html",
        {
            "balances": selectors.balances_per_person(),
            "rows": selectors.receivables(),
            "to_register": selectors.recovery_decisions_to_register(),
            "form": form,
            "can_manage": request.user.has_perm("payments.manage_receivables"),
            "refusal": refusal,
        },
        status=status,
    )


@require_POST
@require_perm("payments.manage_receivables")
def receivable_from_decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    """„Zarejestruj należność” next to a signed recovery decision (finance only)."""
    try:
        rec = services.receivable_register_from_decision(
            decision_id=decision_id, actor=request.user
        )
    except DomainError as exc:
        # Issue 17: the refusal on the receivables page (summary on top), nothing saved.
        return _receivables_page(
            request, f.ReceivableForm(), status=page_status(exc), refusal=refusal_form(exc.message)
        )
    messages.success(request, f"Zarejestrowano należność z decyzji {rec.decision_number}.")
    return redirect("payments:receivable_detail", receivable_id=rec.id)


@require_perm("payments.view_receivables")
def receivable_detail(request: HttpRequest, receivable_id: int) -> HttpResponse:
    try:
        row = selectors.receivable_detail(receivable_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    repay, write_off = f.RepaymentForm(prefix="w"), f.WriteOffForm(prefix="u")
    if request.method == "POST":
        if not request.user.has_perm("payments.manage_receivables"):
            raise Http404
        try:
            if "w-amount" in request.POST:
                repay = f.RepaymentForm(request.POST, prefix="w")
                if repay.is_valid():
                    services.receivable_repay(
                        receivable_id=receivable_id, actor=request.user, **repay.cleaned_data
                    )
                    messages.success(request, "Zapisano wpłatę.")
                    return redirect("payments:receivable_detail", receivable_id=receivable_id)
            else:
                write_off = f.WriteOffForm(request.POST, prefix="u")
                if write_off.is_valid():
                    services.receivable_write_off(
                        receivable_id=receivable_id, actor=request.user, **write_off.cleaned_data
                    )
                    messages.success(request, "Zapisano umorzenie.")
                    return redirect("payments:receivable_detail", receivable_id=receivable_id)
        except DomainError as exc:
            attach_errors(repay if "w-amount" in request.POST else write_off, exc)
    access_record(user=request.user, obj=row.receivable, remote_addr=client_ip(request))
    return render(
        request,
        "payments/receivable_detail.html",
        {
            "row": row,
            "repay": repay,
            "write_off": write_off,
            "history": history_of(row.receivable),
            "can_manage": request.user.has_perm("payments.manage_receivables"),
        },
    )


@require_perm("payments.view_health")
def health(request: HttpRequest) -> HttpResponse:
    month = _month_param(request)
    data = selectors.health_list(month.first_day)
    export = request.GET.get("format") == "csv"
    bulk_read_record(
        user=request.user,
        model=Payment,
        what="składki zdrowotne" + (" (eksport csv)" if export else ""),
        rows=len(data["rows"]),
        filters={"month": str(month)},
        remote_addr=client_ip(request),
    )
    if export:
        from ostoja.payments.formats.zus import ZusRow, write_zus_csv

        rows = [ZusRow(r.person_id, r.recipient_name, "", r.basis, r.amount) for r in data["rows"]]
        response = HttpResponse(
            write_zus_csv(str(month), rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="skladki-zdrowotne-{month}.csv"'
        return response
    return render(
        request,
        "payments/health.html",
        {"month": month, "prev": month.shift(-1), "next": month.shift(1), **data},
    )


@require_perm("payments.view_budget")
def plan(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("rok", ""))
    except ValueError:
        year = today().year
    form = f.PlanForm()
    if request.method == "POST":
        if not request.user.has_perm("payments.manage_budget"):
            raise Http404
        form = f.PlanForm(request.POST)
        if form.is_valid():
            try:
                services.budget_plan_set(year=year, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "Zapisano plan.")
                return redirect(f"{reverse('payments:plan')}?rok={year}")
    now = YearMonth.of(today())
    start = (
        now
        if now.year == year
        else YearMonth(year, 1)
        if year > now.year
        else YearMonth(year + 1, 1)
    )
    try:
        lines = (
            sources.payable_lines(period_start=start.first_day, period_end=date(year + 1, 1, 1))
            if start.year == year
            else []
        )
        commitments_known = True
    except DomainError:
        lines, commitments_known = None, False
    rows = selectors.plan_vs_execution(year=year, lines=lines, from_month=start)
    totals = {
        k: sum((getattr(r, k) for r in rows), start=0)
        for k in ("plan", "executed", "committed", "available")
    }
    return render(
        request,
        "payments/plan.html",
        {
            "year": year,
            "rows": rows,
            "totals": totals,
            "form": form,
            "commitments_known": commitments_known,
            "task_labels": {k.value: v for k, v in TASK_LABELS.items()},
            "funding_labels": {k.value: v for k, v in FUNDING_LABELS.items()},
            "can_manage": request.user.has_perm("payments.manage_budget"),
        },
    )


__all__ = ["ListStatus", "format_nrb"]

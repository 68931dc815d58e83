"""The decision desk: register, detail with workflow buttons, drafting, PDFs, batch print.

Size (issue 18): ~610 lines — the desk's pages; the ``transition`` dispatcher, which routes every
workflow move through one view, is the part to split first.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.forms import ChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ostoja.audit.bulk import bulk_read_record
from ostoja.audit.selectors import history_of
from ostoja.audit.services import access_record, client_ip, refuse_access

# the module, not the function: a test replaces ``application_get`` to prove bugs are not 404
from ostoja.cases import selectors as cases_selectors
from ostoja.core import dates
from ostoja.core.access import require_perm
from ostoja.core.csvsafe import csv_writer
from ostoja.core.dates import today
from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed, page_status
from ostoja.core.forms import RefusalForm, attach_errors, refusal_form
from ostoja.decisions import forms as f
from ostoja.decisions import selectors, services
from ostoja.decisions.models import Appeal, Decision
from ostoja.decisions.workflow import Action
from ostoja.decisions.xlsx import xlsx_bytes
from ostoja.org.selectors import authorisations_valid_for


def _decision(request: HttpRequest, pk: int, perm: str = "decisions.view_decision") -> Decision:
    try:
        decision = selectors.decision_get(pk=pk)
    except Decision.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm(perm, decision):
        known = perm != "decisions.view_decision" and request.user.has_perm(
            "decisions.view_decision", decision
        )
        refuse_access(request, decision, reason=perm, known=known)
    return decision


def _filters(request: HttpRequest) -> tuple[f.RegisterFilterForm, selectors.RegisterFilters]:
    workers = selectors.register_workers(user=request.user)
    # The free-text search (a surname, a PESEL) never travels in the URL: the form posts it
    # and it is kept in the session; the structured filters stay in the URL for paging.
    data = request.GET.copy()
    data["q"] = request.session.get(REGISTER_QUERY_KEY, "")
    form = f.RegisterFilterForm(data if (request.GET or data["q"]) else None, workers=workers)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.RegisterFilters(
        kind=data.get("kind") or "",
        benefit=data.get("benefit") or "",
        worker_id=data.get("worker"),
        status=data.get("status") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        query=data.get("q") or "",
        timeliness=data.get("terminowosc") or "",
    )


REGISTER_QUERY_KEY = "decisions_register_q"


def _audit_register(
    request: HttpRequest, filters: selectors.RegisterFilters, *, rows: int, what: str
) -> None:
    """One bulk-read record per register page or export: structured filters as given, the free
    text only as a fingerprint (ostoja.audit.bulk)."""
    bulk_read_record(
        user=request.user,
        model=Decision,
        what=what,
        rows=rows,
        filters={
            "kind": filters.kind,
            "benefit": filters.benefit,
            "worker": filters.worker_id,
            "status": filters.status,
            "date_from": filters.date_from,
            "date_to": filters.date_to,
            "timeliness": filters.timeliness,
            "page": request.GET.get("strona"),
        },
        terms={"q": filters.query},
        remote_addr=client_ip(request),
    )


@require_perm("decisions.view_decision")
def register(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.session[REGISTER_QUERY_KEY] = str(request.POST.get("q", "")).strip()[:100]
        params = request.POST.copy()
        for key in ("q", "csrfmiddlewaretoken", "strona"):
            params.pop(key, None)
        clean = {k: v for k, v in params.items() if v}
        return redirect(f"{request.path}?{urlencode(clean)}" if clean else request.path)
    if "wyczysc" in request.GET:
        request.session.pop(REGISTER_QUERY_KEY, None)
        return redirect(request.path)
    return _register_page(request)


def _register_page(request: HttpRequest, *, refusal: Any = None, status: int = 200) -> HttpResponse:
    form, filters = _filters(request)
    page = selectors.decision_register_page(
        user=request.user,
        filters=filters,
        page=request.GET.get("strona"),
        per_page=selectors.REGISTER_PAGE_SIZE,
    )
    _audit_register(request, filters, rows=len(page.object_list), what="rejestr decyzji")
    params = request.GET.copy()
    for key in ("strona", "q", "dzien"):
        params.pop(key, None)
    return render(
        request,
        "decisions/register.html",
        {
            "form": form,
            "rows": page.object_list,
            "page": page,
            # The filters without the page number: page links and (complete) exports keep them.
            "query": params.urlencode(),
            "today": today(),
            "refusal_form": refusal,
        },
        # A filter value outside its choices is refused at its field, not ignored (which
        # would list every decision as if unfiltered).
        status=status if refusal is not None or not form.errors else 422,
    )


@require_perm("decisions.view_decision")
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    form, filters = _filters(request)
    if form.errors:  # never export the whole register for a mistyped filter
        return _register_page(request)
    decisions = selectors.decision_register(user=request.user, filters=filters, limit=20_000)
    rows = selectors.register_rows(decisions)
    _audit_register(request, filters, rows=len(rows), what=f"rejestr decyzji (eksport {fmt})")
    stamp = today().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(selectors.EXPORT_HEADER, rows, sheet="Rejestr decyzji"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="rejestr-decyzji-{stamp}.xlsx"'
        return response
    buf = io.StringIO()
    writer = csv_writer(buf, delimiter=";")
    writer.writerow(selectors.EXPORT_HEADER)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejestr-decyzji-{stamp}.csv"'
    return response


@require_perm("decisions.view_decision")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    access_record(user=request.user, obj=decision, remote_addr=client_ip(request))
    return render(request, "decisions/detail.html", _detail_context(request, decision))


def _detail_context(request: HttpRequest, decision: Decision, **extra: Any) -> dict[str, Any]:
    on = today()
    user = request.user
    sign_form = None
    if decision.status == "sprawdzona" and user.has_perm("decisions.sign", decision):
        sign_form = _sign_form(user, decision, on)
    ctx: dict[str, Any] = {
        "d": decision,
        "lines": list(decision.lines.all()),
        "actions": selectors.actions_for(decision=decision, user=user),
        "transitions": list(decision.transitions.all()),
        "revisions": list(decision.revisions.all()),
        "appeals": list(decision.appeals.all()),
        "rectifications": list(decision.rectifications.all()),
        "amended_by": list(decision.amended_by.all()),
        "legal_basis": services.documents.legal_basis(
            services.content_of(decision, on=dates.today())
        ),
        "can_edit": decision.status == "projekt" and user.has_perm("decisions.draft", decision),
        "can_amend": decision.is_signed and user.has_perm("decisions.draft", decision),
        "can_rectify": decision.is_signed and user.has_perm("decisions.sign", decision),
        "can_record": user.has_perm("decisions.record", decision),
        "sign_form": sign_form,
        "sign_refusal": services.signing_refusal(user=user, matter=decision.matter, on=on)
        if decision.status == "sprawdzona"
        else None,
        "send_form": f.SendForm(auto_id="id_send_%s"),
        "deliver_form": f.DeliverForm(
            initial={"delivered_on": on, "channel": "zpo"}, auto_id="id_deliver_%s"
        ),
        "appeal_form": f.AppealForm(initial={"lodged_on": on}),
        "waive_form": f.WaiveForm(initial={"received_on": on}, prefix="waive"),
        "payability": selectors.decision_payability(decision),
        "return_form": f.NoteForm(),
        "outcome_form": f.AppealOutcomeForm(initial={"outcome_on": on}),
        "history": history_of(decision),
        "document_sha": selectors.document_sha(decision=decision),
        "today": on,
    }
    ctx.update(extra)
    return ctx


def _sign_form(user: Any, decision: Decision, on: date, data: Any = None) -> f.SignForm:
    valid = authorisations_valid_for(user=user, matter=decision.matter, on=on)
    form = f.SignForm(data)
    cast(ChoiceField, form.fields["authorisation"]).choices = [
        (a.pk, f"nr {a.number}") for a in valid
    ]
    return form


# The bound form of each workflow move that has one: its key in the detail page's context and
# how it is built (the same ids as the page's unbound form).
_ACTION_FORMS: dict[Action, tuple[str, Any]] = {
    Action.RETURN: ("return_form", lambda data: f.NoteForm(data)),
    Action.SEND: ("send_form", lambda data: f.SendForm(data, auto_id="id_send_%s")),
    Action.DELIVER: ("deliver_form", lambda data: f.DeliverForm(data, auto_id="id_deliver_%s")),
    Action.WAIVE: ("waive_form", lambda data: f.WaiveForm(data, prefix="waive")),
    Action.APPEAL: ("appeal_form", lambda data: f.AppealForm(data)),
}


def _refused_page(
    request: HttpRequest, pk: int, key: str, form: Any, exc: DomainError | None
) -> HttpResponse:
    """The decision page again after a refused move: the bound form keeps what was typed; an
    error of one of its fields stands at that field (422), any other (permission, the
    decision's present state) in the summary at the top of the page (403/409). Nothing is
    saved — the service's transaction rolled back."""
    extra: dict[str, Any] = {}
    status = 422
    if exc is not None:
        if exc.field in form.fields and not isinstance(exc, NotPermitted):
            attach_errors(form, exc)
        else:
            extra["refusal_form"] = refusal_form(exc.message)
            status = page_status(exc)
    if key:
        extra[key] = form
    return render(
        request,
        "decisions/detail.html",
        _detail_context(request, selectors.decision_get(pk=pk), **extra),
        status=status,
    )


@require_POST
@require_perm("decisions.view_decision")
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One workflow move (each a POST, each permission-checked here and in the service). A
    refusal comes back on the decision page (see ``_refused_page``), never as a flash only."""
    try:
        act = Action(action)
    except ValueError:
        raise Http404 from None
    perm = selectors.ACTION_PERMS[act]
    decision = _decision(request, pk, perm)
    user = request.user
    on = today()
    key, form = "", cast(Any, RefusalForm({}))
    if act in _ACTION_FORMS:
        key, make = _ACTION_FORMS[act]
        form = make(request.POST)
        if not form.is_valid():
            return _refused_page(request, pk, key, form, None)
    elif act == Action.SIGN:
        key, form = "sign_form", _sign_form(user, decision, on, request.POST)
        form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        if act == Action.CHECK:
            services.decision_check(now=dates.now(), decision=decision, actor=user)
            messages.success(request, "Projekt sprawdzony — decyzja czeka na podpis.")
        elif act == Action.RETURN:
            services.decision_return(decision=decision, actor=user, note=data.get("note", ""))
            messages.success(request, "Projekt zwrócono do poprawy.")
        elif act == Action.SIGN:
            raw = request.POST.get("authorisation")
            services.decision_sign(
                now=dates.now(),
                decision=decision,
                actor=user,
                on=on,
                authorisation_id=int(raw) if raw and raw.isdigit() else None,
                signature_method=request.POST.get("signature_method") or "odreczny",
            )
            messages.success(
                request, "Decyzja podpisana. Dokument PDF został zapisany wraz ze skrótem."
            )
        elif act == Action.SEND:
            services.decision_send(decision=decision, actor=user, on=on, channel=data["channel"])
            messages.success(request, "Zapisano wysłanie decyzji.")
        elif act == Action.DELIVER:
            d = services.decision_deliver(
                decision=decision,
                actor=user,
                today=on,
                delivered_on=data["delivered_on"],
                channel=data["channel"],
            )
            messages.success(
                request,
                f"Zapisano doręczenie. Termin na odwołanie: "
                f"{d.appeal_deadline:%d.%m.%Y}, ostateczna od {d.final_on:%d.%m.%Y}.",
            )
        elif act == Action.FINALISE:
            services.decision_finalise(decision=decision, actor=user, on=on)
            messages.success(request, "Decyzja jest ostateczna.")
        elif act == Action.WAIVE:
            d = services.decision_waive_appeal(
                decision=decision,
                actor=user,
                received_on=data["received_on"],
                today=on,
                note=data.get("note", ""),
            )
            messages.success(
                request,
                f"Zapisano zrzeczenie się odwołania — decyzja ostateczna od "
                f"{d.final_on:%d.%m.%Y} (art. 127a § 2 KPA).",
            )
        elif act == Action.APPEAL:
            a = services.decision_appeal(
                decision=decision,
                actor=user,
                lodged_on=data["lodged_on"],
                note=data.get("note", ""),
            )
            messages.success(
                request,
                f"Zarejestrowano odwołanie — przekaż je do SKO z aktami "
                f"do {a.forward_due} (art. 133 KPA).",
            )
        else:
            raise DomainError("Tę czynność wykonuje się przy odwołaniu.")
    except DomainError as exc:
        return _refused_page(request, pk, key, form, exc)
    return redirect("decisions:detail", pk=pk)


@require_perm("decisions.draft")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk, "decisions.draft")
    if decision.is_signed:
        # The decision page with the reason in its summary on top (issue 17), not a flash.
        top = refusal_form(
            "Decyzja jest podpisana — nie można jej edytować. Zmiany wprowadza się nową "
            "decyzją (zmiana, uchylenie) albo sprostowaniem oczywistej omyłki."
        )
        return render(
            request,
            "decisions/detail.html",
            _detail_context(request, decision, refusal_form=top),
            status=409,
        )
    lines = list(decision.lines.all())
    initial_lines = [
        {
            k: getattr(ln, k)
            for k in (
                "benefit",
                "granted",
                "amount",
                "period_from",
                "period_to",
                "one_off",
                "payment_method",
                "account_number",
                "payment_day",
                "purpose",
            )
        }
        for ln in lines
    ]
    form = f.DraftForm(
        request.POST or None,
        initial={
            "version": decision.version,
            "justification": decision.justification,
            "immediate": decision.immediate,
            "immediate_reason": decision.immediate_reason,
        },
    )
    formset = f.LineFormSet(request.POST or None, initial=initial_lines, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            services.decision_edit(
                decision=decision,
                actor=request.user,
                expected_version=data["version"],
                justification=data["justification"],
                immediate=data["immediate"],
                immediate_reason=data["immediate_reason"],
                lines=[
                    dict(
                        x,
                        health_insured_elsewhere=lines[i].health_insured_elsewhere
                        if i < len(lines)
                        else True,
                    )
                    for i, x in enumerate(formset.cleaned_data)
                    if x
                ],
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Zapisano projekt decyzji.")
            return redirect("decisions:detail", pk=pk)
    return render(request, "decisions/edit.html", {"d": decision, "form": form, "formset": formset})


def _at_form_fields(
    exc: DomainError, form: Any, aliases: dict[str, str] | None = None
) -> DomainError:
    """A refusal of the service named by the form's fields: a line's field (``lines[0].
    account_number``) is the form's field of that name, ``aliases`` rename others; a name the
    form does not have stays as it is (shown in the summary on top)."""
    if not isinstance(exc, ValidationFailed):
        return exc

    def name(field: str) -> str:
        short = aliases.get(field, field) if aliases else field
        short = re.sub(r"^lines\[\d+\]\.", "", short)
        return short if short in form.fields else field

    errors: dict[str, list[str]] = {}
    for field, messages_ in exc.errors.items():
        errors.setdefault(name(field), []).extend(messages_)
    return ValidationFailed(errors)


def _local_next(request: HttpRequest) -> str:
    """Where to return after a case-panel form: a path on this site only (no open redirect)."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("decisions:register")


@require_POST
@require_perm("decisions.draft")
def draft_from_application(request: HttpRequest, application_pk: int) -> HttpResponse:
    """Draft the decision(s) from the application's ticked calculations. A refusal comes back
    on a page with this application's form as typed: the error at its field (422) or, when not
    about a field, in the summary on top (403/409); nothing saved."""
    try:
        application = cases_selectors.application_get(pk=application_pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("decisions.draft", application.case):
        refuse_access(request, application, reason="decisions.draft")
    form = f.DraftFromApplicationForm(request.POST, auto_id=f"draft{application.pk}_%s")
    options = selectors.drafting_options(application=application)
    cast(ChoiceField, form.fields["calculations"]).choices = [
        (o.calculation.pk, o.label) for o in options.options
    ]
    chosen = [int(x) for x in request.POST.getlist("calculations") if x.isdigit()]
    status = 422
    if form.is_valid():
        try:
            if not chosen:
                raise DomainError(
                    "Zaznacz obliczenie dla każdej formy pomocy, o której ma rozstrzygnąć decyzja.",
                    field="calculations",
                )
            decisions = services.decision_drafts_from_application(
                application=application,
                actor=request.user,
                calculations=chosen,
                separate=form.cleaned_data.get("separate", False),
                account_number=form.cleaned_data.get("account_number", ""),
                payment_method=form.cleaned_data.get("payment_method", ""),
                amount_reason=form.cleaned_data.get("amount_reason", ""),
                period_reason=form.cleaned_data.get("period_reason", ""),
            )
        except DomainError as exc:
            exc = _at_form_fields(exc, form)
            attach_errors(form, exc)
            status = 422 if exc.field in form.fields else page_status(exc)
        else:
            if len(decisions) > 1:
                messages.success(
                    request,
                    f"Przygotowano {len(decisions)} projekty decyzji — po jednym dla każdej formy.",
                )
                return redirect(_local_next(request))
            messages.success(request, "Przygotowano projekt decyzji z obliczenia i wywiadu.")
            return redirect("decisions:detail", pk=decisions[0].pk)
    return render(
        request,
        "decisions/draft_refused.html",
        {"o": options, "a": application, "df": form, "chosen": chosen,
         "next": _local_next(request)},
        status=status,
    )  # fmt: skip


@require_POST
@require_perm("decisions.draft")
def discontinue_application(request: HttpRequest, application_pk: int) -> HttpResponse:
    """Draft an umorzenie postępowania (art. 105 KPA) for the forms of help ticked — e.g. the
    party withdrew its request for one of them; none ticked: the whole application. A refusal
    comes back on a page with this form as typed: the error at its field (422) or, when not
    about a field, in the summary on top (403/409); nothing drafted."""
    try:
        application = cases_selectors.application_get(pk=application_pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("decisions.draft", application.case):
        refuse_access(request, application, reason="decisions.draft")
    options = selectors.drafting_options(application=application)
    form = f.DiscontinueForm(request.POST, auto_id=f"disc{application.pk}_%s")
    status = 422
    if form.is_valid():
        try:
            decision = services.decision_discontinuance_draft(
                application=application,
                actor=request.user,
                benefits=form.cleaned_data["benefits"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            exc = _at_form_fields(exc, form, {"calculations": "benefits"})
            attach_errors(form, exc)
            status = 422 if exc.field in form.fields else page_status(exc)
        else:
            messages.success(request, "Przygotowano projekt decyzji o umorzeniu postępowania.")
            return redirect("decisions:detail", pk=decision.pk)
    return render(
        request,
        "decisions/discontinue_refused.html",
        {"o": options, "a": application, "dc": form, "next": _local_next(request)},
        status=status,
    )


@require_perm("decisions.view_decision")
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    access_record(user=request.user, obj=decision, remote_addr=client_ip(request), reason="pdf")
    data, sha, is_draft = selectors.decision_pdf(decision=decision, on=today())
    name = (decision.number or f"projekt-{decision.pk}").replace("/", "-")
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("pobierz") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="decyzja-{name}.pdf"'
    response["X-Content-SHA256"] = sha
    if is_draft:
        response["X-Ostoja-Draft"] = "1"
    return response


@require_perm("decisions.view_decision")
def rectification_pdf(request: HttpRequest, pk: int, rpk: int) -> HttpResponse:
    decision = _decision(request, pk)
    rect = decision.rectifications.filter(pk=rpk).first()
    if rect is None:
        raise Http404
    response = HttpResponse(bytes(rect.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sprostowanie-{rect.pk}.pdf"'
    return response


@require_perm("decisions.view_decision")
def batch_print(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("dzien")
    try:
        on = date.fromisoformat(raw) if raw else today()
    except ValueError:
        on = today()
    decisions = selectors.signed_on_day(user=request.user, on=on)
    if not decisions:
        # The register again with the reason in its summary on top (issue 17), not a flash.
        top = refusal_form(
            f"Brak podpisanych decyzji z dnia {on:%d.%m.%Y} — nie ma czego drukować."
        )
        return _register_page(request, refusal=top, status=409)
    data = services.batch_pdf(decisions=decisions)
    bulk_read_record(
        user=request.user,
        model=Decision,
        what="druk dnia (decyzje podpisane)",
        rows=len(decisions),
        filters={"day": on},
        remote_addr=client_ip(request),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decyzje-{on.isoformat()}.pdf"'
    return response


@require_perm("decisions.draft")
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk, "decisions.draft")
    form = f.AmendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.decision_amend_draft(
                decision=decision,
                kind=form.cleaned_data["kind"],
                actor=request.user,
                effective_from=form.cleaned_data["effective_from"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Przygotowano projekt nowej decyzji.")
            return redirect("decisions:detail", pk=new.pk)
    return render(
        request,
        "decisions/form_page.html",
        {
            "d": decision,
            "form": form,
            "title": f"Zmiana lub uchylenie decyzji nr {decision.number}",
            "button": "Przygotuj projekt",
        },
    )


@require_perm("decisions.sign")
def rectify(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk, "decisions.sign")
    form = f.RectifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_rectify(
                decision=decision, text=form.cleaned_data["text"], actor=request.user, on=today()
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Wydano postanowienie o sprostowaniu oczywistej omyłki.")
            return redirect("decisions:detail", pk=pk)
    return render(
        request,
        "decisions/form_page.html",
        {
            "d": decision,
            "form": form,
            "button": "Podpisz sprostowanie",
            "title": f"Sprostowanie oczywistej omyłki w decyzji nr {decision.number} "
            "(art. 113 KPA)",
        },
    )


@require_POST
@require_perm("decisions.record")
def appeal_action(request: HttpRequest, pk: int, apk: int, what: str) -> HttpResponse:
    """Forward an appeal, correct the decision ourselves (art. 132 KPA) or record the SKO's
    outcome. A refusal comes back on the decision page: the outcome at its field (422), the
    appeal's state in the summary on top (409); nothing saved."""
    decision = _decision(request, pk, "decisions.record")
    appeal = Appeal.objects.filter(pk=apk, decision=decision).first()
    if appeal is None:
        raise Http404
    if what not in ("przekaz", "samokontrola", "rozstrzygniecie"):
        raise Http404
    key, form = "", cast(Any, RefusalForm({}))
    if what == "rozstrzygniecie":
        key, form = "outcome_form", f.AppealOutcomeForm(request.POST)
        if not form.is_valid():
            return _refused_page(request, pk, key, form, None)
    try:
        if what == "przekaz":
            services.appeal_forward(appeal=appeal, actor=request.user, on=today())
            messages.success(request, "Zapisano przekazanie odwołania do SKO.")
        elif what == "samokontrola":
            new = services.appeal_self_correct(appeal=appeal, actor=request.user, on=today())
            messages.success(
                request,
                "Odwołanie uwzględnione (art. 132 KPA) — przygotowano projekt nowej decyzji.",
            )
            return redirect("decisions:detail", pk=new.pk)
        else:
            services.appeal_outcome_record(
                appeal=appeal,
                outcome=form.cleaned_data["outcome"],
                actor=request.user,
                on=form.cleaned_data["outcome_on"],
                sko_reference=form.cleaned_data["sko_reference"],
            )
            messages.success(request, "Zapisano rozstrzygnięcie SKO.")
    except DomainError as exc:
        return _refused_page(request, pk, key, form, exc)
    return redirect("decisions:detail", pk=pk)

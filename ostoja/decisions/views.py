"""The decision desk: register, detail with workflow buttons, drafting, PDFs, batch print.

Size (issue 18): ~610 lines — the desk's pages; the ``transition`` dispatcher, which routes every
workflow move through one view, is the part to split first.
"""

from __future__ import annotations

import io
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
from ostoja.core.errors import DomainError, page_status
from ostoja.core.forms import attach_errors
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
    form, filters = _filters(request)
    page = selectors.decision_register_page(
        user=request.user,
        filters=filters,
        page=request.GET.get("strona"),
        per_page=selectors.REGISTER_PAGE_SIZE,
    )
    _audit_register(request, filters, rows=len(page.object_list), what="rejestr decyzji")
    params = request.GET.copy()
    params.pop("strona", None)
    params.pop("q", None)
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
        },
    )


@require_perm("decisions.view_decision")
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    _, filters = _filters(request)
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
        valid = authorisations_valid_for(user=user, matter=decision.matter, on=on)
        sign_form = f.SignForm()
        cast(ChoiceField, sign_form.fields["authorisation"]).choices = [
            (a.pk, f"nr {a.number}") for a in valid
        ]
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


def _form_refused(form: Any) -> DomainError:
    """The first error of an invalid form as a domain error naming its field (nothing is
    saved; the text the user typed is never dropped silently)."""
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    message = f"{label}: {errors[0]}" if label else str(errors[0])
    return DomainError(message, field=field)


@require_POST
@require_perm("decisions.view_decision")
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One workflow move (each a POST, each permission-checked here and in the service)."""
    try:
        act = Action(action)
    except ValueError:
        raise Http404 from None
    perm = selectors.ACTION_PERMS[act]
    decision = _decision(request, pk, perm)
    user = request.user
    on = today()
    try:
        if act == Action.CHECK:
            services.decision_check(now=dates.now(), decision=decision, actor=user)
            messages.success(request, "Projekt sprawdzony — decyzja czeka na podpis.")
        elif act == Action.RETURN:
            form = f.NoteForm(request.POST)
            if not form.is_valid():
                raise _form_refused(form)
            services.decision_return(
                decision=decision, actor=user, note=form.cleaned_data.get("note", "")
            )
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
            form = f.SendForm(request.POST)
            if not form.is_valid():
                raise DomainError("Wybierz sposób wysyłki.", field="channel")
            services.decision_send(
                decision=decision, actor=user, on=on, channel=form.cleaned_data["channel"]
            )
            messages.success(request, "Zapisano wysłanie decyzji.")
        elif act == Action.DELIVER:
            form = f.DeliverForm(request.POST)
            if not form.is_valid():
                raise DomainError("Podaj sposób i datę doręczenia.", field="delivered_on")
            d = services.decision_deliver(
                decision=decision,
                actor=user,
                today=on,
                delivered_on=form.cleaned_data["delivered_on"],
                channel=form.cleaned_data["channel"],
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
            form = f.WaiveForm(request.POST, prefix="waive")
            if not form.is_valid():
                raise DomainError(
                    "Podaj datę doręczenia oświadczenia o zrzeczeniu się odwołania.",
                    field="received_on",
                )
            d = services.decision_waive_appeal(
                decision=decision,
                actor=user,
                received_on=form.cleaned_data["received_on"],
                today=on,
                note=form.cleaned_data.get("note", ""),
            )
            messages.success(
                request,
                f"Zapisano zrzeczenie się odwołania — decyzja ostateczna od "
                f"{d.final_on:%d.%m.%Y} (art. 127a § 2 KPA).",
            )
        elif act == Action.APPEAL:
            form = f.AppealForm(request.POST)
            if not form.is_valid():
                raise DomainError("Podaj datę wniesienia odwołania.", field="lodged_on")
            a = services.decision_appeal(
                decision=decision,
                actor=user,
                lodged_on=form.cleaned_data["lodged_on"],
                note=form.cleaned_data.get("note", ""),
            )
            messages.success(
                request,
                f"Zarejestrowano odwołanie — przekaż je do SKO z aktami "
                f"do {a.forward_due} (art. 133 KPA).",
            )
        else:
            raise DomainError("Tę czynność wykonuje się przy odwołaniu.")
    except DomainError as exc:
        messages.error(request, exc.message)
        status = page_status(exc)
        return render(
            request,
            "decisions/detail.html",
            _detail_context(request, selectors.decision_get(pk=pk)),
            status=status,
        )
    return redirect("decisions:detail", pk=pk)


@require_perm("decisions.draft")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk, "decisions.draft")
    if decision.is_signed:
        messages.error(request, "Decyzja jest podpisana — nie można jej edytować.")
        return render(
            request, "decisions/detail.html", _detail_context(request, decision), status=409
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
    try:
        application = cases_selectors.application_get(pk=application_pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("decisions.draft", application.case):
        refuse_access(request, application, reason="decisions.draft")
    form = f.DraftFromApplicationForm(request.POST)
    # Chosen explicitly, one per form of help; the service checks they belong to the application.
    chosen = [int(x) for x in request.POST.getlist("calculations") if x.isdigit()]
    try:
        if not form.is_valid():
            raise _form_refused(form)
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
        messages.error(request, exc.message)
        return redirect(_local_next(request))
    if len(decisions) > 1:
        messages.success(
            request, f"Przygotowano {len(decisions)} projekty decyzji — po jednym dla każdej formy."
        )
        return redirect(_local_next(request))
    messages.success(request, "Przygotowano projekt decyzji z obliczenia i wywiadu.")
    return redirect("decisions:detail", pk=decisions[0].pk)


@require_POST
@require_perm("decisions.draft")
def discontinue_application(request: HttpRequest, application_pk: int) -> HttpResponse:
    """Draft an umorzenie postępowania (art. 105 KPA) for the forms of help ticked — e.g. the
    party withdrew its request for one of them; none ticked: the whole application."""
    try:
        application = cases_selectors.application_get(pk=application_pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("decisions.draft", application.case):
        refuse_access(request, application, reason="decisions.draft")
    try:
        decision = services.decision_discontinuance_draft(
            application=application,
            actor=request.user,
            benefits=request.POST.getlist("benefits"),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_local_next(request))
    messages.success(request, "Przygotowano projekt decyzji o umorzeniu postępowania.")
    return redirect("decisions:detail", pk=decision.pk)


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
        messages.info(request, f"Brak podpisanych decyzji z dnia {on.isoformat()}.")
        return redirect("decisions:register")
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
    decision = _decision(request, pk, "decisions.record")
    appeal = Appeal.objects.filter(pk=apk, decision=decision).first()
    if appeal is None:
        raise Http404
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
        elif what == "rozstrzygniecie":
            form = f.AppealOutcomeForm(request.POST)
            if not form.is_valid():
                raise DomainError("Wybierz rozstrzygnięcie i datę.", field="outcome")
            services.appeal_outcome_record(
                appeal=appeal,
                outcome=form.cleaned_data["outcome"],
                actor=request.user,
                on=form.cleaned_data["outcome_on"],
                sko_reference=form.cleaned_data["sko_reference"],
            )
            messages.success(request, "Zapisano rozstrzygnięcie SKO.")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("decisions:detail", pk=pk)

"""Pages of cooperation: the partner register, grants, programmes, volunteers, a case's
referrals (staff) and the partner's own page (a partner's account)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ostoja.audit.bulk import bulk_read_record
from ostoja.audit.services import access_record, client_ip, refuse_access
from ostoja.cases import selectors as cases_selectors
from ostoja.cases.models import Case
from ostoja.core import dates
from ostoja.core.access import require_perm
from ostoja.core.errors import DomainError
from ostoja.core.forms import attach_errors
from ostoja.law.grants import grant_settle
from ostoja.partners import forms as f
from ostoja.partners import selectors as sel
from ostoja.partners import services as svc
from ostoja.partners.models import (
    Call,
    GrantAgreement,
    Instalment,
    Partner,
    PartnerRole,
    Programme,
    Referral,
)
from ostoja.partners.services import SERVICE_ROLE
from ostoja.registry.models import Person


@require_GET
@require_perm("partners.view_partners")
def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("rola", "")
    partners = sel.partner_list(on=dates.today(), query=query, role=role)
    return render(
        request,
        "partners/index.html",
        {"partners": partners, "q": query, "role": role, "roles": PartnerRole.choices},
    )


@require_http_methods(["GET", "POST"])
@require_perm("partners.manage_partners")
def partner_new(request: HttpRequest) -> HttpResponse:
    form = f.PartnerForm(request.POST or None, initial={"active_from": dates.today()})
    if request.method == "POST" and form.is_valid():
        try:
            partner = svc.partner_create(data=form.cleaned_data, user=request.user, now=dates.now())
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Partner dodany do rejestru.")
            return redirect("partners:partner", pk=partner.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "partners/partner_form.html", {"form": form}, status=status)


@require_GET
@require_perm("partners.view_partners")
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        partner = sel.partner_get(pk=pk)
    except Partner.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "partners/partner.html", {"partner": partner, "on": dates.today()})


# ------------------------------------------------------------------ grants


@require_GET
@require_perm("partners.view_grants")
def grants(request: HttpRequest) -> HttpResponse:
    return render(
        request, "partners/grants.html", {"calls": sel.call_list(), "grants": sel.grant_list()}
    )


@require_GET
@require_perm("partners.view_grants")
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        call = sel.call_get(pk=pk)
    except Call.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "partners/call.html", {"call": call})


@require_http_methods(["GET", "POST"])
@require_perm("partners.view_grants")
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        summary = sel.grant_get(pk=pk)
    except GrantAgreement.DoesNotExist as exc:
        raise Http404 from exc
    ag = summary.agreement
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "pay" and request.user.has_perm("partners.pay_instalment"):
                inst = ag.instalments.get(pk=int(request.POST.get("instalment", "0")))
                svc.instalment_pay(instalment=inst, paid_on=dates.today())
                messages.success(request, f"Transza nr {inst.number} przekazana.")
            elif action == "settle" and request.user.has_perm("partners.manage_grants"):
                svc.grant_settle_agreement(
                    agreement=ag,
                    on=dates.today(),
                    expected_version=int(request.POST.get("version", "0")),
                )
                messages.success(request, "Dotacja rozliczona.")
            else:
                refuse_access(request, ag, known=True)
        except (DomainError, ValueError, Instalment.DoesNotExist) as exc:
            messages.error(request, getattr(exc, "message", "Błędne dane."))
        return redirect("partners:grant", pk=ag.pk)
    trace = None
    if summary.reported_spent is not None and summary.paid:
        paid = [i.amount for i in ag.instalments.all() if i.paid_on]
        trace = grant_settle(awarded=ag.amount, instalments_paid=paid, spent=summary.reported_spent)
    return render(
        request,
        "partners/grant.html",
        {"s": summary, "ag": ag, "trace": trace, "deadline": svc.grant_return_deadline(ag)},
    )


# ------------------------------------------------------------------ programmes, volunteers


@require_GET
@require_perm("partners.view_programmes")
def programmes(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partners/programmes.html",
        {"programmes": sel.programme_list(), "volunteers": sel.volunteer_list()},
    )


@require_GET
@require_perm("partners.view_programmes")
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        programme = Programme.objects.select_related("partner").get(pk=pk)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc
    report = sel.programme_report(programme=programme, on=dates.today())
    return render(request, "partners/programme.html", {"r": report, "p": programme})


# ------------------------------------------------------------------ referrals (staff)


def _case(request: HttpRequest, pk: int, perm: str) -> Case:
    try:
        case = cases_selectors.case_get(pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm(perm, case):
        refuse_access(request, case, known=request.user.has_perm("cases.view_case", case))
    access_record(user=request.user, obj=case, remote_addr=client_ip(request))
    return case


@require_http_methods(["GET", "POST"])
@require_perm("partners.view_referrals")
def case_referrals(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "partners.view_referrals")
    on = dates.today()
    members = case.household.memberships.select_related("person").order_by("pk")
    persons = list(
        {m.person.pk: f"{m.person.first_name} {m.person.last_name}" for m in members}.items()
    )
    active = sel.partner_list(on=on, active_only=True)
    partners = [(p.pk, str(p)) for p in active]
    form = f.ReferralForm(
        request.POST or None,
        persons=persons,
        partners=partners,
        initial={"valid_from": on, "household_size": len(persons) or 1},
    )
    can_refer = request.user.has_perm("partners.refer", case)
    if request.method == "POST":
        if not can_refer:
            refuse_access(request, case, known=True)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                referral = svc.referral_issue(
                    case=case,
                    person=Person.objects.get(pk=data.pop("person")),
                    partner=Partner.objects.get(pk=data.pop("partner")),
                    user=request.user,
                    now=dates.now(),
                    **data,
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"Wystawiono skierowanie {referral.number}.")
                return redirect("partners:case_referrals", pk=case.pk)
    context: dict[str, Any] = {
        "case": case,
        "referrals": sel.referrals_of_case(case_id=case.pk),
        "form": form,
        "can_refer": can_refer,
        "service_roles": {k.value: v.label for k, v in SERVICE_ROLE.items()},
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "partners/case_referrals.html", context, status=status)


# ------------------------------------------------------------------ the partner's page


@require_GET
@require_perm("partners.portal")
def portal(request: HttpRequest) -> HttpResponse:
    partner = sel.partner_of(request.user)
    rows = sel.partner_referrals(user=request.user)
    bulk_read_record(
        user=request.user, model=Referral, what="skierowania partnera", rows=len(rows),
        remote_addr=client_ip(request),
    )  # fmt: skip
    return render(request, "partners/portal.html", {"partner": partner, "rows": rows})


@require_http_methods(["GET", "POST"])
@require_perm("partners.portal")
def portal_referral(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        referral = sel.referral_get(user=request.user, pk=pk)
    except Referral.DoesNotExist as exc:
        other = sel.referral_unscoped(pk=pk)
        if other is not None:  # another partner's referral: the refusal is audited, 404 alike
            refuse_access(request, other)
        raise Http404 from exc
    access_record(user=request.user, obj=referral, remote_addr=client_ip(request))
    form = f.AnswerForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        common = {"user": request.user, "now": dates.now(), "expected_version": d["version"]}
        try:
            if d["action"] in ("accept", "refuse"):
                svc.referral_answer(
                    referral=referral, accepted=d["action"] == "accept", note=d["note"], **common
                )
            else:
                svc.referral_outcome(
                    referral=referral,
                    completed=d["action"] == "complete",
                    outcome=d["note"],
                    hours_done=d["hours_done"],
                    **common,
                )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Odpowiedź przekazana do ośrodka.")
            return redirect(reverse("partners:portal"))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "partners/portal_referral.html",
        {"r": sel.partner_view(referral), "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_perm("partners.manage_partners")
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a partner (optimistic locking) and add contacts and agreements."""
    try:
        partner = sel.partner_get(pk=pk)
    except Partner.DoesNotExist as exc:
        raise Http404 from exc
    kind = request.POST.get("form", "partner")
    initial = {k: getattr(partner, k) for k in svc.PARTNER_FIELDS} | {"version": partner.version}
    form = f.PartnerEditForm(request.POST if kind == "partner" else None, initial=initial)
    contact = f.ContactForm(request.POST if kind == "contact" else None, prefix="c")
    agreement = f.AgreementForm(request.POST if kind == "agreement" else None, prefix="a")
    bound = {"partner": form, "contact": contact, "agreement": agreement}.get(kind, form)
    if request.method == "POST" and bound.is_valid():
        data = dict(bound.cleaned_data)
        try:
            if kind == "contact":
                svc.contact_add(partner=partner, **data)
            elif kind == "agreement":
                svc.agreement_add(partner=partner, **data)
            else:
                version = data.pop("version")
                svc.partner_update(partner=partner, data=data, expected_version=version,
                                   user=request.user, now=dates.now())  # fmt: skip
        except DomainError as exc:
            attach_errors(bound, exc)
        else:
            messages.success(request, "Zapisano zmiany.")
            return redirect("partners:partner", pk=partner.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "partners/partner_edit.html",
        {"partner": partner, "form": form, "contact": contact, "agreement": agreement},
        status=status,
    )

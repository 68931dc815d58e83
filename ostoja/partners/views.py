"""Pages of cooperation: the partner register, grants, programmes, volunteers, a case's
referrals (staff) and the partner's own page (a partner's account)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
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
from ostoja.core.errors import DomainError, page_status
from ostoja.core.forms import attach_errors
from ostoja.law.grants import grant_settle
from ostoja.law.money import pln
from ostoja.partners import forms as f
from ostoja.partners import selectors as sel
from ostoja.partners import services as svc
from ostoja.partners.models import (
    Call,
    GrantAgreement,
    Instalment,
    Offer,
    Partner,
    PartnerRole,
    PartnerUser,
    Programme,
    Referral,
)
from ostoja.partners.services import SERVICE_ROLE
from ostoja.registry.models import Person
from ostoja.socialwork import services as sw_services


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
@require_perm("partners.manage_grants")
def grant_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the grant agreement of a selected offer, with its instalment schedule."""
    try:
        offer = Offer.objects.select_related("call", "partner").get(pk=pk)
    except Offer.DoesNotExist as exc:
        raise Http404 from exc
    existing = GrantAgreement.objects.filter(offer=offer).first()
    if existing is not None:
        return redirect("partners:grant", pk=existing.pk)
    form = f.GrantSignForm(request.POST or None, initial={"signed_on": dates.today()})
    if request.method == "POST" and form.is_valid():
        try:
            ag = svc.grant_sign(offer=offer, **form.cleaned_data)
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Zawarto umowę {ag.number}.")
            return redirect("partners:grant", pk=ag.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "partners/grant_sign.html", {"offer": offer, "form": form},
                  status=status)  # fmt: skip


# Each step of a grant on its page: the form's prefix, the permission it needs.
GRANT_STEPS = {
    "pay": ("partners.pay_instalment", "t"),
    "report": ("partners.manage_grants", "s"),
    "settle": ("partners.manage_grants", "r"),
    "return": ("partners.record_return", "z"),
}


def _grant_forms(request: HttpRequest, ag: GrantAgreement, step: str) -> dict[str, forms.Form]:
    today = dates.today()
    unpaid = [
        (i.pk, f"Transza nr {i.number} — {pln(i.amount)}, termin {i.due_on:%d.%m.%Y}")
        for i in ag.instalments.all()
        if i.paid_on is None
    ]
    version = {"version": ag.version}

    def data(name: str) -> Any:
        return request.POST if request.method == "POST" and step == name else None

    return {
        "pay": f.InstalmentPayForm(
            data("pay"), instalments=unpaid, initial={"paid_on": today}, prefix="t"
        ),
        "report": f.GrantReportForm(
            data("report"), initial={"received_on": today, **version}, prefix="s"
        ),
        "settle": f.GrantSettleForm(
            data("settle"), initial={"settled_on": today, **version}, prefix="r"
        ),
        "return": f.GrantReturnForm(
            data("return"), initial={"returned_on": today, **version}, prefix="z"
        ),
    }


def _grant_step(request: HttpRequest, ag: GrantAgreement, step: str, d: dict[str, Any]) -> str:
    """Run one step (one transaction in its service); the success message."""
    if step == "pay":
        inst = ag.instalments.get(pk=d["instalment"])
        svc.instalment_pay(instalment=inst, paid_on=d["paid_on"], today=dates.today())
        return f"Transza nr {inst.number} przekazana."
    if step == "report":
        svc.report_receive(
            agreement=ag, kind=d["kind"], received_on=d["received_on"], spent=d["spent"],
            results=d["results"], beneficiaries=d["beneficiaries"],
            expected_version=d["version"],
        )  # fmt: skip
        return "Sprawozdanie zarejestrowane."
    if step == "settle":
        svc.grant_settle_agreement(agreement=ag, on=d["settled_on"],
                                   expected_version=d["version"])  # fmt: skip
        return "Dotacja rozliczona."
    svc.grant_return_record(agreement=ag, returned_on=d["returned_on"],
                            expected_version=d["version"])  # fmt: skip
    return "Zwrot niewykorzystanej dotacji odnotowany."


@require_http_methods(["GET", "POST"])
@require_perm("partners.view_grants")
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        summary = sel.grant_get(pk=pk)
    except GrantAgreement.DoesNotExist as exc:
        raise Http404 from exc
    ag = summary.agreement
    step = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and (
        step not in GRANT_STEPS or not request.user.has_perm(GRANT_STEPS[step][0])
    ):
        refuse_access(request, ag, known=True)
    grant_forms = _grant_forms(request, ag, step)
    if step:
        form = grant_forms[step]
        if form.is_valid():
            try:
                done = _grant_step(request, ag, step, form.cleaned_data)
            except DomainError as exc:
                attach_errors(form, exc)
            except Instalment.DoesNotExist:
                form.add_error("instalment", "Wybierz transzę z listy.")
            else:
                messages.success(request, done)
                return redirect("partners:grant", pk=ag.pk)
        summary = sel.grant_get(pk=pk)  # the page again, with the form's errors
        ag = summary.agreement
    trace = None
    if summary.reported_spent is not None and summary.paid:
        paid = [i.amount for i in ag.instalments.all() if i.paid_on]
        trace = grant_settle(awarded=ag.amount, instalments_paid=paid, spent=summary.reported_spent)
    context = {
        "s": summary, "ag": ag, "trace": trace, "deadline": svc.grant_return_deadline(ag),
        "forms": grant_forms, "step": step,
    }  # fmt: skip
    status = 422 if step else 200
    return render(request, "partners/grant.html", context, status=status)


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
    return case


def _protected_gate(request: HttpRequest, case: Case) -> HttpResponse | None:
    """The protected-record rule of social work on the cooperation pages of a case: who may not
    open the case states a reason first (break-glass — audited, shown to the head, 60 minutes);
    a refusal is audited. ``None`` lets the page open, and the read is audited."""
    now = dates.now()
    if not sel.protected_refused(user=request.user, case=case, now=now):
        access_record(user=request.user, obj=case, remote_addr=client_ip(request))
        return None
    asked = request.method == "POST" and request.POST.get("action") == "break_glass"
    form = f.BreakGlassForm(request.POST if asked else None)
    if asked and form.is_valid():
        try:
            sw_services.break_glass_open(
                case=case, user=request.user, reason=form.cleaned_data["reason"], now=now,
                remote_addr=client_ip(request),
            )  # fmt: skip
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.warning(
                request,
                "Dostęp nadzwyczajny na 60 minut — zapisany w dzienniku i widoczny dla kierownika.",
            )
            return redirect(request.path)
    sw_services.access_refused(case=case, user=request.user, remote_addr=client_ip(request))
    return render(request, "partners/protected.html", {"case": case, "form": form}, status=403)


def _members(case: Case) -> list[tuple[int, str]]:
    members = case.household.memberships.select_related("person").order_by("pk")
    return list(
        {m.person.pk: f"{m.person.first_name} {m.person.last_name}" for m in members}.items()
    )


@require_http_methods(["GET", "POST"])
@require_perm("partners.view_referrals")
def case_referrals(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, "partners.view_referrals")
    gate = _protected_gate(request, case)
    if gate is not None:
        return gate
    on = dates.today()
    persons = _members(case)
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


@require_http_methods(["GET", "POST"])
@require_perm("partners.view_referrals")
def case_programmes(request: HttpRequest, pk: int) -> HttpResponse:
    """Programmes of a case's household: enrol a member, end a participation."""
    case = _case(request, pk, "partners.view_referrals")
    gate = _protected_gate(request, case)
    if gate is not None:
        return gate
    on = dates.today()
    persons = _members(case)
    programmes = [(p.pk, f"{p} — {p.get_kind_display()}")
                  for p in sel.enrolment_programmes(on=on)]  # fmt: skip
    action = request.POST.get("action", "") if request.method == "POST" else ""
    can_enrol = request.user.has_perm("partners.enrol", case)
    if action and (action not in ("enrol", "leave") or not can_enrol):
        refuse_access(request, case, known=True)
    enrol = f.EnrolForm(request.POST if action == "enrol" else None, persons=persons,
                        programmes=programmes, initial={"enrolled_on": on}, prefix="e")  # fmt: skip
    leave = f.LeaveForm(request.POST if action == "leave" else None, initial={"left_on": on},
                        prefix="k")  # fmt: skip
    rows = sel.participations_of_persons(person_ids=[p for p, _ in persons])
    if action == "enrol" and enrol.is_valid():
        d = enrol.cleaned_data
        try:
            part = svc.participant_enrol(
                programme=Programme.objects.get(pk=d["programme"]),
                person=Person.objects.get(pk=d["person"]),
                on=d["enrolled_on"],
                has_disability_certificate=d["has_disability_certificate"],
            )
        except DomainError as exc:
            attach_errors(enrol, exc)
        else:
            messages.success(request, f"Przyjęto do programu: {part.programme}.")
            return redirect("partners:case_programmes", pk=case.pk)
    elif action == "leave" and leave.is_valid():
        d = leave.cleaned_data
        # Only a participation of this household's member: another id is not this case's.
        part_row = next((r for r in rows if r.pk == d["participant"]), None)
        if part_row is None:
            refuse_access(request, case, known=True)
        try:
            svc.participant_result(participant=part_row, achieved=d["result_achieved"],
                                   left_on=d["left_on"])  # fmt: skip
        except DomainError as exc:
            attach_errors(leave, exc)
        else:
            messages.success(request, "Zakończono udział w programie.")
            return redirect("partners:case_programmes", pk=case.pk)
    context: dict[str, Any] = {
        "case": case, "rows": rows, "enrol": enrol, "leave": leave, "can_enrol": can_enrol,
        "action": action,
    }  # fmt: skip
    status = 422 if action else 200
    return render(request, "partners/case_programmes.html", context, status=status)


# ------------------------------------------------------------------ partner accounts (admin)


@require_http_methods(["GET", "POST"])
@require_perm("partners.view_accounts")
def accounts(request: HttpRequest) -> HttpResponse:
    """Partner accounts: an administrator asks, a second administrator or the director confirms;
    password reset and deactivation take effect at once."""
    on = dates.today()
    partners = [(p.pk, str(p)) for p in sel.partner_list(on=on, active_only=True)]
    can_manage = request.user.has_perm("partners.manage_accounts")
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = f.PartnerAccountForm(request.POST or None, partners=partners)
    password = ""
    created = None
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            created, password = svc.partner_account_request(
                partner=Partner.objects.get(pk=d.pop("partner")), actor=request.user,
                now=dates.now(), **d,
            )  # fmt: skip
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            form = f.PartnerAccountForm(None, partners=partners)
    status = 422 if request.method == "POST" and created is None else 200
    context = {"form": form, "password": password, "created": created}
    return _accounts_page(request, status=status, **context)


def _accounts_page(request: HttpRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    """The accounts page: the list, the request form (unbound unless given) and, after a
    refused action on one account, the reason at its row and in the summary on top."""
    if "form" not in extra:
        partners = [(p.pk, str(p)) for p in sel.partner_list(on=dates.today(), active_only=True)]
        extra["form"] = f.PartnerAccountForm(None, partners=partners)
    context = {"rows": sel.partner_accounts(), "password": "", "created": None,
               "can_manage": request.user.has_perm("partners.manage_accounts"),
               **extra}  # fmt: skip
    return render(request, "partners/accounts.html", context, status=status)


@require_http_methods(["POST"])
@require_perm("partners.view_accounts")
def account_action(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        link = sel.partner_account_get(pk=pk)
    except PartnerUser.DoesNotExist as exc:
        raise Http404 from exc
    action = request.POST.get("action", "")
    perm = "partners.confirm_accounts" if action == "confirm" else "partners.manage_accounts"
    if action not in ("confirm", "reset", "deactivate") or not request.user.has_perm(perm):
        refuse_access(request, link, known=True)
    try:
        if action == "confirm":
            svc.partner_account_confirm(link=link, actor=request.user, now=dates.now())
            messages.success(request, f"Konto {link.user.username} jest aktywne.")
        elif action == "deactivate":
            svc.partner_account_deactivate(link=link, actor=request.user, now=dates.now(),
                                           remote_addr=client_ip(request))  # fmt: skip
            messages.success(request, f"Konto {link.user.username} zostało zablokowane.")
        else:
            password = svc.partner_account_password_reset(
                link=link, actor=request.user, remote_addr=client_ip(request)
            )
            # Shown once, on this page only (never in a redirect or the session).
            return render(request, "partners/account_password.html",
                          {"link": link, "password": password})  # fmt: skip
    except DomainError as exc:
        # The accounts page again, the reason at the account's row and on top (issue 17):
        # 403 for the requester confirming their own request, 409 for the account's state.
        # Nothing changed — the service's transaction rolled back.
        refusal = {"pk": link.pk, "target": f"konto-{link.pk}",
                   "label": f"Konto {link.user.username}", "message": exc.message}  # fmt: skip
        return _accounts_page(request, refusal=refusal, status=page_status(exc))
    return redirect("partners:accounts")


# ------------------------------------------------------------------ the partner's page


@require_GET
@require_perm("partners.portal")
def portal(request: HttpRequest) -> HttpResponse:
    partner = sel.partner_of(request.user)
    rows = sel.partner_referrals(user=request.user, now=dates.now())
    bulk_read_record(
        user=request.user, model=Referral, what="skierowania partnera", rows=len(rows),
        remote_addr=client_ip(request),
    )  # fmt: skip
    return render(request, "partners/portal.html", {"partner": partner, "rows": rows})


@require_http_methods(["GET", "POST"])
@require_perm("partners.portal")
def portal_referral(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        referral = sel.referral_get(user=request.user, pk=pk, now=dates.now())
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

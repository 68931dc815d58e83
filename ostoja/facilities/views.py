"""Pages of social infrastructure (Polish UI): the register of facilities, free places today,
a facility's page, its waiting list, referrals, stays with DPS fees and charges, monthly charges
and the nights of the night shelter and the warming room."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms as dj_forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ostoja.audit.services import access_record, client_ip, refuse_access
from ostoja.core.access import require_perm
from ostoja.core.dates import next_month_start, now, today
from ostoja.core.errors import ConflictError, DomainError, ValidationFailed, page_status
from ostoja.core.forms import refusal_form, refusal_status
from ostoja.facilities import forms as f
from ostoja.facilities import policy as p
from ostoja.facilities import selectors as sel
from ostoja.facilities import services as svc
from ostoja.facilities.models import Facility, Referral, Stay
from ostoja.registry.selectors import persons_visible


def _errors(form: dj_forms.Form, exc: DomainError) -> None:
    fields = exc.errors if isinstance(exc, ValidationFailed) else {exc.field or "": [exc.message]}
    for field, msgs in fields.items():
        for m in msgs:
            form.add_error(field if field in form.fields else None, m)


def _day(request: HttpRequest) -> date:
    raw = request.GET.get("dzien", "")
    try:
        return date.fromisoformat(raw) if raw else today()
    except ValueError:
        return today()


def _facility(request: HttpRequest, pk: int) -> Facility:
    try:
        return Facility.objects.select_related("unit").get(pk=pk)
    except Facility.DoesNotExist as exc:
        raise Http404 from exc


# ------------------------------------------------------------------ register and places


@require_perm("facilities.view_register")
def register(request: HttpRequest) -> HttpResponse:
    on = _day(request)
    kind = request.GET.get("rodzaj", "")
    rows = sel.facility_rows(on=on, kind=kind if kind in p.FACILITY_KINDS else None)
    return render(
        request,
        "facilities/register.html",
        {"rows": rows, "on": on, "kinds": p.FACILITY_KINDS.items(), "kind": kind},
    )


@require_perm("facilities.view_register")
def free_places(request: HttpRequest) -> HttpResponse:
    on = _day(request)
    return render(
        request,
        "facilities/free_places.html",
        {"summary": sel.facilities_summary(on=on), "queues": sel.queue_stats(on=on), "on": on},
    )


@require_http_methods(["GET", "POST"])
@require_perm("facilities.view_register")
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = _facility(request, pk)
    on = _day(request)
    may_cost = request.user.has_perm("facilities.manage_money")
    cost_form = f.CostForm(request.POST or None) if may_cost else None
    if request.method == "POST":
        if cost_form is None:
            refuse_access(request, facility, known=True)
        elif cost_form.is_valid():
            try:
                svc.cost_set(facility=facility, **cost_form.cleaned_data)
            except DomainError as exc:
                _errors(cost_form, exc)
            else:
                messages.success(request, "Zapisano średni miesięczny koszt utrzymania.")
                return redirect("facilities:facility", facility.pk)
    residents = request.user.has_perm("facilities.view_residents", facility)
    money = request.user.has_perm("facilities.view_money", facility)
    page = sel.facility_page(facility=facility, on=on, residents=residents, money=money)
    if residents:
        access_record(user=request.user, obj=facility, remote_addr=client_ip(request),
                      extra={"what": "mieszkańcy", "on": str(on)})  # fmt: skip
    return render(
        request,
        "facilities/facility.html",
        {"page": page, "f": facility, "on": on, "show_residents": residents, "show_money": money,
         "nightly": facility.kind in p.NIGHTLY, "cost_form": cost_form,
         "may_edit": request.user.has_perm("facilities.manage_register", facility)},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@require_perm("facilities.manage_register")
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The register entry and the places of a facility: the head of the responsible unit or the
    administrator; both forms carry the facility's version (optimistic locking)."""
    facility = _facility(request, pk)
    if not request.user.has_perm("facilities.manage_register", facility):
        refuse_access(request, facility, known=True)
    on = today()
    counts = sel.place_counts(facility=facility, on=on)
    initial = {n: getattr(facility, n) for n in svc.EDITABLE_FIELDS}
    form = f.FacilityEditForm(initial={**initial, "version": facility.version}, kind=facility.kind)
    places = f.PlacesForm(
        initial={"version": facility.version, "on": on,
                 **{f"places_{k}": v for k, v in counts.items()}},
        prefix="pl",
    )  # fmt: skip
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            if action == "places":
                places = f.PlacesForm(request.POST, prefix="pl")
                if places.is_valid():
                    svc.facility_places_update(
                        facility=facility, counts=places.counts(), on=places.cleaned_data["on"],
                        expected_version=places.cleaned_data["version"],
                    )  # fmt: skip
                    messages.success(request, "Zapisano liczbę miejsc.")
                    return redirect("facilities:facility", facility.pk)
            else:
                form = f.FacilityEditForm(request.POST, kind=facility.kind)
                if form.is_valid():
                    d = dict(form.cleaned_data)
                    version = d.pop("version")
                    svc.facility_update(facility=facility, data=d, expected_version=version)
                    messages.success(request, "Zapisano dane placówki.")
                    return redirect("facilities:facility", facility.pk)
        except DomainError as exc:
            _errors(places if action == "places" else form, exc)
    return render(
        request,
        "facilities/facility_edit.html",
        {
            "f": facility,
            "form": form,
            "places": places,
            "on": on,
            "counts": [(p.PLACE_KINDS.get(k, k), n) for k, n in counts.items()],
        },
    )


@require_perm("facilities.view_waiting_list")
def waiting_list(request: HttpRequest, pk: int) -> HttpResponse:
    facility = _facility(request, pk)
    if not request.user.has_perm("facilities.view_waiting_list", facility):
        refuse_access(request, facility)
    on = _day(request)
    rows = sel.waiting_list(facility=facility, on=on, user=request.user)
    access_record(user=request.user, obj=facility, remote_addr=client_ip(request),
                  extra={"what": "lista oczekujących", "on": str(on)})  # fmt: skip
    return render(
        request,
        "facilities/waiting_list.html",
        {
            "f": facility,
            "rows": rows,
            "on": on,
            "wait": sel.expected_wait(facility=facility, on=on),
        },
    )


# ------------------------------------------------------------------ referrals


@require_http_methods(["GET", "POST"])
@require_perm("facilities.manage_referral")
def referral_new(request: HttpRequest) -> HttpResponse:
    form = f.ReferralForm(request.POST or None, initial={"referral_date": today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = persons_visible(user=request.user).filter(pesel=d["pesel"]).first()
        unit = getattr(getattr(request.user, "staff", None), "unit", None)
        if person is None:
            form.add_error(
                "pesel", "Nie ma osoby o tym numerze PESEL wśród klientów dostępnych dla konta."
            )
        elif unit is None:
            form.add_error(None, "Konto nie jest przypisane do żadnej jednostki organizacyjnej.")
        else:
            try:
                r = svc.referral_create(
                    person=person, facility_kind=d["facility_kind"], subtype=d["subtype"],
                    unit=unit, referral_date=d["referral_date"], actor=request.user, now=now(),
                    referring_authority=d["referring_authority"],
                )  # fmt: skip
            except DomainError as exc:
                _errors(form, exc)
            else:
                messages.success(request, "Skierowanie zapisano. Uzupełnij listę dokumentów.")
                return redirect("facilities:referral", r.pk)
    return render(request, "facilities/referral_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
@require_perm("facilities.manage_referral")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        r = Referral.objects.select_related(
            "person", "unit", "referral_decision", "placement_decision", "placement_facility"
        ).get(pk=pk)
    except Referral.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm("facilities.manage_referral", r):
        refuse_access(request, r.person)
    access_record(user=request.user, obj=r.person, remote_addr=client_ip(request),
                  extra={"what": "skierowanie do placówki", "referral": r.pk})  # fmt: skip
    on = today()
    facilities = [
        x for x in sel.facilities_active(on=on).filter(kind=r.facility_kind)
        if not r.subtype or r.subtype in (x.subtypes or [])
    ]  # fmt: skip
    docs = f.DocumentsForm(
        initial={"version": r.version, **{f"doc_{k}": v for k, v in r.documents.items()}}
    )
    decide = f.DecideForm(initial={"version": r.version, "on": on}, prefix="decide")
    place = f.PlaceForm(initial={"version": r.version, "on": on}, prefix="place")
    choice = f.FacilityChoiceForm(facilities=facilities, initial={"on": on}, prefix="choice")
    draft_ref = f.DpsDecisionDraftForm(initial={"version": r.version}, prefix="dref")
    draft_pl = f.DpsDecisionDraftForm(
        initial={"version": r.version}, prefix="dpl", facilities=facilities
    )
    action = request.POST.get("action", "")
    sync = None
    status = 200
    if request.method == "POST" and action == "sync":
        sync = f.SyncForm(request.POST)
        status = 422
        if sync.is_valid():
            try:
                svc.referral_sync(referral=r, expected_version=sync.cleaned_data["version"])
            except DomainError as exc:
                _errors(sync, exc)
                status = page_status(exc)
                r.refresh_from_db()
            else:
                return _done(request, "Zapisano podpisaną decyzję w skierowaniu.", r)
    elif request.method == "POST":
        status = 422  # a form refused by its own checks; a service's refusal below
        try:
            if action in {"draft_referral", "draft_placement"}:
                # Drafting a decision is the decisions context's permission on the family case.
                if not request.user.has_perm("decisions.draft", svc.case_of(r.person)):
                    refuse_access(request, r.person, known=True)
                form = (
                    f.DpsDecisionDraftForm(request.POST, prefix="dref")
                    if action == "draft_referral"
                    else f.DpsDecisionDraftForm(request.POST, prefix="dpl", facilities=facilities)
                )
                if action == "draft_referral":
                    draft_ref = form
                else:
                    draft_pl = form
                if form.is_valid():
                    d = form.cleaned_data
                    decision = svc.referral_decision_draft(
                        referral=r,
                        step="skierowanie" if action == "draft_referral" else "umieszczenie",
                        actor=request.user,
                        on=on,
                        expected_version=d["version"],
                        facility=next((x for x in facilities if x.pk == d.get("facility")), None),
                        case_reference=d["case_reference"],
                        immediate_reason=d.get("immediate_reason") or "",
                    )
                    messages.success(
                        request,
                        "Przygotowano projekt decyzji. Przekaż go do sprawdzenia drugiej osobie.",
                    )
                    return redirect("decisions:detail", decision.pk)
            if action == "documents":
                docs = f.DocumentsForm(request.POST)
                if docs.is_valid():
                    d = docs.cleaned_data
                    svc.referral_documents_update(
                        referral=r, documents={k: d[f"doc_{k}"] for k in p.DOCUMENTS},
                        expected_version=d["version"],
                    )  # fmt: skip
                    return _done(request, "Zapisano listę dokumentów.", r)
            elif action == "decide":
                decide = f.DecideForm(request.POST, prefix="decide")
                if decide.is_valid():
                    d = decide.cleaned_data
                    svc.referral_decide(referral=r, number=d["number"], on=d["on"],
                                        authority=d["authority"],
                                        expected_version=d["version"])  # fmt: skip
                    return _done(request, "Zapisano decyzję o skierowaniu.", r)
            elif action == "place":
                place = f.PlaceForm(request.POST, prefix="place")
                if place.is_valid():
                    d = place.cleaned_data
                    svc.referral_place(referral=r, authority=d["placement_authority"],
                                       number=d["placement_number"],
                                       on=d["on"], expected_version=d["version"])  # fmt: skip
                    return _done(request, "Zapisano decyzję o umieszczeniu.", r)
            elif action == "move":
                entry = r.entries.filter(
                    pk=_int(request.POST.get("entry")), status="oczekuje"
                ).first()
                target = next(
                    (x for x in facilities if x.pk == _int(request.POST.get("target"))), None
                )
                if entry is None or target is None:
                    raise ValidationFailed({"facility": ["Wybierz wpis i dom docelowy."]})
                svc.waiting_list_move(entry=entry, target=target, on=on)
                return _done(request, "Przeniesiono na listę innego domu (art. 54 ust. 2a).", r)
            elif action in {"queue", "admit"}:
                choice = f.FacilityChoiceForm(request.POST, facilities=facilities, prefix="choice")
                if choice.is_valid():
                    d = choice.cleaned_data
                    target = next(x for x in facilities if x.pk == d["facility"])
                    if action == "queue":
                        svc.waiting_list_add(referral=r, facility=target, on=d["on"],
                                             priority_reason=d["priority_reason"])  # fmt: skip
                        return _done(request, "Wpisano na listę oczekujących.", r)
                    if not request.user.has_perm("facilities.manage_stays", target):
                        refuse_access(request, target, known=True)
                    stay = svc.stay_admit(person=r.person, facility=target, on=d["on"],
                                          actor=request.user, now=now(), referral=r)  # fmt: skip
                    messages.success(request, "Przyjęto do placówki.")
                    return redirect("facilities:stay", stay.pk)
        except DomainError as exc:
            failed = {
                "documents": docs,
                "decide": decide,
                "place": place,
                "draft_referral": draft_ref,
                "draft_placement": draft_pl,
            }.get(action, choice)
            _errors(failed, exc)
            status = refusal_status(failed, exc)
            r.refresh_from_db()
    return render(
        request,
        "facilities/referral.html",
        {"r": r, "docs": docs, "decide": decide, "place": place, "choice": choice,
         "draft_ref": draft_ref, "draft_pl": draft_pl,
         "ref_decision": r.referral_decision, "pl_decision": r.placement_decision,
         "pl_enforceable": svc.decision_enforceability(r.placement_decision)
         if r.placement_decision else None,
         "missing": svc.referral_missing_documents(r),
         "entries": sel.referral_entries(referral=r, on=on),
         "stays": r.stays.select_related("facility"), "sync_form": sync},
        status=status,
    )  # fmt: skip


def _int(raw: Any) -> int | None:
    return int(raw) if str(raw or "").isdigit() else None


def _done(request: HttpRequest, text: str, r: Referral) -> HttpResponse:
    messages.success(request, text)
    return redirect("facilities:referral", r.pk)


# ------------------------------------------------------------------ stays and fees


@require_http_methods(["GET", "POST"])
@require_perm("facilities.view_register")
def stay_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        stay = sel.stay_get(pk=pk)
    except Stay.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm("facilities.view_residents", stay.facility):
        refuse_access(request, stay.person)
    access_record(user=request.user, obj=stay.person, remote_addr=client_ip(request),
                  extra={"what": "pobyt w placówce", "stay": stay.pk})  # fmt: skip
    on = today()
    can_manage = request.user.has_perm("facilities.manage_stays", stay.facility)
    targets = [x for x in sel.facilities_active(on=on).filter(kind=stay.facility.kind)
               if x.pk != stay.facility_id]  # fmt: skip
    fee_form = f.FeeForm(initial={"valid_from": max(stay.started_on, on.replace(day=1))})
    fee97_form = f.Art97FeeForm(initial={"valid_from": max(stay.started_on, on.replace(day=1))})
    move_form = f.MovementForm(targets=targets, initial={"on": on})
    shares = sel.relative_shares(stay=stay) if stay.facility.kind == "dps" else []
    basis_forms = {
        s.key: f.RelativeBasisForm(prefix=f"rb{s.key}") for s in shares if s.basis is None
    }
    refusal = None
    status = 200
    if request.method == "POST":
        if not can_manage:
            refuse_access(request, stay.person, known=True)
        action = request.POST.get("action")
        status = 422  # a form refused by its own checks; a service's refusal below
        try:
            if action == "fee":
                fee_form = f.FeeForm(request.POST)
                if fee_form.is_valid():
                    svc.fee_set(stay=stay, actor=request.user, now=now(),
                                **_fee_args(fee_form.cleaned_data))  # fmt: skip
                    messages.success(request, "Ustalono odpłatność (art. 61 u.p.s.).")
                    return redirect("facilities:stay", stay.pk)
            elif action == "fee97":
                fee97_form = f.Art97FeeForm(request.POST)
                if fee97_form.is_valid():
                    svc.fee_set_art97(stay=stay, actor=request.user, now=now(),
                                      **fee97_form.cleaned_data)  # fmt: skip
                    messages.success(request, "Ustalono odpłatność (art. 97 u.p.s.).")
                    return redirect("facilities:stay", stay.pk)
            elif action == "fee_decision":
                fee = stay.fees.filter(pk=_int(request.POST.get("fee")) or 0).first()
                if fee is None:
                    raise ValidationFailed({"fee": ["Wybierz ustalenie odpłatności."]})
                if not request.user.has_perm("decisions.draft", svc.case_of(stay.person)):
                    refuse_access(request, stay.person, known=True)
                decision = svc.fee_decision_draft(fee=fee, actor=request.user)
                messages.success(
                    request,
                    "Przygotowano projekt decyzji o odpłatności. Przekaż go do sprawdzenia "
                    "drugiej osobie.",
                )
                return redirect("decisions:detail", decision.pk)
            elif action == "relative_basis":
                share = next((s for s in shares if s.key == request.POST.get("share")), None)
                if share is None:
                    raise ValidationFailed({"share": ["Wybierz krewnego bez zapisanej umowy."]})
                if share.basis is not None:
                    raise ConflictError(
                        f"Podstawę opłaty krewnego ({share.name}) już zapisano: "
                        f"{share.basis.text} — nie zapisano drugiej."
                    )
                form = basis_forms[share.key] = f.RelativeBasisForm(
                    request.POST, prefix=f"rb{share.key}"
                )
                if form.is_valid():
                    svc.relative_basis_record(fee=share.fee, relative=share.index,
                                              actor=request.user, now=now(),
                                              **form.cleaned_data)  # fmt: skip
                    messages.success(request, f"Zapisano podstawę opłaty krewnego ({share.name}).")
                    return redirect("facilities:stay", stay.pk)
            elif action == "move":
                move_form = f.MovementForm(request.POST, targets=targets)
                if move_form.is_valid():
                    new = _move(request, stay, move_form.cleaned_data, targets)
                    return redirect("facilities:stay", new.pk)
        except DomainError as exc:
            key = request.POST.get("share", "")
            if action == "fee_decision" or (action == "relative_basis" and key not in basis_forms):
                # a button, or a row gone: the refusal in the summary on top
                refusal = refusal_form(exc.message)
                status = page_status(exc)
            elif action == "relative_basis":
                _errors(basis_forms[key], exc)
                status = refusal_status(basis_forms[key], exc)
            else:
                failed = {"fee": fee_form, "fee97": fee97_form}.get(action or "", move_form)
                _errors(failed, exc)
                status = refusal_status(failed, exc)
    return render(
        request,
        "facilities/stay.html",
        {"stay": stay, "fee": sel.fee_current(stay=stay, on=on),
         "fees": stay.fees.select_related("fee_decision"),
         "charges": sel.charges_of_stay(stay=stay), "movements": stay.movements.all(),
         "fee_form": fee_form, "move_form": move_form, "can_manage": can_manage,
         "is_dps": stay.facility.kind == "dps", "fee97_form": fee97_form,
         "is_art97": stay.facility.kind in p.ART97_GROUPS, "refusal": refusal,
         "shares": shares, "basis_forms": basis_forms},
        status=status,
    )  # fmt: skip


def _fee_args(d: dict[str, Any]) -> dict[str, Any]:
    relatives = []
    for i in range(1, f.FeeForm.RELATIVES + 1):
        if not d.get(f"r{i}_relation"):
            continue
        relatives.append(
            svc.RelativeIn(
                name=d.get(f"r{i}_name") or f"Krewny {i}",
                relation=d[f"r{i}_relation"],
                household_size=d[f"r{i}_size"],
                household_income=Decimal(d[f"r{i}_income"]),
                agreed_amount=d.get(f"r{i}_agreed"),
                exemption_basis=d.get(f"r{i}_exemption") or "",
            )
        )
    return {
        "valid_from": d["valid_from"],
        "resident_income": d["resident_income"],
        "relatives": relatives,
    }


def _move(request: HttpRequest, stay: Stay, d: dict[str, Any], targets: list[Any]) -> Stay:
    action, on, actor = d["movement"], d["on"], request.user
    if action == "nieobecnosc":
        svc.absence_start(stay=stay, kind=d.get("absence_kind") or "", on=on, actor=actor,
                          now=now())  # fmt: skip
    elif action == "powrot":
        svc.absence_end(stay=stay, on=on, actor=actor, now=now())
    elif action in {"wypis", "zgon"}:
        svc.stay_end(stay=stay, on=on, reason=action, actor=actor, now=now())
    else:
        target = next((x for x in targets if x.pk == d.get("target")), None)
        if target is None:
            raise ValidationFailed({"target": ["Wybierz placówkę docelową."]})
        if not request.user.has_perm("facilities.manage_stays", target):
            raise ValidationFailed({"target": ["Brak uprawnień do przyjęć w tej placówce."]})
        messages.success(request, "Przeniesiono.")
        return svc.stay_transfer(stay=stay, facility=target, on=on, actor=actor, now=now())
    messages.success(request, "Zapisano ruch.")
    return stay


# ------------------------------------------------------------------ money and nights


@require_http_methods(["GET", "POST"])
@require_perm("facilities.view_money")
def charges(request: HttpRequest) -> HttpResponse:
    month = _month(request.GET.get("miesiac", ""))
    # The month field shows the month the page lists (?miesiac), not the current one.
    form = f.ChargesForm(request.POST or None, initial={"month": month})
    if request.method == "POST" and request.POST.get("action") == "receivable":
        return _charge_to_receivable(request)
    if request.method == "POST":
        if not request.user.has_perm("facilities.manage_money"):
            raise Http404
        if form.is_valid():
            run = svc.charges_build(month=form.cleaned_data["month"], now=now())
            text = f"Naliczono należności: {run.created}; już istniejących: {run.skipped}."
            if run.waiting:
                text += (
                    f" Pobyty czekające na wykonalną decyzję zmieniającą opłatę: {run.waiting}"
                    " — ich należności nalicz ponownie, gdy decyzja stanie się wykonalna."
                )
            messages.success(request, text)
            return redirect(f"{request.path}?miesiac={form.cleaned_data['month']:%Y-%m}")
    return _charges_page(request, month, form)


def _charges_page(
    request: HttpRequest, month: date, form: Any, status: int = 200, refusal: Any = None
) -> HttpResponse:
    return render(
        request,
        "facilities/charges.html",
        {"form": form, "month": month, "rows": sel.charges_month(month=month, on=today()),
         "can_build": request.user.has_perm("facilities.manage_money"),
         "can_register": request.user.has_perm("facilities.register_receivable"),
         "month_over": today() >= next_month_start(month), "refusal": refusal},
        status=status,
    )  # fmt: skip


def _charge_to_receivable(request: HttpRequest) -> HttpResponse:
    """A month's unpaid charge → the receivables register (finance only, one per charge)."""
    charge = sel.charge_get(pk=_int(request.POST.get("charge")) or 0)
    if charge is None:
        raise Http404
    if not request.user.has_perm("facilities.register_receivable", charge.stay.facility):
        refuse_access(request, charge.stay.person, known=True)
    try:
        svc.charge_register_receivable(charge=charge, actor=request.user, on=today())
    except DomainError as exc:
        # Issue 17: the refusal on the charges page of the charge's month (summary on top).
        form = f.ChargesForm(initial={"month": charge.month})
        return _charges_page(
            request, charge.month, form, status=page_status(exc), refusal=refusal_form(exc.message)
        )
    messages.success(
        request,
        f"Przekazano do rejestru należności: {charge.payer_label}, {charge.month:%m.%Y}.",
    )
    return redirect(f"{request.path}?miesiac={charge.month:%Y-%m}")


def _month(raw: str) -> date:
    try:
        return date.fromisoformat(f"{raw}-01") if raw else today().replace(day=1)
    except ValueError:
        return today().replace(day=1)


@require_http_methods(["GET", "POST"])
@require_perm("facilities.view_register")
def nights(request: HttpRequest, pk: int) -> HttpResponse:
    facility = _facility(request, pk)
    if facility.kind not in p.NIGHTLY:
        raise Http404
    may_record = request.user.has_perm("facilities.record_nights", facility)
    month = _month(request.GET.get("miesiac", ""))
    form = f.NightForm(request.POST or None, initial={"night": today()})
    if request.method == "POST":
        if not may_record:
            refuse_access(request, facility, known=True)
        if form.is_valid():
            d = form.cleaned_data
            person = None
            if d["pesel"]:
                person = persons_visible(user=request.user).filter(pesel=d["pesel"]).first()
                if person is None:
                    form.add_error("pesel", "Nie ma osoby o tym numerze PESEL wśród klientów.")
            if not form.errors:
                try:
                    svc.night_record(facility=facility, night=d["night"], actor=request.user,
                                     person=person, guest_label=d["guest_label"])  # fmt: skip
                except DomainError as exc:
                    _errors(form, exc)
                else:
                    messages.success(request, "Zapisano nocleg.")
                    return redirect(f"{request.path}?miesiac={d['night']:%Y-%m}")
    return render(
        request,
        "facilities/nights.html",
        {"f": facility, "form": form, "month": month, "may_record": may_record,
         "days": sel.nights_month(facility=facility, month=month)},
    )  # fmt: skip

"""Pages of the registry: persons, households, incomes, streets and care districts, CSV import."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ostoja.audit.selectors import history_of
from ostoja.audit.services import access_record, client_ip, refuse_access
from ostoja.core import dates
from ostoja.core.access import require_perm
from ostoja.core.collation import polish_sorted
from ostoja.core.dates import today
from ostoja.core.errors import DomainError, page_status
from ostoja.core.forms import attach_errors
from ostoja.law.codes import INCOME_KINDS, ROLES
from ostoja.registry import importer, selectors, services, streets
from ostoja.registry.forms import (
    ADDRESS_FIELDS,
    HouseholdCreateForm,
    HouseholdForm,
    HouseholdPersonForm,
    IncomeForm,
    MemberAddForm,
    MemberEndForm,
    MergeForm,
    PersonForm,
    PersonImportForm,
    StreetDistrictForm,
    StreetImportForm,
)
from ostoja.registry.models import (
    Household,
    HouseholdMembership,
    Income,
    Person,
    Street,
    StreetDistrict,
)

# A possible duplicate outside the user's scope is only hinted at (finding 7).
SIMILAR_ELSEWHERE = (
    "W rejestrze jest osoba o podobnych danych w innej jednostce — skontaktuj się "
    "z kierownikiem swojej jednostki, aby wyjaśnić, czy to ta sama osoba."
)

# ------------------------------------------------------------------ scope helpers


def person_for(request: HttpRequest, pk: int, perm: str = "registry.view_person") -> Person:
    try:
        person = selectors.person_get(pk=pk)
    except Person.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm(perm, person):
        known = perm != "registry.view_person" and request.user.has_perm(
            "registry.view_person", person
        )
        refuse_access(request, person, known=known)
    return person


def household_for(request: HttpRequest, pk: int) -> Household:
    try:
        household = selectors.household_get(pk=pk)
    except Household.DoesNotExist as exc:
        raise Http404 from exc
    if not selectors.household_visible_to(user=request.user, household=household):
        refuse_access(request, household)
    return household


# ------------------------------------------------------------------ persons


def search_query(request: HttpRequest) -> str:
    """The search text of a client search page, only from the POSTed form: a PESEL or a
    surname must never land in a URL (and so in access logs and browser history)."""
    if request.method == "POST":
        return str(request.POST.get("q", "")).strip()
    return ""


@require_perm("registry.view_person")
def person_list(request: HttpRequest) -> HttpResponse:
    # The search form posts (finding 1: a PESEL or surname must not land in the URL).
    query = search_query(request)
    persons = selectors.person_search(user=request.user, query=query, limit=100)
    return render(request, "registry/person_list.html", {"persons": persons, "query": query})


def _household_address(household: Household) -> dict[str, Any]:
    """The address of the household's applicant (else its first member), to carry over."""
    members = selectors.members_on(household=household, on=today())
    first = next((m for m in members if m.relation == "wnioskodawca"), None) or next(
        iter(members), None
    )
    if first is None:
        return {}
    p = first.person
    initial = {f: getattr(p, f) for f in ADDRESS_FIELDS}
    initial["act_street"] = p.act_street_id
    initial["confirm_outside"] = p.outside_kielce
    return initial


def _member_create(request: HttpRequest, household: Household) -> HttpResponse:
    """A new person registered from the household page: the address carried over, joined to
    the household, and back to the household."""
    form = HouseholdPersonForm(
        request.POST or None,
        initial={
            "act_city": "Kielce",
            **_household_address(household),
            "household_version": household.version,
            "valid_from": today(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.household_member_register(
                household=household,
                data=form.data_for_service(),
                relation=form.cleaned_data["relation"],
                valid_from=form.cleaned_data["valid_from"],
                expected_version=form.cleaned_data["household_version"],
                user=request.user,
                on=today(),
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Zarejestrowano i dodano do rodziny: {person.full_name}.")
            return redirect("registry:household_detail", pk=household.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "title": f"Nowy członek: {household.name}", "household": household},
    )


@require_perm("registry.change_person")
def person_create(request: HttpRequest) -> HttpResponse:
    household_pk = request.GET.get("rodzina", "")
    if household_pk.isdigit():
        return _member_create(request, household_for(request, int(household_pk)))
    form = PersonForm(request.POST or None, initial={"act_city": "Kielce"})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                data=form.data_for_service(), user=request.user, on=today()
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Zarejestrowano osobę: {person.full_name}.")
            who = {
                "user": request.user,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "birth_date": person.birth_date,
                "exclude_pk": person.pk,
            }
            if selectors.person_similar(**who):
                messages.warning(
                    request,
                    "Uwaga: w rejestrze jest osoba o podobnym nazwisku i tej samej dacie "
                    "urodzenia — sprawdź, czy to nie duplikat (panel „Możliwe duplikaty”).",
                )
            elif selectors.person_similar_elsewhere(**who):
                # Out of the user's scope: a neutral hint only — no name, PESEL or link.
                messages.warning(request, SIMILAR_ELSEWHERE)
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "title": "Nowa osoba"})


@require_perm("registry.view_person")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request, pk)
    access_record(user=request.user, obj=person, remote_addr=client_ip(request))
    card = selectors.person_card(person=person, user=request.user)
    return render(
        request,
        "registry/person_detail.html",
        {
            "card": card,
            "person": person,
            "income_form": IncomeForm(initial={"month": today().replace(day=1)}),
            "merge_form": MergeForm(),
            "household_form": HouseholdCreateForm(initial={"valid_from": today()}),
            "history": history_of(person),
            "kinds": INCOME_KINDS,
            "can_change": request.user.has_perm("registry.change_person", person),
            "similar_elsewhere_text": SIMILAR_ELSEWHERE,
        },
    )


@require_perm("registry.change_person")
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request, pk, "registry.change_person")
    if request.method == "GET":
        access_record(user=request.user, obj=person, remote_addr=client_ip(request))
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                person=person,
                data=form.data_for_service(),
                expected_version=form.cleaned_data["version"] or 0,
                on=today(),
                user=request.user,
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Zapisano zmiany.")
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "title": f"Edycja: {person.full_name}", "person": person},
    )


@require_perm("registry.change_person")
def income_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request, pk, "registry.change_person")
    form = IncomeForm(request.POST or None, initial={"month": today().replace(day=1)})
    if request.method == "POST" and form.is_valid():
        try:
            services.income_add(
                person=person, data=form.cleaned_data, user=request.user, on=today()
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Zapisano dochód.")
            return redirect(reverse("registry:person_detail", args=[person.pk]) + "#dochody")
    return render(
        request,
        "registry/income_form.html",
        {"form": form, "person": person, "title": f"Dochód: {person.full_name}"},
    )


@require_perm("registry.change_person")
def income_delete(request: HttpRequest, pk: int) -> HttpResponse:
    income = Income.objects.select_related("person").filter(pk=pk).first()
    if income is None:
        raise Http404
    person = person_for(request, income.person_id, "registry.change_person")
    if request.method == "POST":
        services.income_delete(income=income)
        messages.success(request, "Usunięto pozycję dochodu.")
    return redirect(reverse("registry:person_detail", args=[person.pk]) + "#dochody")


@require_perm("registry.change_person")
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    keep = person_for(request, pk, "registry.change_person")
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate = person_for(request, form.cleaned_data["duplicate"], "registry.change_person")
        try:
            services.person_merge(
                now=dates.now(), keep=keep, duplicate=duplicate, user=request.user, on=today()
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, f"Scalono: rekord nr {duplicate.pk} oznaczono jako duplikat tej osoby."
            )
            return redirect("registry:person_detail", pk=keep.pk)
    return render(
        request,
        "registry/simple_form.html",
        {"form": form, "title": f"Scalenie duplikatu z: {keep.full_name}", "back": keep},
    )


# ------------------------------------------------------------------ households


@require_perm("registry.change_person")
def household_create(request: HttpRequest, pk: int) -> HttpResponse:
    applicant = person_for(request, pk, "registry.change_person")
    single = request.POST.get("single") == "1"
    form = HouseholdCreateForm(request.POST or None, initial={"valid_from": today()})
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(
                name=form.cleaned_data["name"],
                applicant=applicant,
                valid_from=form.cleaned_data["valid_from"],
                user=request.user,
                single=single,
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            if single:  # straight on to the application: no "family" to look after
                messages.success(request, f"{applicant.full_name}: osoba samotnie gospodarująca.")
                return redirect("cases:application_create", household_pk=household.pk)
            messages.success(request, f"Utworzono: {household.name}.")
            return redirect("registry:household_detail", pk=household.pk)
    return render(
        request,
        "registry/simple_form.html",
        {
            "form": form,
            "title": f"Nowa rodzina — wnioskodawca {applicant.full_name}",
            "back": applicant,
        },
    )


@require_perm("registry.view_person")
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for(request, pk)
    access_record(user=request.user, obj=household, remote_addr=client_ip(request))
    on = _date_param(request, "na") or today()
    return _household_page(request, household, on=on)


def _date_param(request: HttpRequest, name: str) -> Any:
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None


def _household_page(
    request: HttpRequest,
    household: Household,
    *,
    on: Any,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    version = household.version
    context = {
        "household": household,
        "on": on,
        "members": selectors.members_on(household=household, on=on),
        "history": selectors.membership_history(household=household),
        "income": selectors.household_income(household=household, on=on),
        "edit_form": forms.get("edit")
        or HouseholdForm(
            initial={"version": version, "name": household.name, "note": household.note}
        ),
        "member_form": forms.get("member")
        or MemberAddForm(initial={"version": version, "valid_from": today()}),
        "end_version": version,
        "end_form": forms.get("end"),
        "end_row": forms.get("end_row"),
        "roles": ROLES,
        "can_change": request.user.has_perm("registry.change_person"),
        "audit_history": history_of(household),
        "case_id": getattr(getattr(household, "case", None), "pk", None),
    }
    return render(request, "registry/household_detail.html", context, status=status)


@require_perm("registry.change_person")
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for(request, pk)
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(
                household=household,
                name=form.cleaned_data["name"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Zapisano zmiany rodziny.")
            return redirect("registry:household_detail", pk=household.pk)
    household.refresh_from_db()
    return _household_page(
        request,
        household,
        on=today(),
        forms={"edit": form},
        status=409 if form.errors.get("version") or form.non_field_errors() else 200,
    )


@require_perm("registry.change_person")
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for(request, pk)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        raw = data["person"].strip()
        person = (
            Person.objects.filter(pesel=raw).first()
            if len(raw) == 11
            else Person.objects.filter(pk=int(raw)).first()
            if raw.isdigit()
            else None
        )
        if person is None:
            form.add_error("person", "Nie znaleziono osoby — najpierw ją zarejestruj.")
        elif not request.user.has_perm("registry.view_person", person):
            access_record(
                user=request.user, obj=person, remote_addr=client_ip(request), refused=True
            )
            form.add_error("person", "Nie znaleziono osoby — najpierw ją zarejestruj.")
        else:
            try:
                services.membership_add(
                    household=household,
                    person=person,
                    relation=data["relation"],
                    valid_from=data["valid_from"],
                    expected_version=data["version"],
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"Dodano do rodziny: {person.full_name}.")
                return redirect("registry:household_detail", pk=household.pk)
    household.refresh_from_db()
    return _household_page(request, household, on=today(), forms={"member": form}, status=200)


@require_perm("registry.change_person")
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a membership. A refusal (no or a wrong date, a stale page) comes back on the
    household page at the member's date field, the summary on top; nothing is saved."""
    household = household_for(request, pk)
    if request.method != "POST":
        return redirect("registry:household_detail", pk=household.pk)
    raw = request.POST.get("membership", "")
    membership = (
        HouseholdMembership.objects.filter(pk=int(raw), household=household).first()
        if raw.isdigit()
        else None
    )
    if membership is None:
        raise Http404
    form = MemberEndForm(request.POST, auto_id=f"czl{membership.pk}_%s")
    status = 422
    if form.is_valid():
        try:
            services.membership_end(
                membership=membership,
                valid_to=form.cleaned_data["valid_to"],
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            attach_errors(form, exc)
            status = 422 if exc.field == "valid_to" else page_status(exc)
        else:
            messages.success(request, "Zakończono członkostwo (zostaje w historii rodziny).")
            return redirect("registry:household_detail", pk=household.pk)
    return _household_page(
        request, household, on=today(), forms={"end": form, "end_row": membership.pk},
        status=status,
    )  # fmt: skip


# ------------------------------------------------------------------ streets


@require_perm("registry.change_person")
def street_options(request: HttpRequest) -> HttpResponse:
    """htmx: the <option>s of the street select filtered by what was typed."""
    query = request.GET.get("ulica", "").strip()
    found = selectors.street_search(query=query, limit=60) if len(query) >= 2 else []
    found = polish_sorted(found, key=lambda s: s.full_name)
    return render(request, "registry/_street_options.html", {"streets": found, "query": query})


@require_perm("registry.manage_streets")
def street_admin(request: HttpRequest) -> HttpResponse:
    """Streets and their care districts. A refused assignment comes back on the page at the
    street's row (the typed values kept), the summary on top; nothing is saved."""
    query = request.GET.get("q", "").strip()
    unit_id = request.GET.get("rejon")
    refused: tuple[int, Any] | None = None
    status = 200
    if request.method == "POST":
        raw = request.POST.get("street", "")
        street = Street.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if street is None:
            raise Http404
        form = StreetDistrictForm(request.POST, auto_id=f"ul{street.pk}_%s")
        status = 422
        if form.is_valid():
            try:
                streets.street_district_set(
                    street=street,
                    unit=form.cleaned_data["unit"],
                    number_from=form.cleaned_data["number_from"],
                    number_to=form.cleaned_data["number_to"],
                )
            except DomainError as exc:
                attach_errors(form, exc)
                status = 422 if exc.field in form.fields else page_status(exc)
            else:
                messages.success(request, f"Zapisano przypisanie: {street}.")
                return redirect(f"{reverse('registry:street_admin')}?q={query}")
        refused = (street.pk, form)
    rows = selectors.street_table(
        query=query, unit_id=int(unit_id) if unit_id and unit_id.isdigit() else None
    )
    if refused is not None and all(r.pk != refused[0] for r in rows):
        rows = [*Street.objects.filter(pk=refused[0]).prefetch_related("districts__unit"), *rows]
    return render(
        request,
        "registry/street_admin.html",
        {
            "rows": rows,
            "query": query,
            "form": StreetDistrictForm(),
            "import_form": StreetImportForm(),
            "units": cast(ModelChoiceField, StreetDistrictForm().fields["unit"]).queryset,
            "unit_id": unit_id or "",
            "refused_row": refused[0] if refused else None,
            "street_form": refused[1] if refused else None,
        },
        status=status,
    )


@require_perm("registry.manage_streets")
def street_district_delete(request: HttpRequest, pk: int) -> HttpResponse:
    row = StreetDistrict.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    if request.method == "POST":
        streets.street_district_remove(row=row)
        messages.success(request, "Usunięto przypisanie ulicy do rejonu.")
    return redirect("registry:street_admin")


@require_perm("registry.manage_streets")
def street_import(request: HttpRequest) -> HttpResponse:
    form = StreetImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            text = importer.decode(form.cleaned_data["file"].read())
            report = streets.streets_import_ulic(text=text)
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Zaktualizowano wykaz ulic.")
    return render(request, "registry/street_import.html", {"form": form, "report": report})


# ------------------------------------------------------------------ CSV import


@require_perm("registry.import_persons")
def person_import(request: HttpRequest) -> HttpResponse:
    form = PersonImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            text = importer.decode(form.cleaned_data["file"].read())
            result = importer.persons_import(
                text=text, user=request.user, on=today(), dry_run=form.cleaned_data["dry_run"]
            )
        except DomainError as exc:
            attach_errors(form, exc)
    return render(
        request,
        "registry/person_import.html",
        {"form": form, "result": result, "columns": importer.COLUMNS},
    )

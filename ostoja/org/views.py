"""Administration pages: staff, units, authorisations, the centre's settings, own profile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ostoja.audit.selectors import history_of
from ostoja.audit.services import access_record, client_ip, refuse_access
from ostoja.core import dates
from ostoja.core.access import require_perm
from ostoja.core.dates import now, today
from ostoja.core.errors import DomainError, page_status
from ostoja.core.forms import attach_errors, refusal_form
from ostoja.org import selectors, services
from ostoja.org.forms import (
    AuthorisationForm,
    InstanceSettingsForm,
    RelationForm,
    RelationWithdrawForm,
    RevokeForm,
    StaffCreateForm,
    StaffForm,
    UnitForm,
)
from ostoja.org.models import (
    ApiToken,
    Authorisation,
    RelationDeclaration,
    RoleChange,
    StaffMember,
    Unit,
)


@require_perm("org.view_own_profile")
def profile(request: HttpRequest) -> HttpResponse:
    from allauth.mfa.models import Authenticator

    staff = StaffMember.objects.select_related("unit").filter(user=request.user).first()
    return render(
        request,
        "org/profile.html",
        {
            "staff": staff,
            "roles": selectors.role_labels(selectors.user_roles(request.user)),
            "authorisations": selectors.authorisation_list(on=today(), holder=request.user),
            "has_totp": Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists(),
        },
    )


@require_perm("org.manage_staff")
def admin_index(request: HttpRequest) -> HttpResponse:
    return render(request, "org/admin_index.html", {})


# ---------------------------------------------------------------- staff

ROLES_WAIT = (
    "Zmiana ról, jednostki lub przywrócenie konta czeka na potwierdzenie drugiego "
    "administratora albo dyrektora (Administracja → Zmiany ról); do tego czasu pracownik ma "
    "dotychczasowe role, jednostkę i stan konta."
)


@require_perm("org.view_staff")
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(request, "org/staff_list.html", {"rows": selectors.staff_list()})


@require_perm("org.manage_staff")
def staff_create(request: HttpRequest) -> HttpResponse:
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff = services.staff_create(
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                unit=data["unit"],
                position=data["position"],
                roles=data["roles"],
                password=data["password"],
                phone=data["phone"],
                actor=request.user,
                now=dates.now(),
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Utworzono konto {staff.user.username}.")
            return redirect("org:staff_edit", pk=staff.pk)
    return render(request, "org/form_page.html", {"form": form, "title": "Nowy pracownik"})


@require_perm("org.manage_staff")
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(StaffMember.objects.select_related("user", "unit"), pk=pk)
    if request.method == "GET":
        access_record(user=request.user, obj=staff, remote_addr=client_ip(request))
        # After a save too (the redirect lands here): the roles asked for are not yet held.
        if selectors.role_change_pending(user=staff.user):
            messages.info(request, ROLES_WAIT)
    initial = {
        "version": staff.version,
        "first_name": staff.user.first_name,
        "last_name": staff.user.last_name,
        "email": staff.user.email,
        "unit": staff.unit_id,
        "position": staff.position,
        "phone": staff.phone,
        "roles": list(staff.user.groups.values_list("name", flat=True)),
        "is_active": staff.user.is_active,
    }
    form = StaffForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_update(
                staff=staff,
                expected_version=data["version"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                unit=data["unit"],
                position=data["position"],
                roles=data["roles"],
                is_active=data["is_active"],
                phone=data["phone"],
                new_password=data["new_password"],
                actor=request.user,
                now=dates.now(),
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Zapisano zmiany.")
            return redirect("org:staff_edit", pk=staff.pk)
    return render(
        request,
        "org/form_page.html",
        {
            "form": form,
            "title": f"Pracownik: {staff}",
            "history": history_of(staff),
            "back": "org:staff_list",
        },
    )


# ---------------------------------------------------------------- units


def _unit_data(data: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in data.items() if k != "version"}


@require_perm("org.view_staff")
def unit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "org/unit_list.html", {"units": selectors.unit_list(), "on": today()})


@require_perm("org.manage_units")
def unit_create(request: HttpRequest) -> HttpResponse:
    form = UnitForm(request.POST or None, initial={"version": 1, "valid_from": today()})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(data=_unit_data(form.cleaned_data))
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Utworzono jednostkę {unit.name}.")
            return redirect("org:unit_list")
    return render(request, "org/form_page.html", {"form": form, "title": "Nowa jednostka"})


@require_perm("org.manage_units")
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    initial = {f: getattr(unit, f) for f in services.UNIT_FIELDS}
    initial["parent"] = unit.parent_id
    initial["version"] = unit.version
    form = UnitForm(request.POST or None, initial=initial)
    form.fields["parent"].queryset = Unit.objects.exclude(pk=unit.pk)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(
                unit=unit,
                data=_unit_data(form.cleaned_data),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Zapisano zmiany.")
            return redirect("org:unit_list")
    return render(
        request,
        "org/form_page.html",
        {"form": form, "title": f"Jednostka: {unit.name}", "history": history_of(unit),
         "back": "org:unit_list"},
    )  # fmt: skip


# ---------------------------------------------------------------- authorisations


@require_perm("org.view_authorisations")
def authorisation_list(request: HttpRequest) -> HttpResponse:
    on = today()
    return render(
        request,
        "org/authorisation_list.html",
        {"rows": selectors.authorisation_list(on=on), "on": on},
    )


@require_perm("org.manage_authorisations")
def authorisation_create(request: HttpRequest) -> HttpResponse:
    form = AuthorisationForm(
        request.POST or None, initial={"valid_from": today(), "granted_on": today()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            a = services.authorisation_grant(
                holder=data["holder"],
                number=data["number"],
                scope=data["scope"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                granted_by=data["granted_by"],
                granted_on=data["granted_on"],
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, f"Wpisano {a} do rejestru.")
            return redirect("org:authorisation_detail", pk=a.pk)
    return render(request, "org/form_page.html", {"form": form, "title": "Nowe upoważnienie"})


@require_perm("org.view_authorisations")
def authorisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    authorisation = get_object_or_404(Authorisation, pk=pk)
    can_manage = request.user.has_perm("org.manage_authorisations")
    form = RevokeForm(request.POST or None, initial={"revoked_on": today()})
    if request.method == "POST":
        if not can_manage:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            try:
                services.authorisation_revoke(
                    authorisation=authorisation,
                    on=form.cleaned_data["revoked_on"],
                    reason=form.cleaned_data["revoked_reason"],
                )
            except DomainError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "Upoważnienie odwołano.")
                return redirect("org:authorisation_detail", pk=pk)
    return render(
        request,
        "org/authorisation_detail.html",
        {
            "row": selectors.authorisation_get(pk=pk, on=today()),
            "form": form if can_manage and authorisation.revoked_on is None else None,
            "history": history_of(authorisation),
        },
    )


# ---------------------------------------------------------------- relations with parties


@require_perm("org.declare_relation")
def relation_own(request: HttpRequest) -> HttpResponse:
    """Oświadczenia o powiązaniach: the staff member declares and sees their own (art. 24 KPA)."""
    form = RelationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.relation_declare(
                staff=request.user,
                pesel=data["pesel"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                birth_date=data["birth_date"],
                kind=data["kind"],
                since=data["since"],
                now=now(),
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                "Oświadczenie zapisano. W sprawach tej osoby system nie pozwoli przygotować, "
                "sprawdzić ani podpisać decyzji (art. 24 KPA).",
            )
            return redirect("org:relation_own")
    return render(
        request,
        "org/relation_own.html",
        {
            "form": form,
            "rows": selectors.relations_own(user=request.user),
            "withdraw_form": RelationWithdrawForm(),
        },
    )


@require_perm("org.declare_relation")
def relation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = get_object_or_404(RelationDeclaration, pk=pk)
    if declaration.staff_id != request.user.pk:
        refuse_access(request, declaration, reason="cudze oświadczenie o powiązaniu")
    form = RelationWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.relation_withdraw(
                declaration=declaration,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                on=today(),
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Oświadczenie wycofano (pozostaje w rejestrze).")
            return redirect("org:relation_own")
    return render(
        request,
        "org/form_page.html",
        {"form": form, "title": f"Wycofanie oświadczenia: {declaration}"},
    )


@require_perm("org.view_relations")
def relation_supervised(request: HttpRequest) -> HttpResponse:
    """Declarations of the staff the user supervises; each one shown is an audited read."""
    rows = list(selectors.relations_supervised(user=request.user))
    for row in rows:
        access_record(user=request.user, obj=row, remote_addr=client_ip(request))
    return render(request, "org/relation_supervised.html", {"rows": rows})


# ---------------------------------------------------------------- settings


@require_perm("org.manage_settings")
def settings_edit(request: HttpRequest) -> HttpResponse:
    obj = selectors.instance_settings()
    form = InstanceSettingsForm(
        request.POST or None, instance=obj, initial={"version": obj.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        obj.refresh_from_db()  # the form mutated the instance; the service works on fresh data
        try:
            services.instance_settings_update(
                data=data, expected_version=form.cleaned_data["version"]
            )
        except DomainError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, "Zapisano ustawienia ośrodka.")
            return redirect("org:settings")
    return render(
        request,
        "org/form_page.html",
        {"form": form, "title": "Ustawienia ośrodka", "history": history_of(obj)},
    )


# ---------------------------------------------------------------- API tokens


@require_perm("org.manage_staff")
def token_list(request: HttpRequest) -> HttpResponse:
    """Every API token: owner, creation, expiry, last use, state — and a revoke button."""
    now = dates.now()
    tokens = ApiToken.objects.select_related("user", "revoked_by").order_by(
        "revoked_at", "-created_at"
    )
    rows = [
        {
            "token": t,
            "state": "unieważniony"
            if t.revoked_at
            else ("wygasł" if now >= t.expires_on else "aktywny"),
        }
        for t in tokens
    ]
    return render(request, "org/token_list.html", {"rows": rows})


@require_POST
@require_perm("org.manage_staff")
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    services.api_token_revoke(token=token, actor=request.user, now=dates.now())
    messages.success(request, f"Token {token.prefix}… unieważniono.")
    return redirect("org:token_list")


# ---------------------------------------------------------------- role changes (two people)


@require_perm("org.view_role_changes")
def role_change_list(request: HttpRequest) -> HttpResponse:
    """Zmiany ról pracowników: pending ones to confirm, and the record the DPO reviews."""
    return _role_change_page(request)


def _role_change_page(
    request: HttpRequest, *, refusal: Any = None, status: int = 200
) -> HttpResponse:
    """The list of role changes; ``refusal`` (a :func:`refusal_form`) in the summary on top."""
    return render(
        request,
        "org/role_change_list.html",
        {"rows": selectors.role_changes(), "refusal": refusal},
        status=status,
    )


@require_POST
@require_perm("org.confirm_role_change")
def role_change_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(RoleChange, pk=pk)
    try:
        services.role_change_confirm(change_id=change.pk, actor=request.user, now=dates.now())
    except DomainError as exc:
        # Issue 17: the refusal on the list (summary on top, 403/409), nothing changed.
        return _role_change_page(
            request, refusal=refusal_form(exc.message), status=page_status(exc)
        )
    else:
        messages.success(request, f"Potwierdzono zmianę ról: {change.user}.")
    return redirect("org:role_change_list")


@require_POST
@require_perm("org.confirm_role_change")
def role_change_reject(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(RoleChange, pk=pk)
    try:
        services.role_change_reject(change_id=change.pk, actor=request.user, now=dates.now())
    except DomainError as exc:
        # Issue 17: the refusal on the list (summary on top, 403/409), nothing changed.
        return _role_change_page(
            request, refusal=refusal_form(exc.message), status=page_status(exc)
        )
    else:
        messages.success(request, f"Odrzucono zmianę ról: {change.user}.")
    return redirect("org:role_change_list")

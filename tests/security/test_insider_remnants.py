"""Issue 20 — the remnants: the paths the first fixes did not reach.

- L role changes of staff need a second person (a second administrator or the director), the
  requester never confirms, and every change is shown on the DPO's audit page; no superuser
  bypasses the roles (the CLI's ``createsuperuser``).
- H4 the duplicate-PESEL check of the CSV person import names no one outside the user's scope,
  and the probe is audited (like the form and the API).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from ostoja.core.dates import noon
from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.org.roles import Role

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 20)
NOW = noon(ON)


# ------------------------------------------------------------------ L role changes


def _staff_form(staff: Any, roles: list[str]) -> dict[str, Any]:
    user = staff.user
    return {
        "version": staff.version, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "unit": staff.unit_id, "position": staff.position, "phone": "",
        "roles": roles, "is_active": "on",
    }  # fmt: skip


def test_finding_l_admin_grants_itself_client_role_needs_second_person(
    demo_org: None, make_staff: Callable[..., Any], client_for: Any
) -> None:
    """The administrator asks for a client-facing role for itself on the staff page: nothing
    changes; it cannot confirm its own request (page or service); a second administrator
    does, the roles change then, and the DPO's page shows who asked and who confirmed."""
    from ostoja.org import services
    from ostoja.org.models import RoleChange, RoleChangeStatus, StaffMember
    from ostoja.org.rules import has_role

    User = get_user_model()
    admin = User.objects.get(username="admin")
    admin2 = make_staff("rem_admin2", role=Role.ADMINISTRATOR, unit_code="organizacja")
    dpo = User.objects.get(username="iod")
    me = StaffMember.objects.get(user=admin)
    url = reverse("org:staff_edit", args=[me.pk])
    wanted = [Role.ADMINISTRATOR.value, Role.SOCIAL_WORKER.value]
    response = client_for(admin).post(url, _staff_form(me, wanted))
    assert response.status_code == 302
    assert services.roles_of(admin) == [Role.ADMINISTRATOR.value]  # not yet
    change = RoleChange.objects.get(user=admin)
    assert change.status == RoleChangeStatus.PENDING and change.requested_by == admin
    # The requester cannot confirm — through the page or the service.
    confirm = reverse("org:role_change_confirm", args=[change.pk])
    # Issue 17: the refusal comes back on the list (403, the reason in the summary on top).
    refused = client_for(admin).post(confirm)
    assert refused.status_code == 403
    summary = refused.content.decode().split("data-error-summary>", 1)[1].split("</div>", 1)[0]
    assert "druga osoba" in summary
    assert services.roles_of(admin) == [Role.ADMINISTRATOR.value]

    with pytest.raises(NotPermitted, match="druga osoba"):
        services.role_change_confirm(change_id=change.pk, actor=admin, now=NOW)
    # Nor can anyone without the right (a social worker, the DPO): 403 at the role gate.
    worker = User.objects.get(username="socjalny")
    assert client_for(worker).post(confirm).status_code == 403
    assert client_for(dpo).post(confirm).status_code == 403
    # A second administrator confirms; now the roles change, and the trail names them.
    assert client_for(admin2).post(confirm).status_code == 302
    change.refresh_from_db()
    assert change.status == RoleChangeStatus.CONFIRMED and change.decided_by == admin2
    # A second click (another tab) is refused on the page: 409, nothing changes again.
    again = client_for(admin2).post(confirm)
    assert again.status_code == 409 and "data-error-summary" in again.content.decode()
    late = client_for(admin2).post(reverse("org:role_change_reject", args=[change.pk]))
    assert late.status_code == 409 and "data-error-summary" in late.content.decode()
    change.refresh_from_db()
    assert change.status == RoleChangeStatus.CONFIRMED
    fresh = User.objects.get(pk=admin.pk)
    assert services.roles_of(fresh) == sorted(wanted)
    assert has_role(Role.SOCIAL_WORKER)(fresh)
    assert LogEntry.objects.filter(
        object_pk=str(change.pk), actor=admin2, action=LogEntry.Action.UPDATE
    ).exists()
    # The DPO's audit page links the role changes; the list shows the grant, flags it as
    # client-facing and names both people.
    assert reverse("org:role_change_list") in client_for(dpo).get(reverse("audit:log")).text
    page = client_for(dpo).get(reverse("org:role_change_list"))
    assert page.status_code == 200
    text = page.text
    assert "Pracownik socjalny" in text and "dostęp do danych klientów" in text
    assert "Adam Kowalczyk" in text and admin2.get_full_name() in text
    assert client_for(worker).get(reverse("org:role_change_list")).status_code == 403


def test_finding_l_role_removal_and_new_account_need_second_person(
    demo_org: None, client_for: Any
) -> None:
    """Removing a role and creating an account with roles are requests too; the director
    confirms or rejects; the person concerned never confirms their own change; a request
    made stale by another change is refused."""
    from ostoja.org import services
    from ostoja.org.models import RoleChangeStatus, StaffMember, Unit

    User = get_user_model()
    admin = User.objects.get(username="admin")
    director = User.objects.get(username="dyrektor")
    head = StaffMember.objects.get(user__username="kierownik")
    # Removal: the head's role stays until confirmed; the director rejects it.
    services.staff_update(
        staff=head, expected_version=head.version, first_name="Małgorzata", last_name="Łęcka",
        email="", unit=head.unit, position=head.position, roles=[], is_active=True,
        actor=admin, now=NOW,
    )  # fmt: skip
    assert services.roles_of(head.user) == [Role.HEAD_OF_UNIT.value]
    # A second request waits for the first.
    with pytest.raises(ValidationFailed, match="już czeka"):
        services.role_change_request(
            user=head.user, roles=[Role.FINANCE.value], actor=admin, now=NOW
        )
    from ostoja.org.selectors import role_change_pending

    change = role_change_pending(user=head.user)
    assert change is not None
    reject = client_for(director).post(reverse("org:role_change_reject", args=[change.pk]))
    assert reject.status_code == 302
    change.refresh_from_db()
    assert change.status == RoleChangeStatus.REJECTED and change.decided_by == director
    assert services.roles_of(head.user) == [Role.HEAD_OF_UNIT.value]
    # A new account through the page starts without roles until the director confirms.
    response = client_for(admin).post(
        reverse("org:staff_create"),
        {
            "username": "rem_nowy", "first_name": "Jan", "last_name": "Nowy", "email": "",
            "unit": Unit.objects.get(code="ro2").pk, "position": "Pracownik socjalny",
            "phone": "", "roles": [Role.SOCIAL_WORKER.value], "password": "Dlugie-Haslo-2026!",
        },
    )  # fmt: skip
    assert response.status_code == 302
    new = User.objects.get(username="rem_nowy")
    assert services.roles_of(new) == []
    change = role_change_pending(user=new)
    assert change is not None
    # The person concerned never confirms their own change, even as an administrator.
    other_admin_change = services.role_change_request(
        user=director, roles=[Role.DIRECTOR.value, Role.ANALYST.value], actor=admin, now=NOW
    )
    assert other_admin_change is not None
    with pytest.raises(NotPermitted):
        services.role_change_confirm(change_id=other_admin_change.pk, actor=director, now=NOW)
    services.role_change_confirm(change_id=change.pk, actor=director, now=NOW)
    assert services.roles_of(new) == [Role.SOCIAL_WORKER.value]
    # Stale: roles changed since the request was made.
    stale = services.role_change_request(user=new, roles=[], actor=admin, now=NOW)
    assert stale is not None
    new.groups.clear()
    with pytest.raises(DomainError, match="zmieniły się"):
        services.role_change_confirm(change_id=stale.pk, actor=director, now=NOW)


def test_finding_l_no_superuser_bypasses_roles(demo_org: None) -> None:
    """Django's superuser flag passes every permission check, past roles, scope and the
    two-person rule; no account is ever saved as one — ``ostoja createsuperuser`` included."""
    from django.core.management import call_command

    User = get_user_model()
    with pytest.raises(NotPermitted, match="superużytkownika"):
        call_command(
            "createsuperuser", "--noinput", username="rem_root", email="root@ostoja.invalid"
        )
    assert not User.objects.filter(username="rem_root").exists()
    admin = User.objects.get(username="admin")
    admin.is_superuser = True
    with pytest.raises(NotPermitted):
        admin.save()
    assert not User.objects.filter(is_superuser=True).exists()


def test_finding_l_api_has_no_role_changing_operation() -> None:
    """The API cannot change staff accounts or roles: no write operation on a path about
    staff, users, groups or roles (a new one must go through ``role_change_request``)."""
    from ostoja.api.main import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    writes = [
        f"{method.upper()} {path}"
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("post", "put", "patch", "delete")
    ]
    assert writes  # the enumeration works
    words = ("staff", "user", "group", "role", "pracown", "uzytkown", "konto")
    assert [w for w in writes if any(word in w.lower() for word in words)] == []


def test_finding_l_demo_and_seed_refuse_a_real_database(
    demo_org: None, make_staff: Callable[..., Any]
) -> None:
    """``ostoja demo`` and ``ostoja seed`` create accounts with roles (the demo's with the
    password "demo") without a second person: they refuse a database holding accounts they
    did not create — a production database — and nothing is added."""
    from django.core.management import CommandError, call_command

    User = get_user_model()
    make_staff("rem_real_worker", role=Role.SOCIAL_WORKER, unit_code="ro1")
    admin = User.objects.get(username="admin")
    admin.set_password("Prawdziwe-Haslo-2026!")  # not the demo's: a real installation
    admin.save()
    before = User.objects.count()
    with pytest.raises(CommandError, match="rem_real_worker"):
        call_command("demo", "--no-serve")
    with pytest.raises(CommandError, match="nie zostało wykonane"):
        call_command("seed", "--scale", "0.001")
    assert User.objects.count() == before


# ------------------------------------------------------------------ H4 (CSV import)


def test_finding_h4_person_import_duplicate_pesel_neutral_and_audited(
    demo_org: None, make_staff: Callable[..., Any]
) -> None:
    """The CSV import (dry run and real) answers a registered PESEL by name only to a user who
    may see that person; an importer of another district gets a neutral line, and the probe
    is audited as a refused access with ``pesel_probe``."""
    from ostoja.registry import services
    from ostoja.registry.demo import make_pesel
    from ostoja.registry.importer import persons_import
    from ostoja.registry.models import Street

    User = get_user_model()
    worker = User.objects.get(username="socjalny")
    head_ro1 = User.objects.get(username="kierownik")
    head_ro2 = make_staff("rem_head_ro2", role=Role.HEAD_OF_UNIT, unit_code="ro2")
    street = Street.objects.filter(name_1="Sienkiewicza").first()
    assert street is not None
    birth = date(1980, 5, 17)
    pesel = make_pesel(birth, 123, "M")
    person = services.person_create(
        data={
            "first_name": "Józef",
            "last_name": "Żółkiewski",
            "pesel": pesel,
            "birth_date": birth,
            "sex": "M",
            "act_street": street,
            "act_house": "10",
            "act_postal_code": "25-007",
            "act_city": "Kielce",
        },
        user=worker,
        on=ON,
    )
    text = (
        "nr_rodziny;pokrewienstwo;nazwisko;imie;pesel;data_urodzenia;plec;ulica;nr_domu;"
        "kod_pocztowy;miejscowosc\n"
        f"R1;wnioskodawca;Nowak;Jan;{pesel};1980-05-17;M;Sienkiewicza;3;25-007;Kielce\n"
    )
    for dry_run in (True, False):
        result = persons_import(text=text, user=head_ro2, on=ON, dry_run=dry_run)
        reasons = " ".join(r for p in result.rejected for r in p.reasons)
        assert "jest już zarejestrowana" in reasons
        assert "Żółkiewski" not in reasons and "Józef" not in reasons
    probes = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, actor=head_ro2, object_pk=str(person.pk)
    )
    assert probes.count() == 2
    assert all(e.additional_data["refused"] and e.additional_data["pesel_probe"] for e in probes)
    # In scope the clash names the person, so the head can find the record.
    result = persons_import(text=text, user=head_ro1, on=ON, dry_run=True)
    assert "Józef Żółkiewski" in " ".join(r for p in result.rejected for r in p.reasons)

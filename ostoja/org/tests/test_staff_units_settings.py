"""Staff accounts, units and the instance settings; optimistic locking."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from ostoja.core.dates import noon, today
from ostoja.core.errors import ConflictError, ValidationFailed
from ostoja.org import selectors, services
from ostoja.org.models import InstanceSettings, StaffMember, Unit
from ostoja.org.roles import Role

NOW = noon(date(2026, 11, 20))


@pytest.mark.django_db
def test_instance_settings_default_to_mopr_kielce() -> None:
    s = selectors.instance_settings()
    assert s.teryt == "2661011"
    assert s.authority == "Prezydent Miasta Kielce"
    assert s.appeal_body == "Samorządowe Kolegium Odwoławcze w Kielcach"


@pytest.mark.django_db
def test_settings_validate_nip_regon_account_teryt() -> None:
    s = selectors.instance_settings()
    data = {"nip": "1234563219", "regon": "123", "bank_account": "61109010140000071219812875",
            "teryt": "26610"}  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        services.instance_settings_update(data=data, expected_version=s.version)
    assert set(exc.value.errors) == {"nip", "regon", "bank_account", "teryt"}
    assert InstanceSettings.objects.get().nip == ""


@pytest.mark.django_db
def test_settings_second_writer_is_told_of_the_conflict() -> None:
    s = selectors.instance_settings()
    services.instance_settings_update(data={"phone": "41 111 11 11", "teryt": "2661011"},
                                      expected_version=s.version)  # fmt: skip
    with pytest.raises(ConflictError):
        services.instance_settings_update(data={"phone": "41 222 22 22", "teryt": "2661011"},
                                          expected_version=s.version)  # fmt: skip
    assert InstanceSettings.objects.get().phone == "41 111 11 11"


@pytest.mark.django_db
def test_settings_page_shows_conflict_and_keeps_first_edit(
    demo_org: None, client_for: object
) -> None:
    admin = client_for(get_user_model().objects.get(username="admin"))  # type: ignore[operator]
    s = selectors.instance_settings()
    form = {f: getattr(s, f) for f in services.SETTINGS_FIELDS}
    first = admin.post("/administracja/ustawienia/", {**form, "phone": "A", "version": s.version})
    assert first.status_code == 302
    second = admin.post("/administracja/ustawienia/", {**form, "phone": "B", "version": s.version})
    assert second.status_code == 200
    assert "Ktoś inny zapisał" in second.content.decode()
    assert InstanceSettings.objects.get().phone == "A"


@pytest.mark.django_db
def test_staff_create_validates_password_and_unique_login(demo_org: None) -> None:
    unit = Unit.objects.get(code="ro2")
    with pytest.raises(ValidationFailed) as exc:
        services.staff_create(username="nowy", first_name="Jan", last_name="Nowak", email="",
                              unit=unit, position="Pracownik socjalny", roles=["pracownik_socjalny"],
                              password="krotkie", now=NOW)  # fmt: skip
    assert "password" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        services.staff_create(username="socjalny", first_name="Jan", last_name="Nowak", email="",
                              unit=unit, position="x", roles=[], password="Dlugie-Haslo-2026!", now=NOW)  # fmt: skip
    assert "username" in exc.value.errors
    staff = services.staff_create(username="nowy", first_name="Jan", last_name="Nowak",
                                  email="", unit=unit, position="Pracownik socjalny",
                                  roles=["pracownik_socjalny"], password="Dlugie-Haslo-2026!",
                                  now=NOW)  # fmt: skip
    assert staff.user.groups.get().name == Role.SOCIAL_WORKER


@pytest.mark.django_db
def test_unit_cannot_be_its_own_ancestor(demo_org: None) -> None:
    root = Unit.objects.get(code="dyrekcja")
    child = Unit.objects.get(code="dpsr")
    data = {f: getattr(root, f) for f in services.UNIT_FIELDS}
    data["parent"] = child
    with pytest.raises(ValidationFailed) as exc:
        services.unit_update(unit=root, data=data, expected_version=root.version)
    assert "parent" in exc.value.errors


@pytest.mark.django_db
def test_staff_edit_through_the_page(demo_org: None, client_for: object) -> None:
    admin = client_for(get_user_model().objects.get(username="admin"))  # type: ignore[operator]
    staff = StaffMember.objects.get(user__username="socjalny")
    response = admin.post(
        f"/administracja/pracownicy/{staff.pk}/",
        {"version": staff.version, "first_name": "Anna", "last_name": "Wójcik-Nowak", "email": "",
         "unit": Unit.objects.get(code="ro2").pk, "position": "Specjalista pracy socjalnej",
         "phone": "", "roles": ["pracownik_socjalny"], "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    staff.refresh_from_db()
    # The name changes at once; the move to another unit waits for a second person.
    assert staff.unit.code == "ro1" and staff.user.last_name == "Wójcik-Nowak"
    from ostoja.org.selectors import role_change_pending

    change = role_change_pending(user=staff.user)
    assert change is not None and change.unit_after.code == "ro2"


@pytest.mark.django_db
def test_demo_load_is_idempotent(demo_org: None) -> None:
    from auditlog.models import LogEntry

    from ostoja.org.demo import load_demo_organisation

    counts = (Unit.objects.count(), StaffMember.objects.count(), LogEntry.objects.count())
    load_demo_organisation(on=today())
    assert (Unit.objects.count(), StaffMember.objects.count(), LogEntry.objects.count()) == counts

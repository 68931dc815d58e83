"""Persons: PESEL checks (python-stdnum), duplicates, addresses, search key, merge."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ostoja.core import dates
from ostoja.core.errors import ConflictError, ValidationFailed
from ostoja.org.roles import Role
from ostoja.registry import selectors, services
from ostoja.registry.models import HouseholdMembership, Income, Person
from ostoja.registry.tests.helpers import parent_and_child
from ostoja.registry.text import search_key

ON = date(2025, 11, 5)


@pytest.fixture
def worker(demo_org: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="socjalny")


def fails(fn: Any, field: str) -> str:
    with pytest.raises(ValidationFailed) as exc:
        fn()
    assert field in exc.value.errors, exc.value.errors
    return " ".join(exc.value.errors[field])


@pytest.mark.django_db
def test_register_person_with_valid_pesel(person_data: dict[str, Any], worker: Any) -> None:
    p = services.person_create(data=person_data, user=worker, on=ON)
    assert p.pesel == person_data["pesel"]
    assert p.search_key == "zolkiewski jozef"
    assert p.registered_by_unit.code == "ro1"
    assert "Sienkiewicza" in p.address_display


@pytest.mark.django_db
def test_invalid_pesel_checksum(person_data: dict[str, Any], worker: Any) -> None:
    bad = person_data["pesel"][:-1] + str((int(person_data["pesel"][-1]) + 1) % 10)
    message = fails(
        lambda: services.person_create(data={**person_data, "pesel": bad}, user=worker, on=ON),
        "pesel",
    )
    assert "cyfra kontrolna" in message
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_pesel_disagreeing_with_birth_date(person_data: dict[str, Any], worker: Any) -> None:
    message = fails(
        lambda: services.person_create(
            data={**person_data, "birth_date": date(1980, 5, 18)}, user=worker, on=ON
        ),
        "pesel",
    )
    assert "17.05.1980" in message and "18.05.1980" in message
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_pesel_disagreeing_with_sex(person_data: dict[str, Any], worker: Any) -> None:
    message = fails(
        lambda: services.person_create(data={**person_data, "sex": "K"}, user=worker, on=ON),
        "pesel",
    )
    assert "mężczyzny" in message


@pytest.mark.django_db
def test_duplicate_pesel_refused(person_data: dict[str, Any], worker: Any) -> None:
    services.person_create(data=person_data, user=worker, on=ON)
    message = fails(
        lambda: services.person_create(data=dict(person_data), user=worker, on=ON), "pesel"
    )
    assert "już zarejestrowana" in message
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_future_birth_date(person_data: dict[str, Any], worker: Any) -> None:
    data = {
        **person_data,
        "pesel": "",
        "id_document_type": "dowod",
        "id_document_number": "ABC123456",
        "birth_date": ON + timedelta(days=1),
    }
    assert "późniejsza" in fails(
        lambda: services.person_create(data=data, user=worker, on=ON), "birth_date"
    )


@pytest.mark.django_db
def test_person_without_pesel_needs_identity_document(
    person_data: dict[str, Any], worker: Any
) -> None:
    data = {**person_data, "pesel": ""}
    assert "dokumentu" in fails(
        lambda: services.person_create(data=data, user=worker, on=ON), "pesel"
    )
    data.update(id_document_type="paszport", id_document_number="EM1234567")
    assert services.person_create(data=data, user=worker, on=ON).pesel is None


@pytest.mark.django_db
def test_address_outside_kielce_needs_confirmation(
    person_data: dict[str, Any], worker: Any
) -> None:
    data = {
        **person_data,
        "act_street": None,
        "act_city": "Masłów Pierwszy",
        "act_street_text": "ul. Spacerowa",
        "act_postal_code": "26-001",
    }
    message = fails(lambda: services.person_create(data=dict(data), user=worker, on=ON), "act_city")
    assert "art. 101" in message
    assert Person.objects.count() == 0
    p = services.person_create(data={**data, "confirm_outside": True}, user=worker, on=ON)
    assert p.outside_kielce and p.act_street is None


@pytest.mark.django_db
def test_kielce_address_requires_a_street_from_the_list(
    person_data: dict[str, Any], worker: Any
) -> None:
    data = {**person_data, "act_street": None}
    assert "wykazu" in fails(
        lambda: services.person_create(data=data, user=worker, on=ON), "act_street"
    )


@pytest.mark.django_db
def test_homeless_person_gives_a_place(person_data: dict[str, Any], worker: Any) -> None:
    data = {**person_data, "homeless": True, "act_place": ""}
    fails(lambda: services.person_create(data=dict(data), user=worker, on=ON), "act_place")
    p = services.person_create(data={**data, "act_place": "noclegownia"}, user=worker, on=ON)
    assert p.act_street is None and "bezdomna" in p.address_display


@pytest.mark.django_db
def test_concurrent_edit_is_a_conflict(person_data: dict[str, Any], worker: Any) -> None:
    p = services.person_create(data=person_data, user=worker, on=ON)
    first = Person.objects.get(pk=p.pk)
    second = Person.objects.get(pk=p.pk)
    services.person_update(person=first, data={"phone": "600 100 200"}, expected_version=1, on=ON)
    with pytest.raises(ConflictError):
        services.person_update(person=second, data={"phone": "700"}, expected_version=1, on=ON)
    assert Person.objects.get(pk=p.pk).phone == "600 100 200"


@pytest.mark.django_db
def test_negative_income_refused(person_data: dict[str, Any], worker: Any) -> None:
    p = services.person_create(data=person_data, user=worker, on=ON)
    message = fails(
        lambda: services.income_add(
            person=p,
            data={"month": date(2025, 10, 1), "kind": "emerytura", "amount": "-10"},
            user=worker,
            on=ON,
        ),
        "amount",
    )
    assert "ujemna" in message
    assert Income.objects.count() == 0


@pytest.mark.django_db
def test_household_income_comes_from_the_law_core(person_data: dict[str, Any], worker: Any) -> None:
    """art. 8 ust. 3 u.p.s.: income of the month before the application; 800+ not counted."""
    p = services.person_create(data=person_data, user=worker, on=ON)
    h = services.household_create(name="", applicant=p, valid_from=date(2024, 1, 1), user=worker)
    services.income_add(
        person=p,
        data={"month": date(2025, 10, 1), "kind": "emerytura", "amount": "900.00"},
        user=worker,
        on=ON,
    )
    services.income_add(
        person=p,
        data={"month": date(2025, 10, 1), "kind": "swiadczenie_wychowawcze", "amount": "800"},
        user=worker,
        on=ON,
    )
    services.income_add(
        person=p,
        data={"month": date(2025, 9, 1), "kind": "emerytura", "amount": "5000"},
        user=worker,
        on=ON,
    )
    income = selectors.household_income(household=h, on=ON)
    assert income.month == date(2025, 10, 1)
    assert income.total == 900
    assert any("art. 8 ust. 4" in s["basis"] for s in income.trace)


@pytest.mark.django_db
def test_similar_person_is_a_warning_and_merge_moves_records(
    person_data: dict[str, Any], worker: Any
) -> None:
    keep = services.person_create(data=person_data, user=worker, on=ON)
    dup = services.person_create(
        data={
            **person_data,
            "pesel": "",
            "first_name": "Józef",
            "id_document_type": "dowod",
            "id_document_number": "AAA111111",
        },
        user=worker,
        on=ON,
    )
    assert selectors.person_similar(
        user=worker,
        first_name="Jozef",
        last_name="Zolkiewski",
        birth_date=person_data["birth_date"],
        exclude_pk=keep.pk,
    ) == [dup]
    services.household_create(name="", applicant=dup, valid_from=date(2024, 1, 1), user=worker)
    services.income_add(
        person=dup,
        data={"month": date(2025, 10, 1), "kind": "renta", "amount": "1"},
        user=worker,
        on=ON,
    )
    services.person_merge(now=dates.now(), keep=keep, duplicate=dup, user=worker, on=ON)
    dup.refresh_from_db()
    assert dup.merged_into == keep  # never deleted
    assert HouseholdMembership.objects.filter(person=keep).count() == 1
    assert Income.objects.filter(person=keep).count() == 1
    assert selectors.person_search(user=worker, query="zolkiewski") == [keep]


@pytest.mark.django_db
def test_one_household_per_person_on_a_date(person_data: dict[str, Any], worker: Any) -> None:
    p = services.person_create(data=person_data, user=worker, on=ON)
    services.household_create(name="A", applicant=p, valid_from=date(2024, 1, 1), user=worker)
    with pytest.raises(ValidationFailed):
        services.household_create(name="B", applicant=p, valid_from=date(2025, 1, 1), user=worker)


@pytest.mark.django_db
def test_membership_history_is_kept(person_data: dict[str, Any], worker: Any) -> None:
    _p, child, h, m = parent_and_child(person_data, worker)
    services.membership_end(membership=m, valid_to=date(2025, 6, 1), expected_version=h.version)
    assert len(selectors.members_on(household=h, on=date(2025, 5, 31))) == 2
    assert len(selectors.members_on(household=h, on=date(2025, 6, 1))) == 1
    assert len(selectors.membership_history(household=h)) == 2
    with pytest.raises(ConflictError):  # a second user with the old version
        services.membership_add(
            household=h,
            person=child,
            relation="dziecko",
            valid_from=date(2025, 7, 1),
            expected_version=1,
        )


@given(st.text(max_size=40))
def test_search_key_is_idempotent_and_diacritic_free(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key
    assert not set(key) & set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
    assert key == key.casefold()


def test_search_key_examples() -> None:
    assert search_key("Żółkiewski") == "zolkiewski"
    assert search_key("ŁĘCKA") == "lecka"
    assert search_key("Świętokrzyska") == "swietokrzyska"


@pytest.mark.django_db
def test_surname_search_without_diacritics(
    person_data: dict[str, Any], worker: Any, make_staff: Any
) -> None:
    p = services.person_create(data=person_data, user=worker, on=ON)
    assert selectors.person_search(user=worker, query="zolkiewski") == [p]
    assert selectors.person_search(user=worker, query="ŻÓŁKIEWSKI") == [p]
    assert selectors.person_search(user=worker, query=p.pesel[:6]) == [p]
    assert selectors.person_search(user=worker, query="sienkiewicza") == [p]
    other = make_staff("obcy", role=Role.SOCIAL_WORKER, unit_code="ro2")
    assert selectors.person_search(user=other, query="zolkiewski") == []

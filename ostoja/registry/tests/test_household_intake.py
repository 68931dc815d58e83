"""Intake without retyping: a member registered from the household page carries the address
over and returns to the household; a single person (osoba samotnie gospodarująca, art. 6
pkt 10 u.p.s.) goes straight to the application without creating a "family"."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ostoja.registry import services
from ostoja.registry.demo import make_pesel
from ostoja.registry.models import HouseholdMembership, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(demo_org: Any) -> Any:
    return get_user_model().objects.get(username="socjalny")


def test_member_from_the_household_page_carries_the_address_and_returns(
    person_data: dict[str, Any], worker: Any
) -> None:
    client = Client()
    client.force_login(worker)
    applicant = services.person_create(data=person_data, user=worker, on=date(2026, 11, 2))
    household = services.household_create(
        name="", applicant=applicant, valid_from=date(2026, 1, 1), user=worker
    )
    url = f"/klienci/nowa/?rodzina={household.pk}"
    page = client.get(url).content.decode()
    assert f'value="{applicant.act_house}"' in page  # the address is pre-filled
    pesel = make_pesel(date(2012, 3, 4), 321, "K")
    response = client.post(
        url,
        {
            "household_version": household.version, "relation": "dziecko",
            "valid_from": "2026-11-02", "first_name": "Zosia", "last_name": "Żółkiewska",
            "pesel": pesel, "citizenship": "polskie", "residence_title": "obywatel_pl",
            "act_street": applicant.act_street_id, "act_house": applicant.act_house,
            "act_flat": applicant.act_flat, "act_postal_code": applicant.act_postal_code,
            "act_city": "Kielce",
        },
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == f"/rodziny/{household.pk}/"
    child = Person.objects.get(pesel=pesel)
    assert child.address_display == applicant.address_display
    assert (child.birth_date, child.sex) == (date(2012, 3, 4), "K")  # from the PESEL
    assert HouseholdMembership.objects.filter(household=household, person=child).exists()


def test_bad_member_data_saves_nothing(person_data: dict[str, Any], worker: Any) -> None:
    client = Client()
    client.force_login(worker)
    applicant = services.person_create(data=person_data, user=worker, on=date(2026, 11, 2))
    household = services.household_create(
        name="", applicant=applicant, valid_from=date(2026, 1, 1), user=worker
    )
    count = Person.objects.count()
    response = client.post(
        f"/klienci/nowa/?rodzina={household.pk}",
        {"household_version": household.version, "relation": "dziecko",
         "valid_from": "2026-11-02", "first_name": "X", "last_name": "Y", "pesel": "123"},
    )  # fmt: skip
    assert response.status_code == 200 and Person.objects.count() == count


def test_single_person_goes_to_the_application_without_a_family_art_6_pkt_10(
    person_data: dict[str, Any], worker: Any
) -> None:
    client = Client()
    client.force_login(worker)
    person = services.person_create(data=person_data, user=worker, on=date(2026, 11, 2))
    response = client.post(
        f"/klienci/{person.pk}/rodzina/", {"valid_from": "2026-11-02", "name": "", "single": "1"}
    )
    membership = HouseholdMembership.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == f"/rodziny/{membership.household_id}/wniosek/"
    assert "samotnie gospodarująca" in membership.household.name
    assert "Rodzina" not in membership.household.name

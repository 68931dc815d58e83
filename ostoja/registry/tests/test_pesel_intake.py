"""Intake without retyping: birth date and sex come from the PESEL (python-stdnum checks the
number), in the person form and in the API; a 422 names every failing field at once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ostoja.registry.demo import make_pesel
from ostoja.registry.models import Person, Street

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_worker(demo_org: Any) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="socjalny"))
    return client


def _address(street: Street) -> dict[str, Any]:
    return {"act_street": street.sym_ul, "act_house": "10", "act_postal_code": "25-007"}


def test_api_accepts_a_pesel_alone_and_derives_birth_date_and_sex(
    client_worker: Client, street: Street
) -> None:
    pesel = make_pesel(date(2003, 2, 14), 456, "K")
    body = {"first_name": "Ewa", "last_name": "Nowak", "pesel": pesel, **_address(street)}
    response = client_worker.post("/api/v1/persons", body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["birth_date"], data["sex"]) == ("2003-02-14", "K")


def test_api_422_names_every_failing_field_including_pesel(
    client_worker: Client, street: Street
) -> None:
    body = {"pesel": "12345678901", "birth_date": "1980-13-45", **_address(street)}
    response = client_worker.post("/api/v1/persons", body, content_type="application/json")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"pesel", "birth_date", "first_name", "last_name"} <= fields
    assert not Person.objects.filter(pesel="12345678901").exists()


def test_api_pesel_disagreeing_with_a_typed_sex_is_reported_on_pesel(
    client_worker: Client, street: Street
) -> None:
    pesel = make_pesel(date(1990, 7, 1), 12, "M")
    body = {"first_name": "Jan", "last_name": "Kos", "pesel": pesel, "sex": "K", **_address(street)}
    response = client_worker.post("/api/v1/persons", body, content_type="application/json")
    assert response.status_code == 422
    assert "pesel" in {e["field"] for e in response.json()["errors"]}


def test_person_form_fills_birth_date_and_sex_from_pesel(
    client_worker: Client, street: Street
) -> None:
    pesel = make_pesel(date(1961, 11, 30), 77, "M")
    page = client_worker.get("/klienci/nowa/")
    assert page.status_code == 200 and "registry/pesel" in page.content.decode()
    response = client_worker.post(
        "/klienci/nowa/",
        {"first_name": "Adam", "last_name": "Lis", "pesel": pesel, "citizenship": "polskie",
         "residence_title": "obywatel_pl", "act_street": street.pk, "act_house": "3",
         "act_postal_code": "25-007", "act_city": "Kielce"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get(pesel=pesel)
    assert (person.birth_date, person.sex) == (date(1961, 11, 30), "M")

"""Test data across contexts: a household with one member and its case in a given unit."""

from __future__ import annotations

from datetime import date
from typing import Any

from ostoja.cases.models import Case
from ostoja.org.models import Unit
from ostoja.registry.models import Household, HouseholdMembership, Person

_counter = {"n": 0}


def make_case(*, unit_code: str = "ro1", worker: Any = None, name: str = "") -> Case:
    _counter["n"] += 1
    n = _counter["n"]
    person = Person.objects.create(
        first_name="Jan",
        last_name=f"Kowalski{n}",
        search_key=f"kowalski{n} jan",
        birth_date=date(1980, 1, 1),
        sex="M",
        act_street_text="ul. Próbna",
        act_house=str(n),
        act_postal_code="25-001",
    )
    household = Household.objects.create(name=name or f"Rodzina Kowalskich {n}")
    HouseholdMembership.objects.create(
        household=household, person=person, relation="wnioskodawca", valid_from=date(2024, 1, 1)
    )
    return Case.objects.create(
        household=household,
        unit=Unit.objects.get(code=unit_code),
        worker=worker,
        opened_on=date(2024, 1, 2),
    )

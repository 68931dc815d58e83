from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ostoja.org.models import Unit
from ostoja.registry import services as registry_services
from ostoja.registry.demo import make_pesel
from ostoja.registry.models import Street, StreetDistrict

ON = date(2025, 11, 5)


@pytest.fixture
def worker(demo_org: Any) -> Any:
    return get_user_model().objects.get(username="socjalny")


@pytest.fixture
def ro1_street(demo_org: Any) -> Street:
    from ostoja.cases.filing import load_filing_list
    from ostoja.cases.models import FilingClass
    from ostoja.registry.streets import load_rows, packaged_rows

    if not Street.objects.exists():  # flushed by an earlier transactional test
        load_rows(Street, packaged_rows())
    load_filing_list(FilingClass)
    street = Street.objects.get(name_1="Sienkiewicza")
    StreetDistrict.objects.get_or_create(street=street, unit=Unit.objects.get(code="ro1"))
    return street


@pytest.fixture
def family(worker: Any, ro1_street: Street) -> Any:
    """A family factory: ``family(n_members, serial=1)`` → household in ro1's street."""

    def make(size: int = 1, serial: int = 1, street: Street | None = None) -> Any:
        street_ = street or ro1_street
        birth = date(1970, 1, 1 + serial % 27)
        applicant = registry_services.person_create(
            data={
                "first_name": "Łucja",
                "last_name": f"Łęcka{'x' * serial}",
                "birth_date": birth,
                "sex": "K",
                "pesel": make_pesel(birth, serial * 10, "K"),
                "act_street": street_,
                "act_house": "3",
                "act_city": "Kielce",
            },
            user=worker,
            on=ON,
        )
        household = registry_services.household_create(
            name="", applicant=applicant, valid_from=date(2024, 1, 1), user=worker
        )
        registry_services.income_add(
            person=applicant,
            data={"month": date(2025, 10, 1), "kind": "emerytura", "amount": "700.00"},
            user=worker,
            on=ON,
        )
        for k in range(1, size):
            kb = date(2010, 1 + k % 12, 1 + serial % 27)
            child = registry_services.person_create(
                data={
                    "first_name": "Jan",
                    "last_name": f"Łęcki{'x' * serial}",
                    "birth_date": kb,
                    "sex": "M",
                    "pesel": make_pesel(kb, serial * 10 + k, "M"),
                    "act_street": street_,
                    "act_house": "3",
                    "act_city": "Kielce",
                },
                user=worker,
                on=ON,
            )
            household.refresh_from_db()
            registry_services.membership_add(
                household=household,
                person=child,
                relation="dziecko",
                valid_from=date(2024, 1, 1),
                expected_version=household.version,
            )
            registry_services.income_add(
                person=child,
                data={"month": date(2025, 10, 1), "kind": "alimenty", "amount": "100"},
                user=worker,
                on=ON,
            )
        return household, applicant

    return make

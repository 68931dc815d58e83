from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ostoja.registry.demo import make_pesel
from ostoja.registry.models import Street


@pytest.fixture
def street(db: Any) -> Street:
    from ostoja.registry.streets import load_rows, packaged_rows

    if not Street.objects.exists():  # flushed by an earlier transactional test
        load_rows(Street, packaged_rows())
    s = Street.objects.filter(name_1="Sienkiewicza").first()
    assert s is not None, "streets are loaded by the data migration"
    return s


@pytest.fixture
def person_data(street: Street) -> dict[str, Any]:
    birth = date(1980, 5, 17)
    return {
        "first_name": "Józef",
        "last_name": "Żółkiewski",
        "pesel": make_pesel(birth, 123, "M"),
        "birth_date": birth,
        "sex": "M",
        "act_street": street,
        "act_house": "10",
        "act_flat": "4",
        "act_postal_code": "25-007",
        "act_city": "Kielce",
    }

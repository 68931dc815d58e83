"""Production-readiness review of the registry pages: date inputs keep their value when editing,
unique ids on the household page, money in the Polish format, narrow-screen table wrappers."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ostoja.registry import services
from ostoja.registry.text import amount_pl

ON = date(2025, 11, 5)


@pytest.fixture(autouse=True)
def _today(travel: Any) -> None:
    """Every clock read in these tests (views, API, services' callers) says ``ON``."""
    travel(ON)


@pytest.fixture
def worker(demo_org: Any) -> Any:
    return get_user_model().objects.get(username="socjalny")


def unique_ids(html: str) -> list[str]:
    ids = re.findall(r'\sid="([^"]+)"', html)
    return sorted({i for i in ids if ids.count(i) > 1})


def test_amount_pl() -> None:
    assert amount_pl("1229") == "1\u00a0229,00\u00a0zł"
    assert amount_pl("620.5", currency=False) == "620,50"
    assert amount_pl(None) == "—"


@pytest.mark.django_db
def test_edit_form_date_inputs_show_current_values(
    worker: Any, client_for: Any, person_data: dict[str, Any]
) -> None:
    """DateInput(type=date) needs format %Y-%m-%d or the browser shows an empty field."""
    person_data["disability_degree"] = "umiarkowany"
    person_data["disability_valid_until"] = date(2027, 3, 31)
    person = services.person_create(data=person_data, user=worker, on=ON)
    html = client_for(worker).get(reverse("registry:person_edit", args=[person.pk])).content
    text = html.decode()
    assert re.search(r'type="date"[^>]*value="1980-05-17"|value="1980-05-17"[^>]*type="date"', text)
    assert 'value="2027-03-31"' in text


@pytest.mark.django_db
def test_household_page_ids_unique_money_polish_tables_wrapped(
    worker: Any, client_for: Any, person_data: dict[str, Any]
) -> None:
    person = services.person_create(data=person_data, user=worker, on=ON)
    household = services.household_create(
        name="", applicant=person, valid_from=date(2024, 1, 1), user=worker
    )
    services.income_add(
        person=person,
        data={"month": date(2025, 10, 1), "kind": "emerytura", "amount": "1234.50"},
        user=worker,
        on=ON,
    )
    client = client_for(worker)
    text = client.get(reverse("registry:household_detail", args=[household.pk])).content.decode()
    assert unique_ids(text) == []
    assert "1\u00a0234,50\u00a0zł" in text and "1234.50 zł" not in text
    assert 'class="table-scroll" role="region" tabindex="0"' in text
    assert "registry/registry.css" in text
    text = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "1\u00a0234,50\u00a0zł" in text

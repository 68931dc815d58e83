"""Issue 22: one-off and back-dated income entered in the register reach the law core."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from ostoja.core.errors import ValidationFailed
from ostoja.registry import selectors, services
from ostoja.registry.models import Income

from .test_persons import ON, worker  # noqa: F401  (fixture)


def _household(person_data: dict[str, Any], user: Any) -> tuple[Any, Any]:
    p = services.person_create(data=person_data, user=user, on=ON)
    h = services.household_create(name="", applicant=p, valid_from=date(2024, 1, 1), user=user)
    return p, h


@pytest.mark.django_db
def test_one_off_income_spread_from_the_register_art_8_ust_11(
    person_data: dict[str, Any],
    worker: Any,  # noqa: F811
) -> None:
    p, h = _household(person_data, worker)
    services.income_add(
        person=p,
        data={"month": date(2025, 8, 1), "kind": "inne", "amount": "6000", "one_off": True},
        user=worker,
        on=ON,
    )
    income = selectors.household_income(household=h, on=ON)
    assert income.total == 500  # 6000 > 5 × 1010 → ÷ 12, month 2025-10 within 2025-08 + 11
    assert any("art. 8 ust. 11" in s["basis"] for s in income.trace)


@pytest.mark.django_db
def test_back_dated_income_from_the_register_art_8_ust_12(
    person_data: dict[str, Any],
    worker: Any,  # noqa: F811
) -> None:
    p, h = _household(person_data, worker)
    data = {
        "month": date(2025, 11, 1),
        "kind": "renta",
        "amount": "1200",
        "period_from": date(2025, 7, 1),
        "period_to": date(2025, 12, 1),
    }
    services.income_add(person=p, data=data, user=worker, on=ON)
    assert selectors.household_income(household=h, on=ON).total == 200


@pytest.mark.django_db
def test_one_off_and_period_together_refused_art_8_ust_11_12(
    person_data: dict[str, Any],
    worker: Any,  # noqa: F811
) -> None:
    p, _ = _household(person_data, worker)
    data = {
        "month": date(2025, 10, 1),
        "kind": "inne",
        "amount": "100",
        "one_off": True,
        "period_from": date(2025, 9, 1),
        "period_to": date(2025, 8, 1),
    }
    with pytest.raises(ValidationFailed) as exc:
        services.income_add(person=p, data=data, user=worker, on=ON)
    assert {"one_off", "period_to"} <= set(exc.value.errors)
    assert Income.objects.count() == 0


@pytest.mark.django_db
def test_new_kinds_can_be_entered_art_8_ust_4(
    person_data: dict[str, Any],
    worker: Any,  # noqa: F811
) -> None:
    p, h = _household(person_data, worker)
    for kind in ("trzynasta_emerytura", "bon_energetyczny", "stypendium_socjalne_student"):
        services.income_add(
            person=p,
            data={"month": date(2025, 10, 1), "kind": kind, "amount": "300"},
            user=worker,
            on=ON,
        )
    assert selectors.household_income(household=h, on=ON).total == 300  # only the student's


@pytest.mark.django_db
def test_person_page_shows_one_off_and_period_income_art_8_ust_11_12(
    person_data: dict[str, Any],
    worker: Any,  # noqa: F811
    client: Any,
) -> None:
    p, _ = _household(person_data, worker)
    services.income_add(
        person=p,
        data={"month": date(2025, 8, 1), "kind": "inne", "amount": "6000", "one_off": True},
        user=worker,
        on=ON,
    )
    data = {"month": date(2025, 11, 1), "kind": "renta", "amount": "1200",
            "period_from": date(2025, 7, 1), "period_to": date(2025, 12, 1)}  # fmt: skip
    services.income_add(person=p, data=data, user=worker, on=ON)
    client.force_login(worker)
    text = client.get(reverse("registry:person_detail", args=[p.pk])).content.decode()
    assert "dochód jednorazowy (art. 8 ust. 11)" in text
    assert "za okres 07.2025–12.2025 (art. 8 ust. 12)" in text


@pytest.mark.django_db
def test_income_on_a_date_without_parameters_in_force_names_the_date_art_8(
    person_data: dict[str, Any],
    worker: Any,  # noqa: F811
) -> None:
    """Art. 8 ust. 1 u.p.s. thresholds are dated: before any is in force the household income
    cannot be computed — a field error on the date, not a crash (and not a hidden bug)."""
    p = services.person_create(data=person_data, user=worker, on=ON)
    h = services.household_create(name="", applicant=p, valid_from=date(1990, 1, 1), user=worker)
    income = selectors.household_income(household=h, on=date(1990, 1, 15))
    assert income.errors and income.errors[0]["field"] == "application_date"

"""Issue 19: the calculators memoise plans (criterion, income rules, refusal grounds, …) per
date — inside the parameter store they were made from. A what-if scenario runs the law core
with a *changed* copy of the store (``ostoja.analysis.whatif.scenario_store``); it must see
its own values even right after the same case was calculated, and memoised, with the default
store — and the default store must not see the scenario's values afterwards."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from ostoja.law.benefits import zasilek_okresowy
from ostoja.law.household import Case, Household, IncomeItem, Member
from ostoja.law.store import ParameterStore, default_store

ON = date(2025, 11, 5)
CASE = Case(
    household=Household(
        (
            Member(
                "1",
                incomes=(
                    IncomeItem("emerytura", amount=Decimal("500.00")),
                    IncomeItem("swiadczenie_wychowawcze", amount=Decimal("800.00")),
                ),
            ),
            Member("2", role="inny"),
        )
    ),
    application_date=ON,
)


def _changed(base: ParameterStore, name: str, **values: Any) -> dict[str, Any]:
    """The series of ``name`` with the record in force on ``ON`` changed — as the what-if
    scenarios build it (a new record; the others are the very same objects)."""
    return {
        name: tuple(
            dataclasses.replace(r, values={**r.values, **values}) if r.period.contains(ON) else r
            for r in base.series(name)
        )
    }


def _scenario(base: ParameterStore) -> ParameterStore:
    series = {name: base.series(name) for name in base.names()}
    series |= _changed(base, "kryterium_dochodowe", per_person=Decimal("900.00"))
    series |= _changed(base, "zasilek_okresowy", guaranteed_percent=Decimal("60"))
    always = tuple(
        k for k in base.get("wylaczenia_dochodu", ON)["always"] if k != "swiadczenie_wychowawcze"
    )
    series |= _changed(base, "wylaczenia_dochodu", always=always)
    return ParameterStore(series)


def test_a_changed_store_is_seen_after_the_default_store_memoised_the_same_case() -> None:
    base = default_store()
    before = zasilek_okresowy.calculate(CASE, store=base)
    assert zasilek_okresowy.calculate(CASE, store=base) == before  # plans now memoised
    # 2 × 823 = 1 646 zł; 800+ excluded: income 500 zł; 50 % of 1 146 zł
    assert (before.income.total, before.amount_min, before.amount_max) == (
        Decimal("500.00"),
        Decimal("573.00"),
        Decimal("1146.00"),
    )

    changed = zasilek_okresowy.calculate(CASE, store=_scenario(base))
    # 2 × 900 = 1 800 zł; 800+ counted: income 1 300 zł; 60 % of 500 zł
    assert changed.income.criterion == Decimal("900.00")
    assert (changed.income.total, changed.amount_min, changed.amount_max) == (
        Decimal("1300.00"),
        Decimal("300.00"),
        Decimal("500.00"),
    )
    assert "900,00 zł" in changed.trace[0].value
    assert any(s.value == "60% × 500,00 zł = 300,00 zł" for s in changed.trace)

    # and the default store is untouched by the scenario
    assert zasilek_okresowy.calculate(CASE, store=base) == before

"""Issue 19: the calculators memoise plans (criterion, income rules, refusal grounds, …) per
date — inside the parameter store they were made from. A what-if scenario runs the law core
with a *changed* copy of the store (``ostoja.analysis.whatif.scenario_store``); it must see
its own values even right after the same case was calculated, and memoised, with the default
store — and the default store must not see the scenario's values afterwards."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ostoja.law.benefits import zasilek_okresowy
from ostoja.law.household import Case, Household, IncomeItem, Member
from ostoja.law.periods import YearMonth
from ostoja.law.store import ParameterNotFound, ParameterStore, default_store

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


# -- plans per segment (issue 19) ------------------------------------------------------------
# A plan is memoised per *segment* — the days between two days on which any record of any
# parameter starts or ends — instead of per application date. That is sound only if two dates
# of one segment have the same record of every parameter in force:

_DAYS = st.dates(min_value=date(2015, 1, 1), max_value=date(2031, 12, 31))


@settings(max_examples=300, deadline=None)
@given(a=_DAYS, b=_DAYS)
def test_two_dates_of_one_segment_have_the_same_record_of_every_parameter(a: date, b: date) -> None:
    store = default_store()
    if store.segment(a) != store.segment(b):
        return
    for name in store.names():
        try:
            record = store.get(name, a)
        except ParameterNotFound:
            with pytest.raises(ParameterNotFound):
                store.get(name, b)
            continue
        assert store.get(name, b) is record, (name, a, b)


def test_a_segment_ends_where_a_record_starts() -> None:
    store = default_store()
    start = store.get("kryterium_dochodowe", date(2025, 1, 1)).valid_from  # 1.01.2025
    before = start - timedelta(days=1)
    assert store.segment(before) != store.segment(start)
    assert store.segment(start) == store.segment(start + timedelta(days=200))


def test_dates_of_one_segment_differ_in_the_date_and_the_income_month_only() -> None:
    """Art. 8 ust. 1 and ust. 3 u.p.s.: the criterion of the application date, the income of
    the month before it — two applications in one segment share the plan, not those two."""
    store = ParameterStore({name: default_store().series(name) for name in default_store().names()})
    first = zasilek_okresowy.calculate(CASE, store=store)
    later = dataclasses.replace(CASE, application_date=date(2025, 12, 31))
    assert store.segment(later.application_date) == store.segment(ON)
    second = zasilek_okresowy.calculate(later, store=store)
    assert first.trace[0].step.endswith(
        "(2025-11-05): osoba samotnie gospodarująca / osoba w rodzinie"
    )
    assert second.trace[0].step.endswith(
        "(2025-12-31): osoba samotnie gospodarująca / osoba w rodzinie"
    )
    assert first.income.month == YearMonth(2025, 10) and second.income.month == YearMonth(2025, 11)
    assert [s.as_dict() for s in second.trace] == [
        s.as_dict() for s in zasilek_okresowy.calculate(later, store=ParameterStore(
            {name: default_store().series(name) for name in default_store().names()}
        )).trace
    ]  # fmt: skip


def test_a_title_with_dates_of_its_own_is_planned_per_date() -> None:
    """Art. 5 u.p.s. with the special act: the Ukrainian citizens' title ends on 5.03.2026 —
    inside one segment of the parameters, so the plan must not be shared across that day."""
    store = ParameterStore({name: default_store().series(name) for name in default_store().names()})
    last = dataclasses.replace(
        CASE, residence_title="ukr_specustawa", application_date=date(2026, 3, 4)
    )
    after = dataclasses.replace(last, application_date=date(2026, 3, 5))
    assert store.segment(last.application_date) == store.segment(after.application_date)
    assert zasilek_okresowy.calculate(last, store=store).eligible
    refused = zasilek_okresowy.calculate(after, store=store)
    assert not refused.eligible
    assert any("nie obowiązywał w dniu złożenia wniosku" in r.text for r in refused.reasons)
    # and in the other order, on a fresh store
    store = ParameterStore({name: default_store().series(name) for name in default_store().names()})
    assert not zasilek_okresowy.calculate(after, store=store).eligible
    assert zasilek_okresowy.calculate(last, store=store).eligible

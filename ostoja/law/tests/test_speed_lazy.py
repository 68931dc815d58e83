"""Issue 19: a result's trace is collected as plain tuples and made into ``Step`` objects only
when read (``frozen.lazy_slot``). Whoever reads it — the attribute, ``==``, ``hash``, ``repr``,
``dataclasses.replace``/``asdict``, pickling — gets the same tuple of steps as an eagerly built
result, and the same object on every read."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import date
from decimal import Decimal

from ostoja.law.benefits import zasilek_okresowy
from ostoja.law.benefits.common import BenefitResult
from ostoja.law.household import Case, Household, IncomeItem, Member
from ostoja.law.income import PURPOSE_CASH, compute_income
from ostoja.law.policy import DEFAULT_POLICY
from ostoja.law.store import default_store
from ostoja.law.trace import Step

CASE = Case(
    household=Household(
        (
            Member("1", incomes=(IncomeItem("emerytura", amount=Decimal("500.00")),)),
            Member(
                "2",
                role="inny",
                incomes=(
                    IncomeItem(
                        "wynagrodzenie",
                        gross=Decimal("900.00"),
                        tax=Decimal("10.00"),
                        social=Decimal("123.39"),
                        health=Decimal("69.84"),
                    ),
                ),
            ),
        )
    ),
    application_date=date(2025, 11, 5),
)


def _eager(result: BenefitResult) -> list[tuple[str, str, str]]:
    return [(s.step, s.value, s.basis) for s in result.trace]


def test_the_trace_read_is_a_tuple_of_steps_and_the_same_object_each_time() -> None:
    result = zasilek_okresowy.calculate(CASE)
    trace = result.trace
    assert type(trace) is tuple and all(type(s) is Step for s in trace)
    assert result.trace is trace
    # 2 × 823 zł − (500 zł + 696,77 zł) = 449,23 zł; half of it, rounded half-up
    assert trace[-1].value == "od 224,62 zł do 449,23 zł; proponowana 224,62 zł"
    assert any(s.value == "900,00 zł − podatek 10,00 zł − składki społeczne 123,39 zł − "
               "składka zdrowotna 69,84 zł = 696,77 zł" for s in trace)  # fmt: skip


def test_equality_hash_repr_copies_and_pickles_see_the_steps() -> None:
    store = default_store()
    first = zasilek_okresowy.calculate(CASE, store=store)
    second = zasilek_okresowy.calculate(CASE, store=store)  # not read before comparing
    assert first == second and hash(first) == hash(second)
    assert "Step(step='Kryterium dochodowe" in repr(zasilek_okresowy.calculate(CASE, store=store))
    copied = dataclasses.replace(zasilek_okresowy.calculate(CASE, store=store), amount=None)
    assert _eager(copied) == _eager(first)
    as_dict = dataclasses.asdict(zasilek_okresowy.calculate(CASE, store=store))
    assert len(as_dict["trace"]) == len(first.trace)
    unpickled = pickle.loads(pickle.dumps(zasilek_okresowy.calculate(CASE, store=store)))
    assert unpickled == first and _eager(unpickled) == _eager(first)


def test_the_income_result_trace_is_lazy_too_and_the_result_is_frozen() -> None:
    income = compute_income(
        CASE.household,
        on=CASE.application_date,
        purpose=PURPOSE_CASH,
        store=default_store(),
        policy=DEFAULT_POLICY,
    )
    assert type(income.trace) is tuple and all(type(s) is Step for s in income.trace)
    assert income.trace[0].value == "2025-10"
    result = zasilek_okresowy.calculate(CASE)
    try:
        result.trace = ()  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:  # pragma: no cover
        raise AssertionError("a result must stay frozen")


def test_a_refusal_text_is_formatted_when_read() -> None:
    rich = dataclasses.replace(
        CASE,
        household=Household(
            (Member("1", incomes=(IncomeItem("emerytura", amount=Decimal("1234.5")),)),)
        ),
    )
    result = zasilek_okresowy.calculate(rich)
    (reason,) = result.reasons
    text = "Dochód (1 234,50 zł) nie jest niższy niż kryterium dochodowe osoby samotnie gospodarującej (1 010,00 zł)"
    assert type(reason.text) is str and reason.text == text and reason.text is reason.text
    assert str(reason) == f"{text} (art. 38 ust. 1 pkt 1 u.p.s.)"
    assert result.trace[-1].step == "Wynik: brak uprawnienia" and result.trace[-1].value == text
    assert pickle.loads(pickle.dumps(reason)) == reason

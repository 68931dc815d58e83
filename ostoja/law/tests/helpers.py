"""Builders for test households (no Django, no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ostoja.law.household import Case, Household, IncomeItem, Member


def D(x: str | int) -> Decimal:
    return Decimal(str(x))


def item(kind: str, amount: str | None = None, **kw: str) -> IncomeItem:
    fields = {k: D(v) for k, v in kw.items()}
    return IncomeItem(kind, amount=D(amount) if amount is not None else None, **fields)


def person(
    pid: str = "A",
    *incomes: IncomeItem,
    role: str = "wnioskodawca",
    birth: date = date(1950, 1, 1),
    sex: str = "K",
    disability: str | None = None,
    total_incapacity: bool = False,
    insured: bool = False,
) -> Member:
    return Member(
        id=pid,
        role=role,
        birth_date=birth,
        sex=sex,
        disability=disability,
        total_incapacity=total_incapacity,
        insured_elsewhere=insured,
        incomes=tuple(incomes),
    )


def single(income: str | Decimal = "0", kind: str = "emerytura", **kw: object) -> Household:
    incomes = (item(kind, str(income)),) if Decimal(str(income)) else ()
    return Household((person("A", *incomes, **kw),))  # type: ignore[arg-type]


def family(*per_member_income: str) -> Household:
    members = []
    for i, inc in enumerate(per_member_income):
        incomes = (item("wynagrodzenie", inc),) if Decimal(inc) else ()
        members.append(
            person(chr(ord("A") + i), *incomes, role="wnioskodawca" if i == 0 else "inny")
        )
    return Household(tuple(members))


def case(household: Household, on: date = date(2025, 11, 5), **kw: object) -> Case:
    return Case(household=household, application_date=on, **kw)  # type: ignore[arg-type]

"""Frozen input model of the law core: income items, members, household, case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .periods import YearMonth

__all__ = [
    "CareInput",
    "Case",
    "DpsInput",
    "DpsRelative",
    "Household",
    "IncomeItem",
    "Member",
]

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class IncomeItem:
    """One monthly income item of the income month (art. 8 ust. 3 u.p.s.).

    ``amount`` — net amount (most kinds; declared income for ``dzialalnosc_ryczalt``; amount
    paid for ``alimenty_placone``). ``wynagrodzenie``: ``amount`` (net) or ``gross`` with
    ``tax``, ``social``, ``health`` (and optional ``kup``). ``dzialalnosc_ogolna``: ``revenue``,
    ``costs``, ``tax``, ``social``, ``health``. ``gospodarstwo_rolne``: ``hectares``
    (przeliczeniowe).
    """

    kind: str
    amount: Decimal | None = None
    gross: Decimal | None = None
    tax: Decimal = _ZERO
    social: Decimal = _ZERO
    health: Decimal = _ZERO
    kup: Decimal = _ZERO
    revenue: Decimal | None = None
    costs: Decimal = _ZERO
    hectares: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    role: str = "wnioskodawca"
    birth_date: date | None = None
    sex: str | None = None
    disability: str | None = None
    total_incapacity: bool = False
    insured_elsewhere: bool = False
    incomes: tuple[IncomeItem, ...] = ()

    def age_on(self, on: date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        years = on.year - b.year
        # A person born on 29 February comes of age on 1 March in non-leap years
        # (art. 112 Kodeksu cywilnego: the day before the anniversary ends the year).
        if (on.month, on.day) < (b.month, b.day):
            years -= 1
        return years


@dataclass(frozen=True, slots=True)
class Household:
    """A household: „rodzina” or „osoba samotnie gospodarująca” (art. 6 u.p.s.)."""

    members: tuple[Member, ...]
    household_incomes: tuple[IncomeItem, ...] = ()

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def is_single(self) -> bool:
        return len(self.members) == 1

    @property
    def applicant(self) -> Member:
        for m in self.members:
            if m.role == "wnioskodawca":
                return m
        return self.members[0]

    def member(self, member_id: str) -> Member | None:
        for m in self.members:
            if m.id == member_id:
                return m
        return None


@dataclass(frozen=True, slots=True)
class DpsRelative:
    relation: str
    household_size: int
    household_income: Decimal


@dataclass(frozen=True, slots=True)
class DpsInput:
    monthly_cost: Decimal
    resident: str | None = None
    relatives: tuple[DpsRelative, ...] = ()


@dataclass(frozen=True, slots=True)
class CareInput:
    hourly_price: Decimal
    hours: Decimal


@dataclass(frozen=True, slots=True)
class Case:
    """Everything a calculator needs; mirrors the request document of the interface."""

    household: Household
    application_date: date
    income_month: YearMonth | None = None
    income_lost: bool = False
    entitlement_from: date | None = None
    residence_title: str = "obywatel_pl"
    interview_refused: bool = False
    non_cooperation: bool = False
    asset_disproportion: bool = False
    requested_amount: Decimal | None = None
    repayable: bool = False
    dps: DpsInput | None = None
    care: CareInput | None = None

"""Frozen input model of the law core: income items, members, household, case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .periods import YearMonth

__all__ = [
    "CareInput",
    "Case",
    "DpsExemption",
    "DpsInput",
    "DpsRelative",
    "FuneralInput",
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
    # Issue 22 (all optional, so existing items keep their meaning):
    # art. 8 ust. 11 — a one-off income (``one_off``) paid in month ``received``;
    # art. 8 ust. 12 — an income received at once for the months ``period_from``–``period_to``.
    one_off: bool = False
    received: YearMonth | None = None
    period_from: YearMonth | None = None
    period_to: YearMonth | None = None


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
class DpsExemption:
    """Exemption of a relative from the DPS fee (art. 64, 64a, 64b u.p.s.).

    ``basis``: ``"art_64"`` (on request, discretionary), ``"art_64a"`` / ``"art_64b"``
    (mandatory grounds). ``amount`` ``None`` = full exemption, else the amount exempted.
    """

    basis: str
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DpsRelative:
    """A relative liable for the DPS fee (art. 61 ust. 1 pkt 2 u.p.s.).

    Either ``household`` (the relative's own household, income computed under art. 8) or the
    older pre-computed ``household_size`` + ``household_income``. ``minor`` marks a minor
    descendant; ``agreed_amount`` is the amount fixed in the agreement of art. 103 ust. 2.
    """

    relation: str
    household_size: int
    household_income: Decimal
    household: Household | None = None
    minor: bool = False
    exemption: DpsExemption | None = None
    agreed_amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DpsInput:
    monthly_cost: Decimal
    resident: str | None = None
    relatives: tuple[DpsRelative, ...] = ()


@dataclass(frozen=True, slots=True)
class FuneralInput:
    """Zasiłek celowy for funeral costs (art. 40 ust. 1a u.p.s., from 2026-01-01).

    ``costs`` — documented funeral costs borne by the applicant; ``zus_grant_due`` — whether a
    funeral grant (zasiłek pogrzebowy) is due after the deceased; ``extraordinary_costs`` —
    extraordinary costs that the grant cannot cover (e.g. bringing the body from abroad).
    """

    costs: Decimal
    zus_grant_due: bool = False
    extraordinary_costs: Decimal | None = None


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
    # Issue 22 (optional): the decision date (criteria and amounts of that day, art. 8 ust. 1
    # read with the rule that the organ applies the law in force when it decides); work taken
    # up under a social contract (zasiłek okresowy regardless of income); funeral costs.
    decision_date: date | None = None
    contract_work_start: date | None = None
    contract_amount: Decimal | None = None
    funeral: FuneralInput | None = None

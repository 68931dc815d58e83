"""Fees for care services: usługi opiekuńcze (Kielce council resolution table, art. 50
ust. 6 u.p.s.) and specialised care services for persons with mental disorders (national
regulation table, art. 50 ust. 7 u.p.s.)."""

from __future__ import annotations

from decimal import Decimal

from ..household import Case
from ..income import PURPOSE_NONCASH
from ..money import HUNDRED, pct, pln
from ..policy import DEFAULT_POLICY, Policy
from ..store import ParameterStore, Record, default_store
from .common import BenefitResult, Context, begin

__all__ = ["calculate_kielce", "calculate_suo_zaburzenia", "fee_rate_from_table"]

_ZERO = Decimal("0.00")


def fee_rate_from_table(table: Record, ratio: Decimal, single: bool) -> Decimal | None:
    """Rate (% of the hourly price) for income at ``ratio`` % of the criterion; ``None`` = free.

    Bands are ``above < ratio <= upto``; a band without ``upto`` is open-ended.
    """
    if ratio <= table["free_upto_percent"]:
        return None
    column = "single" if single else "family"
    for band in table["bands"]:
        upto = band.get("upto")
        if ratio > band["above"] and (upto is None or ratio <= upto):
            fee: Decimal = band[column]
            return fee
    raise ValueError(f"Tabela {table.name}: brak przedziału dla {ratio}% kryterium")


def _care(ctx: Context, table_name: str, basis: str) -> BenefitResult:
    case = ctx.case
    income = ctx.income
    assert income is not None
    table = ctx.use(table_name)
    single = case.household.is_single
    if single:
        value = income.total
        criterion = ctx.single_criterion
        what = "dochód osoby samotnie gospodarującej"
    else:
        value = income.per_person
        what = "dochód na osobę w rodzinie"
        criterion = (
            ctx.single_criterion
            if table["criterion_basis"] == "single"
            else ctx.per_person_criterion
        )
    ratio = value * HUNDRED / criterion
    ctx.tb.add(
        f"{what.capitalize()} w % kryterium dochodowego",
        f"{pln(value)} ÷ {pln(criterion)} = {ratio.quantize(Decimal('0.01'))}%",
        basis,
    )
    if ctx.reasons:
        return ctx.result(eligible=False)
    rate = fee_rate_from_table(table, ratio, single)
    care = case.care
    if rate is None:
        ctx.tb.add(
            "Usługi nieodpłatne — dochód nie przekracza "
            f"{pct(table['free_upto_percent'])} kryterium",
            "0,00 zł",
            table.source,
        )
        return ctx.result(free_of_charge=True, fee=_ZERO if care else None, fee_rate=_ZERO)
    column = "osoba samotnie gospodarująca" if single else "osoba w rodzinie"
    ctx.tb.add(f"Odpłatność z tabeli ({column})", f"{pct(rate)} ceny za godzinę", table.source)
    fee = None
    if care is not None:
        fee = ctx.m(care.hourly_price * rate / HUNDRED * care.hours)
        ctx.tb.add(
            "Opłata miesięczna: cena za godzinę × stawka × liczba godzin",
            f"{pln(care.hourly_price)} × {pct(rate)} × {care.hours} h = {pln(fee)}",
            table.source,
        )
    return ctx.result(free_of_charge=False, fee=fee, fee_rate=rate)


def calculate_kielce(
    case: Case, *, store: ParameterStore | None = None, policy: Policy = DEFAULT_POLICY
) -> BenefitResult:
    """Usługi opiekuńcze — Kielce table (uchwała LVI/1111/2022; replaceable by data)."""
    ctx = begin(case, store or default_store(), policy, "uslugi_opiekuncze", PURPOSE_NONCASH)
    return _care(ctx, "kielce_uslugi_opiekuncze_tabela", "art. 50 ust. 6 u.p.s.")


def calculate_suo_zaburzenia(
    case: Case, *, store: ParameterStore | None = None, policy: Policy = DEFAULT_POLICY
) -> BenefitResult:
    """Specjalistyczne usługi opiekuńcze dla osób z zaburzeniami psychicznymi — national table."""
    ctx = begin(
        case,
        store or default_store(),
        policy,
        "specjalistyczne_uslugi_opiekuncze_zaburzenia",
        PURPOSE_NONCASH,
    )
    return _care(ctx, "suo_zaburzenia_tabela", "art. 50 ust. 7 u.p.s.")

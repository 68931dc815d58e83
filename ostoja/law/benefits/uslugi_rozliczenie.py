"""Monthly settlement of care services (rozliczenie miesięczne usług opiekuńczych, art. 50
u.p.s.): the client's fee for the hours actually delivered, and the provider's due amount.

The fee rate (% of the hourly price) is set once in the decision from the fee table
(``uslugi.calculate_kielce`` / ``calculate_suo_zaburzenia``); each month the fee is
hourly price × rate × delivered hours, never for more hours than the decision ordered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..money import HUNDRED, money, pct, pln
from ..store import ParameterStore, default_store
from ..trace import Step, TraceBuilder
from .uslugi import fee_rate_from_table

__all__ = ["FeeRate", "MonthSettlement", "care_fee_rate", "care_month_settlement"]

_BASIS = "art. 50 ust. 6 u.p.s.; uchwała Rady Miasta Kielce nr LVI/1111/2022"


@dataclass(frozen=True, slots=True)
class MonthSettlement:
    billable_hours: Decimal
    excess_hours: Decimal
    client_fee: Decimal
    provider_due: Decimal
    trace: tuple[Step, ...]


def care_month_settlement(
    *,
    hours_ordered: Decimal,
    hours_delivered: Decimal,
    hourly_price: Decimal,
    fee_rate: Decimal,
    basis: str = _BASIS,
) -> MonthSettlement:
    """The month's client fee and provider due amount.

    Hours delivered above the hours ordered are neither billed to the client nor payable to the
    provider (the decision's monthly ceiling, services.md §5.4); they are reported as excess.
    """
    if hours_delivered < 0 or hours_ordered < 0 or hourly_price < 0 or fee_rate < 0:
        raise ValueError("Godziny, cena i stawka nie mogą być ujemne.")
    tb = TraceBuilder()
    billable = min(hours_delivered, hours_ordered)
    excess = hours_delivered - billable
    tb.add(
        "Godziny zrealizowane a przyznane w decyzji",
        f"zrealizowano {hours_delivered} h, przyznano {hours_ordered} h → do rozliczenia "
        f"{billable} h",
        "art. 50 ust. 4 u.p.s. (zakres, okres i miejsce w decyzji)",
    )
    if excess:
        tb.add("Godziny ponad decyzję — nie są rozliczane", f"{excess} h", "art. 106 ust. 1 u.p.s.")
    due = money(hourly_price * billable)
    tb.add(
        "Należność wykonawcy: cena za godzinę × godziny",
        f"{pln(hourly_price)} × {billable} h = {pln(due)}",
        "umowa z wykonawcą (art. 25 u.p.s.)",
    )
    fee = money(hourly_price * fee_rate / HUNDRED * billable)
    tb.add(
        "Odpłatność klienta: cena za godzinę × stawka × godziny",
        f"{pln(hourly_price)} × {pct(fee_rate)} × {billable} h = {pln(fee)}",
        basis,
    )
    return MonthSettlement(billable, excess, fee, due, tb.build())


@dataclass(frozen=True, slots=True)
class FeeRate:
    rate: Decimal
    ratio: Decimal
    basis: str
    trace: tuple[Step, ...]
    unconfirmed: bool


def care_fee_rate(
    *,
    table_name: str,
    income: Decimal,
    single: bool,
    on: date,
    store: ParameterStore | None = None,
) -> FeeRate:
    """The fee rate (% of the hourly price) from a care-services fee table for a monthly income
    (single person: the income; family: the income per person) on ``on`` — the Kielce table
    (art. 50 ust. 6, replaceable by data) or the national SUO table (art. 50 ust. 7)."""
    s = store or default_store()
    table = s.get(table_name, on)
    criteria = s.get("kryterium_dochodowe", on)
    basis_single = single or table["criterion_basis"] == "single"
    criterion: Decimal = criteria["single"] if basis_single else criteria["per_person"]
    tb = TraceBuilder()
    if not table.confirmed:
        tb.add(f"⚠ Parametr niepotwierdzony: {table.name}", table.note, "—")
    ratio = income * HUNDRED / criterion
    tb.add(
        "Dochód w % kryterium dochodowego",
        f"{pln(income)} ÷ {pln(criterion)} = {ratio.quantize(Decimal('0.01'))}%",
        "art. 8 ust. 1 u.p.s.",
    )
    rate = fee_rate_from_table(table, ratio, single)
    rate = Decimal("0") if rate is None else rate
    tb.add("Stawka odpłatności z tabeli", pct(rate) + " ceny za godzinę", table.source)
    return FeeRate(rate, ratio, table.source, tb.build(), not table.confirmed)

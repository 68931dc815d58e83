"""Monthly settlement of care services (rozliczenie miesięczne usług opiekuńczych, art. 50
u.p.s.): the client's fee for the hours actually delivered, and the provider's due amount.

The fee rate (% of the hourly price) is set once in the decision from the fee table
(``uslugi.calculate_kielce`` / ``calculate_suo_zaburzenia``); each month the fee is
hourly price × rate × delivered hours, never for more hours than the decision ordered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..errors import LawError
from ..money import HUNDRED, money, pct, pln
from ..store import ParameterStore, Record, default_store
from ..trace import Step, TraceBuilder
from .exemption import FeeExemption, exemption_basis, exemption_step
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
    rate: Decimal  # after an exemption on request, when one is granted
    ratio: Decimal
    basis: str
    trace: tuple[Step, ...]
    unconfirmed: bool
    rate_before_exemption: Decimal | None = None  # the table's rate, when an exemption applies


def care_fee_rate(
    *,
    table_name: str,
    income: Decimal,
    single: bool,
    on: date,
    store: ParameterStore | None = None,
    exemption: FeeExemption | None = None,
) -> FeeRate:
    """The fee rate (% of the hourly price) from a care-services fee table for a monthly income
    (single person: the income; family: the income per person) on ``on`` — the Kielce table
    (art. 50 ust. 6, replaceable by data) or the national SUO table (art. 50 ust. 7).

    ``exemption``: partial (``percent`` of the fee waived, 0 < percent < 100) or total, on the
    person's request, on the terms of the council's resolution (art. 50 ust. 6: its
    "szczegółowe warunki częściowego lub całkowitego zwolnienia od opłat") — the table's
    ``exemption_basis``; refused (:class:`LawError`) when the table names none, when the
    services are free anyway, or when the percentage is out of range."""
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
    before: Decimal | None = None
    if exemption is not None:
        before = rate
        rate = _exempt_rate(table, rate, exemption)
        tb.extend([exemption_step(exemption, _rate_figures(before, rate, exemption),
                                  exemption_basis(table))])  # fmt: skip
    return FeeRate(rate, ratio, table.source, tb.build(), not table.confirmed, before)


def _exempt_rate(table: Record, rate: Decimal, exemption: FeeExemption) -> Decimal:
    exemption_basis(table)
    if rate <= 0:
        raise LawError(
            "Usługi są nieodpłatne (dochód nie przekracza progu tabeli) — nie ma opłaty, "
            "z której można zwolnić."
        )
    if exemption.total:
        return Decimal("0.00")
    percent = exemption.percent
    if percent is None or not Decimal(0) < percent < HUNDRED:
        raise LawError(
            "Zwolnienie częściowe: podaj, jaki procent opłaty się zwalnia (więcej niż 0 i mniej "
            "niż 100; 100% to zwolnienie całkowite)."
        )
    if percent != percent.quantize(Decimal("0.01")):
        raise LawError("Procent zwolnienia może mieć najwyżej dwa miejsca po przecinku.")
    return (rate * (HUNDRED - percent) / HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _rate_figures(before: Decimal, after: Decimal, exemption: FeeExemption) -> str:
    if exemption.total:
        return f"{pct(before)} → 0% ceny za godzinę"
    assert exemption.percent is not None
    return f"{pct(before)} × (100% − {pct(exemption.percent)}) = {pct(after)} ceny za godzinę"

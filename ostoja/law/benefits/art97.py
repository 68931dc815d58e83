"""Fees for a stay in a shelter for homeless persons or in a training / supported flat
(art. 97 ust. 1, 1a and 5 u.p.s.): free when income per person does not exceed the criterion;
above it a percentage of the monthly cost of the place by the band of the city council's
resolution (a dated parameter; ``confirmed = false`` while the Kielce tables are unknown).

A person liable for the fee may be exempted from it in part or in full on request
(zwolnienie częściowe lub całkowite na wniosek) on the terms of the same resolution (art. 97
ust. 5; for the Punkt Pomocy Doraźnej § 2 ust. 3 of uchwała VI/106/2015): the table's
``exemption_basis`` names the clause; a table without one admits no exemption."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..errors import LawError
from ..money import CENT, HUNDRED, pct, pln
from ..store import ParameterStore, Record, default_store
from ..trace import Step
from .exemption import FeeExemption, exemption_basis, exemption_step

__all__ = ["ART97_PARAMETERS", "Art97Fee", "FeeExemption", "calculate_art97"]

# Which resolution table a kind of stay uses.
ART97_PARAMETERS: dict[str, str] = {
    "schronisko": "odplatnosc_art97_schronisko",
    "mieszkanie": "odplatnosc_art97_mieszkanie",
}
BASIS = "art. 97 ust. 1 u.p.s."


@dataclass(frozen=True, slots=True)
class Art97Fee:
    amount: Decimal  # the monthly fee the person pays (after an exemption)
    percent: Decimal  # of the monthly cost; 0 when free
    income_ratio: Decimal  # income per person as % of the criterion
    confirmed: bool  # False: the resolution's table is a placeholder (see the parameter note)
    source: str
    note: str
    trace: tuple[Step, ...]
    fee_before_exemption: Decimal | None = None  # the table's fee, when an exemption applies
    exempted: Decimal = Decimal("0.00")  # the monthly amount waived on request


def calculate_art97(
    *,
    group: str,
    household_income: Decimal,
    household_size: int,
    monthly_cost: Decimal,
    on: date,
    store: ParameterStore | None = None,
    exemption: FeeExemption | None = None,
) -> Art97Fee:
    """The monthly fee of one stay; ``group`` is a key of :data:`ART97_PARAMETERS`.

    ``exemption``: a partial or total exemption on request — refused (:class:`LawError`)
    when the table admits none, when the person pays nothing anyway, or when a partial one
    is not less than the fee (that is a total exemption)."""
    if group not in ART97_PARAMETERS:
        raise ValueError(f"Nieznana grupa odpłatności art. 97: {group}")
    if household_size < 1:
        raise ValueError("Liczba osób w gospodarstwie musi wynosić co najmniej 1.")
    s = store or default_store()
    table = s.get(ART97_PARAMETERS[group], on)
    criteria = s.get("kryterium_dochodowe", on)
    single = household_size == 1
    criterion: Decimal = criteria["single"] if single else criteria["per_person"]
    per_person = (household_income / household_size).quantize(CENT, ROUND_HALF_UP)
    ratio = (per_person * HUNDRED / criterion).quantize(CENT, ROUND_HALF_UP)
    steps = [
        Step(
            "Kryterium dochodowe" + (" osoby samotnie gospodarującej" if single else " na osobę"),
            pln(criterion),
            "art. 8 ust. 1 u.p.s.",
        ),
        Step("Dochód na osobę", f"{pln(per_person)} ({pct(ratio)} kryterium)", "art. 8 u.p.s."),
    ]
    percent = Decimal(0)
    if ratio > table["free_upto_percent"]:
        for band in table["bands"]:
            upto = band.get("upto")
            if ratio > band["above"] and (upto is None or ratio <= upto):
                percent = band["percent"]
                break
    amount = min(monthly_cost, (monthly_cost * percent / HUNDRED).quantize(CENT, ROUND_HALF_UP))
    if percent == 0:
        steps.append(Step("Dochód nie przekracza kryterium — bez opłaty", pln(amount), BASIS))
    else:
        steps.append(
            Step(
                "Opłata: procent miesięcznego kosztu miejsca według uchwały rady gminy",
                f"{pct(percent)} × {pln(monthly_cost)} = {pln(amount)}",
                "art. 97 ust. 1, 1a i 5 u.p.s.; " + table.source,
            )
        )
    fee_before: Decimal | None = None
    exempted = Decimal("0.00")
    if exemption is not None:
        fee_before = amount
        exempted = _waived(table, amount, exemption)
        amount = fee_before - exempted
        steps.append(
            exemption_step(
                exemption,
                f"{pln(fee_before)} − {pln(exempted)} = {pln(amount)}",
                exemption_basis(table),
            )
        )
    if not table.confirmed:
        steps.append(Step("⚠ Stawki uchwały niepotwierdzone", table.note, table.source))
    return Art97Fee(
        amount=amount,
        percent=percent,
        income_ratio=ratio,
        confirmed=table.confirmed,
        source=table.source,
        note=table.note,
        trace=tuple(steps),
        fee_before_exemption=fee_before,
        exempted=exempted,
    )


def _waived(table: Record, fee: Decimal, exemption: FeeExemption) -> Decimal:
    """The monthly amount an exemption on request waives, or why it cannot be granted."""
    exemption_basis(table)
    if fee <= 0:
        raise LawError(
            "Osoba nie ponosi opłaty (dochód nie przekracza kryterium, art. 97 ust. 1 u.p.s.) — "
            "nie ma opłaty, z której można zwolnić."
        )
    if exemption.total:
        return fee
    waived = exemption.amount
    if waived is None or waived <= 0:
        raise LawError("Podaj kwotę zwolnienia częściowego (większą od zera).")
    if waived != waived.quantize(CENT):
        raise LawError("Kwota zwolnienia może mieć najwyżej dwa miejsca po przecinku.")
    if waived >= fee:
        raise LawError(
            f"Zwolnienie częściowe musi być niższe niż opłata ({pln(fee)}); zwolnienie z całej "
            "opłaty to zwolnienie całkowite."
        )
    return waived

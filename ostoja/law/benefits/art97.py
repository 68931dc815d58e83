"""Fees for a stay in a shelter for homeless persons or in a training / supported flat
(art. 97 ust. 1, 1a and 5 u.p.s.): free when income per person does not exceed the criterion;
above it a percentage of the monthly cost of the place by the band of the city council's
resolution (a dated parameter; ``confirmed = false`` while the Kielce tables are unknown)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..money import CENT, HUNDRED, pct, pln
from ..store import ParameterStore, default_store
from ..trace import Step

__all__ = ["ART97_PARAMETERS", "Art97Fee", "calculate_art97"]

# Which resolution table a kind of stay uses.
ART97_PARAMETERS: dict[str, str] = {
    "schronisko": "odplatnosc_art97_schronisko",
    "mieszkanie": "odplatnosc_art97_mieszkanie",
}
BASIS = "art. 97 ust. 1 u.p.s."


@dataclass(frozen=True, slots=True)
class Art97Fee:
    amount: Decimal
    percent: Decimal  # of the monthly cost; 0 when free
    income_ratio: Decimal  # income per person as % of the criterion
    confirmed: bool  # False: the resolution's table is a placeholder (see the parameter note)
    source: str
    note: str
    trace: tuple[Step, ...]


def calculate_art97(
    *,
    group: str,
    household_income: Decimal,
    household_size: int,
    monthly_cost: Decimal,
    on: date,
    store: ParameterStore | None = None,
) -> Art97Fee:
    """The monthly fee of one stay; ``group`` is a key of :data:`ART97_PARAMETERS`."""
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
    )

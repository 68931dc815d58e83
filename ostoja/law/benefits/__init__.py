"""One calculator per benefit or fee; ``calculate`` dispatches by benefit code."""

from __future__ import annotations

from collections.abc import Callable

from ..household import Case
from ..policy import DEFAULT_POLICY, Policy
from ..store import ParameterStore, default_store
from . import dps, posilek, uslugi, zasilek_celowy, zasilek_okresowy, zasilek_staly
from .common import BenefitResult, DpsFees, IncomeSummary, ParameterRef, Reason

__all__ = [
    "CALCULATORS",
    "BenefitResult",
    "DpsFees",
    "IncomeSummary",
    "ParameterRef",
    "Reason",
    "calculate",
]

Calculator = Callable[..., BenefitResult]

CALCULATORS: dict[str, Calculator] = {
    "zasilek_staly": zasilek_staly.calculate,
    "zasilek_okresowy": zasilek_okresowy.calculate,
    "zasilek_celowy": zasilek_celowy.calculate_celowy,
    "specjalny_zasilek_celowy": zasilek_celowy.calculate_specjalny,
    "zasilek_celowy_zdarzenie_losowe": zasilek_celowy.calculate_zdarzenie_losowe,
    "zasilek_celowy_pogrzeb": zasilek_celowy.calculate_pogrzeb,
    "posilek": posilek.calculate,
    "oplata_dps": dps.calculate,
    "uslugi_opiekuncze": uslugi.calculate_kielce,
    "specjalistyczne_uslugi_opiekuncze_zaburzenia": uslugi.calculate_suo_zaburzenia,
}


def calculate(
    case: Case,
    benefit: str,
    *,
    store: ParameterStore | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> BenefitResult:
    try:
        calculator = CALCULATORS[benefit]
    except KeyError:
        raise ValueError(f"Nieznane świadczenie: {benefit}") from None
    return calculator(case, store=store or default_store(), policy=policy)

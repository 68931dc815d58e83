"""Food aid referral threshold — Program Fundusze Europejskie na Pomoc Żywnościową 2021–2027
(FEPŻ, *pomoc żywnościowa*): a person in one of the art. 7 u.p.s. situations whose net monthly
income does not exceed the programme's percentage of the art. 8 ust. 1 u.p.s. criterion may be
referred (*skierowanie*) by the OPS to a local partner organisation (OPL).

Pure: takes the income already computed (art. 8 u.p.s.), the household size and the day; returns
the threshold, the verdict and the trace. The percentage is a dated parameter
(``pomoc_zywnosciowa_prog``), the criterion is ``kryterium_dochodowe``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .money import HUNDRED, money, pct, pln
from .store import ParameterStore, default_store
from .trace import Step, TraceBuilder

__all__ = ["FoodAidResult", "food_aid_eligibility"]


@dataclass(frozen=True, slots=True)
class FoodAidResult:
    """``income`` is compared with ``threshold`` (single: total; family: per person)."""

    eligible: bool
    income: Decimal
    threshold: Decimal
    percent: Decimal
    criterion: Decimal
    source: str
    trace: tuple[Step, ...]


def food_aid_eligibility(
    *,
    monthly_income: Decimal,
    household_size: int,
    on: date,
    store: ParameterStore | None = None,
) -> FoodAidResult:
    """Is the household within the FEPŻ income threshold on ``on``?

    ``monthly_income`` is the household's net monthly income (art. 8 ust. 3 u.p.s.); for a
    family the per-person income is compared with the per-person criterion (art. 8 ust. 1 pkt 2),
    for a single person the total with the single criterion (pkt 1).
    """
    if household_size < 1:
        raise ValueError("household_size must be at least 1")
    if monthly_income < 0:
        raise ValueError("monthly_income must not be negative")
    st = store or default_store()
    tb = TraceBuilder()
    crit = st.get("kryterium_dochodowe", on)
    prog = st.get("pomoc_zywnosciowa_prog", on)
    percent: Decimal = prog["percent"]
    if household_size == 1:
        criterion: Decimal = crit["single"]
        income = money(monthly_income)
        what = "dochód osoby samotnie gospodarującej"
        basis = "art. 8 ust. 1 pkt 1 u.p.s."
    else:
        criterion = crit["per_person"]
        income = money(monthly_income / Decimal(household_size))
        what = f"dochód na osobę w rodzinie ({household_size} os.)"
        basis = "art. 8 ust. 1 pkt 2 u.p.s."
    tb.add("Kryterium dochodowe", pln(criterion), f"{basis}; {crit.source}")
    threshold = money(criterion * percent / HUNDRED)
    tb.add(f"Próg programu: {pct(percent)} kryterium", pln(threshold), prog.source)
    eligible = income <= threshold
    relation = "≤" if eligible else ">"
    tb.add(
        f"{what.capitalize()} {'nie przekracza' if eligible else 'przekracza'} progu",
        f"{pln(income)} {relation} {pln(threshold)}",
        prog.source,
    )
    return FoodAidResult(
        eligible=eligible,
        income=income,
        threshold=threshold,
        percent=percent,
        criterion=criterion,
        source=prog.source,
        trace=tb.build(),
    )

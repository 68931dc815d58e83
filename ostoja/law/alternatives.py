"""Other forms of help the same facts qualify for (wskazówka o innym świadczeniu).

The worker asked about one benefit; the Act often gives the person another one as well, or a
better one: an okresowy applicant of retirement age with income below the criterion is entitled
to zasiłek stały (art. 37 ust. 1 u.p.s. — a mandatory benefit), a zasiłek stały applicant who is
able to work may get zasiłek okresowy (art. 38), and income above the criterion does not close
the specjalny zasiłek celowy (art. 41 pkt 1). The authority acts in the party's interest and
informs them of their rights (art. 7 and 9 KPA), so the calculation says so — with the figures of
the other calculation as its trace. Pure: the same calculators on the same case.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .benefits import CALCULATORS, BenefitResult
from .codes import BENEFITS
from .errors import ParameterNotFound
from .household import Case
from .money import pln
from .policy import DEFAULT_POLICY, Policy
from .store import ParameterStore, default_store
from .trace import Step

__all__ = ["Alternative", "alternatives"]

PURPOSE_KINDS = ("zasilek_celowy", "zasilek_celowy_zdarzenie_losowe")
BETTER = "lepiej odpowiada sytuacji"
ALSO = "przysługuje także"


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another benefit the facts qualify for, why, and the figures that show it."""

    benefit: str
    relation: str  # BETTER or ALSO
    text: str
    basis: str
    trace: tuple[Step, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "benefit": self.benefit,
            "label": BENEFITS.get(self.benefit, self.benefit),
            "relation": self.relation,
            "text": self.text,
            "basis": self.basis,
            "trace": [s.as_dict() for s in self.trace],
        }


def _try(case: Case, benefit: str, store: ParameterStore, policy: Policy) -> BenefitResult | None:
    try:
        return CALCULATORS[benefit](
            replace(case, requested_amount=None), store=store, policy=policy
        )
    except (ValueError, ParameterNotFound):  # missing facts for that benefit: no hint
        return None


def _steps(result: BenefitResult, summary: str, basis: str) -> tuple[Step, ...]:
    return (Step(f"Sprawdzono na tych samych danych: {summary}", _figure(result), basis),)


def _figure(result: BenefitResult) -> str:
    if result.monthly_amount is not None and result.monthly_amount > 0:
        return f"uprawnienie, {pln(result.monthly_amount)} miesięcznie"
    if result.amount_max is not None:
        return f"uprawnienie, kwota do {pln(result.amount_max)}"
    return "uprawnienie"


def _income_too_high(result: BenefitResult) -> bool:
    return any(r.text.startswith("Dochód") for r in result.reasons)


def alternatives(
    case: Case,
    benefit: str,
    result: BenefitResult,
    *,
    store: ParameterStore | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> tuple[Alternative, ...]:
    """Other benefits ``case`` qualifies for besides ``benefit`` (whose ``result`` is given)."""
    store = store or default_store()
    found: list[Alternative] = []
    if benefit == "zasilek_okresowy" or benefit in PURPOSE_KINDS:
        staly = _try(case, "zasilek_staly", store, policy)
        if staly is not None and staly.eligible:
            basis = "art. 37 ust. 1–2 u.p.s."
            found.append(
                Alternative(
                    benefit="zasilek_staly",
                    relation=BETTER if benefit == "zasilek_okresowy" else ALSO,
                    text=(
                        "Wnioskodawca spełnia warunki zasiłku stałego (niezdolność do pracy z "
                        "tytułu wieku lub całkowita niezdolność do pracy, dochód poniżej "
                        "kryterium). Zasiłek stały jest świadczeniem obowiązkowym — poinformuj "
                        "stronę o prawie do niego."
                    ),
                    basis=basis,
                    trace=_steps(staly, "zasiłek stały", basis),
                )
            )
    if benefit == "zasilek_staly" and not result.eligible and not _income_too_high(result):
        okresowy = _try(case, "zasilek_okresowy", store, policy)
        if okresowy is not None and okresowy.eligible:
            basis = "art. 38 ust. 1–2 u.p.s."
            found.append(
                Alternative(
                    benefit="zasilek_okresowy",
                    relation=BETTER,
                    text=(
                        "Warunków zasiłku stałego nie spełniono, ale dochód jest poniżej "
                        "kryterium — można przyznać zasiłek okresowy."
                    ),
                    basis=basis,
                    trace=_steps(okresowy, "zasiłek okresowy", basis),
                )
            )
    if (
        benefit in ("zasilek_okresowy", "zasilek_celowy", "zasilek_staly")
        and not result.eligible
        and _income_too_high(result)
    ):
        special = _try(case, "specjalny_zasilek_celowy", store, policy)
        if special is not None and special.eligible:
            basis = "art. 41 pkt 1 u.p.s."
            found.append(
                Alternative(
                    benefit="specjalny_zasilek_celowy",
                    relation=ALSO,
                    text=(
                        "Dochód przekracza kryterium, ale w szczególnie uzasadnionym przypadku "
                        "można przyznać specjalny zasiłek celowy (bezzwrotny)."
                    ),
                    basis=basis,
                    trace=_steps(special, "specjalny zasiłek celowy", basis),
                )
            )
    return tuple(found)

"""Fee for a stay in a care home (DPS) — art. 61 u.p.s.

Order of payers: the resident up to 70 % of own income; then the spouse, descendants before
ascendants — only above 300 % of the criterion and so that they keep at least 300 %; the
gmina (city) pays the rest of the average monthly cost.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from ..codes import DPS_RELATION_ORDER, DPS_RELATIONS
from ..household import Case, DpsRelative
from ..income import PURPOSE_DPS, compute_income
from ..money import CENT, HUNDRED, pct, pln
from ..policy import DEFAULT_POLICY, Policy
from ..store import ParameterStore, default_store
from .common import BenefitResult, Context, DpsFees, begin

__all__ = ["calculate", "relative_capacity"]

_ZERO = Decimal("0.00")


def relative_capacity(
    ctx: Context, household_size: int, household_income: Decimal, threshold_percent: Decimal
) -> tuple[Decimal, str]:
    """The most a relative can pay so that their household keeps 300 % of the criterion.

    Rounded down to the grosz so the relative never keeps less than the threshold.
    """
    if household_size == 1:
        threshold = ctx.single_criterion * threshold_percent / HUNDRED
        capacity = household_income - threshold
        figures = (
            f"{pln(household_income)} − {pct(threshold_percent)} × "
            f"{pln(ctx.single_criterion)} ({pln(threshold)})"
        )
    else:
        threshold_pp = ctx.per_person_criterion * threshold_percent / HUNDRED
        threshold = threshold_pp * household_size
        capacity = household_income - threshold
        figures = (
            f"{pln(household_income)} − {household_size} × {pct(threshold_percent)} × "
            f"{pln(ctx.per_person_criterion)} ({pln(threshold)})"
        )
    capacity = max(_ZERO, capacity.quantize(CENT, rounding=ROUND_DOWN))
    return capacity, f"{figures} = {pln(capacity)}"


def calculate(
    case: Case, *, store: ParameterStore | None = None, policy: Policy = DEFAULT_POLICY
) -> BenefitResult:
    ctx = begin(case, store or default_store(), policy, "oplata_dps", PURPOSE_DPS)
    if case.dps is None:
        raise ValueError("opłata za DPS: brak danych „dps” (monthly_cost)")
    income = ctx.income
    assert income is not None
    tb = ctx.tb
    params = ctx.use("oplata_dps")
    resident_percent: Decimal = params["resident_max_percent"]
    relative_percent: Decimal = params["relative_threshold_percent"]
    dps = case.dps
    resident_id = dps.resident or case.household.applicant.id
    cost = ctx.m(dps.monthly_cost)
    tb.add("Średni miesięczny koszt utrzymania w DPS", pln(cost), "art. 60–61 u.p.s.")

    if ctx.reasons:
        return ctx.result(eligible=False)

    resident_income = income.own[resident_id]
    resident_max = ctx.m(resident_income * resident_percent / HUNDRED)
    resident = min(resident_max, cost)
    tb.add(
        f"Mieszkaniec: nie więcej niż {pct(resident_percent)} własnego dochodu",
        f"{pct(resident_percent)} × {pln(resident_income)} = {pln(resident_max)}; "
        f"opłata {pln(resident)}",
        "art. 61 ust. 1 pkt 1 i ust. 2 pkt 1 u.p.s.",
    )
    remaining = cost - resident

    # Capacities, grouped by order: spouse (1), descendants (2), ascendants (3).
    capacities: list[Decimal] = []
    agreed: dict[int, Decimal] = {}
    for i, rel in enumerate(dps.relatives):
        size, household_income = rel.household_size, rel.household_income
        who = f"Krewny {i + 1} ({DPS_RELATIONS.get(rel.relation, rel.relation)})"
        if rel.household is not None:
            size, household_income = _relative_income(ctx, who, rel)
        capacity, figures = relative_capacity(ctx, size, household_income, relative_percent)
        tb.add(
            f"{who}: kwota ponad {pct(relative_percent)} kryterium, którą może wnieść",
            figures,
            "art. 61 ust. 1 pkt 2 i ust. 2 pkt 2 u.p.s.",
        )
        capacity = _relative_adjustments(ctx, who, rel, capacity)
        if rel.agreed_amount is not None and capacity > 0:
            fixed = min(ctx.m(rel.agreed_amount), capacity)
            tb.add(
                f"{who}: kwota ustalona w umowie",
                pln(fixed)
                if fixed == rel.agreed_amount
                else f"{pln(rel.agreed_amount)} → {pln(fixed)} (nie więcej niż możliwości, "
                f"tak by krewnemu pozostało {pct(relative_percent)} kryterium)",
                "art. 103 ust. 2 u.p.s.; art. 61 ust. 2 pkt 2 u.p.s.",
            )
            agreed[i] = fixed
            capacity = fixed
        capacities.append(capacity)
    shares = [_ZERO] * len(dps.relatives)
    for group in sorted({DPS_RELATION_ORDER.get(r.relation, 9) for r in dps.relatives}):
        if remaining <= 0:
            break
        members = [
            i for i, r in enumerate(dps.relatives) if DPS_RELATION_ORDER.get(r.relation, 9) == group
        ]
        # Amounts fixed by agreement (art. 103 ust. 2) are taken first, in the order given.
        for i in [i for i in members if i in agreed]:
            take = min(agreed[i], remaining)
            shares[i] = take
            remaining -= take
        members = [i for i in members if i not in agreed]
        if remaining <= 0:
            break
        group_capacity = sum((capacities[i] for i in members), _ZERO)
        if group_capacity <= 0:
            continue
        if group_capacity <= remaining:
            for i in members:
                shares[i] = capacities[i]
            remaining -= group_capacity
            continue
        if policy.dps_split_within_group == "in_order":
            for i in members:
                take = min(capacities[i], remaining)
                shares[i] = take
                remaining -= take
        else:
            allocated = _ZERO
            for i in members:
                share = (remaining * capacities[i] / group_capacity).quantize(
                    CENT, rounding=ROUND_DOWN
                )
                shares[i] = share
                allocated += share
            leftover = remaining - allocated
            for i in members:
                if leftover <= 0:
                    break
                room = capacities[i] - shares[i]
                add = min(room, leftover)
                shares[i] += add
                leftover -= add
            remaining = leftover
            tb.add(
                "Krewni tej samej kolejności dzielą pozostałą kwotę proporcjonalnie do "
                "możliwości (ustawienie polityki; w praktyce wysokość ustala umowa)",
                ", ".join(pln(shares[i]) for i in members),
                "art. 61 ust. 1 pkt 2 u.p.s.; art. 103 ust. 2 u.p.s.",
            )
    relatives = tuple((r.relation, shares[i]) for i, r in enumerate(dps.relatives))
    relatives_total = sum(shares, _ZERO)
    city = cost - resident - relatives_total
    if dps.relatives:
        tb.add(
            "Małżonek, zstępni przed wstępnymi — łącznie",
            pln(relatives_total),
            "art. 61 ust. 1 pkt 2 u.p.s.",
        )
    tb.add(
        "Gmina (miasto) — różnica do średniego kosztu",
        f"{pln(cost)} − {pln(resident)} − {pln(relatives_total)} = {pln(city)}",
        "art. 61 ust. 1 pkt 3 u.p.s.",
    )
    fees = DpsFees(
        resident=resident, relatives=relatives, relatives_total=relatives_total, city=city
    )
    return ctx.result(fees=fees)


def _relative_income(ctx: Context, who: str, rel: DpsRelative) -> tuple[int, Decimal]:
    """Issue 22: the relative's household income computed under art. 8 from their own
    household (income month and parameters as for the resident)."""
    assert rel.household is not None
    case = ctx.case
    income = compute_income(
        rel.household,
        on=case.application_date,
        purpose=PURPOSE_DPS,
        store=ctx.store,
        policy=ctx.policy,
        income_month=case.income_month,
        income_lost=False,
        rules_on=ctx.on,
    )
    ctx.tb.add(
        f"{who}: dochód gospodarstwa domowego krewnego ustalony według art. 8",
        f"liczba osób {income.size}",
        "art. 61 ust. 2 pkt 2 u.p.s.; art. 8 ust. 3 u.p.s.",
    )
    ctx.tb.extend([s for s in income.trace[1:]])
    return income.size, income.total


def _relative_adjustments(ctx: Context, who: str, rel: DpsRelative, capacity: Decimal) -> Decimal:
    """Minor descendants and exemptions (art. 61, 64–64b u.p.s.)."""
    if rel.minor and DPS_RELATION_ORDER.get(rel.relation) == 2:
        params = ctx.use("oplata_dps_krewni")
        if params["minor_descendants_exempt"] and capacity > 0:
            ctx.tb.add(
                f"{who}: małoletni zstępny — nie wnosi opłaty",
                f"{pln(capacity)} → 0,00 zł",
                str(params["minor_basis"]),
            )
            return _ZERO
    exemption = rel.exemption
    if exemption is None or capacity <= 0:
        return capacity
    basis = _EXEMPTION_BASIS.get(exemption.basis, exemption.basis)
    if exemption.amount is None or exemption.amount >= capacity:
        ctx.tb.add(f"{who}: zwolnienie całkowite z opłaty", f"{pln(capacity)} → 0,00 zł", basis)
        return _ZERO
    reduced = capacity - exemption.amount
    ctx.tb.add(
        f"{who}: zwolnienie częściowe z opłaty",
        f"{pln(capacity)} − {pln(exemption.amount)} = {pln(reduced)}",
        basis,
    )
    return reduced


_EXEMPTION_BASIS = {
    "art_64": "art. 64 u.p.s.",
    "art_64a": "art. 64a u.p.s.",
    "art_64b": "art. 64b u.p.s.",
}

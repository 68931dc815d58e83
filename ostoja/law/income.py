"""Income under art. 8 ust. 3–13 u.p.s.

- income month: the calendar month before the application; the month of the application
  when income was lost (art. 8 ust. 3, ``income_lost``);
- deductions: income tax (and KUP where the policy says so), social and health contributions,
  alimony paid to others (art. 8 ust. 3 pkt 1–3);
- exclusions by purpose (art. 8 ust. 4, 4a): data in ``parameters/wylaczenia_dochodu.toml``;
- business income (art. 8 ust. 5–8): general rules = revenue − costs − tax − contributions;
  flat-rate = the declared amount;
- farm income (art. 8 ust. 9–12): conversion hectares × the dated amount per hectare; holdings
  under 1 ha przeliczeniowy are ignored;
- per-person income = family income ÷ number of members.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from .codes import INCOME_KINDS, INCOME_SHAPES
from .household import Household, IncomeItem
from .money import money, pln
from .periods import YearMonth
from .policy import Policy
from .store import ParameterStore, Record
from .trace import Step, TraceBuilder

__all__ = [
    "PURPOSE_CASH",
    "PURPOSE_DPS",
    "PURPOSE_NONCASH",
    "IncomeResult",
    "IncomeRules",
    "compute_income",
    "income_month_for",
    "income_rules",
]

PURPOSE_CASH = "cash"  # świadczenia pieniężne
PURPOSE_DPS = "dps"  # opłata za pobyt w DPS
PURPOSE_NONCASH = "noncash"  # świadczenia niepieniężne (posiłek, usługi opiekuńcze)

_PURPOSE_LABEL = {
    PURPOSE_CASH: "świadczeń pieniężnych",
    PURPOSE_DPS: "opłaty za pobyt w DPS",
    PURPOSE_NONCASH: "świadczeń niepieniężnych",
}

_ZERO = Decimal(0)
B_INCOME = "art. 8 ust. 3 u.p.s."


@dataclass(frozen=True, slots=True)
class IncomeRules:
    """The income rules in force on one date (resolved once and memoised per store)."""

    excluded_always: frozenset[str]
    excluded_cash_dps: frozenset[str]
    farm_rate: Decimal
    farm_min_hectares: Decimal
    exclusions_record: Record
    farm_record: Record


def income_rules(store: ParameterStore, on: date) -> IncomeRules:
    def build() -> IncomeRules:
        excl = store.get("wylaczenia_dochodu", on)
        farm = store.get("dochod_z_hektara", on)
        threshold = store.get("gospodarstwo_rolne_prog", on)
        return IncomeRules(
            excluded_always=frozenset(excl["always"]),
            excluded_cash_dps=frozenset(excl["cash_and_dps"]),
            farm_rate=farm["amount"],
            farm_min_hectares=threshold["min_hectares"],
            exclusions_record=excl,
            farm_record=farm,
        )

    return store.derived(("income_rules", on), build)


@dataclass(frozen=True, slots=True)
class IncomeResult:
    month: YearMonth
    total: Decimal
    per_person: Decimal
    own: Mapping[str, Decimal]
    size: int
    trace: tuple[Step, ...]


@lru_cache(maxsize=4096)
def income_month_for(
    application_date: date, income_lost: bool, explicit: YearMonth | None = None
) -> tuple[YearMonth, Step]:
    """The income month (art. 8 ust. 3 u.p.s.) and the trace step explaining it."""
    application_month = YearMonth.of(application_date)
    rule = application_month if income_lost else application_month.shift(-1)
    why = (
        "miesiąc złożenia wniosku (utrata dochodu)"
        if income_lost
        else "miesiąc kalendarzowy poprzedzający złożenie wniosku"
    )
    if explicit is None or explicit == rule:
        return rule, Step(f"Miesiąc dochodu: {why}", str(rule), B_INCOME)
    return explicit, Step(
        f"Miesiąc dochodu wskazany we wniosku ({explicit}) różni się od wynikającego z ustawy "
        f"({rule} — {why}); przyjęto wskazany",
        str(explicit),
        B_INCOME,
    )


def _item_net(item: IncomeItem, policy: Policy) -> tuple[Decimal, str, str]:
    """Net income of one non-farm, non-deduction item: (amount, figures, basis)."""
    shape = INCOME_SHAPES.get(item.kind)
    if shape == "wage" and item.amount is None:
        gross = item.gross if item.gross is not None else _ZERO
        net = gross - item.tax - item.social - item.health
        figures = (
            f"{pln(gross)} − podatek {pln(item.tax)} − składki społeczne {pln(item.social)}"
            f" − składka zdrowotna {pln(item.health)}"
        )
        if policy.kup_on_employee_pay and item.kup:
            net -= item.kup
            figures += f" − KUP {pln(item.kup)}"
        return net, f"{figures} = {pln(net)}", "art. 8 ust. 3 pkt 1–2 u.p.s."
    if shape == "business":
        revenue = item.revenue if item.revenue is not None else _ZERO
        net = revenue - item.costs - item.tax - item.social - item.health
        figures = (
            f"przychód {pln(revenue)} − koszty {pln(item.costs)} − podatek {pln(item.tax)}"
            f" − składki społeczne {pln(item.social)} − składka zdrowotna {pln(item.health)}"
            f" = {pln(net)}"
        )
        return net, figures, "art. 8 ust. 5 pkt 1 u.p.s."
    amount = item.amount if item.amount is not None else _ZERO
    if item.kind == "dzialalnosc_ryczalt":
        return amount, f"{pln(amount)} (dochód zadeklarowany)", "art. 8 ust. 5 pkt 2 u.p.s."
    return amount, pln(amount), B_INCOME


def compute_income(
    household: Household,
    *,
    on: date,
    purpose: str,
    store: ParameterStore,
    policy: Policy,
    income_month: YearMonth | None = None,
    income_lost: bool = False,
) -> IncomeResult:
    """Family income, per-person income and each member's own income, with a trace."""
    rules = income_rules(store, on)
    tb = TraceBuilder()
    month, month_step = income_month_for(on, income_lost, income_month)
    tb.extend([month_step])
    excluded_for_purpose = (
        rules.excluded_cash_dps if purpose in (PURPOSE_CASH, PURPOSE_DPS) else frozenset()
    )
    purpose_label = _PURPOSE_LABEL[purpose]
    own: dict[str, Decimal] = {}

    def holder_income(holder: str, items: tuple[IncomeItem, ...]) -> Decimal:
        counted = _ZERO
        deducted = _ZERO
        hectares = _ZERO
        has_farm = False
        for item in items:
            kind = item.kind
            label = INCOME_KINDS.get(kind, kind)
            if kind in rules.excluded_always:
                tb.add(
                    f"{holder}: {label} — nie wlicza się do dochodu",
                    "0,00 zł",
                    "art. 8 ust. 4 u.p.s.",
                )
                continue
            if kind in excluded_for_purpose:
                tb.add(
                    f"{holder}: {label} — nie wlicza się przy ustalaniu {purpose_label}",
                    "0,00 zł",
                    "art. 8 ust. 4a u.p.s.",
                )
                continue
            if kind == "gospodarstwo_rolne":
                hectares += item.hectares or _ZERO
                has_farm = True
                continue
            if kind == "alimenty_placone":
                value = item.amount or _ZERO
                deducted += value
                tb.add(
                    f"{holder}: alimenty płacone na rzecz innych osób (odliczenie)",
                    f"− {pln(value)}",
                    "art. 8 ust. 3 pkt 3 u.p.s.",
                )
                continue
            net, figures, basis = _item_net(item, policy)
            if net < 0 and policy.negative_income_to_zero:
                tb.add(
                    f"{holder}: {label} — strata nie pomniejsza innych dochodów",
                    f"{figures} → 0,00 zł",
                    basis,
                )
                net = _ZERO
            else:
                tb.add(f"{holder}: {label}", figures, basis)
            counted += net
        if has_farm:
            if hectares < rules.farm_min_hectares:
                tb.add(
                    f"{holder}: gospodarstwo rolne poniżej {rules.farm_min_hectares} ha "
                    "przeliczeniowego — nie wlicza się",
                    f"{hectares} ha",
                    "art. 8 ust. 4 u.p.s.",
                )
            else:
                farm = money(hectares * rules.farm_rate, policy.rounding)
                tb.add(
                    f"{holder}: gospodarstwo rolne",
                    f"{hectares} ha × {pln(rules.farm_rate)} = {pln(farm)}",
                    "art. 8 ust. 9 u.p.s.",
                )
                counted += farm
        total = counted - deducted
        if total < 0 and policy.negative_income_to_zero:
            total = _ZERO
        return total

    for member in household.members:
        own[member.id] = holder_income(f"Osoba {member.id}", member.incomes)
    family_total = sum(own.values(), _ZERO)
    if household.household_incomes:
        family_total += holder_income("Gospodarstwo domowe", household.household_incomes)
    size = household.size
    per_person = family_total / size
    if policy.per_person_rounding == "grosze":
        per_person = money(per_person, policy.rounding)
    if size == 1:
        # The single person's own income includes income items not attributed to a member.
        only = household.members[0].id
        own[only] = family_total
        tb.add("Dochód osoby samotnie gospodarującej", pln(family_total), B_INCOME)
    else:
        tb.add("Dochód rodziny (suma dochodów członków)", pln(family_total), B_INCOME)
        tb.add(
            "Dochód na osobę w rodzinie",
            f"{pln(family_total)} ÷ {size} = {pln(per_person)}",
            "art. 8 ust. 1 pkt 2 i ust. 3 u.p.s.",
        )
    return IncomeResult(month, family_total, per_person, own, size, tb.build())

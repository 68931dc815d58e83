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
- one-off income above 5 × the criterion spread over 12 months (art. 8 ust. 11) and income
  received at once for a period counted over that period (art. 8 ust. 12) — issue 22;
- alimony paid above the payer's own income and farm land of several holders: named policies
  (``Policy.alimony_paid_floor``, ``Policy.farm_hectares_scope``);
- per-person income = family income ÷ number of members.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from .codes import INCOME_KINDS, INCOME_SHAPES
from .frozen import lazy_slot, slot_builder
from .household import Household, IncomeItem
from .money import money, pln
from .periods import YearMonth
from .policy import Policy
from .store import ParameterStore, Record
from .trace import Deferred, Figures, RawStep, Step, TraceBuilder, materialise

__all__ = [
    "PURPOSE_CASH",
    "PURPOSE_DPS",
    "PURPOSE_NONCASH",
    "IncomeResult",
    "IncomeRules",
    "compute_income",
    "compute_income_with",
    "income_month_for",
    "income_rules",
    "pending_trace",
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
    # Issue 22: per-kind legal basis of an exclusion (default art. 8 ust. 4 / 4a) and the
    # months a kind of benefit exists (from the act that created it).
    exclusion_basis: Mapping[str, str]
    kind_since: Mapping[str, date]
    kind_until: Mapping[str, date]
    dated_kinds: frozenset[str]
    criterion_single: Decimal
    criterion_per_person: Decimal
    # Issue 19: what to do with each known kind of income, per purpose (see :class:`KindPlan`).
    plans: Mapping[str, Mapping[str, KindPlan]]


# What an income item of a kind does to the income (``KindPlan.what``). ``AMOUNT``: counted
# as the declared amount — no wage or business arithmetic (most items: pensions, benefits).
EXCLUDED, FARM, DEDUCTION, COUNTED, AMOUNT = "excluded", "farm", "deduction", "counted", "amount"


@dataclass(frozen=True, slots=True)
class KindPlan:
    """One kind of income under the rules of one date, for one purpose — worked out once
    (issue 19) instead of testing every item against the exclusion lists. ``step`` is the
    trace text after the holder (``": emerytura"``), ``basis`` the legal basis of the
    exclusion (for ``EXCLUDED``), ``dated`` whether the kind exists only for some months."""

    what: str
    label: str
    step: str
    basis: str
    dated: bool


def kind_plan(
    kind: str,
    purpose: str,
    excluded_always: frozenset[str],
    excluded_cash_dps: frozenset[str],
    exclusion_basis: Mapping[str, str],
    dated_kinds: frozenset[str],
) -> KindPlan:
    """How an item of ``kind`` counts for ``purpose`` (art. 8 ust. 3, 4, 4a u.p.s.)."""
    label = INCOME_KINDS.get(kind, kind)
    dated = kind in dated_kinds
    if kind in excluded_always:
        basis = exclusion_basis.get(kind, "art. 8 ust. 4 u.p.s.")
        return KindPlan(EXCLUDED, label, f": {label} — nie wlicza się do dochodu", basis, dated)
    if purpose in (PURPOSE_CASH, PURPOSE_DPS) and kind in excluded_cash_dps:
        basis = exclusion_basis.get(kind, "art. 8 ust. 4a u.p.s.")
        text = f": {label} — nie wlicza się przy ustalaniu {_PURPOSE_LABEL[purpose]}"
        return KindPlan(EXCLUDED, label, text, basis, dated)
    if kind == "gospodarstwo_rolne":
        return KindPlan(FARM, label, f": {label}", "", dated)
    if kind == "alimenty_placone":
        return KindPlan(DEDUCTION, label, f": {label}", "", dated)
    if INCOME_SHAPES.get(kind) in ("wage", "business") or kind == "dzialalnosc_ryczalt":
        return KindPlan(COUNTED, label, f": {label}", "", dated)
    return KindPlan(AMOUNT, label, f": {label}", "", dated)


def income_rules(store: ParameterStore, on: date) -> IncomeRules:
    excl = store.get("wylaczenia_dochodu", on)
    farm = store.get("dochod_z_hektara", on)
    threshold = store.get("gospodarstwo_rolne_prog", on)
    kinds = store.get("rodzaje_dochodu", on)
    crit = store.get("kryterium_dochodowe", on)

    def build() -> IncomeRules:
        always = frozenset(excl["always"])
        cash_dps = frozenset(excl["cash_and_dps"])
        basis: dict[str, str] = dict(excl.get("basis") or {})
        since: dict[str, date] = dict(kinds.get("since") or {})
        until: dict[str, date] = dict(kinds.get("until") or {})
        dated = frozenset(since | until)
        known = sorted(set(INCOME_KINDS) | always | cash_dps | dated)
        return IncomeRules(
            excluded_always=always,
            excluded_cash_dps=cash_dps,
            farm_rate=farm["amount"],
            farm_min_hectares=threshold["min_hectares"],
            exclusions_record=excl,
            farm_record=farm,
            exclusion_basis=basis,
            kind_since=since,
            kind_until=until,
            dated_kinds=dated,
            criterion_single=crit["single"],
            criterion_per_person=crit["per_person"],
            plans={
                purpose: {
                    kind: kind_plan(kind, purpose, always, cash_dps, basis, dated) for kind in known
                }
                for purpose in _PURPOSE_LABEL
            },
        )

    # Issue 19: the rules depend only on the five records in force, not on the day itself —
    # memoised per combination of records (a handful), not per date (thousands in a caseload).
    # The store keeps every record for its lifetime, so their ids are stable keys.
    key = ("income_rules", id(excl), id(farm), id(threshold), id(kinds), id(crit))
    return store.derived(key, build)


@dataclass(frozen=True, slots=True)
class IncomeResult:
    month: YearMonth
    total: Decimal
    per_person: Decimal
    own: Mapping[str, Decimal]
    size: int
    trace: tuple[Step, ...]


# Issue 19: built slot by slot on the hot path (see ``frozen.slot_builder``); the trace is
# kept as raw steps until read (``frozen.lazy_slot``) — ``pending_trace(result)`` reads it
# as it is, for the calculators that copy it into their own (equally lazy) trace.
_new_income_result = slot_builder(IncomeResult)
pending_trace = lazy_slot(IncomeResult, "trace", list, materialise)


@lru_cache(maxsize=4096)
def income_month_for(
    application_date: date, income_lost: bool, explicit: YearMonth | None = None
) -> tuple[YearMonth, Step]:
    """The income month (art. 8 ust. 3 u.p.s.) and the trace step explaining it."""
    # it depends on the application's month only: the days of one month share it
    return _income_month(application_date.year, application_date.month, income_lost, explicit)


@lru_cache(maxsize=1024)
def _income_month(
    year: int, month: int, income_lost: bool, explicit: YearMonth | None
) -> tuple[YearMonth, Step]:
    application_month = YearMonth(year, month)
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


def _item_net(item: IncomeItem, policy: Policy) -> tuple[Decimal, Deferred, str]:
    """Net income of one non-farm, non-deduction item: (amount, figures, basis); the
    figures are deferred (``trace.render``: a template tuple or the amount itself)."""
    shape = INCOME_SHAPES.get(item.kind)
    if shape == "wage" and item.amount is None:
        gross = item.gross if item.gross is not None else _ZERO
        net = gross - item.tax - item.social - item.health
        if policy.kup_on_employee_pay and item.kup:
            net -= item.kup
            figures: Deferred = (
                "{} − podatek {} − składki społeczne {} − składka zdrowotna {} − KUP {} = {}",
                gross, item.tax, item.social, item.health, item.kup, net,
            )  # fmt: skip
        else:
            figures = (
                "{} − podatek {} − składki społeczne {} − składka zdrowotna {} = {}",
                gross, item.tax, item.social, item.health, net,
            )  # fmt: skip
        return net, figures, "art. 8 ust. 3 pkt 1–2 u.p.s."
    if shape == "business":
        revenue = item.revenue if item.revenue is not None else _ZERO
        net = revenue - item.costs - item.tax - item.social - item.health
        figures = (
            "przychód {} − koszty {} − podatek {} − składki społeczne {}"
            " − składka zdrowotna {} = {}",
            revenue, item.costs, item.tax, item.social, item.health, net,
        )  # fmt: skip
        return net, figures, "art. 8 ust. 5 pkt 1 u.p.s."
    amount = item.amount if item.amount is not None else _ZERO
    if item.kind == "dzialalnosc_ryczalt":
        return amount, ("{} (dochód zadeklarowany)", amount), "art. 8 ust. 5 pkt 2 u.p.s."
    return amount, amount, B_INCOME


def compute_income(
    household: Household,
    *,
    on: date,
    purpose: str,
    store: ParameterStore,
    policy: Policy,
    income_month: YearMonth | None = None,
    income_lost: bool = False,
    rules_on: date | None = None,
) -> IncomeResult:
    """Family income, per-person income and each member's own income, with a trace.

    ``on`` is the application date (it fixes the income month); ``rules_on`` the date whose
    parameters apply (the decision date under ``Policy.criterion_date``; default ``on``).
    """
    rules = income_rules(store, rules_on or on)
    month, month_step = income_month_for(on, income_lost, income_month)
    return compute_income_with(
        household, rules=rules, month=month, month_step=month_step, purpose=purpose, policy=policy
    )


def compute_income_with(
    household: Household,
    *,
    rules: IncomeRules,
    month: YearMonth,
    month_step: Step,
    purpose: str,
    policy: Policy,
) -> IncomeResult:
    """:func:`compute_income` with the rules and the income month already resolved (the
    calculators resolve them once per combination of dates — issue 19)."""
    # The steps are appended to directly on the per-item path; the builder serves the
    # rarer paths (issue 19).
    steps: list[Step | RawStep] = [month_step]
    tb = TraceBuilder.__new__(TraceBuilder)
    tb._steps = steps
    plans = rules.plans[purpose]
    negative_to_zero = policy.negative_income_to_zero
    own: dict[str, Decimal] = {}
    size = household.size
    carried_alimony = _ZERO  # alimony paid above the payer's own income (alimony_paid_floor)
    # Family-wide farm hectares only matter when two or more holders declare land: counted
    # when the first holder is met (one household in ten has land at all).
    family_farm: bool | None = None
    farm_holdings: list[tuple[str, Decimal]] = []

    def holder_income(holder: str, items: tuple[IncomeItem, ...]) -> Decimal:
        nonlocal carried_alimony, family_farm
        counted = _ZERO
        deducted = _ZERO
        hectares = _ZERO
        has_farm = False
        for item in items:
            kind = item.kind
            plan = plans.get(kind) or _unknown_kind_plan(rules, purpose, kind)
            what = plan.what
            if plan.dated:
                _kind_validity(tb, rules, holder, kind, plan.label, month)
            if what is AMOUNT and not item.one_off and item.period_from is None:
                # The commonest item (issue 19): counted as declared, the step's figures
                # are the amount itself. A loss under negative_income_to_zero goes below.
                net = item.amount
                if net is None:
                    net = _ZERO
                if net >= _ZERO or not negative_to_zero:
                    steps.append((holder + plan.step, net, B_INCOME))
                    counted += net
                    continue
            if what is EXCLUDED:
                steps.append((holder + plan.step, "0,00 zł", plan.basis))
                continue
            if what is FARM:
                hectares += item.hectares or _ZERO
                has_farm = True
                continue
            if what is DEDUCTION:
                value = item.amount or _ZERO
                deducted += value
                steps.append(
                    (
                        f"{holder}: alimenty płacone na rzecz innych osób (odliczenie)",
                        ("− {}", value),
                        "art. 8 ust. 3 pkt 3 u.p.s.",
                    )
                )
                continue
            label = plan.label
            net, figures, basis = _item_net(item, policy)
            if item.one_off or item.period_from is not None:
                # Art. 8 ust. 11: five times the single person's / the family's criterion.
                threshold = 5 * (
                    rules.criterion_single if size == 1 else rules.criterion_per_person * size
                )
                net = _spread(tb, holder, label, item, net, month, threshold, policy)
                counted += max(net, _ZERO) if negative_to_zero else net
                continue
            if net < 0 and negative_to_zero:
                tb.add(
                    f"{holder}: {label} — strata nie pomniejsza innych dochodów",
                    ("{} → 0,00 zł", figures),
                    basis,
                )
                net = _ZERO
            else:
                steps.append((holder + plan.step, figures, basis))
            counted += net
        if has_farm and family_farm is None:
            family_farm = (
                size > 1 and policy.farm_hectares_scope == "family" and _farm_holders(household) > 1
            )
        if has_farm and family_farm:
            # Policy farm_hectares_scope="family": summed across the family below.
            farm_holdings.append((holder, hectares))
            has_farm = False
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
                    Figures(f"{hectares} ha × {{}} = {{}}", rules.farm_rate, farm),
                    "art. 8 ust. 9 u.p.s.",
                )
                counted += farm
        total = counted - deducted
        if total < 0 and policy.negative_income_to_zero:
            if deducted and policy.alimony_paid_floor == "family":
                excess = min(-total, deducted)
                carried_alimony += excess
                tb.add(
                    f"{holder}: alimenty płacone przewyższają własny dochód — nadwyżka "
                    "pomniejsza dochód rodziny (ustawienie polityki)",
                    f"{pln(excess)}",
                    "art. 8 ust. 3 pkt 3 u.p.s.",
                )
            total = _ZERO
        return total

    for member in household.members:
        incomes = member.incomes
        # a member with no income items adds nothing and no step (a third of members)
        own[member.id] = holder_income(f"Osoba {member.id}", incomes) if incomes else _ZERO
    family_total = sum(own.values(), _ZERO)
    if household.household_incomes:
        family_total += holder_income("Gospodarstwo domowe", household.household_incomes)
    if farm_holdings:
        family_total += _family_farm(tb, rules, farm_holdings, own, policy)
    if carried_alimony:
        before = family_total
        family_total = max(_ZERO, family_total - carried_alimony)
        tb.add(
            "Dochód rodziny pomniejszony o nadwyżkę alimentów płaconych ponad dochód płacącego",
            Figures("{} − {} = {}", before, carried_alimony, family_total),
            "art. 8 ust. 3 pkt 3 u.p.s.",
        )
    per_person = family_total / size
    if policy.per_person_rounding == "grosze":
        per_person = money(per_person, policy.rounding)
    if size == 1:
        # The single person's own income includes income items not attributed to a member.
        only = household.members[0].id
        own[only] = family_total
        steps.append(("Dochód osoby samotnie gospodarującej", family_total, B_INCOME))
    else:
        steps.append(("Dochód rodziny (suma dochodów członków)", family_total, B_INCOME))
        steps.append(
            (
                "Dochód na osobę w rodzinie",
                ("{} ÷ {} = {}", family_total, size, per_person),
                "art. 8 ust. 1 pkt 2 i ust. 3 u.p.s.",
            )
        )
    # the raw list itself: nothing appends to it any more (lazy trace, see pending_trace)
    return _new_income_result(month, family_total, per_person, own, size, steps)


def _farm_holders(household: Household) -> int:
    """How many holders (members, and the household's own items) declare farm land."""
    holders = [m.incomes for m in household.members] + [household.household_incomes]
    return sum(any(i.kind == "gospodarstwo_rolne" for i in items) for items in holders)


def _unknown_kind_plan(rules: IncomeRules, purpose: str, kind: str) -> KindPlan:
    """A kind outside the code list (the interface validates kinds; direct callers need not)."""
    return kind_plan(
        kind,
        purpose,
        rules.excluded_always,
        rules.excluded_cash_dps,
        rules.exclusion_basis,
        rules.dated_kinds,
    )


def _kind_validity(
    tb: TraceBuilder, rules: IncomeRules, holder: str, kind: str, label: str, month: YearMonth
) -> None:
    """Flag a benefit entered for an income month in which its act did not provide it."""
    since = rules.kind_since.get(kind)
    until = rules.kind_until.get(kind)
    last_day = month.shift(1).first_day
    if since is not None and since >= last_day:
        tb.add(
            f"⚠ {holder}: {label} — świadczenie przysługuje od {since.isoformat()}, "
            f"a miesiąc dochodu to {month}; sprawdź rodzaj dochodu",
            str(month),
            rules.exclusion_basis.get(kind, B_INCOME),
        )
    elif until is not None and until <= month.first_day:
        tb.add(
            f"⚠ {holder}: {label} — świadczenie przysługiwało do {until.isoformat()}, "
            f"a miesiąc dochodu to {month}; sprawdź rodzaj dochodu",
            str(month),
            rules.exclusion_basis.get(kind, B_INCOME),
        )


def _spread(
    tb: TraceBuilder,
    holder: str,
    label: str,
    item: IncomeItem,
    net: Decimal,
    month: YearMonth,
    threshold: Decimal,
    policy: Policy,
) -> Decimal:
    """Art. 8 ust. 11–12 u.p.s.: the part of a one-off or back-dated income that falls on
    the income month."""
    if item.period_from is not None:
        start = item.period_from
        end = item.period_to or start
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if start <= month <= end:
            value = money(net / months, policy.rounding)
            tb.add(
                f"{holder}: {label} — dochód uzyskany jednorazowo za okres {start}–{end} "
                f"({months} mies.) uwzględniony w miesiącu {month}",
                f"{pln(net)} ÷ {months} = {pln(value)}",
                "art. 8 ust. 12 u.p.s.",
            )
            return value
        tb.add(
            f"{holder}: {label} — dochód należny za okres {start}–{end}, poza miesiącem "
            f"dochodu {month}",
            f"{pln(net)} → 0,00 zł",
            "art. 8 ust. 12 u.p.s.",
        )
        return _ZERO
    received = item.received or month
    if net > threshold:
        last = received.shift(11)
        if received <= month <= last:
            value = money(net / 12, policy.rounding)
            tb.add(
                f"{holder}: {label} — dochód jednorazowy wyższy niż pięciokrotność kryterium "
                f"({pln(threshold)}), rozliczony w 12 częściach od {received} do {last}",
                f"{pln(net)} ÷ 12 = {pln(value)}",
                "art. 8 ust. 11 u.p.s.",
            )
            return value
        tb.add(
            f"{holder}: {label} — dochód jednorazowy z {received} rozliczany w miesiącach "
            f"{received}–{last}; miesiąc dochodu {month} jest poza tym okresem",
            f"{pln(net)} → 0,00 zł",
            "art. 8 ust. 11 u.p.s.",
        )
        return _ZERO
    if received == month:
        tb.add(
            f"{holder}: {label} — dochód jednorazowy nieprzekraczający pięciokrotności "
            f"kryterium ({pln(threshold)}), w całości w miesiącu otrzymania",
            pln(net),
            "art. 8 ust. 3 i 11 u.p.s.",
        )
        return net
    tb.add(
        f"{holder}: {label} — dochód jednorazowy nieprzekraczający pięciokrotności kryterium "
        f"({pln(threshold)}) otrzymany w {received}, poza miesiącem dochodu {month}",
        f"{pln(net)} → 0,00 zł",
        "art. 8 ust. 3 i 11 u.p.s.",
    )
    return _ZERO


def _family_farm(
    tb: TraceBuilder,
    rules: IncomeRules,
    holdings: list[tuple[str, Decimal]],
    own: dict[str, Decimal],
    policy: Policy,
) -> Decimal:
    """Policy ``farm_hectares_scope="family"``: the hectares of all holders in the family are
    summed before the under-1-ha test; each holder's own income gets their part."""
    total_ha = sum((ha for _, ha in holdings), _ZERO)
    parts = " + ".join(f"{h}: {ha} ha" for h, ha in holdings)
    if total_ha < rules.farm_min_hectares:
        tb.add(
            f"Gospodarstwo rolne rodziny poniżej {rules.farm_min_hectares} ha "
            "przeliczeniowego — nie wlicza się",
            f"{parts} = {total_ha} ha",
            "art. 8 ust. 4 u.p.s.",
        )
        return _ZERO
    farm = money(total_ha * rules.farm_rate, policy.rounding)
    tb.add(
        "Hektary przeliczeniowe członków rodziny zsumowane (ustawienie polityki: "
        "gospodarstwo rodziny)",
        f"{parts} = {total_ha} ha",
        "art. 8 ust. 9 u.p.s.",
    )
    allocated = _ZERO
    for i, (holder, ha) in enumerate(holdings):
        share = (
            farm - allocated
            if i == len(holdings) - 1
            else money(ha * rules.farm_rate, policy.rounding)
        )
        allocated += share
        member_id = holder.removeprefix("Osoba ")
        if member_id in own:
            own[member_id] += share
    tb.add(
        "Gospodarstwo rolne rodziny",
        f"{total_ha} ha × {pln(rules.farm_rate)} = {pln(farm)}",
        "art. 8 ust. 9 u.p.s.",
    )
    return farm

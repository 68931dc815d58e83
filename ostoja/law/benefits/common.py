"""Shared parts of the calculators: result types, criterion, art. 5 test, refusal grounds,
part-month amounts (art. 106 ust. 3)."""

from __future__ import annotations

import dataclasses
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..frozen import lazy_slot, slot_builder
from ..household import Case
from ..income import (
    IncomeResult,
    IncomeRules,
    compute_income,
    compute_income_with,
    income_month_for,
    income_rules,
    pending_trace,
)
from ..money import money, pln
from ..periods import YearMonth
from ..policy import DEFAULT_POLICY, Policy
from ..store import ParameterStore, Record
from ..trace import RawStep, Step, TraceBuilder, materialise, render

__all__ = [
    "BenefitResult",
    "Context",
    "DpsFees",
    "IncomeSummary",
    "ParameterRef",
    "Reason",
    "begin",
    "begin_uncached",
    "parameter_date",
    "part_month_amount",
    "prorate_first_month",
]

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason for ineligibility, in Polish, with its legal basis.

    Issue 19: ``text`` may be built from a ``(template, *args)`` tuple, formatted (amounts in
    złote, ``trace.render``) when first read — most households are refused, nobody reads
    most of the refusals of a bulk calculation."""

    text: str
    basis: str

    def __str__(self) -> str:
        return f"{self.text} ({self.basis})"


@dataclass(frozen=True, slots=True)
class IncomeSummary:
    month: YearMonth
    total: Decimal
    per_person: Decimal
    criterion: Decimal


@dataclass(frozen=True, slots=True)
class ParameterRef:
    valid_from: date
    source: str


@dataclass(frozen=True, slots=True)
class DpsFees:
    resident: Decimal
    relatives: tuple[tuple[str, Decimal], ...]
    relatives_total: Decimal
    city: Decimal


@dataclass(frozen=True, slots=True)
class BenefitResult:
    """The result of one calculator; field names mirror the result document."""

    benefit: str
    eligible: bool
    income: IncomeSummary
    parameters: ParameterRef
    trace: tuple[Step, ...]
    reasons: tuple[Reason, ...] = ()
    amount: Decimal | None = None
    monthly_amount: Decimal | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    health_contribution: Decimal | None = None
    health_insured_elsewhere: bool | None = None
    free_of_charge: bool | None = None
    fee: Decimal | None = None
    fee_rate: Decimal | None = None
    fees: DpsFees | None = None


class Context:
    """Working state of one calculation: parameters, income, trace and reasons."""

    __slots__ = (
        "_noted",
        "benefit",
        "case",
        "criterion",
        "income",
        "on",
        "parameters",
        "per_person_criterion",
        "policy",
        "reasons",
        "segment",
        "single_criterion",
        "store",
        "tb",
    )

    def __init__(self, case: Case, store: ParameterStore, policy: Policy, benefit: str) -> None:
        self.case = case
        self.store = store
        self.policy = policy
        self.benefit = benefit
        # Parameters (criteria, amounts) are looked up on ``on``: the application date, or the
        # decision date when the request carries one and the policy says so (issue 22).
        self.on = parameter_date(case, policy)
        # Values that depend only on the records in force are memoised per segment.
        self.segment = store.segment(self.on)
        self.tb = TraceBuilder()
        self.reasons: list[Reason] = []
        # Parameters already flagged ⚠; a frozenset shared with a memoised plan until a new
        # one is flagged (``use`` then makes a new set — the plan's is never changed).
        self._noted: AbstractSet[tuple[str, date]] = frozenset()
        self.criterion: Record = self.use("kryterium_dochodowe")
        self.parameters = _parameter_ref(self.criterion.valid_from, self.criterion.source)
        # The two amounts of the criterion, read from the record once (issue 19).
        self.single_criterion: Decimal = self.criterion["single"]
        self.per_person_criterion: Decimal = self.criterion["per_person"]
        self.income: IncomeResult | None = None

    # -- parameters -----------------------------------------------------------------------
    def use(self, name: str, *, warn: bool = True) -> Record:
        """Look up a parameter in force on the application date; flag unconfirmed values
        in the trace (``warn=False`` when the unconfirmed part does not apply)."""
        record = self.store.get(name, self.on)
        if warn and not record.confirmed:
            key = (name, record.valid_from)
            if key not in self._noted:
                self._noted = self._noted | {key}
                self.tb.add(
                    f"⚠ Wartość parametru „{name}” wymaga potwierdzenia: {record.note}",
                    f"obowiązuje od {record.valid_from.isoformat()}",
                    record.source,
                )
        return record

    def m(self, value: Decimal) -> Decimal:
        return money(value, self.policy.rounding)

    def refuse(self, text: str | tuple[Any, ...], basis: str) -> None:
        """Add a reason to refuse; ``text`` ready or a deferred ``(template, *args)``."""
        self.reasons.append(_new_reason(text, basis))

    # -- results --------------------------------------------------------------------------
    def summary(self, criterion: Decimal | None = None) -> IncomeSummary:
        income = self.income
        assert income is not None
        if criterion is None:
            criterion = self.single_criterion if income.size == 1 else self.per_person_criterion
        return _new_summary(income.month, income.total, income.per_person, criterion)

    def result(
        self,
        *,
        eligible: bool | None = None,
        income: IncomeSummary | None = None,
        amount: Decimal | None = None,
        monthly_amount: Decimal | None = None,
        amount_min: Decimal | None = None,
        amount_max: Decimal | None = None,
        health_contribution: Decimal | None = None,
        health_insured_elsewhere: bool | None = None,
        free_of_charge: bool | None = None,
        fee: Decimal | None = None,
        fee_rate: Decimal | None = None,
        fees: DpsFees | None = None,
    ) -> BenefitResult:
        """The result with the trace so far; ``eligible`` defaults to "no reasons to refuse",
        ``income`` to the summary of the household's income. The optional amounts are the
        fields of :class:`BenefitResult` of the same name (keywords: issue 19 — a ``**``
        mapping cost a dict, pops and a lookup per field on every calculation)."""
        reasons = self.reasons
        if eligible is None:
            eligible = not reasons
        if len(reasons) == 1:  # by far the commonest: no joins, text still deferred (issue 19)
            self.tb.add("Wynik: brak uprawnienia", _pending_text(reasons[0]), reasons[0].basis)
        elif reasons:
            self.tb.add(
                "Wynik: brak uprawnienia",
                "; ".join(r.text for r in reasons),
                "; ".join(dict.fromkeys(r.basis for r in reasons)),
            )
        return _new_result(
            self.benefit,
            bool(eligible),
            income if income is not None else self.summary(),
            self.parameters,
            self.tb.pending(),  # Step objects made when the trace is read (lazy_slot below)
            tuple(reasons),
            amount,
            monthly_amount,
            amount_min,
            amount_max,
            health_contribution,
            health_insured_elsewhere,
            free_of_charge,
            fee,
            fee_rate,
            fees,
        )


# Issue 19: results are built slot by slot (``frozen.slot_builder``), not through the
# generated ``__init__`` — a tenth of the calculation went into ``object.__setattr__``.
_new_result = slot_builder(BenefitResult)
lazy_slot(BenefitResult, "trace", list, materialise)
_new_summary = slot_builder(IncomeSummary)
_new_reason = slot_builder(Reason)
_pending_text = lazy_slot(Reason, "text", tuple, render)
# ``Context.result`` passes the fields positionally: it must follow the declaration order.
assert [f.name for f in dataclasses.fields(BenefitResult)] == [
    "benefit", "eligible", "income", "parameters", "trace", "reasons", "amount",
    "monthly_amount", "amount_min", "amount_max", "health_contribution",
    "health_insured_elsewhere", "free_of_charge", "fee", "fee_rate", "fees",
]  # fmt: skip


@lru_cache(maxsize=256)
def _parameter_ref(valid_from: date, source: str) -> ParameterRef:
    """One (immutable) reference per criterion record, shared by its results."""
    return ParameterRef(valid_from, source)


def parameter_date(case: Case, policy: Policy) -> date:
    """The date whose criteria and amounts apply (``Policy.criterion_date``)."""
    decided = case.decision_date
    if decided is None or policy.criterion_date == "application":
        return case.application_date
    return decided


def begin(case: Case, store: ParameterStore, policy: Policy, benefit: str, purpose: str) -> Context:
    """Criterion in force, art. 5 test, refusal grounds and income — the common first steps.

    Issue 19: everything before the income items depends only on a few fields of the case
    (dates, residence title, refusal flags) and the policy's criterion date; it is worked
    out once per combination (:func:`_date_plan`, :func:`_case_plan`, memoised
    in the store) and copied into each calculation. Same steps, reasons and parameters as
    :func:`begin_uncached` (``ostoja/law/tests/test_speed_equal.py``)."""
    household = case.household
    size = len(household.members)
    # One lookup on the hot path: the plan of this combination of dates, person-level
    # fields and benefit (:func:`_plan` merges the date plan and the case plan, each
    # memoised on its own so that the many combinations share them).
    key = (
        "begin",
        case.application_date,
        case.decision_date,
        policy.criterion_date,
        case.income_lost,
        case.income_month,
        benefit,
        case.residence_title,
        case.interview_refused,
        case.non_cooperation,
        case.asset_disproportion,
    )
    plan: _Plan | None = store._derived.get(key)  # type: ignore[assignment]
    if plan is None:
        plan = store.derived(key, lambda: _plan(case, store, policy, benefit))
    ctx = Context.__new__(Context)
    ctx.case = case
    ctx.store = store
    ctx.policy = policy
    ctx.benefit = benefit
    ctx.on = plan.on
    ctx.segment = plan.segment
    tb = TraceBuilder.__new__(TraceBuilder)
    # the composition (art. 6) comes last before the income; one shared step per size
    composition = _COMPOSITION[size] if size < len(_COMPOSITION) else _composition_step(size)
    steps: list[Step | RawStep] = [*plan.steps, composition]
    tb._steps = steps
    ctx.tb = tb
    ctx.reasons = list(plan.reasons)
    ctx._noted = plan.noted
    ctx.criterion = plan.criterion
    ctx.parameters = plan.parameters
    rules = plan.rules
    # the income rules were resolved on the same date, from the same criterion record
    ctx.single_criterion = rules.criterion_single
    ctx.per_person_criterion = rules.criterion_per_person
    income = compute_income_with(
        household, rules=rules, month=plan.income_month, month_step=plan.month_step,
        purpose=purpose, policy=policy,
    )  # fmt: skip
    ctx.income = income
    steps += pending_trace(income)
    return ctx


@dataclass(frozen=True, slots=True)
class _Plan:
    """What :func:`begin` copies into each calculation of one combination."""

    on: date
    segment: int  # ``store.segment(on)``: the key of what depends only on the records in force
    steps: tuple[Step, ...]
    reasons: tuple[Reason, ...]
    noted: frozenset[tuple[str, date]]
    criterion: Record
    parameters: ParameterRef
    rules: IncomeRules
    income_month: YearMonth
    month_step: Step


def _plan(case: Case, store: ParameterStore, policy: Policy, benefit: str) -> _Plan:
    if case.decision_date is None:
        # The commonest request: only the application date. Between two days on which a
        # parameter changes (``store.segment``) its plan differs from another date's only by
        # the date in the criterion step and the income month — worked out once per segment
        # (``_segment_plan``), not once per application date.
        skey = (
            "begin_segment",
            store.segment(case.application_date),
            benefit,
            case.residence_title,
            case.interview_refused,
            case.non_cooperation,
            case.asset_disproportion,
        )
        segment = store.derived(skey, lambda: _segment_plan(case, store, policy, benefit))
        if segment is not None:
            template, at = segment
            on = case.application_date
            month, month_step = income_month_for(on, case.income_lost, case.income_month)
            steps = template.steps
            # Positional, in declaration order (``_new_plan``): a new application date is
            # the cold path of a caseload — ``dataclasses.replace`` cost a third of it.
            return _new_plan(
                on,
                template.segment,
                (*steps[:at], _criterion_step(store, on, template.criterion), *steps[at + 1 :]),
                template.reasons,
                template.noted,
                template.criterion,
                template.parameters,
                template.rules,
                month,
                month_step,
            )
    return _dated_plan(case, store, policy, benefit)


def _segment_plan(
    case: Case, store: ParameterStore, policy: Policy, benefit: str
) -> tuple[_Plan, int] | None:
    """A plan of this case's segment — the plan of its own date and the position of the
    criterion step, the one step whose text names the date — or ``None`` when the residence
    title has dates of its own (art. 5 titles under special acts): then plans stay per date."""
    if case.residence_title in _date_plan_of(case, store, policy).dated_titles:
        return None
    plan = _dated_plan(case, store, policy, benefit)
    criterion_step = _criterion_step(store, case.application_date, plan.criterion)
    return plan, next(i for i, step in enumerate(plan.steps) if step is criterion_step)


def _date_plan_of(case: Case, store: ParameterStore, policy: Policy) -> _DatePlan:
    """:func:`_date_plan`, memoised per combination of dates."""
    dkey = (
        "begin_on",
        case.application_date,
        case.decision_date,
        policy.criterion_date,
        case.income_lost,
        case.income_month,
    )
    return store.derived(dkey, lambda: _date_plan(case, store, policy))


def _dated_plan(case: Case, store: ParameterStore, policy: Policy, benefit: str) -> _Plan:
    # 1. What depends on the dates: parameter date, criterion, income month, income rules.
    dplan = _date_plan_of(case, store, policy)
    # 2. What depends on the person and the benefit: residence title (art. 5) and refusal
    # grounds — with the title's own dates only for titles that have them. (The household's
    # composition is added by ``begin``: plans do not multiply by household size.)
    title = case.residence_title
    ckey = (
        "begin_case",
        id(dplan.residence),
        benefit,
        title,
        case.interview_refused,
        case.non_cooperation,
        case.asset_disproportion,
        case.application_date if title in dplan.dated_titles else None,
    )
    cplan = store.derived(ckey, lambda: _case_plan(case, store, policy, benefit, dplan))
    return _Plan(
        on=dplan.on,
        segment=store.segment(dplan.on),
        steps=dplan.steps + cplan.steps,
        reasons=cplan.reasons,
        noted=dplan.noted | cplan.noted,
        criterion=dplan.criterion,
        parameters=_parameter_ref(dplan.criterion.valid_from, dplan.criterion.source),
        rules=dplan.rules,
        income_month=dplan.month,
        month_step=dplan.month_step,
    )


_new_plan = slot_builder(_Plan)
assert [f.name for f in dataclasses.fields(_Plan)] == [
    "on", "segment", "steps", "reasons", "noted", "criterion", "parameters", "rules",
    "income_month", "month_step",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class _DatePlan:
    on: date
    steps: tuple[Step, ...]
    noted: frozenset[tuple[str, date]]
    criterion: Record
    residence: Record
    dated_titles: frozenset[str]
    rules: IncomeRules
    month: YearMonth
    month_step: Step


@dataclass(frozen=True, slots=True)
class _CasePlan:
    steps: tuple[Step, ...]
    reasons: tuple[Reason, ...]
    noted: frozenset[tuple[str, date]]


def _date_plan(case: Case, store: ParameterStore, policy: Policy) -> _DatePlan:
    ctx = Context(case, store, policy, "")
    if case.decision_date is None:
        ctx.tb.extend([_criterion_step(store, case.application_date, ctx.criterion)])
    else:
        _criterion_date_steps(ctx)
    month, month_step = income_month_for(case.application_date, case.income_lost, case.income_month)
    residence = store.get("tytuly_pobytu", ctx.on)
    return _DatePlan(
        on=ctx.on,
        steps=ctx.tb.build(),
        noted=frozenset(ctx._noted),
        criterion=ctx.criterion,
        residence=residence,
        dated_titles=frozenset(residence.get("titles") or ()),
        rules=income_rules(store, ctx.on),
        month=month,
        month_step=month_step,
    )


def _case_plan(
    case: Case, store: ParameterStore, policy: Policy, benefit: str, dplan: _DatePlan
) -> _CasePlan:
    ctx = Context(case, store, policy, benefit)
    ctx.tb = TraceBuilder()
    ctx._noted = frozenset()
    _residence_check(ctx)
    _refusal_grounds(ctx)
    return _CasePlan(ctx.tb.build(), tuple(ctx.reasons), frozenset(ctx._noted))


def _begin_prefix(case: Case, store: ParameterStore, policy: Policy, benefit: str) -> Context:
    ctx = Context(case, store, policy, benefit)
    if case.decision_date is None:
        ctx.tb.extend([_criterion_step(store, case.application_date, ctx.criterion)])
    else:
        _criterion_date_steps(ctx)
    _residence_check(ctx)
    _refusal_grounds(ctx)
    ctx.tb.extend([_composition_step(case.household.size)])
    return ctx


def begin_uncached(
    case: Case, store: ParameterStore, policy: Policy, benefit: str, purpose: str
) -> Context:
    """:func:`begin` step by step, with no memoised plan — the reference the fast path is
    tested against."""
    ctx = _begin_prefix(case, store, policy, benefit)
    ctx.income = compute_income(
        case.household,
        on=case.application_date,
        purpose=purpose,
        store=store,
        policy=policy,
        income_month=case.income_month,
        income_lost=case.income_lost,
        rules_on=ctx.on,
    )
    ctx.tb.extend(ctx.income.trace)
    return ctx


def _criterion_date_steps(ctx: Context) -> None:
    """Issue 22: the request carries the application and the decision date; say which
    date's criteria apply and why."""
    case = ctx.case
    applied, decided = case.application_date, case.decision_date
    assert decided is not None
    crit = ctx.criterion
    if ctx.policy.criterion_date == "decision":
        why = (
            "organ stosuje przepisy (kryteria i kwoty) obowiązujące w dniu wydania decyzji; "
            "miesiąc dochodu wyznacza data wniosku"
        )
        which = f"dzień wydania decyzji ({decided.isoformat()})"
    else:
        why = "ustawienie polityki: kryteria z dnia złożenia wniosku"
        which = f"dzień złożenia wniosku ({applied.isoformat()})"
    ctx.tb.add(
        f"Data wniosku {applied.isoformat()}, data decyzji {decided.isoformat()} — "
        f"kryteria i kwoty według stanu na {which}",
        why,
        "art. 8 ust. 1 u.p.s.; organ orzeka według stanu prawnego z dnia wydania decyzji "
        "(ustawienie polityki criterion_date); miesiąc dochodu — art. 8 ust. 3 u.p.s.",
    )
    if ctx.on != applied:
        at_application = ctx.store.get("kryterium_dochodowe", applied)
        if at_application.valid_from != crit.valid_from:
            ctx.tb.add(
                "Kryteria w dniu wniosku różniły się od kryteriów w dniu decyzji",
                f"{pln(at_application['single'])} / {pln(at_application['per_person'])} → "
                f"{pln(crit['single'])} / {pln(crit['per_person'])}",
                at_application.source,
            )
    ctx.tb.add(
        f"Kryterium dochodowe w dniu {ctx.on.isoformat()}: osoba samotnie gospodarująca / "
        "osoba w rodzinie",
        f"{pln(crit['single'])} / {pln(crit['per_person'])}",
        "art. 8 ust. 1 pkt 1–2 u.p.s.; " + crit.source,
    )


def _criterion_step(store: ParameterStore, on: date, crit: Record) -> Step:
    def figures() -> tuple[str, str]:
        return (
            f"{pln(crit['single'])} / {pln(crit['per_person'])}",
            "art. 8 ust. 1 pkt 1–2 u.p.s.; " + crit.source,
        )

    def build() -> Step:
        # the amounts and the basis once per criterion record (the store keeps its records,
        # so their ids are stable), only the date per application date
        value, basis = store.derived(("criterion_figures", id(crit)), figures)
        return Step(
            "Kryterium dochodowe w dniu złożenia wniosku "
            f"({on.isoformat()}): osoba samotnie gospodarująca / osoba w rodzinie",
            value,
            basis,
        )

    return store.derived(("criterion_step", on), build)


@lru_cache(maxsize=64)
def _composition_step(size: int) -> Step:
    return Step(
        "Skład gospodarstwa domowego",
        "osoba samotnie gospodarująca" if size == 1 else f"rodzina, liczba osób: {size}",
        "art. 6 u.p.s.; art. 8 ust. 1 u.p.s.",
    )


_COMPOSITION = tuple(_composition_step(size) for size in range(13))


def _residence_check(ctx: Context) -> None:
    title = ctx.case.residence_title
    # The open points of art. 5 concern foreigners, not Polish citizens.
    record = ctx.use("tytuly_pobytu", warn=title != "obywatel_pl")
    extra = record.get("titles")
    if extra is not None and title in extra:
        _residence_extra(ctx, title, extra[title], record["limited_benefits"])
        return
    if title in record["full"]:
        ctx.tb.add("Tytuł pobytu uprawnia do świadczeń z pomocy społecznej", title, "art. 5 u.p.s.")
    elif title in record["limited"]:
        if ctx.benefit in record["limited_benefits"]:
            ctx.tb.add(
                "Tytuł pobytu uprawnia tylko do schronienia, posiłku, niezbędnego ubrania "
                "i zasiłku celowego — to świadczenie mieści się w tym zakresie",
                title,
                "art. 5 pkt 3 u.p.s.",
            )
        else:
            ctx.refuse(
                "Tytuł pobytu uprawnia wyłącznie do schronienia, posiłku, niezbędnego ubrania "
                "i zasiłku celowego",
                "art. 5 pkt 3 u.p.s.",
            )
    else:
        ctx.refuse("Tytuł pobytu nie daje prawa do świadczeń z pomocy społecznej", "art. 5 u.p.s.")


def _residence_extra(
    ctx: Context, title: str, spec: dict[str, object], limited_benefits: list[str]
) -> None:
    """Issue 22: titles with their own scope, basis and period (art. 5, 5a, special acts)."""
    basis = str(spec["basis"])
    since = spec.get("from")
    until = spec.get("to")
    on = ctx.case.application_date
    if (isinstance(since, date) and on < since) or (isinstance(until, date) and on >= until):
        period = f"{since.isoformat() if isinstance(since, date) else '…'} – " + (
            until.isoformat() if isinstance(until, date) else "…"
        )
        ctx.refuse(f"Tytuł pobytu nie obowiązywał w dniu złożenia wniosku (okres {period})", basis)
        return
    if not spec.get("confirmed", True):
        ctx.tb.add(
            f"⚠ Zakres pomocy dla tego tytułu pobytu wymaga potwierdzenia: {spec.get('note', '')}",
            title,
            basis,
        )
    scope = spec["scope"]
    if scope == "full":
        ctx.tb.add("Tytuł pobytu uprawnia do świadczeń z pomocy społecznej", title, basis)
    elif ctx.benefit in limited_benefits:
        ctx.tb.add(
            "Tytuł pobytu uprawnia tylko do interwencji kryzysowej, schronienia, posiłku, "
            "niezbędnego ubrania i zasiłku celowego — to świadczenie mieści się w tym zakresie",
            title,
            basis,
        )
    else:
        ctx.refuse(
            "Tytuł pobytu uprawnia wyłącznie do interwencji kryzysowej, schronienia, posiłku, "
            "niezbędnego ubrania i zasiłku celowego",
            basis,
        )


def _refusal_grounds(ctx: Context) -> None:
    case = ctx.case
    if case.interview_refused:
        ctx.refuse(
            "Odmowa przeprowadzenia rodzinnego wywiadu środowiskowego lub jego aktualizacji "
            "(albo podpisania oświadczenia o dochodach i stanie majątkowym) stanowi podstawę "
            "odmowy przyznania świadczenia",
            "art. 107 ust. 4a u.p.s.",
        )
    if case.non_cooperation:
        ctx.refuse(
            "Brak współdziałania z pracownikiem socjalnym (np. odmowa zawarcia lub "
            "nieprzestrzeganie kontraktu socjalnego) — ośrodek skorzystał z możliwości odmowy",
            "art. 11 ust. 2 u.p.s.",
        )
    if case.asset_disproportion:
        ctx.refuse(
            "Dysproporcja między udokumentowanym dochodem a stanem majątkowym wskazuje, że "
            "osoba może sama zaspokoić swoje potrzeby",
            "art. 12 u.p.s.",
        )


def part_month_amount(
    monthly: Decimal, month: YearMonth, covered_days: int, policy: Policy = DEFAULT_POLICY
) -> Decimal:
    """Art. 106 ust. 3 u.p.s.: monthly amount × days covered ÷ days in ``month``, rounded per
    ``policy`` (``part_month_method``, ``rounding``). Usable on its own (e.g. by payments)."""
    days = month.days
    if covered_days >= days:
        return money(monthly, policy.rounding)
    if covered_days <= 0:
        return Decimal("0.00")
    if policy.part_month_method == "daily_rate_first":
        daily = money(monthly / days, policy.rounding)
        return money(daily * covered_days, policy.rounding)
    return money(monthly * covered_days / days, policy.rounding)


def prorate_first_month(ctx: Context, monthly: Decimal, floor: Decimal | None) -> Decimal:
    """Amount for the first month (art. 106 ust. 3 u.p.s.).

    Benefits run from the month of the application; when entitlement starts inside a month,
    the monthly amount × days covered ÷ days in the month. ``floor`` is guaranteed to the
    pro-rated amount only when ``Policy.floor_before_proration`` is ``False``.
    """
    case = ctx.case
    start = case.entitlement_from
    if start is None:
        return monthly  # from the month of the application, the whole month
    policy = ctx.policy
    application_month = YearMonth.of(case.application_date)
    basis = "art. 106 ust. 3 u.p.s."
    if start is None or start.day == 1 or start < application_month.first_day:
        if start is not None and start < application_month.first_day:
            ctx.tb.add(
                "Świadczenie przysługuje najwcześniej od miesiąca złożenia wniosku — pełny miesiąc",
                str(application_month),
                basis,
            )
        return monthly
    month = YearMonth.of(start)
    days = month.days
    covered = days - start.day + 1
    amount = part_month_amount(monthly, month, covered, policy)
    if policy.part_month_method == "daily_rate_first":
        daily = ctx.m(monthly / days)
        figures = f"{pln(monthly)} ÷ {days} = {pln(daily)} × {covered} dni = {pln(amount)}"
    else:
        figures = f"{pln(monthly)} × {covered} ÷ {days} = {pln(amount)}"
    ctx.tb.add(
        f"Niepełny miesiąc {month}: prawo od {start.isoformat()}",
        figures,
        basis,
    )
    if floor is not None and not policy.floor_before_proration and amount < floor:
        ctx.tb.add(
            "Kwota za niepełny miesiąc podniesiona do kwoty minimalnej (ustawienie polityki)",
            f"{pln(amount)} → {pln(floor)}",
            basis,
        )
        amount = floor
    return amount

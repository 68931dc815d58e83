"""Zasiłek okresowy — art. 38 u.p.s. (statutory range, 20 zł floor, single-person cap)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from ..household import Case
from ..income import PURPOSE_CASH
from ..money import HUNDRED, pct, pln
from ..periods import YearMonth, add_months
from ..policy import DEFAULT_POLICY, Policy
from ..store import ParameterStore, default_store
from .common import BenefitResult, Context, begin, prorate_first_month

__all__ = ["calculate"]

BENEFIT = "zasilek_okresowy"
_ZERO = Decimal("0.00")


def calculate(
    case: Case, *, store: ParameterStore | None = None, policy: Policy = DEFAULT_POLICY
) -> BenefitResult:
    store = store or default_store()
    ctx = begin(case, store, policy, BENEFIT, PURPOSE_CASH)
    tb = ctx.tb
    income = ctx.income
    assert income is not None
    household = case.household
    size = len(household.members)
    single = size == 1
    amounts = _amounts(store, ctx.segment, ctx.on)
    if not amounts.confirmed:
        ctx.use("zasilek_okresowy")  # flags the unconfirmed value (⚠) in the trace
    floor = amounts.floor
    guaranteed = amounts.guaranteed
    total = income.total

    # Step figures are deferred (template, *args) tuples, rendered when read (trace.render).
    if single:
        criterion = ctx.single_criterion
        label = "kryterium dochodowe osoby samotnie gospodarującej"
        basis_test = "art. 38 ust. 1 pkt 1 u.p.s."
        basis_max = "art. 38 ust. 2 pkt 1 u.p.s."
    else:
        criterion = ctx.per_person_criterion * size
        label = _family_label(ctx.per_person_criterion, size)
        basis_test = "art. 38 ust. 1 pkt 2 u.p.s."
        basis_max = "art. 38 ust. 2 pkt 2 u.p.s."

    if case.contract_work_start is not None:
        contract = _contract_work(ctx, criterion, total)
        if contract is not None:
            return contract
    if total < criterion:
        tb.add(f"Dochód niższy niż {label}", ("{} < {}", total, criterion), basis_test)
    else:
        ctx.refuse(("Dochód ({}) nie jest niższy niż {} ({})", total, label, criterion), basis_test)
    if ctx.reasons:
        return ctx.result(eligible=False, amount=_ZERO, monthly_amount=_ZERO)

    gap = criterion - total
    maximum = gap
    tb.add(
        "Różnica między kryterium a dochodem (kwota maksymalna)",
        ("{} − {} = {}", criterion, total, gap),
        basis_max,
    )
    if single:
        limit = _single_cap(store, ctx.segment, ctx.on)
        if not limit.confirmed:
            ctx.use("zasilek_okresowy_limit_samotnej")  # ⚠ in the trace
        cap = limit.cap if limit.cap is not None else ctx.per_person_criterion
        if maximum > cap:
            tb.add(limit.step, ("{} → {}", maximum, cap), basis_max)
            maximum = cap
    minimum = ctx.m(gap * guaranteed / HUNDRED)
    tb.add(
        amounts.guaranteed_step,
        ("{} × {} = {}", amounts.guaranteed_text, gap, minimum),
        "art. 38 ust. 3 u.p.s.",
    )
    if minimum < floor:
        tb.add(
            "Kwota gwarantowana podniesiona do minimum",
            ("{} → {}", minimum, floor),
            "art. 38 ust. 4 u.p.s.",
        )
        minimum = floor
    maximum = ctx.m(maximum)
    if minimum > maximum:
        if policy.okresowy_floor_over_gap:
            tb.add(
                "Różnica mniejsza niż kwota minimalna — pierwszeństwo ma kwota minimalna "
                "(ustawienie polityki)",
                ("{} → {}", maximum, minimum),
                "art. 38 ust. 4 u.p.s.",
            )
            maximum = minimum
        else:
            tb.add(
                "Różnica mniejsza niż kwota minimalna — zasiłek do wysokości różnicy "
                "(ustawienie polityki)",
                ("{} → {}", minimum, maximum),
                basis_max,
            )
            minimum = maximum
    monthly = minimum if policy.okresowy_default == "minimum" else maximum
    tb.add(
        "Zakres ustawowy i kwota proponowana ("
        + ("kwota gwarantowana" if policy.okresowy_default == "minimum" else "kwota maksymalna")
        + ")",
        ("od {} do {}; proponowana {}", minimum, maximum, monthly),
        "art. 38 ust. 2–4 u.p.s.",
    )
    amount = prorate_first_month(ctx, monthly, floor)
    return ctx.result(amount=amount, monthly_amount=monthly, amount_min=minimum, amount_max=maximum)


@dataclass(frozen=True, slots=True)
class _Amounts:
    """The amounts of art. 38 in force on one date and their trace texts (issue 19: read
    from two parameters once per date, memoised in the store they come from)."""

    floor: Decimal
    guaranteed: Decimal
    guaranteed_text: str
    guaranteed_step: str
    confirmed: bool


@dataclass(frozen=True, slots=True)
class _SingleCap:
    """The single person's maximum on one date (art. 38 ust. 2 pkt 1): a fixed amount, or
    ``None`` for the per-person criterion; the trace text saying which."""

    cap: Decimal | None
    step: str
    confirmed: bool


def _amounts(store: ParameterStore, segment: int, on: date) -> _Amounts:
    """Memoised per segment of the parameters (``ctx.segment``, the segment of ``on``): the
    same for every date of it, and no work for a date not seen before (issue 19)."""
    key = ("zasilek_okresowy", "segment", segment)
    found: _Amounts | None = store._derived.get(key)  # type: ignore[assignment]
    if found is not None:
        return found
    return store.derived(key, lambda: _read_amounts(store, on))


def _read_amounts(store: ParameterStore, on: date) -> _Amounts:
    params = store.get("zasilek_okresowy", on)
    guaranteed: Decimal = params["guaranteed_percent"]
    return _Amounts(
        floor=params["floor"],
        guaranteed=guaranteed,
        guaranteed_text=pct(guaranteed),
        guaranteed_step=f"Kwota gwarantowana: {pct(guaranteed)} różnicy",
        confirmed=params.confirmed,
    )


def _single_cap(store: ParameterStore, segment: int, on: date) -> _SingleCap:
    """Memoised per segment of the parameters, as :func:`_amounts`."""
    key = ("zasilek_okresowy_limit_samotnej", "segment", segment)
    found: _SingleCap | None = store._derived.get(key)  # type: ignore[assignment]
    if found is not None:
        return found
    return store.derived(key, lambda: _read_cap(store, on))


def _read_cap(store: ParameterStore, on: date) -> _SingleCap:
    limit = store.get("zasilek_okresowy_limit_samotnej", on)
    rule = limit["cap"]
    if rule == "kryterium_na_osobe":
        text = (
            "Kwota maksymalna osoby samotnie gospodarującej ograniczona do kryterium "
            "na osobę w rodzinie"
        )
        return _SingleCap(None, text, limit.confirmed)
    text = (
        "Kwota maksymalna osoby samotnie gospodarującej ograniczona do kwoty określonej w ustawie"
    )
    return _SingleCap(Decimal(rule), text, limit.confirmed)


@lru_cache(maxsize=1024)
def _family_label(per_person: Decimal, size: int) -> str:
    return f"kryterium dochodowe rodziny ({pln(per_person)} × {size})"


def _contract_work(ctx: Context, criterion: Decimal, total: Decimal) -> BenefitResult | None:
    """Issue 22: a person under a social contract (kontrakt socjalny, art. 108) who takes up
    work keeps the zasiłek okresowy regardless of income until the date in the decision, at
    most the number of months the parameter gives after the work starts. ``None`` when the
    month examined is past that period (the ordinary income test applies)."""
    case = ctx.case
    start = case.contract_work_start
    assert start is not None
    params = ctx.use("zasilek_okresowy_kontrakt")
    months: int = params["months"]
    basis = str(params["basis"])
    end = add_months(start, months)
    month_start = YearMonth.of(case.application_date).first_day
    if case.application_date >= end and month_start >= end:
        ctx.tb.add(
            f"Podjęcie pracy w ramach kontraktu socjalnego {start.isoformat()} — okres "
            f"{months} mies. upłynął {end.isoformat()}; obowiązuje zwykłe kryterium",
            f"do {end.isoformat()}",
            basis,
        )
        return None
    amount = case.contract_amount
    ctx.tb.add(
        f"Podjęcie pracy w ramach kontraktu socjalnego {start.isoformat()} — zasiłek okresowy "
        f"przysługuje bez względu na dochód do dnia określonego w decyzji, najdłużej do "
        f"{end.isoformat()}",
        f"dochód {pln(total)}, kryterium {pln(criterion)} — nie porównuje się",
        basis,
    )
    if ctx.reasons:
        return ctx.result(eligible=False, amount=_ZERO, monthly_amount=_ZERO)
    if amount is None:
        ctx.tb.add(
            "Kwota jak w dotychczasowej decyzji — nie podano (contract_amount)",
            "—",
            basis,
        )
        return ctx.result(amount=None, monthly_amount=None)
    amount = ctx.m(amount)
    ctx.tb.add("Kwota zasiłku okresowego z dotychczasowej decyzji", pln(amount), basis)
    return ctx.result(amount=amount, monthly_amount=amount, amount_min=amount, amount_max=amount)

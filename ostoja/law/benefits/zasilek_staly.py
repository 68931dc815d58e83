"""Zasiłek stały — art. 37 u.p.s. (with art. 6, art. 8, art. 106 ust. 3; health contribution
under the Act on publicly funded health care)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..codes import INCOME_KINDS
from ..household import Case, Member
from ..income import PURPOSE_CASH
from ..money import HUNDRED, money, pct, pln
from ..policy import DEFAULT_POLICY, Policy
from ..store import ParameterStore, default_store
from .common import BenefitResult, begin, prorate_first_month

__all__ = [
    "PENSION_KINDS",
    "calculate",
    "health_contribution",
    "health_rate",
    "insured_elsewhere",
]

BENEFIT = "zasilek_staly"
_ZERO = Decimal("0.00")
# Receiving any of these makes the person compulsorily health-insured as a pensioner
# (art. 66 ust. 1 and art. 72 ust. 1 of the Act on publicly funded health care).
PENSION_KINDS = frozenset({"emerytura", "renta", "renta_rodzinna", "renta_socjalna"})
_HEALTH_ACT = (
    "ustawa z dnia 27 sierpnia 2004 r. o świadczeniach opieki zdrowotnej finansowanych "
    "ze środków publicznych"
)


def health_rate(on: date, *, store: ParameterStore | None = None) -> Decimal:
    """The health contribution rate (percent) in force on ``on``: the dated parameter
    ``skladka_zdrowotna`` (art. 79 ust. 1 of the Act on publicly funded health care)."""
    return Decimal((store or default_store()).get("skladka_zdrowotna", on)["rate_percent"])


def health_contribution(
    basis: Decimal,
    on: date,
    policy: Policy = DEFAULT_POLICY,
    *,
    store: ParameterStore | None = None,
) -> Decimal:
    """The contribution the centre pays for a month of zasiłek stały paid (``basis``): the rate
    in force on ``on`` × ``basis``, rounded to grosze per ``policy``; monthly and indivisible
    (art. 79 ust. 1 of the Act on publicly funded health care). Used by payments for the
    month's list to ZUS."""
    return money(basis * health_rate(on, store=store) / HUNDRED, policy.rounding)


def insured_elsewhere(person: Member) -> tuple[bool, str]:
    """Whether the person is health-insured on another basis, and why.

    A pension or disability pension among the person's incomes makes them insured by law, so it
    sets "insured elsewhere" even when the worker left the box unticked (a pensioner must never
    be charged the centre's contribution).
    """
    if person.insured_elsewhere:
        return True, "osoba ubezpieczona z innego tytułu (oświadczenie, dokumenty)"
    pensions = sorted({i.kind for i in person.incomes if i.kind in PENSION_KINDS})
    if pensions:
        names = ", ".join(INCOME_KINDS.get(k, k).lower() for k in pensions)
        return (
            True,
            f"osoba pobiera świadczenie emerytalno-rentowe ({names}) i z tego tytułu "
            "podlega ubezpieczeniu zdrowotnemu",
        )
    return False, ""


def calculate(
    case: Case, *, store: ParameterStore | None = None, policy: Policy = DEFAULT_POLICY
) -> BenefitResult:
    store = store or default_store()
    ctx = begin(case, store, policy, BENEFIT, PURPOSE_CASH)
    tb = ctx.tb
    income = ctx.income
    assert income is not None
    household = case.household
    person = household.applicant
    on = case.application_date
    params = ctx.use("zasilek_staly")

    # Eligibility: an adult unable to work because of age or totally unable to work.
    age = person.age_on(on)
    if age is None:
        raise ValueError("zasiłek stały: brak daty urodzenia wnioskodawcy")
    adult_age = ctx.use("pelnoletnosc")["age"]
    if age < adult_age:
        ctx.refuse(f"Wnioskodawca nie jest pełnoletni (wiek {age} lat)", "art. 37 ust. 1 u.p.s.")
    retirement = ctx.use("wiek_emerytalny")
    retirement_age = retirement["women"] if person.sex == "K" else retirement["men"]
    by_age = person.sex in ("K", "M") and age >= retirement_age
    by_incapacity = person.total_incapacity or person.disability in ("umiarkowany", "znaczny")
    if by_age:
        tb.add(
            "Niezdolność do pracy z tytułu wieku (osiągnięty wiek emerytalny)",
            f"wiek {age} lat ≥ {retirement_age} "
            f"({'kobieta' if person.sex == 'K' else 'mężczyzna'})",
            "art. 37 ust. 1 u.p.s.; art. 6 u.p.s.",
        )
    if by_incapacity:
        what = (
            "orzeczenie o całkowitej niezdolności do pracy"
            if person.total_incapacity
            else f"orzeczenie o {person.disability}m stopniu niepełnosprawności"
        )
        tb.add("Całkowita niezdolność do pracy", what, "art. 37 ust. 1 u.p.s.; art. 6 u.p.s.")
    if not (by_age or by_incapacity):
        ctx.refuse(
            "Wnioskodawca nie jest całkowicie niezdolny do pracy z powodu wieku (60 lat kobieta, "
            "65 lat mężczyzna) ani z powodu niepełnosprawności (orzeczenie o całkowitej "
            "niezdolności do pracy lub o umiarkowanym albo znacznym stopniu niepełnosprawności)",
            "art. 37 ust. 1 u.p.s.; art. 6 u.p.s.",
        )

    # Benefits that exclude zasiłek stały.
    excluding = ctx.use("zasilek_staly_wykluczenia")["kinds"]
    items = person.incomes + (household.household_incomes if household.is_single else ())
    for kind in dict.fromkeys(i.kind for i in items if i.kind in excluding):
        ctx.refuse(
            f"Zasiłek stały nie przysługuje osobie uprawnionej do świadczenia: "
            f"{INCOME_KINDS.get(kind, kind).lower()}",
            "art. 37 ust. 5 u.p.s.",
        )
    # Issue 22: further excluding benefits, each with its own citation (looked up only when
    # one is present, so other traces do not change).
    extra = ctx.store.get("zasilek_staly_wykluczenia_dodatkowe", ctx.on)
    present = [i.kind for i in items if i.kind in extra["kinds"]]
    if present:
        extra = ctx.use("zasilek_staly_wykluczenia_dodatkowe")
        for kind in dict.fromkeys(present):
            ctx.refuse(
                f"Zasiłek stały nie przysługuje osobie uprawnionej do świadczenia: "
                f"{INCOME_KINDS.get(kind, kind).lower()}",
                str(extra["kinds"][kind]),
            )

    base_percent: Decimal = params["base_percent"]
    floor: Decimal = params["floor"]
    if household.is_single:
        criterion = ctx.single_criterion
        own = income.total
        if own < criterion:
            tb.add(
                "Dochód osoby samotnie gospodarującej niższy od kryterium",
                f"{pln(own)} < {pln(criterion)}",
                "art. 37 ust. 1 pkt 1 u.p.s.",
            )
        else:
            ctx.refuse(
                f"Dochód osoby samotnie gospodarującej ({pln(own)}) nie jest niższy od kryterium "
                f"({pln(criterion)})",
                "art. 37 ust. 1 pkt 1 u.p.s.",
            )
        base = criterion * base_percent / HUNDRED
        raw = base - own
        cap: Decimal | None = params["cap_single"]
        tb.add(
            f"Zasiłek: {pct(base_percent)} kryterium osoby samotnie gospodarującej − dochód",
            f"{pln(base)} − {pln(own)} = {pln(raw)}",
            "art. 37 ust. 2 pkt 1 u.p.s.",
        )
    else:
        criterion = ctx.per_person_criterion
        own = income.own[person.id]
        per_person = income.per_person
        if own < criterion and per_person < criterion:
            tb.add(
                "Dochód własny i dochód na osobę w rodzinie niższe od kryterium na osobę",
                f"{pln(own)} < {pln(criterion)}; {pln(per_person)} < {pln(criterion)}",
                "art. 37 ust. 1 pkt 2 u.p.s.",
            )
        else:
            if own >= criterion:
                ctx.refuse(
                    f"Dochód własny wnioskodawcy ({pln(own)}) nie jest niższy od kryterium "
                    f"na osobę w rodzinie ({pln(criterion)})",
                    "art. 37 ust. 1 pkt 2 u.p.s.",
                )
            if per_person >= criterion:
                ctx.refuse(
                    f"Dochód na osobę w rodzinie ({pln(per_person)}) nie jest niższy od "
                    f"kryterium ({pln(criterion)})",
                    "art. 37 ust. 1 pkt 2 u.p.s.",
                )
        base = criterion * base_percent / HUNDRED
        raw = base - per_person
        cap = None
        tb.add(
            f"Zasiłek: {pct(base_percent)} kryterium na osobę w rodzinie − dochód na osobę",
            f"{pln(base)} − {pln(per_person)} = {pln(raw)}",
            "art. 37 ust. 2 pkt 2 u.p.s.",
        )

    if ctx.reasons:
        return ctx.result(
            eligible=False, amount=_ZERO, monthly_amount=_ZERO, health_contribution=_ZERO
        )

    monthly = ctx.m(raw)
    if cap is not None and monthly > cap:
        tb.add(
            "Zasiłek ograniczony do kwoty maksymalnej",
            f"{pln(monthly)} → {pln(cap)}",
            "art. 37 ust. 2 pkt 1 u.p.s.; " + params.source,
        )
        monthly = cap
    if monthly < floor:
        tb.add(
            "Zasiłek podniesiony do kwoty minimalnej",
            f"{pln(monthly)} → {pln(floor)}",
            "art. 37 ust. 3 u.p.s.",
        )
        monthly = floor
    tb.add("Zasiłek stały — kwota miesięczna", pln(monthly), "art. 37 ust. 2–3 u.p.s.")
    amount = prorate_first_month(ctx, monthly, floor)

    insured, why = insured_elsewhere(person)
    if insured:
        health = _ZERO
        tb.add(
            "Składka na ubezpieczenie zdrowotne: nie opłaca się — " + why,
            pln(health),
            f"art. 66 ust. 1 i art. 72 ust. 1 {_HEALTH_ACT} (ośrodek opłaca składkę tylko za "
            "osobę bez innego tytułu do ubezpieczenia)",
        )
    else:
        rate: Decimal = ctx.use("skladka_zdrowotna")["rate_percent"]
        basis_amount = amount if policy.health_contribution_basis == "first_month" else monthly
        health = ctx.m(basis_amount * rate / HUNDRED)
        tb.add(
            "Składka na ubezpieczenie zdrowotne opłacana przez ośrodek (miesięczna, niepodzielna)",
            f"{pct(rate)} × {pln(basis_amount)} = {pln(health)}",
            store.get("skladka_zdrowotna", on).source,
        )
    return ctx.result(
        amount=amount,
        monthly_amount=monthly,
        health_contribution=health,
        health_insured_elsewhere=insured,
    )

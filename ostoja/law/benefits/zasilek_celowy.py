"""Zasiłek celowy (art. 39), zasiłek celowy po zdarzeniu losowym (art. 40) and specjalny
zasiłek celowy, also the repayable variant (art. 41 u.p.s.)."""

from __future__ import annotations

from decimal import Decimal

from ..household import Case
from ..income import PURPOSE_CASH
from ..money import pln
from ..policy import DEFAULT_POLICY, Policy
from ..store import ParameterStore, default_store
from .common import BenefitResult, Context, begin

__all__ = [
    "calculate_celowy",
    "calculate_pogrzeb",
    "calculate_specjalny",
    "calculate_zdarzenie_losowe",
]

_ZERO = Decimal("0.00")
_ART7 = (
    "Powód przyznania pomocy z art. 7 pkt 2–15 (lub inna uzasadniona okoliczność) ustala "
    "pracownik socjalny — kalkulator go nie sprawdza"
)


def _within_criterion(ctx: Context) -> tuple[bool, str, str]:
    """Art. 8 ust. 1: income does not exceed (≤) the criterion. Returns (ok, figures, basis)."""
    income = ctx.income
    assert income is not None
    if ctx.case.household.is_single:
        crit = ctx.single_criterion
        return (
            income.total <= crit,
            f"{pln(income.total)} {'≤' if income.total <= crit else '>'} {pln(crit)}",
            "art. 8 ust. 1 pkt 1 u.p.s.",
        )
    crit = ctx.per_person_criterion
    pp = income.per_person
    return (
        pp <= crit,
        f"{pln(pp)} na osobę {'≤' if pp <= crit else '>'} {pln(crit)}",
        "art. 8 ust. 1 pkt 2 u.p.s.",
    )


def calculate_celowy(
    case: Case, *, store: ParameterStore | None = None, policy: Policy = DEFAULT_POLICY
) -> BenefitResult:
    """Zasiłek celowy for an essential living need (art. 39 ust. 1–2 u.p.s.)."""
    ctx = begin(case, store or default_store(), policy, "zasilek_celowy", PURPOSE_CASH)
    ok, figures, basis = _within_criterion(ctx)
    if ok:
        ctx.tb.add("Dochód nie przekracza kryterium dochodowego", figures, basis)
    else:
        ctx.refuse(
            f"Dochód przekracza kryterium dochodowe ({figures}); w szczególnie uzasadnionym "
            "przypadku możliwy jest specjalny zasiłek celowy (art. 41 u.p.s.)",
            f"art. 39 ust. 1 u.p.s.; {basis}",
        )
    ctx.tb.add(_ART7, "—", "art. 7 u.p.s.; art. 8 ust. 1 u.p.s.")
    if ctx.reasons:
        return ctx.result(eligible=False, amount=_ZERO, monthly_amount=None)
    amount = _requested(ctx, "art. 39 ust. 1–2 u.p.s.")
    return ctx.result(amount=amount)


def calculate_zdarzenie_losowe(
    case: Case, *, store: ParameterStore | None = None, policy: Policy = DEFAULT_POLICY
) -> BenefitResult:
    """Zasiłek celowy after a random event — regardless of income (art. 40 ust. 1 i 3)."""
    ctx = begin(
        case, store or default_store(), policy, "zasilek_celowy_zdarzenie_losowe", PURPOSE_CASH
    )
    ctx.tb.add(
        "Zasiłek celowy w związku ze zdarzeniem losowym może być przyznany niezależnie od "
        "dochodu i może nie podlegać zwrotowi — dochód ustalono tylko informacyjnie",
        "bez kryterium dochodowego",
        "art. 40 ust. 1 i 3 u.p.s.",
    )
    if ctx.reasons:
        return ctx.result(eligible=False, amount=_ZERO)
    return ctx.result(amount=_requested(ctx, "art. 40 ust. 1 u.p.s."))


def calculate_specjalny(
    case: Case, *, store: ParameterStore | None = None, policy: Policy = DEFAULT_POLICY
) -> BenefitResult:
    """Specjalny zasiłek celowy (art. 41 pkt 1, limit = criterion) or, when
    ``case.repayable``, a zasiłek celowy on condition of repayment (art. 41 pkt 2)."""
    ctx = begin(case, store or default_store(), policy, "specjalny_zasilek_celowy", PURPOSE_CASH)
    household = case.household
    ok, figures, basis = _within_criterion(ctx)
    if ok:
        ctx.refuse(
            f"Dochód nie przekracza kryterium dochodowego ({figures}) — właściwy jest zasiłek "
            "celowy na zasadach ogólnych (art. 39 u.p.s.)",
            f"art. 41 u.p.s.; {basis}",
        )
    else:
        ctx.tb.add(
            "Dochód przekracza kryterium — w szczególnie uzasadnionym przypadku możliwy "
            "specjalny zasiłek celowy",
            figures,
            "art. 41 u.p.s.",
        )
    if ctx.reasons:
        return ctx.result(eligible=False, amount=_ZERO)
    if case.repayable:
        ctx.tb.add(
            "Zasiłek celowy pod warunkiem zwrotu części lub całości — bez ustawowej kwoty "
            "maksymalnej; zasady zwrotu określa uchwała rady gminy",
            "zwrotny",
            "art. 41 pkt 2 u.p.s.; art. 96 ust. 4 u.p.s.",
        )
        return ctx.result(amount=_requested(ctx, "art. 41 pkt 2 u.p.s."))
    if household.is_single:
        limit = ctx.single_criterion
        what = "kryterium dochodowe osoby samotnie gospodarującej"
    else:
        limit = ctx.per_person_criterion * household.size
        what = f"kryterium dochodowe rodziny ({pln(ctx.per_person_criterion)} × {household.size})"
    limit = ctx.m(limit)
    ctx.tb.add(f"Kwota maksymalna: {what}", pln(limit), "art. 41 pkt 1 u.p.s.")
    amount = _requested(ctx, "art. 41 pkt 1 u.p.s.")
    if amount is not None and amount > limit:
        ctx.tb.add(
            "Wnioskowana kwota ograniczona do kwoty maksymalnej",
            f"{pln(amount)} → {pln(limit)}",
            "art. 41 pkt 1 u.p.s.",
        )
        amount = limit
    return ctx.result(amount=amount, amount_max=limit)


def calculate_pogrzeb(
    case: Case, *, store: ParameterStore | None = None, policy: Policy = DEFAULT_POLICY
) -> BenefitResult:
    """Zasiłek celowy for funeral costs — regardless of income (art. 40 ust. 1a u.p.s., in
    force from 2026-01-01): to the person who bore the costs when no funeral grant is due
    after the deceased, or, when one is due, for extraordinary costs the grant cannot cover.
    Before the provision applies the parameter lookup fails (an error on the date)."""
    ctx = begin(case, store or default_store(), policy, "zasilek_celowy_pogrzeb", PURPOSE_CASH)
    params = ctx.use("zasilek_celowy_pogrzeb")
    basis = str(params["basis"])
    funeral = case.funeral
    if funeral is None:
        raise ValueError("zasiłek celowy na pogrzeb: brak danych „funeral” (costs)")
    ctx.tb.add(
        "Zasiłek celowy na pokrycie kosztów pogrzebu — niezależnie od dochodu; dochód ustalono "
        "tylko informacyjnie",
        "bez kryterium dochodowego",
        basis,
    )
    if funeral.zus_grant_due:
        extra = funeral.extraordinary_costs or _ZERO
        if extra <= 0:
            ctx.refuse(
                "Po zmarłym przysługuje zasiłek pogrzebowy, a nie wykazano kosztów "
                "nadzwyczajnych niemożliwych do pokrycia z tego zasiłku",
                basis,
            )
            return ctx.result(eligible=False, amount=_ZERO)
        limit = ctx.m(extra)
        ctx.tb.add(
            "Przysługuje zasiłek pogrzebowy — zasiłek celowy do wysokości kosztów "
            "nadzwyczajnych, których nie można pokryć z zasiłku pogrzebowego",
            pln(limit),
            basis,
        )
    else:
        limit = ctx.m(funeral.costs)
        ctx.tb.add(
            "Po zmarłym nie przysługuje zasiłek pogrzebowy — zasiłek celowy do wysokości "
            "udokumentowanych kosztów pogrzebu",
            pln(limit),
            basis,
        )
    if ctx.reasons:
        return ctx.result(eligible=False, amount=_ZERO)
    amount = case.requested_amount
    if amount is None:
        amount = limit
    elif amount > limit:
        ctx.tb.add(
            "Wnioskowana kwota ograniczona do udokumentowanych kosztów",
            f"{pln(amount)} → {pln(limit)}",
            basis,
        )
        amount = limit
    if params.get("repayment_note"):
        ctx.tb.add(str(params["repayment_note"]), "—", basis)
    return ctx.result(amount=ctx.m(amount), amount_max=limit)


def _requested(ctx: Context, basis: str) -> Decimal | None:
    requested = ctx.case.requested_amount
    if requested is None:
        ctx.tb.add(
            "Wysokość zasiłku ustala ośrodek (ustawa nie określa kwoty; zasady wewnętrzne MOPR: "
            "Zarządzenie nr 48/2021 Dyrektora MOPR) — nie podano kwoty wnioskowanej",
            "—",
            basis,
        )
        return None
    amount = ctx.m(requested)
    ctx.tb.add(
        "Kwota wnioskowana (wysokość ustala ośrodek; Zarządzenie nr 48/2021 Dyrektora MOPR)",
        pln(amount),
        basis,
    )
    return amount

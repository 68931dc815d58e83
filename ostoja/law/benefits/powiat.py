"""Powiat tasks as code: help for people leaving care institutions (pomoc dla osób
usamodzielnianych, art. 88 u.p.s.) and the monthly cash benefit of an individual integration
programme for refugees (świadczenie pieniężne w ramach indywidualnego programu integracji,
art. 91–93 u.p.s.). Pure: dates and figures in, an amount with its trace out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..money import HUNDRED, money, pct, pln
from ..store import ParameterStore, default_store
from ..trace import Step, TraceBuilder

__all__ = [
    "LEAVING_CARE_KINDS",
    "AmountResult",
    "integration_benefit",
    "leaving_care_amount",
]

INDEPENDENCE = "usamodzielnienie"
EDUCATION = "kontynuowanie_nauki"
FURNISHING = "zagospodarowanie"
LEAVING_CARE_KINDS: dict[str, str] = {
    INDEPENDENCE: "Pomoc pieniężna na usamodzielnienie",
    EDUCATION: "Pomoc pieniężna na kontynuowanie nauki (miesięcznie)",
    FURNISHING: "Pomoc na zagospodarowanie (w formie rzeczowej, do wartości)",
}
_ART_88 = "art. 88 u.p.s."
_ART_92 = "art. 92 u.p.s. i § 5 rozporządzenia w sprawie udzielania pomocy cudzoziemcom"


@dataclass(frozen=True, slots=True)
class AmountResult:
    """An amount (or a refusal with ``reasons``) with the steps that led to it."""

    eligible: bool
    amount: Decimal
    trace: tuple[Step, ...]
    reasons: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = ()


def _warn(tb: TraceBuilder, record: object, unconfirmed: list[str]) -> None:
    if not getattr(record, "confirmed", True):
        name = getattr(record, "name", "")
        tb.add(f"⚠ Parametr niepotwierdzony: {name}", getattr(record, "note", ""), "—")
        unconfirmed.append(name)


def leaving_care_amount(
    *,
    kind: str,
    on: date,
    stay_months: int,
    age: int,
    store: ParameterStore | None = None,
) -> AmountResult:
    """Amount of one form of help for a person leaving a care institution (art. 88 u.p.s.).

    ``kind``: ``usamodzielnienie`` (one-off, % of the base by length of stay),
    ``kontynuowanie_nauki`` (monthly, 30 % of the base, until 25), ``zagospodarowanie`` (in kind,
    up to 300 % of the base). Help in cash needs a stay of at least a year (art. 88 ust. 2).
    """
    if kind not in LEAVING_CARE_KINDS:
        raise ValueError(f"Nieznany rodzaj pomocy: {kind}")
    s = store or default_store()
    base_rec = s.get("usamodzielnienie_podstawa", on)
    rates = s.get("usamodzielnienie_stawki", on)
    tb = TraceBuilder()
    unconfirmed: list[str] = []
    _warn(tb, base_rec, unconfirmed)
    _warn(tb, rates, unconfirmed)
    base: Decimal = base_rec["amount"]
    tb.add("Kwota podstawy pomocy dla osób usamodzielnianych", pln(base), base_rec.source)
    reasons: list[str] = []
    if kind in (INDEPENDENCE, EDUCATION) and stay_months < rates["min_stay_months"]:
        reasons.append(
            f"Pobyt w placówce krótszy niż {rates['min_stay_months']} miesięcy — pomoc pieniężna "
            f"nie przysługuje ({_ART_88})."
        )
    if kind == EDUCATION and age >= rates["education_max_age"]:
        reasons.append(
            f"Pomoc na kontynuowanie nauki przysługuje do ukończenia "
            f"{rates['education_max_age']}. roku życia ({_ART_88})."
        )
    if reasons:
        for r in reasons:
            tb.add("Warunek niespełniony", r, _ART_88)
        return AmountResult(False, Decimal("0.00"), tb.build(), tuple(reasons), tuple(unconfirmed))
    if kind == EDUCATION:
        percent = rates["education_percent"]
        what = "Pomoc na kontynuowanie nauki: % podstawy miesięcznie"
    elif kind == FURNISHING:
        percent = rates["furnishing_percent"]
        what = "Pomoc na zagospodarowanie: do % podstawy"
    else:
        percent = Decimal("0")
        for band in rates["independence_bands"]:
            if stay_months >= band["from_months"]:
                percent = band["percent"]
        what = f"Pomoc na usamodzielnienie: pobyt {stay_months} mies. → % podstawy"
    amount = money(base * percent / HUNDRED)
    tb.add(what, f"{pln(base)} × {pct(percent)} = {pln(amount)}", f"{_ART_88}; {rates.source}")
    return AmountResult(True, amount, tb.build(), (), tuple(unconfirmed))


def integration_benefit(
    *,
    on: date,
    family_size: int,
    programme_month: int,
    store: ParameterStore | None = None,
) -> AmountResult:
    """Maximum monthly cash benefit per person in an individual integration programme
    (art. 92 u.p.s.; § 5 of the regulation on help for foreigners): months 1–6 the single-person
    amount or 70/60/50 % of it per person in a family of 2/3/4+, months 7–12 90 % of that."""
    if family_size < 1:
        raise ValueError("Liczba osób w rodzinie musi być dodatnia.")
    s = store or default_store()
    rec = s.get("integracja_cudzoziemcow", on)
    tb = TraceBuilder()
    unconfirmed: list[str] = []
    _warn(tb, rec, unconfirmed)
    months = rec["programme_months"]
    if not 1 <= programme_month <= months:
        reason = f"Program integracji trwa najwyżej {months} miesięcy (art. 93 u.p.s.)."
        tb.add("Miesiąc poza programem", reason, "art. 93 u.p.s.")
        return AmountResult(False, Decimal("0.00"), tb.build(), (reason,), tuple(unconfirmed))
    single: Decimal = rec["single_amount"]
    tb.add("Kwota dla osoby samotnie gospodarującej (miesiące 1–6)", pln(single), rec.source)
    if family_size == 1:
        per_person = single
    else:
        key = {2: "family_2_percent", 3: "family_3_percent"}.get(family_size, "family_4_percent")
        share = rec[key]
        per_person = single * share / HUNDRED
        tb.add(
            f"Rodzina {family_size}-osobowa: na osobę",
            f"{pln(single)} × {pct(share)} = {pln(per_person)}",
            _ART_92,
        )
    if programme_month > 6:
        second = rec["second_half_percent"]
        before = per_person
        per_person = per_person * second / HUNDRED
        tb.add(
            f"Miesiąc {programme_month} programu (7–12): {pct(second)}",
            f"{pln(before)} × {pct(second)} = {pln(per_person)}",
            _ART_92,
        )
    amount = money(per_person)
    tb.add("Świadczenie na osobę miesięcznie (górna granica)", pln(amount), _ART_92)
    return AmountResult(True, amount, tb.build(), (), tuple(unconfirmed))

"""Benchmark (not a test): zasiłek okresowy (art. 38 u.p.s.) for synthetic households.

Run:  python bench/bench_law.py [N] [SEED]
Prints households per second on one core. ``calc_throughput`` is importable by other
benchmark scripts. Households are generated deterministically from the seed (outside the timed
part); the timed part is the full calculation — criterion lookup, art. 5 test, income under
art. 8 with its exclusions, the statutory range and the trace.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ostoja.law.benefits import zasilek_okresowy
from ostoja.law.household import Case, Household, IncomeItem, Member
from ostoja.law.store import default_store

_AMOUNT_KINDS = (
    "emerytura",
    "renta",
    "zasilek_dla_bezrobotnych",
    "alimenty",
    "zasilek_rodzinny",
    "zasilek_pielegnacyjny",
    "dodatek_mieszkaniowy",
    "swiadczenie_wychowawcze",
    "inne",
)
_START = date(2018, 10, 1)
_DAYS = (date(2026, 12, 31) - _START).days


def _money(rng: random.Random, high: int) -> Decimal:
    return Decimal(rng.randint(0, high * 100)).scaleb(-2)


def _item(rng: random.Random) -> IncomeItem:
    roll = rng.random()
    if roll < 0.2:
        gross = _money(rng, 6000)
        return IncomeItem(
            "wynagrodzenie",
            gross=gross,
            tax=(gross * Decimal("0.05")).quantize(Decimal("0.01")),
            social=(gross * Decimal("0.1371")).quantize(Decimal("0.01")),
            health=(gross * Decimal("0.0776")).quantize(Decimal("0.01")),
        )
    if roll < 0.25:
        return IncomeItem("gospodarstwo_rolne", hectares=Decimal(rng.randint(0, 80000)).scaleb(-4))
    if roll < 0.28:
        return IncomeItem(
            "dzialalnosc_ogolna",
            revenue=_money(rng, 9000),
            costs=_money(rng, 6000),
            social=_money(rng, 500),
            health=_money(rng, 400),
        )
    if roll < 0.30:
        return IncomeItem("alimenty_placone", amount=_money(rng, 800))
    return IncomeItem(rng.choice(_AMOUNT_KINDS), amount=_money(rng, 1500))


def synthetic_cases(n: int, seed: int = 1) -> list[Case]:
    """``n`` deterministic synthetic applications (1–6 persons, 0–3 income items each)."""
    rng = random.Random(seed)
    cases = []
    for _ in range(n):
        size = rng.choices((1, 2, 3, 4, 5, 6), weights=(40, 20, 15, 12, 8, 5))[0]
        members = tuple(
            Member(
                id=str(i + 1),
                role="wnioskodawca" if i == 0 else "inny",
                incomes=tuple(_item(rng) for _ in range(rng.choice((0, 0, 1, 1, 2, 3)))),
            )
            for i in range(size)
        )
        on = _START + timedelta(days=rng.randint(0, _DAYS))
        cases.append(Case(household=Household(members), application_date=on))
    return cases


def calc_throughput(n: int = 100_000, seed: int = 1) -> float:
    """Households per CPU-second for zasiłek okresowy on one core (parameters parsed once;
    process CPU time, so other load on the machine does not distort the figure)."""
    cases = synthetic_cases(n, seed)
    store = default_store()
    calculate = zasilek_okresowy.calculate
    calculate(cases[0], store=store)  # warm the parameter caches
    start = time.process_time()
    for c in cases:
        calculate(c, store=store)
    elapsed = time.process_time() - start
    return n / elapsed


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 100_000
    seed = int(argv[2]) if len(argv) > 2 else 1
    rate = calc_throughput(n, seed)
    cases = synthetic_cases(min(n, 1000), seed)
    eligible = sum(zasilek_okresowy.calculate(c).eligible for c in cases)
    print(f"zasiłek okresowy: {n} households, {rate:,.0f} households/s (one core)")
    print(f"sample: {eligible}/{len(cases)} eligible")


if __name__ == "__main__":
    main(sys.argv)

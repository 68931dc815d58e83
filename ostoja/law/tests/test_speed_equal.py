"""Issue 19: the calculators' common first steps (``begin``) come from plans memoised per
combination of dates and per combination of residence title, refusal grounds and household
size. Old (step by step, ``begin_uncached``) and new must give the same trace, reasons,
parameters and income for every case — including two cases on one day that differ only in
the title or a refusal ground, titles valid for a period (art. 5 u.p.s.; the Ukrainian
special act ending on 5 March 2026), a decision date under both criterion-date policies
(art. 8 ust. 1 u.p.s.), income lost (art. 8 ust. 3), 29 February and year ends."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from ostoja.law.benefits import posilek, zasilek_okresowy
from ostoja.law.benefits.common import begin, begin_uncached
from ostoja.law.household import Case, Household, IncomeItem, Member
from ostoja.law.income import PURPOSE_CASH, PURPOSE_DPS, PURPOSE_NONCASH
from ostoja.law.periods import YearMonth
from ostoja.law.policy import DEFAULT_POLICY
from ostoja.law.store import ParameterStore

TITLES = (
    "obywatel_pl",
    "obywatel_ue",
    "pobyt_humanitarny",
    "brak_tytulu",
    "ukr_specustawa",
    "ochrona_czasowa",
    "pobyt_czasowy_art_186",
)
KINDS = ("emerytura", "renta", "zasilek_rodzinny", "swiadczenie_wychowawcze", "alimenty", "inne")
AWKWARD = (
    date(2024, 2, 29),
    date(2026, 3, 4),
    date(2026, 3, 5),
    date(2025, 12, 31),
    date(2026, 1, 1),
    date(2028, 2, 29),
)
POLICIES = (DEFAULT_POLICY, dataclasses.replace(DEFAULT_POLICY, criterion_date="application"))


def _cases(n: int, seed: int) -> list[Case]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        size = rng.choice((1, 1, 2, 3, 5))
        members = tuple(
            Member(
                id=str(m + 1),
                role="wnioskodawca" if m == 0 else "inny",
                incomes=tuple(
                    IncomeItem(rng.choice(KINDS), amount=Decimal(rng.randint(0, 200000)) / 100)
                    for _ in range(rng.choice((0, 1, 2)))
                ),
            )
            for m in range(size)
        )
        on = (
            rng.choice(AWKWARD)
            if i % 3 == 0
            else date(2019, 1, 1) + timedelta(days=rng.randint(0, 3300))
        )
        out.append(
            Case(
                household=Household(members),
                application_date=on,
                decision_date=on + timedelta(days=rng.randint(0, 90))
                if rng.random() < 0.3
                else None,
                residence_title=rng.choice(TITLES) if rng.random() < 0.4 else "obywatel_pl",
                interview_refused=rng.random() < 0.1,
                non_cooperation=rng.random() < 0.1,
                asset_disproportion=rng.random() < 0.05,
                income_lost=rng.random() < 0.1,
                income_month=YearMonth.of(on).shift(-2) if rng.random() < 0.05 else None,
            )
        )
    return out


def _state(ctx):
    return (
        ctx.on,
        ctx.criterion,
        [s.as_dict() for s in ctx.tb.build()],
        ctx.reasons,
        ctx._noted,
        ctx.income,
    )


@pytest.mark.parametrize("benefit, purpose", [
    ("zasilek_okresowy", PURPOSE_CASH),
    ("posilek", PURPOSE_NONCASH),
    ("oplata_dps", PURPOSE_DPS),
])  # fmt: skip
def test_begin_from_plans_equals_begin_step_by_step(benefit: str, purpose: str) -> None:
    store = ParameterStore.packaged()  # a fresh store: its plans are built by this test
    for i, case in enumerate(_cases(1500, seed=19)):
        policy = POLICIES[i % 2]
        # twice: the first call builds the plans, the second reads them
        for _ in range(2):
            new = begin(case, store, policy, benefit, purpose)
            old = begin_uncached(case, store, policy, benefit, purpose)
            assert _state(new) == _state(old), (i, case)


def test_same_day_different_person_does_not_share_a_plan() -> None:
    store = ParameterStore.packaged()
    on = date(2026, 3, 4)  # the last day of the Ukrainian special act's title (art. 5 u.p.s.)
    household = Household((Member("1", incomes=(IncomeItem("renta", amount=Decimal("500")),)),))
    base = Case(household=household, application_date=on)
    pl = zasilek_okresowy.calculate(base, store=store)
    ukr = zasilek_okresowy.calculate(
        dataclasses.replace(base, residence_title="pobyt_humanitarny"), store=store
    )
    refused = zasilek_okresowy.calculate(
        dataclasses.replace(base, interview_refused=True), store=store
    )
    assert pl.eligible and not ukr.eligible and not refused.eligible
    assert any("art. 107 ust. 4a" in r.basis for r in refused.reasons)
    assert not any("art. 107 ust. 4a" in r.basis for r in ukr.reasons)
    # the next day the special act's title no longer counts; on its last day it did
    ua_last = dataclasses.replace(base, residence_title="ukr_specustawa")
    ua_after = dataclasses.replace(ua_last, application_date=date(2026, 3, 5))
    assert zasilek_okresowy.calculate(ua_last, store=store).eligible
    assert not zasilek_okresowy.calculate(ua_after, store=store).eligible
    # a meal (posiłek) on the same day for the humanitarian title is within art. 5 pkt 3
    assert not any(
        "art. 5" in r.basis
        for r in posilek.calculate(
            dataclasses.replace(base, residence_title="pobyt_humanitarny"), store=store
        ).reasons
    )


def test_every_result_still_carries_its_trace_with_figures_and_articles() -> None:
    store = ParameterStore.packaged()
    case = _cases(1, seed=5)[0]
    case = dataclasses.replace(case, residence_title="obywatel_pl", interview_refused=False,
                               non_cooperation=False, asset_disproportion=False)  # fmt: skip
    for _ in range(2):  # cold and memoised plans
        result = zasilek_okresowy.calculate(case, store=store)
        steps = result.trace
        assert steps[0].step.startswith("Kryterium dochodowe")
        assert "zł" in steps[0].value and "art. 8 ust. 1" in steps[0].basis
        assert any(s.basis == "art. 5 u.p.s." for s in steps)
        assert any(s.step.startswith("Miesiąc dochodu") for s in steps)
        assert all(s.basis for s in steps)

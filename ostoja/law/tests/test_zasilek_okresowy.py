"""Zasiłek okresowy — art. 38 u.p.s. (law.md §3.2)."""

from datetime import date

from ostoja.law.benefits import zasilek_okresowy
from ostoja.law.household import Household
from ostoja.law.policy import Policy

from .helpers import D, case, family, single


def calc(hh: Household, on: date = date(2025, 11, 5), policy: Policy | None = None, **kw):
    if policy is None:
        return zasilek_okresowy.calculate(case(hh, on, **kw))
    return zasilek_okresowy.calculate(case(hh, on, **kw), policy=policy)


def test_single_range_50_percent_to_difference_art_38_ust_2_pkt_1_and_ust_3():
    r = calc(single("500"))
    assert r.eligible
    assert (r.amount_min, r.amount_max) == (D("255.00"), D("510.00"))
    assert r.amount == r.monthly_amount == D("255.00")  # default = guaranteed minimum


def test_single_maximum_capped_at_per_person_criterion_art_38_ust_2_pkt_1():
    r = calc(single("0"))
    assert r.amount_max == D("823.00")
    assert r.amount_min == D("505.00")


def test_family_range_art_38_ust_2_pkt_2():
    r = calc(family("1500", "0", "0"))
    assert r.income.total == D("1500")
    assert (r.amount_min, r.amount_max) == (D("484.50"), D("969.00"))


def test_half_of_difference_rounded_half_up():
    r = calc(single("1000.01"))  # gap 9.99 → floor 20 applies
    assert r.amount_min == D("20.00")
    r = calc(single("990.01"))  # gap 19.99, half 9.995 → 10.00 → floor 20
    assert r.amount_min == D("20.00")
    r = calc(single("960.01"))  # gap 49.99 → 24.995 → 25.00 (half-up)
    assert r.amount_min == D("25.00")


def test_20_zl_floor_wins_over_smaller_gap_by_default_art_38_ust_4():
    r = calc(single("1000.00"))  # gap 10
    assert (r.amount_min, r.amount_max) == (D("20.00"), D("20.00"))
    r = calc(single("1000.00"), policy=Policy(okresowy_floor_over_gap=False))
    assert (r.amount_min, r.amount_max) == (D("10.00"), D("10.00"))


def test_income_must_be_lower_than_criterion_art_38_ust_1():
    r = calc(single("1010.00"))
    assert not r.eligible
    assert r.amount == D("0.00")
    assert any("art. 38 ust. 1 pkt 1" in x.basis for x in r.reasons)
    r = calc(family("1646", "0"))  # 823 × 2 = 1646 → not lower
    assert not r.eligible


def test_default_amount_policy_maximum():
    r = calc(single("500"), policy=Policy(okresowy_default="maximum"))
    assert r.amount == D("510.00")


def test_rules_2022_criteria():
    r = calc(single("0"), on=date(2023, 5, 10))
    # Issue 22: before 2024 the cap was the fixed 418 zł of art. 38 ust. 2 pkt 1 (it was
    # 600.00 = the per-person criterion before the parameter history was re-read).
    assert r.amount_max == D("418.00")
    assert r.amount_min == D("388.00")
    r = calc(single("0"), on=date(2024, 5, 10))
    assert r.amount_max == D("600.00")  # from 2024: the per-person criterion
    r = calc(family("600", "0"), on=date(2019, 5, 10))
    assert r.amount_max == D("456.00")  # 528 × 2 − 600


def test_part_month_art_106_ust_3():
    r = calc(single("500"), entitlement_from=date(2025, 11, 16))
    assert r.monthly_amount == D("255.00")
    assert r.amount == D("127.50")  # 255 × 15 / 30

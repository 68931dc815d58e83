"""Zasiłek stały — art. 37 u.p.s. (worked cases of law.md §3.1 and §4.2)."""

from datetime import date

import pytest

from ostoja.law.benefits import zasilek_staly
from ostoja.law.household import Household
from ostoja.law.policy import Policy

from .helpers import D, case, item, person, single


def calc(hh: Household, on: date = date(2025, 11, 5), **kw):
    return zasilek_staly.calculate(case(hh, on, **kw))


def test_single_130_percent_minus_income_art_37_ust_2_pkt_1():
    """1 313.00 − 900 = 413.00 (2025)."""
    r = calc(single("900"))
    assert r.eligible
    assert r.monthly_amount == D("413.00")
    assert r.amount == D("413.00")
    assert r.income.criterion == D("1010.00")


def test_single_cap_1229_art_37_ust_2_pkt_1():
    r = calc(single("0"))
    assert r.monthly_amount == D("1229.00")
    assert any("maksymalnej" in s.step for s in r.trace)


def test_single_cliff_strict_lower_than_criterion_art_37_ust_1_pkt_1():
    """law.md: income 1 009.99 → 303.01 zł; income 1 010.00 → nothing (strict <)."""
    assert calc(single("1009.99")).monthly_amount == D("303.01")
    r = calc(single("1010.00"))
    assert not r.eligible
    assert r.amount == D("0.00")
    assert any("art. 37 ust. 1 pkt 1" in str(x) for x in r.reasons)


def test_person_in_family_130_percent_of_per_person_criterion_art_37_ust_2_pkt_2():
    """law.md worked example: 1 069.90 − 700 = 369.90 (per-person income 700)."""
    hh = Household(
        (
            person("A", item("emerytura", "700"), role="wnioskodawca"),
            person("B", item("renta", "700"), role="malzonek", sex="M", birth=date(1990, 1, 1)),
        )
    )
    r = calc(hh)
    assert r.eligible
    assert r.monthly_amount == D("369.90")
    assert r.income.per_person == D("700")
    assert r.income.criterion == D("823.00")


def test_family_requires_own_and_per_person_income_below_criterion_art_37_ust_1_pkt_2():
    hh = Household(
        (
            person("A", item("emerytura", "830"), role="wnioskodawca"),
            person("B", role="dziecko", birth=date(2015, 1, 1)),
        )
    )
    r = calc(hh)  # per person 415 < 823, but own 830 ≥ 823
    assert not r.eligible
    assert any("Dochód własny" in x.text for x in r.reasons)
    hh = Household(
        (
            person("A", item("emerytura", "500"), role="wnioskodawca"),
            person("B", item("wynagrodzenie", "1200"), role="malzonek", birth=date(1980, 1, 1)),
        )
    )
    r = calc(hh)  # own 500 < 823, per person 850 ≥ 823
    assert not r.eligible
    assert any("na osobę" in x.text for x in r.reasons)


def test_rules_before_2024_100_percent_base_cap_719_floor_30():
    """Art. 37 ust. 2–3 before the 2023 amendment (Dz.U. 2023 poz. 1693): 100 % of the
    criterion, cap 719 zł (2022–2023), floor 30 zł."""
    on = date(2023, 6, 1)
    assert calc(single("700"), on).monthly_amount == D("76.00")
    assert calc(single("0"), on).monthly_amount == D("719.00")
    assert calc(single("760"), on).monthly_amount == D("30.00")  # 16 → floor 30
    assert calc(single("0"), date(2024, 6, 1)).monthly_amount == D("1000.00")
    assert calc(single("600"), date(2024, 6, 1)).monthly_amount == D("408.80")  # 1008.80 − 600


def test_floor_100_art_37_ust_3_family():
    hh = Household(
        (
            person("A", item("emerytura", "1000"), role="wnioskodawca"),
            person("B", item("renta", "600"), role="malzonek", birth=date(1950, 1, 1)),
        )
    )
    r = calc(hh)  # own 1000 ≥ 823 → ineligible
    assert not r.eligible
    hh = Household(
        (
            person("A", item("emerytura", "810"), role="wnioskodawca"),
            person("B", item("renta", "820"), role="malzonek", birth=date(1950, 1, 1)),
        )
    )
    r = calc(hh)  # per person 815 → 1069.90 − 815 = 254.90
    assert r.monthly_amount == D("254.90")


def test_age_60_women_65_men_or_total_incapacity_art_37_ust_1():
    on = date(2025, 11, 5)
    woman_59 = single("500", birth=date(1966, 6, 1), sex="K")
    assert not calc(woman_59, on).eligible
    woman_60 = single("500", birth=date(1965, 11, 5), sex="K")
    assert calc(woman_60, on).eligible
    man_64 = single("500", birth=date(1961, 1, 1), sex="M")
    assert not calc(man_64, on).eligible
    man_64_severe = single("500", birth=date(1961, 1, 1), sex="M", disability="znaczny")
    assert calc(man_64_severe, on).eligible
    man_64_moderate = single("500", birth=date(1961, 1, 1), sex="M", disability="umiarkowany")
    assert calc(man_64_moderate, on).eligible
    man_64_light = single("500", birth=date(1961, 1, 1), sex="M", disability="lekki")
    assert not calc(man_64_light, on).eligible
    young_incapable = single("500", birth=date(1990, 1, 1), sex="M", total_incapacity=True)
    assert calc(young_incapable, on).eligible


def test_minor_is_not_eligible_art_37_ust_1():
    r = calc(single("0", birth=date(2010, 1, 1), total_incapacity=True))
    assert not r.eligible
    assert any("pełnoletni" in x.text for x in r.reasons)


@pytest.mark.parametrize("kind", ["renta_socjalna", "swiadczenie_pielegnacyjne"])
def test_excluded_when_entitled_to_renta_socjalna_or_similar_art_37_ust_5(kind):
    r = calc(single("300", kind=kind))
    assert not r.eligible
    assert any("art. 37 ust. 5" in x.basis for x in r.reasons)


def test_health_contribution_9_percent_when_not_insured_elsewhere():
    """law.md §4.2: 1 229 zł → 110.61 zł; 1 097.16 zł → 98.74 zł."""
    assert calc(single("0", insured=False)).health_contribution == D("110.61")
    assert calc(single("215.84", "alimenty", insured=False)).health_contribution == D("98.74")
    assert calc(single("215.84", "alimenty", insured=True)).health_contribution == D("0.00")


@pytest.mark.parametrize("kind", ["emerytura", "renta", "renta_rodzinna"])
def test_pensioner_is_insured_elsewhere_by_default_no_health_contribution(kind):
    """A pension or disability pension makes the person health-insured (art. 66 ust. 1, art. 72
    ust. 1 u.ś.o.z.), so the centre never pays the contribution for a zasiłek stały pensioner,
    even when "insured elsewhere" was left unticked — the issue's pensioner charged 64,17 zł."""
    r = calc(single("600", kind, insured=False))
    assert r.eligible and r.monthly_amount == D("713.00")
    assert r.health_contribution == D("0.00") and r.health_insured_elsewhere is True
    step = next(s for s in r.trace if s.step.startswith("Składka"))
    assert "emerytalno-rentowe" in step.step and "art. 72 ust. 1" in step.basis


def test_without_pension_and_without_other_insurance_contribution_is_due():
    r = calc(single("600", "alimenty", insured=False))
    assert r.health_contribution == D("64.17") and r.health_insured_elsewhere is False


def test_part_month_art_106_ust_3():
    """Monthly × days covered ÷ days in month; entitlement from 15 Nov: 16/30."""
    r = calc(single("900"), entitlement_from=date(2025, 11, 15))
    assert r.monthly_amount == D("413.00")
    assert r.amount == D("220.27")
    # Entitlement from the 1st, or earlier than the application month: full month.
    assert calc(single("900"), entitlement_from=date(2025, 11, 1)).amount == D("413.00")
    assert calc(single("900"), entitlement_from=date(2025, 10, 20)).amount == D("413.00")


def test_part_month_rounding_policy_daily_rate_first():
    """law.md §3.6 example: 776 / 31 = 25.03 × 22 = 550.66 when the daily rate is rounded first."""
    hh = single("0")
    on = date(2025, 1, 3)
    policy = Policy(part_month_method="daily_rate_first")
    r = zasilek_staly.calculate(case(hh, on, entitlement_from=date(2025, 1, 10)), policy=policy)
    assert r.amount == (D("1229") / 31).quantize(D("0.01")) * 22
    exact = zasilek_staly.calculate(case(hh, on, entitlement_from=date(2025, 1, 10)))
    assert exact.amount == (D("1229") * 22 / 31).quantize(D("0.01"))


def test_part_month_floor_policy():
    """The 100 zł floor applies to the monthly amount; pro-rating may go below it unless the
    policy guarantees the floor to the part-month amount."""
    hh = single("1009.99")  # monthly 303.01
    r = calc(hh, entitlement_from=date(2025, 11, 30))
    assert r.amount == D("10.10")
    r2 = zasilek_staly.calculate(
        case(hh, date(2025, 11, 5), entitlement_from=date(2025, 11, 30)),
        policy=Policy(floor_before_proration=False),
    )
    assert r2.amount == D("100.00")


def test_trace_has_legal_basis_on_every_step():
    r = calc(single("900"))
    assert r.trace
    for step in r.trace:
        assert step.step and step.value and step.basis
    assert any("art. 37 ust. 2 pkt 1" in s.basis for s in r.trace)
    assert any("art. 8 ust. 3" in s.basis for s in r.trace)


def test_part_month_amount_helper_art_106_ust_3():
    from ostoja.law.benefits.common import part_month_amount
    from ostoja.law.periods import YearMonth

    assert part_month_amount(D("413"), YearMonth(2025, 11), 16) == D("220.27")
    assert part_month_amount(D("413"), YearMonth(2025, 11), 30) == D("413.00")
    assert part_month_amount(D("413"), YearMonth(2025, 11), 0) == D("0.00")
    daily = Policy(part_month_method="daily_rate_first")
    assert part_month_amount(D("776"), YearMonth(2025, 1), 22, daily) == D("550.66")

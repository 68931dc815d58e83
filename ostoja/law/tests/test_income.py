"""Income under art. 8 ust. 3–13 u.p.s."""

from datetime import date

from ostoja.law.household import Household, IncomeItem
from ostoja.law.income import (
    PURPOSE_CASH,
    PURPOSE_DPS,
    PURPOSE_NONCASH,
    compute_income,
    income_month_for,
)
from ostoja.law.periods import YearMonth
from ostoja.law.policy import DEFAULT_POLICY, Policy
from ostoja.law.store import default_store

from .helpers import D, family, item, person

ON = date(2025, 11, 5)


def income(hh: Household, purpose: str = PURPOSE_CASH, policy: Policy = DEFAULT_POLICY, **kw):
    return compute_income(hh, on=ON, purpose=purpose, store=default_store(), policy=policy, **kw)


def test_income_month_is_month_before_application_art_8_ust_3():
    month, _ = income_month_for(date(2025, 11, 5), income_lost=False)
    assert month == YearMonth(2025, 10)
    month, _ = income_month_for(date(2025, 1, 2), income_lost=False)
    assert month == YearMonth(2024, 12)


def test_income_month_is_application_month_when_income_lost_art_8_ust_3():
    month, step = income_month_for(date(2025, 11, 5), income_lost=True)
    assert month == YearMonth(2025, 11)
    assert "utrata" in step.step


def test_explicit_income_month_differing_from_rule_is_used_and_flagged():
    month, step = income_month_for(date(2025, 11, 5), False, YearMonth(2025, 9))
    assert month == YearMonth(2025, 9)
    assert "różni się" in step.step


def test_wage_gross_minus_tax_and_contributions_art_8_ust_3_pkt_1_2():
    wage = IncomeItem(
        "wynagrodzenie", gross=D("2000.00"), tax=D("0"), social=D("274.20"), health=D("155.32")
    )
    r = income(Household((person("A", wage),)))
    assert r.total == D("1570.48")


def test_kup_on_employee_pay_is_a_policy_switch_art_8_ust_3_pkt_1():
    wage = IncomeItem(
        "wynagrodzenie",
        gross=D("2000"),
        tax=D("50"),
        social=D("274.20"),
        health=D("155.32"),
        kup=D("250"),
    )
    hh = Household((person("A", wage),))
    assert income(hh).total == D("1520.48")
    assert income(hh, policy=Policy(kup_on_employee_pay=True)).total == D("1270.48")


def test_exclusions_always_art_8_ust_4():
    """800+, zasiłek celowy, jednorazowe świadczenie and school aid are never income."""
    hh = Household(
        (
            person(
                "A",
                item("emerytura", "900"),
                item("swiadczenie_wychowawcze", "800"),
                item("zasilek_celowy", "300"),
                item("jednorazowe_swiadczenie", "500"),
                item("stypendium_socjalne", "200"),
            ),
        )
    )
    for purpose in (PURPOSE_CASH, PURPOSE_DPS, PURPOSE_NONCASH):
        assert income(hh, purpose).total == D("900")


def test_swiadczenie_uzupelniajace_excluded_for_cash_and_dps_but_counted_for_noncash_art_8_ust_4a():
    hh = Household((person("A", item("renta", "1000"), item("swiadczenie_uzupelniajace", "500")),))
    assert income(hh, PURPOSE_CASH).total == D("1000")
    assert income(hh, PURPOSE_DPS).total == D("1000")
    assert income(hh, PURPOSE_NONCASH).total == D("1500")


def test_counted_benefits():
    """Zasiłek pielęgnacyjny, dodatek mieszkaniowy, zasiłek stały and okresowy count (law.md §2.2)."""
    kinds = [
        "zasilek_pielegnacyjny",
        "dodatek_mieszkaniowy",
        "zasilek_staly",
        "zasilek_okresowy",
        "alimenty",
    ]
    hh = Household((person("A", *(item(k, "100") for k in kinds)),))
    assert income(hh).total == D("500")


def test_alimony_paid_is_deducted_art_8_ust_3_pkt_3():
    hh = Household((person("A", item("wynagrodzenie", "3000"), item("alimenty_placone", "600")),))
    assert income(hh).total == D("2400")


def test_farm_hectares_times_dated_amount_art_8_ust_9():
    hh = Household((person("A", IncomeItem("gospodarstwo_rolne", hectares=D("5.2000"))),))
    assert income(hh).total == D("2386.80")  # 5.2 × 459
    r = compute_income(
        hh, on=date(2024, 6, 1), purpose=PURPOSE_CASH, store=default_store(), policy=DEFAULT_POLICY
    )
    assert r.total == D("1794.00")  # 5.2 × 345


def test_farm_under_one_hectare_is_ignored_art_8_ust_4():
    hh = Household((person("A", IncomeItem("gospodarstwo_rolne", hectares=D("0.9999"))),))
    assert income(hh).total == D("0")
    hh = Household((person("A", IncomeItem("gospodarstwo_rolne", hectares=D("1.0000"))),))
    assert income(hh).total == D("459.00")


def test_farm_plots_of_one_holder_are_summed():
    plots = (
        IncomeItem("gospodarstwo_rolne", hectares=D("0.6")),
        IncomeItem("gospodarstwo_rolne", hectares=D("0.6")),
    )
    assert income(Household((person("A", *plots),))).total == D("550.80")


def test_business_general_rules_art_8_ust_5_pkt_1():
    biz = IncomeItem(
        "dzialalnosc_ogolna",
        revenue=D("5000"),
        costs=D("3600"),
        tax=D("0"),
        social=D("408.60"),
        health=D("314.96"),
    )
    assert income(Household((person("A", biz),))).total == D("676.44")


def test_business_flat_rate_declared_amount_art_8_ust_5_pkt_2():
    assert income(Household((person("A", item("dzialalnosc_ryczalt", "1200")),))).total == D("1200")


def test_business_loss_does_not_reduce_other_income_by_default():
    loss = IncomeItem("dzialalnosc_ogolna", revenue=D("1000"), costs=D("3000"))
    hh = Household((person("A", loss, item("emerytura", "900")),))
    assert income(hh).total == D("900")
    assert income(hh, policy=Policy(negative_income_to_zero=False)).total == D("-1100")


def test_per_person_income_exact_or_rounded_by_policy():
    hh = family("1000", "0", "0")
    assert income(hh).per_person == D("1000") / 3
    assert income(hh, policy=Policy(per_person_rounding="grosze")).per_person == D("333.33")


def test_household_income_items_count_for_the_family():
    hh = Household(
        family("1000", "0").members, household_incomes=(item("zasilek_rodzinny", "300"),)
    )
    r = income(hh)
    assert r.total == D("1300")
    assert r.own["A"] == D("1000")
    assert r.per_person == D("650")

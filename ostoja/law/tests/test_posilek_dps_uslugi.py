"""Posiłek (200 %), DPS fees (art. 61), care-service fees (art. 50; Kielce and national tables)."""

from datetime import date
from pathlib import Path

from ostoja.law.benefits import dps, posilek, uslugi
from ostoja.law.household import CareInput, DpsInput, DpsRelative, Household
from ostoja.law.policy import Policy
from ostoja.law.store import ParameterStore

from .helpers import D, case, family, item, person, single

ON = date(2025, 11, 5)


# --- posiłek ------------------------------------------------------------------------------
def test_meals_free_up_to_200_percent_single():
    """Programme „Posiłek w szkole i w domu” 2024–2028: ≤ 2 020 zł single."""
    r = posilek.calculate(case(single("2020.00")))
    assert r.eligible and r.free_of_charge
    r = posilek.calculate(case(single("2020.01")))
    assert not r.eligible and r.free_of_charge is False


def test_meals_family_per_person_1646():
    assert posilek.calculate(case(family("3292", "0"))).free_of_charge
    assert not posilek.calculate(case(family("3292.02", "0"))).free_of_charge


def test_meals_count_swiadczenie_uzupelniajace_art_8_ust_4a():
    hh = Household((person("A", item("renta", "1600"), item("swiadczenie_uzupelniajace", "500")),))
    assert not posilek.calculate(case(hh)).free_of_charge  # 2100 > 2020


def test_meals_2024_threshold_from_776():
    """2024: 200 % × 776 = 1 552 zł (law.md §4.10)."""
    assert posilek.calculate(case(single("1552"), date(2024, 5, 1))).free_of_charge
    assert not posilek.calculate(case(single("1552.01"), date(2024, 5, 1))).free_of_charge


# --- DPS ----------------------------------------------------------------------------------
def dps_case(resident_income: str, cost: str, *relatives: DpsRelative, **kw):
    hh = single(resident_income)
    return case(hh, dps=DpsInput(monthly_cost=D(cost), resident="A", relatives=relatives), **kw)


def test_dps_resident_70_percent_relative_above_300_percent_city_rest_art_61():
    r = dps.calculate(dps_case("900", "6800", DpsRelative("corka", 1, D("4500"))))
    assert r.fees is not None
    assert r.fees.resident == D("630.00")
    assert r.fees.relatives == (("corka", D("1470.00")),)  # 4500 − 3030
    assert r.fees.city == D("4700.00")


def test_dps_relative_below_300_percent_pays_nothing_art_61_ust_2_pkt_2():
    r = dps.calculate(dps_case("900", "6800", DpsRelative("syn", 1, D("3030"))))
    assert r.fees.relatives_total == D("0.00")
    assert r.fees.city == D("6170.00")


def test_dps_relative_in_family_keeps_300_percent_per_person():
    """Family of 3 with 9 000 zł: 9 000 − 3 × 2 469 = 1 593 zł capacity."""
    r = dps.calculate(dps_case("1000", "7000", DpsRelative("corka", 3, D("9000"))))
    assert r.fees.relatives == (("corka", D("1593.00")),)
    assert r.fees.resident == D("700.00")
    assert r.fees.city == D("4707.00")


def test_dps_resident_covers_full_cost_nobody_else_pays():
    r = dps.calculate(dps_case("12000", "6800", DpsRelative("corka", 1, D("20000"))))
    assert r.fees.resident == D("6800.00")
    assert r.fees.relatives_total == D("0.00")
    assert r.fees.city == D("0.00")


def test_dps_spouse_before_descendants_before_ascendants_art_61_ust_1_pkt_2():
    r = dps.calculate(
        dps_case(
            "1000",
            "4000",
            DpsRelative("matka", 1, D("10000")),
            DpsRelative("syn", 1, D("5000")),
            DpsRelative("malzonek", 1, D("4030")),
        )
    )
    # remaining 3300: spouse 1000, son 1970 (5000 − 3030), mother the rest 330
    assert r.fees.relatives == (
        ("matka", D("330.00")),
        ("syn", D("1970.00")),
        ("malzonek", D("1000.00")),
    )
    assert r.fees.city == D("0.00")


def test_dps_children_share_proportionally_by_default():
    rels = (DpsRelative("corka", 1, D("5030")), DpsRelative("syn", 1, D("4030")))  # caps 2000/1000
    r = dps.calculate(dps_case("1000", "2200", *rels))  # remaining 1500
    assert r.fees.relatives == (("corka", D("1000.00")), ("syn", D("500.00")))
    r2 = dps.calculate(
        dps_case("1000", "2200", *rels), policy=Policy(dps_split_within_group="in_order")
    )
    assert r2.fees.relatives == (("corka", D("1500.00")), ("syn", D("0.00")))


def test_dps_fees_always_sum_to_cost():
    r = dps.calculate(
        dps_case(
            "1234.57",
            "7311.11",
            DpsRelative("corka", 2, D("7777.77")),
            DpsRelative("syn", 1, D("5555.55")),
        )
    )
    f = r.fees
    assert f.resident + f.relatives_total + f.city == D("7311.11")


def test_dps_ignores_swiadczenie_uzupelniajace_art_8_ust_4a():
    hh = Household(
        (person("A", item("emerytura", "1000"), item("swiadczenie_uzupelniajace", "500")),)
    )
    r = dps.calculate(case(hh, dps=DpsInput(monthly_cost=D("6000"))))
    assert r.fees.resident == D("700.00")


# --- care services ------------------------------------------------------------------------
def care_case(hh: Household, price: str = "45.00", hours: str = "30", on: date = ON):
    return case(hh, on, care=CareInput(D(price), D(hours)))


def test_suo_mental_disorders_free_up_to_criterion():
    r = uslugi.calculate_suo_zaburzenia(care_case(single("1010")))
    assert r.free_of_charge and r.fee == D("0.00") and r.fee_rate == D("0.00")


def test_suo_mental_disorders_national_table_single():
    """Rozp. MPS 22.09.2005 § 4 ust. 3 (Dz.U. 2023 poz. 395): >100–220 % → 1.5 % (single)."""
    r = uslugi.calculate_suo_zaburzenia(care_case(single("1515")))  # 150 %
    assert r.fee_rate == D("1.5")
    assert r.fee == D("20.25")  # 45 × 1.5 % × 30
    r = uslugi.calculate_suo_zaburzenia(
        care_case(single("2222"))
    )  # exactly 220 % → upper bound inclusive
    assert r.fee_rate == D("1.5")
    r = uslugi.calculate_suo_zaburzenia(care_case(single("2222.01")))
    assert r.fee_rate == D("10")
    r = uslugi.calculate_suo_zaburzenia(care_case(single("7000")))  # > 600 %
    assert r.fee_rate == D("100")


def test_suo_family_column_against_single_criterion():
    """law.md ⚠: both columns refer to the single-person criterion (criterion_basis=single)."""
    r = uslugi.calculate_suo_zaburzenia(care_case(family("4646", "0")))  # 2323 pp = 230 % of 1010
    assert r.fee_rate == D("15")


def test_kielce_care_services_free_when_income_within_criterion():
    r = uslugi.calculate_kielce(care_case(family("1646", "0")))
    assert r.free_of_charge
    r = uslugi.calculate_kielce(care_case(single("1200")))
    assert r.free_of_charge is False
    assert r.fee is not None and r.fee > 0
    assert any("ZAŚLEPKA" in s.step for s in r.trace)  # unconfirmed table flagged


def test_kielce_table_replaced_by_data(tmp_path: Path):
    (tmp_path / "k.toml").write_text(
        """
[[kielce_uslugi_opiekuncze_tabela]]
valid_from = 2022-02-01
criterion_basis = "respective"
free_upto_percent = "100"
source = "Uchwała LVI/1111/2022 — załącznik (dane testowe)"
[[kielce_uslugi_opiekuncze_tabela.bands]]
above = "100"
upto = "200"
single = "12"
family = "14"
[[kielce_uslugi_opiekuncze_tabela.bands]]
above = "200"
single = "100"
family = "100"
""",
        encoding="utf-8",
    )
    store = ParameterStore.packaged(override_dir=tmp_path)
    r = uslugi.calculate_kielce(care_case(single("1200")), store=store)
    assert r.fee_rate == D("12")
    assert r.fee == D("162.00")  # 45 × 12 % × 30
    assert not any("ZAŚLEPKA" in s.step for s in r.trace)

"""Leaving-care help (art. 88 u.p.s.), the refugees' integration benefit (art. 92 u.p.s., § 5 of
the regulation on help for foreigners) and the monthly care-services settlement (art. 50)."""

from datetime import date
from decimal import Decimal as D

import pytest

from ostoja.law.benefits.powiat import integration_benefit, leaving_care_amount
from ostoja.law.benefits.uslugi_rozliczenie import care_month_settlement
from ostoja.law.store import default_store

ON = date(2026, 3, 1)


def test_art_88_continuing_education_is_30_percent_of_the_base():
    r = leaving_care_amount(kind="kontynuowanie_nauki", on=ON, stay_months=30, age=19)
    assert r.eligible and r.amount == D("619.80")  # 30 % × 2 066 zł (law.md §3.4)
    assert any("art. 88" in s.basis for s in r.trace)
    assert "usamodzielnienie_podstawa" in r.unconfirmed


def test_art_88_furnishing_up_to_300_percent_and_2022_base():
    assert leaving_care_amount(kind="zagospodarowanie", on=ON, stay_months=0, age=20).amount == D(
        "6198.00"
    )
    # 2022 base 1 837 zł: 551,10 zł and 5 511 zł (PCPR Kłodzko example)
    old = date(2022, 6, 1)
    assert leaving_care_amount(
        kind="kontynuowanie_nauki", on=old, stay_months=12, age=18
    ).amount == D("551.10")
    assert leaving_care_amount(kind="zagospodarowanie", on=old, stay_months=12, age=18).amount == D(
        "5511.00"
    )


@pytest.mark.parametrize(("months", "amount"), [(12, "2066.00"), (30, "4132.00"), (40, "6198.00")])
def test_art_88_independence_grant_by_length_of_stay(months, amount):
    r = leaving_care_amount(kind="usamodzielnienie", on=ON, stay_months=months, age=18)
    assert r.amount == D(amount)


def test_art_88_cash_help_needs_a_year_in_the_institution_and_education_ends_at_25():
    r = leaving_care_amount(kind="usamodzielnienie", on=ON, stay_months=11, age=18)
    assert not r.eligible and r.amount == 0 and "art. 88" in r.reasons[0]
    assert not leaving_care_amount(
        kind="kontynuowanie_nauki", on=ON, stay_months=24, age=25
    ).eligible


@pytest.mark.parametrize(
    ("size", "month", "amount"),
    [(1, 1, "1376.00"), (2, 3, "963.20"), (3, 6, "825.60"), (5, 1, "688.00"), (1, 7, "1238.40"),
     (2, 12, "866.88")],
)  # fmt: skip
def test_art_92_integration_benefit_per_person(size, month, amount):
    r = integration_benefit(on=ON, family_size=size, programme_month=month)
    assert r.eligible and r.amount == D(amount)
    assert any("art. 92" in s.basis for s in r.trace)


def test_art_92_amount_is_dated_1335_from_october_2015_and_1376_from_october_2018():
    """§ 3 ust. 1 pkt 1 lit. a of the regulation on help for foreigners as amended by Dz.U.
    2015 poz. 1463 (1 335 zł) and Dz.U. 2018 poz. 1854 (1 376 zł)."""
    assert integration_benefit(on=date(2016, 1, 4), family_size=1, programme_month=1).amount == (
        D("1335.00")
    )
    assert integration_benefit(on=date(2018, 10, 1), family_size=1, programme_month=1).amount == (
        D("1376.00")
    )


def test_art_93_programme_lasts_at_most_12_months():
    assert not integration_benefit(on=ON, family_size=1, programme_month=13).eligible


def test_art_50_month_settlement_caps_at_hours_ordered():
    s = care_month_settlement(
        hours_ordered=D("40"), hours_delivered=D("44"), hourly_price=D("32.50"), fee_rate=D("10")
    )
    assert s.billable_hours == 40 and s.excess_hours == 4
    assert s.provider_due == D("1300.00") and s.client_fee == D("130.00")
    free = care_month_settlement(
        hours_ordered=D("40"), hours_delivered=D("38"), hourly_price=D("32.50"), fee_rate=D("0")
    )
    assert free.client_fee == D("0.00") and free.provider_due == D("1235.00")


def test_care_rule_parameters_are_dated_and_cited():
    s = default_store()
    for name in ("kielce_uslugi_limity", "interwencja_kryzysowa_schronienie",
                 "posilek_bez_wywiadu_udzial", "integracja_cudzoziemcow"):  # fmt: skip
        rec = s.get(name, ON)
        assert rec.source and rec.valid_from <= ON


def test_art_50_ust_6_fee_rate_from_kielce_table_free_up_to_criterion():
    from ostoja.law.benefits.uslugi_rozliczenie import care_fee_rate

    free = care_fee_rate(
        table_name="kielce_uslugi_opiekuncze_tabela", income=D("1010.00"), single=True, on=ON
    )
    assert free.rate == 0 and free.unconfirmed
    paid = care_fee_rate(
        table_name="kielce_uslugi_opiekuncze_tabela", income=D("1300.00"), single=True, on=ON
    )
    assert paid.rate == D("10")  # (100, 150] % single — placeholder band, marked unconfirmed


def test_art_50_ust_7_suo_mental_table_uses_the_single_criterion_for_families():
    from ostoja.law.benefits.uslugi_rozliczenie import care_fee_rate

    r = care_fee_rate(table_name="suo_zaburzenia_tabela", income=D("1500.00"), single=False, on=ON)
    assert r.rate == D("3.5")  # 148.5 % of 1 010 zł → (100, 220] family column


def test_meal_programme_200_percent_threshold_mp_2023_poz_881():
    from ostoja.law.benefits.posilek_program import meal_threshold, school_report_share

    assert meal_threshold(on=ON, single=True).threshold == D("2020.00")
    assert meal_threshold(on=ON, single=False).threshold == D("1646.00")
    share = school_report_share(fed_previous_month=52, on=ON)
    assert share.allowed == 10 and not share.confirmed  # 20 % of 52, rounded down

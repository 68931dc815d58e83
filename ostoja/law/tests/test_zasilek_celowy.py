"""Zasiłek celowy (art. 39), zdarzenie losowe (art. 40), specjalny i zwrotny (art. 41)."""

from datetime import date

from ostoja.law.benefits import zasilek_celowy

from .helpers import D, case, family, single

ON = date(2025, 11, 5)


def test_celowy_income_not_exceeding_criterion_art_39_and_art_8_ust_1():
    """„Nie przekracza” — income equal to the criterion qualifies (≤)."""
    r = zasilek_celowy.calculate_celowy(case(single("1010.00"), requested_amount=D("400")))
    assert r.eligible
    assert r.amount == D("400.00")
    r = zasilek_celowy.calculate_celowy(case(single("1010.01")))
    assert not r.eligible
    assert any("art. 41" in x.text for x in r.reasons)


def test_celowy_family_per_person_art_8_ust_1_pkt_2():
    assert zasilek_celowy.calculate_celowy(case(family("1646", "0"))).eligible
    assert not zasilek_celowy.calculate_celowy(case(family("1646.02", "0"))).eligible


def test_celowy_without_requested_amount_has_no_amount():
    r = zasilek_celowy.calculate_celowy(case(single("500")))
    assert r.eligible and r.amount is None


def test_specjalny_requires_income_above_criterion_art_41_pkt_1():
    r = zasilek_celowy.calculate_specjalny(case(single("900"), requested_amount=D("300")))
    assert not r.eligible
    assert any("art. 39" in x.text for x in r.reasons)


def test_specjalny_limit_is_the_criterion_art_41_pkt_1():
    r = zasilek_celowy.calculate_specjalny(case(single("1500"), requested_amount=D("2500")))
    assert r.eligible
    assert r.amount_max == D("1010.00")
    assert r.amount == D("1010.00")
    r = zasilek_celowy.calculate_specjalny(
        case(family("3000", "0", "0"), requested_amount=D("700"))
    )
    assert r.amount_max == D("2469.00")
    assert r.amount == D("700.00")


def test_repayable_variant_has_no_statutory_maximum_art_41_pkt_2():
    r = zasilek_celowy.calculate_specjalny(
        case(single("1500"), requested_amount=D("2500"), repayable=True)
    )
    assert r.eligible
    assert r.amount == D("2500.00")
    assert r.amount_max is None
    assert any("art. 96 ust. 4" in s.basis for s in r.trace)


def test_random_event_regardless_of_income_art_40_ust_1():
    r = zasilek_celowy.calculate_zdarzenie_losowe(case(single("9000"), requested_amount=D("3000")))
    assert r.eligible
    assert r.amount == D("3000.00")
    assert any("art. 40" in s.basis for s in r.trace)

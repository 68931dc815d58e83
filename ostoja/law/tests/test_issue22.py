"""Issue 22 — the law core completed: each test names the article it checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ostoja.law.benefits import calculate
from ostoja.law.household import Household, IncomeItem
from ostoja.law.income import PURPOSE_CASH, compute_income
from ostoja.law.interface import RequestError, calculate_document
from ostoja.law.periods import YearMonth
from ostoja.law.policy import DEFAULT_POLICY, Policy
from ostoja.law.store import default_store

from .helpers import D, case, item, person
from .issue22_requests import BAD, RELATIVE_HOUSEHOLD, VALID, doc, one_off


def income_of(*items, on: date = date(2025, 11, 5), policy: Policy = DEFAULT_POLICY, **kw):
    hh = Household((person("A", *items),))
    return compute_income(
        hh, on=on, purpose=PURPOSE_CASH, store=default_store(), policy=policy, **kw
    )


def steps(result: dict) -> str:
    return "\n".join(f"{s['step']} | {s['value']} | {s['basis']}" for s in result["trace"])


# -- item 1: spread and back-dated income (art. 8 ust. 11, 12) ------------------------------


def test_one_off_above_five_times_criterion_spread_over_12_months_art_8_ust_11():
    r = calculate_document(doc("zasilek_okresowy", one_off("6000.00", "2025-08")))
    assert r["income"]["total"] == "500.00"  # 6000 > 5 × 1010 → 6000 ÷ 12
    assert r["amount_min"] == "255.00" and r["amount_max"] == "510.00"
    assert "art. 8 ust. 11 u.p.s." in steps(r)


def test_one_off_spread_window_is_12_months_from_the_month_paid_art_8_ust_11():
    inside = calculate_document(doc("zasilek_okresowy", one_off("6000.00", "2024-11")))
    outside = calculate_document(doc("zasilek_okresowy", one_off("6000.00", "2024-10")))
    assert inside["income"]["total"] == "500.00"  # 2024-11 … 2025-10
    assert outside["income"]["total"] == "0.00"  # 2024-10 … 2025-09


def test_one_off_not_above_five_times_counts_only_in_the_month_received_art_8_ust_3_and_11():
    same = calculate_document(doc("zasilek_okresowy", one_off("5050.00", "2025-10")))
    other = calculate_document(doc("zasilek_okresowy", one_off("5050.00", "2025-08")))
    assert same["income"]["total"] == "5050.00"  # exactly 5 × 1010 is not "above"
    assert other["income"]["total"] == "0.00"


def test_family_threshold_is_five_times_the_family_criterion_art_8_ust_11_pkt_2():
    request = doc("zasilek_okresowy", one_off("8230.00", "2025-08"))
    request["members"].append({"id": "B"})
    assert calculate_document(request)["income"]["total"] == "0.00"  # 5 × 1646 = 8230
    request["members"][0]["incomes"] = [one_off("8230.01", "2025-08")]
    assert calculate_document(request)["income"]["total"] == "685.83"


def test_income_for_a_past_period_counted_over_that_period_art_8_ust_12():
    item_ = {"kind": "renta", "amount": "1200.00", "period_from": "2025-07", "period_to": "2025-12"}
    r = calculate_document(doc("zasilek_okresowy", item_))
    assert r["income"]["total"] == "200.00"
    assert "art. 8 ust. 12 u.p.s." in steps(r)
    outside = {**item_, "period_from": "2025-01", "period_to": "2025-06"}
    assert calculate_document(doc("zasilek_okresowy", outside))["income"]["total"] == "0.00"


# -- item 2: income kinds from other statutes ------------------------------------------------

EXCLUDED = [
    ("trzynasta_emerytura", "Dz.U. 2020 poz. 321"),
    ("czternasta_emerytura", "26 maja 2023"),
    ("dodatek_oslonowy", "Dz.U. 2022 poz. 1"),
    ("dodatek_energetyczny", "Prawo energetyczne"),
    ("bon_energetyczny", "Dz.U. 2024 poz. 859"),
    ("rodzinny_kapital_opiekunczy", "Dz.U. 2021 poz. 2270"),
    ("aktywny_rodzic", "Dz.U. 2024 poz. 858"),
    ("dobry_start", "Dobry start"),
    ("prace_spolecznie_uzyteczne", "art. 8 ust. 4 u.p.s."),
    ("stypendium_socjalne", "art. 8 ust. 4 u.p.s."),
]


@pytest.mark.parametrize("kind, citation", EXCLUDED)
def test_benefit_excluded_from_income_with_its_citation_art_8_ust_4(kind, citation):
    r = income_of(item("emerytura", "500"), item(kind, "400"))
    assert r.total == D("500")
    step = next(s for s in r.trace if "nie wlicza się" in s.step)
    assert citation in step.basis


@pytest.mark.parametrize(
    "kind",
    [
        "stypendium_socjalne_student",
        "swiadczenie_wspierajace",
        "dodatek_samotne_wychowywanie_bezrobocie",
    ],
)
def test_counted_kinds_art_8_ust_3(kind):
    """A university student's stypendium socjalne is not school aid under the education
    system (art. 8 ust. 4 names only that), so it counts; so do the other two."""
    assert income_of(item(kind, "400")).total == D("400")


def test_kind_entered_before_its_act_is_flagged():
    r = income_of(item("bon_energetyczny", "300"), on=date(2024, 5, 5))
    assert any(s.step.startswith("⚠") and "2024-08-01" in s.step for s in r.trace)
    r = income_of(item("bon_energetyczny", "300"), on=date(2024, 9, 5))
    assert not any(s.step.startswith("⚠") for s in r.trace)


# -- item 3: alimony paid and the zero floor (art. 8 ust. 3 pkt 3) ---------------------------


def _alimony_family() -> Household:
    return Household(
        (
            person("A", item("wynagrodzenie", "2000")),
            person("B", item("alimenty_placone", "500"), role="malzonek"),
        )
    )


def test_alimony_paid_above_own_income_reduces_family_income_art_8_ust_3_pkt_3():
    r = compute_income(
        _alimony_family(), on=date(2025, 11, 5), purpose=PURPOSE_CASH,
        store=default_store(), policy=DEFAULT_POLICY,
    )  # fmt: skip
    assert r.total == D("1500") and r.own["B"] == D("0")
    assert any("nadwyżka" in s.step for s in r.trace)


def test_alimony_member_floor_policy_keeps_old_behaviour_art_8_ust_3_pkt_3():
    r = compute_income(
        _alimony_family(), on=date(2025, 11, 5), purpose=PURPOSE_CASH,
        store=default_store(), policy=Policy(alimony_paid_floor="member"),
    )  # fmt: skip
    assert r.total == D("2000")


def test_family_total_never_negative_art_8_ust_3():
    hh = Household((person("A", item("alimenty_placone", "500")), person("B", role="inny")))
    r = compute_income(
        hh, on=date(2025, 11, 5), purpose=PURPOSE_CASH, store=default_store(),
        policy=DEFAULT_POLICY,
    )  # fmt: skip
    assert r.total == D("0")


# -- item 4: zasiłek okresowy after work under a social contract ------------------------------


def test_okresowy_regardless_of_income_after_contract_work_art_38_and_art_108():
    r = calculate_document(VALID[4])
    assert r["eligible"] and r["amount"] == "400.00"
    assert "kontraktu socjalnego" in steps(r)


def test_okresowy_contract_period_over_ordinary_test_applies_art_38():
    request = doc("zasilek_okresowy", {"kind": "wynagrodzenie", "amount": "3000.00"},
                  contract_work_start="2025-08-01", contract_amount="400.00")  # fmt: skip
    r = calculate_document(request)
    assert not r["eligible"]


# -- item 5: funeral costs (art. 40 ust. 1a) --------------------------------------------------


def test_funeral_zasilek_celowy_regardless_of_income_art_40_ust_1a():
    r = calculate_document(VALID[6])
    assert r["eligible"] and r["amount"] == "8000.00" and r["amount_max"] == "8000.00"
    assert "art. 40 ust. 1a u.p.s." in steps(r)


def test_funeral_with_zus_grant_only_extraordinary_costs_art_40_ust_1a():
    base = doc("zasilek_celowy_pogrzeb", on="2026-02-10")
    r = calculate_document({**base, "funeral": {"costs": "9000", "zus_grant_due": True,
                                                "extraordinary_costs": "3000"}})  # fmt: skip
    assert r["eligible"] and r["amount"] == "3000.00"
    r = calculate_document({**base, "funeral": {"costs": "9000", "zus_grant_due": True,
                                                "extraordinary_costs": "0"}})  # fmt: skip
    assert not r["eligible"]


def test_funeral_benefit_not_before_2026_art_40_ust_1a():
    with pytest.raises(RequestError) as exc:
        calculate_document(doc("zasilek_celowy_pogrzeb", funeral={"costs": "100"}))
    assert exc.value.errors[0]["field"] == "application_date"


# -- item 6: criterion date --------------------------------------------------------------------


def test_decision_date_criteria_apply_and_trace_says_so_art_8_ust_1():
    r = calculate_document(VALID[5])  # applied 2024-12-10, decided 2025-01-08
    assert r["income"]["month"] == "2024-11"
    assert r["income"]["criterion"] == "1010.00" and r["amount_max"] == "823.00"
    text = steps(r)
    assert "data decyzji 2025-01-08" in text and "776,00 zł / 600,00 zł →" in text


def test_application_date_policy_art_8_ust_1():
    from ostoja.law.interface import parse_request

    benefit, c = parse_request(VALID[5])
    r = calculate(c, benefit, policy=Policy(criterion_date="application"))
    assert r.income.criterion == D("776") and r.amount_max == D("600.00")
    assert any("dzień złożenia wniosku" in s.step for s in r.trace)


# -- item 7: residence titles (art. 5, 5a, special act) ----------------------------------------


def test_trafficking_victim_limited_scope_art_5a():
    assert calculate_document(VALID[7])["eligible"]
    r = calculate_document(doc("zasilek_okresowy", residence_title="ofiara_handlu_ludzmi"))
    assert not r["eligible"] and "art. 5a u.p.s." in r["reasons"][0]


def test_ukrainian_special_act_full_until_5_march_2026_art_29_special_act():
    assert calculate_document(doc("zasilek_okresowy", residence_title="ukr_specustawa"))["eligible"]
    late = calculate_document(
        doc("zasilek_okresowy", on="2026-04-10", residence_title="ukr_specustawa")
    )
    assert not late["eligible"] and "Dz.U. 2026 poz. 203" in late["reasons"][0]


def test_temporary_protection_after_2026_flagged_unconfirmed():
    r = calculate_document(
        doc("zasilek_okresowy", on="2026-04-10", residence_title="ochrona_czasowa")
    )
    assert r["eligible"] and "⚠ Zakres pomocy" in steps(r)


def test_temporary_permit_art_186_full_scope_art_5_pkt_2():
    r = calculate_document(doc("zasilek_okresowy", residence_title="pobyt_czasowy_art_186"))
    assert r["eligible"] and "art. 186 ust. 1 pkt 3" in steps(r)


# -- item 8: DPS relatives (art. 61, 64–64b, 103 ust. 2) ----------------------------------------


def _dps(*relatives):
    return doc("oplata_dps", {"kind": "emerytura", "amount": "2000.00"},
               dps={"monthly_cost": "7000.00", "relatives": list(relatives)})  # fmt: skip


def test_relative_income_computed_from_own_household_art_61_ust_2_pkt_2_and_art_8():
    computed = calculate_document(_dps({"relation": "syn", "household": RELATIVE_HOUSEHOLD}))
    typed = calculate_document(
        _dps({"relation": "syn", "household_size": 2, "household_income": "7000.00"})
    )
    # 7000 − 2 × 300 % × 823 (4938) = 2062; resident 70 % × 2000 = 1400
    assert computed["fees"]["relatives"] == [{"relation": "syn", "amount": "2062.00"}]
    assert computed["fees"] == typed["fees"]
    assert "ustalony według art. 8" in steps(computed)


def test_minor_descendant_pays_nothing_art_61_ust_1_pkt_2():
    r = calculate_document(_dps({"relation": "wnuk", "household_size": 1,
                                 "household_income": "9000.00", "minor": True}))  # fmt: skip
    assert r["fees"]["relatives_total"] == "0.00" and r["fees"]["city"] == "5600.00"


def test_exemptions_full_and_partial_art_64_64a():
    full = calculate_document(_dps({"relation": "syn", "household_size": 1,
                                    "household_income": "9000.00",
                                    "exemption": {"basis": "art_64a"}}))  # fmt: skip
    assert full["fees"]["relatives_total"] == "0.00" and "art. 64a u.p.s." in steps(full)
    part = calculate_document(_dps({"relation": "syn", "household_size": 1,
                                    "household_income": "5000.00",
                                    "exemption": {"basis": "art_64", "amount": "500.00"}}))  # fmt: skip
    assert part["fees"]["relatives_total"] == "1470.00"  # 5000 − 3030 = 1970 − 500


def test_agreed_amount_taken_first_art_103_ust_2():
    r = calculate_document(_dps(
        {"relation": "syn", "household_size": 1, "household_income": "9000.00",
         "agreed_amount": "1000.00"},
        {"relation": "corka", "household_size": 1, "household_income": "9000.00"},
    ))  # fmt: skip
    assert r["fees"]["relatives"] == [
        {"relation": "syn", "amount": "1000.00"},
        {"relation": "corka", "amount": "4600.00"},
    ]


# -- item 9: farm land held by several members (art. 8 ust. 4 and 9) ---------------------------


def test_farm_hectares_of_the_family_summed_before_the_1_ha_test_art_8_ust_4_and_9():
    hh = Household(
        (
            person("A", item("gospodarstwo_rolne", hectares="0.6")),
            person("B", item("gospodarstwo_rolne", hectares="0.6"), role="malzonek"),
        )
    )
    on = date(2025, 11, 5)
    family = compute_income(hh, on=on, purpose=PURPOSE_CASH, store=default_store(),
                            policy=DEFAULT_POLICY)  # fmt: skip
    assert family.total == D("550.80")  # 1.2 × 459
    assert family.own["A"] + family.own["B"] == D("550.80")
    holder = compute_income(hh, on=on, purpose=PURPOSE_CASH, store=default_store(),
                            policy=Policy(farm_hectares_scope="holder"))  # fmt: skip
    assert holder.total == D("0")


# -- item 10: zasiłek stały exclusions (art. 37 ust. 5) ------------------------------------------


@pytest.mark.parametrize(
    "kind", ["swiadczenie_wspierajace", "dodatek_samotne_wychowywanie_bezrobocie"]
)
def test_benefit_excludes_zasilek_staly_art_37_ust_5(kind):
    hh = Household((person("A", item(kind, "100"), birth=date(1950, 1, 1)),))
    from ostoja.law.benefits import zasilek_staly

    r = zasilek_staly.calculate(case(hh))
    assert not r.eligible
    assert any("art. 37 ust. 5" in reason.basis for reason in r.reasons)


# -- the interface: each new field, valid and invalid ------------------------------------------


@pytest.mark.parametrize("request_", VALID, ids=lambda d: d["benefit"])
def test_new_inputs_are_accepted(request_):
    assert calculate_document(request_)["trace"]


@pytest.mark.parametrize("request_, field", BAD, ids=[f for _, f in BAD])
def test_bad_new_field_names_the_field(request_, field):
    with pytest.raises(RequestError) as exc:
        calculate_document(request_)
    assert field in {e["field"] for e in exc.value.errors}
    assert all(e["message"].startswith("Pole „") for e in exc.value.errors)


def test_parameter_meal_threshold_200_percent_from_2023():
    """Uchwała RM z 28.12.2022 r. (program 2019–2023): 150 % → 200 % from 2023-01-01."""
    store = default_store()
    assert store.get("posilek_prog", date(2022, 12, 31))["percent"] == Decimal("150")
    assert store.get("posilek_prog", date(2023, 1, 1))["percent"] == Decimal("200")
    r = calculate_document(doc("posilek", {"kind": "emerytura", "amount": "1552.00"},
                               on="2023-03-10"))  # fmt: skip
    assert r["free_of_charge"] is True  # 200 % × 776


def test_year_month_ordering_used_by_spread():
    assert YearMonth(2024, 12) < YearMonth(2025, 1)


@settings(max_examples=60, deadline=None)
@given(
    amount=st.decimals(min_value=Decimal("5050.01"), max_value=Decimal("900000"), places=2),
    received=st.integers(0, 11),
)
def test_spread_parts_add_up_to_the_one_off_income_art_8_ust_11(amount, received):
    """Invariant: the 12 monthly parts of a one-off income sum to the income (± rounding of
    each part to the grosz), and no month outside the 12 gets any part."""
    paid = YearMonth(2024, 1).shift(received)
    total = Decimal(0)
    for shift in range(-2, 15):
        month = paid.shift(shift)
        it = IncomeItem("inne", amount=amount, one_off=True, received=paid)
        part = income_of(it, income_month=month, on=month.shift(1).first_day).total
        if 0 <= shift < 12:
            total += part
        else:
            assert part == 0
    assert abs(total - amount) <= Decimal("0.06")

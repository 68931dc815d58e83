"""The calculation interface (issue 3 contract): request document → result document."""

import copy
import json
import re

import pytest

from ostoja.law.interface import (
    BENEFITS,
    DISABILITY_DEGREES,
    INCOME_KINDS,
    RESIDENCE_TITLES,
    ROLES,
    SEXES,
    RequestError,
    calculate_document,
)

REQUEST = {
    "benefit": "zasilek_staly",
    "application_date": "2025-11-05",
    "income_month": "2025-10",
    "income_lost": False,
    "entitlement_from": "2025-11-15",
    "residence_title": "obywatel_pl",
    "interview_refused": False,
    "members": [
        {
            "id": "A",
            "role": "wnioskodawca",
            "birth_date": "1955-04-02",
            "sex": "K",
            "disability": None,
            "total_incapacity": False,
            "insured_elsewhere": True,
            "incomes": [
                {"kind": "emerytura", "amount": "900.00"},
                {
                    "kind": "wynagrodzenie",
                    "gross": "2000.00",
                    "tax": "0.00",
                    "social": "274.20",
                    "health": "155.32",
                },
                {
                    "kind": "dzialalnosc_ogolna",
                    "revenue": "5000.00",
                    "costs": "3600.00",
                    "tax": "0.00",
                    "social": "408.60",
                    "health": "314.96",
                },
                {"kind": "gospodarstwo_rolne", "hectares": "5.2000"},
            ],
        }
    ],
    "household_incomes": [{"kind": "zasilek_rodzinny", "amount": "300.00"}],
    "requested_amount": "2500.00",
    "dps": {
        "monthly_cost": "6800.00",
        "resident": "A",
        "relatives": [{"relation": "corka", "household_size": 1, "household_income": "4500.00"}],
    },
    "care": {"hourly_price": "45.00", "hours": 30},
}

RESULT_KEYS = {
    "benefit",
    "eligible",
    "amount",
    "monthly_amount",
    "amount_min",
    "amount_max",
    "health_contribution",
    "health_insured_elsewhere",
    "other_benefits",
    "free_of_charge",
    "fee",
    "fee_rate",
    "fees",
    "income",
    "reasons",
    "trace",
    "parameters",
}
MONEY = re.compile(r"^-?\d+\.\d{2}$")


def minimal(benefit: str, income: str = "600.00", **extra):
    doc = {
        "benefit": benefit,
        "application_date": "2025-11-05",
        "members": [
            {
                "id": "A",
                "birth_date": "1950-01-01",
                "sex": "K",
                "incomes": [{"kind": "emerytura", "amount": income}],
            }
        ],
    }
    doc.update(extra)
    return doc


def check_shape(result: dict) -> None:
    assert set(result) == RESULT_KEYS
    for key in (
        "amount",
        "monthly_amount",
        "amount_min",
        "amount_max",
        "health_contribution",
        "fee",
        "fee_rate",
    ):
        assert result[key] is None or MONEY.match(result[key]), (key, result[key])
    for key in ("total", "per_person", "criterion"):
        assert MONEY.match(result["income"][key])
    assert re.match(r"^\d{4}-\d{2}$", result["income"]["month"])
    assert result["trace"] and all(set(s) == {"step", "value", "basis"} for s in result["trace"])
    assert set(result["parameters"]) == {"valid_from", "source"}
    json.dumps(result)  # JSON-serialisable


def test_contract_example_document_zasilek_staly():
    """The issue's example request: all income kinds, pro-rated first month (art. 106 ust. 3)."""
    result = calculate_document(copy.deepcopy(REQUEST))
    check_shape(result)
    # 900 + 1570.48 + 676.44 + 5.2 × 459 + 300 = 5833.72 → far above the criterion
    assert result["income"]["total"] == "5833.72"
    assert result["eligible"] is False
    assert result["reasons"]


def test_single_pensioner_example_413():
    doc = copy.deepcopy(REQUEST)
    doc["members"][0]["incomes"] = [{"kind": "emerytura", "amount": "900.00"}]
    doc["household_incomes"] = []
    del doc["entitlement_from"]
    result = calculate_document(doc)
    check_shape(result)
    assert result["eligible"] is True
    assert result["amount"] == result["monthly_amount"] == "413.00"
    assert result["health_contribution"] == "0.00"
    assert result["income"] == {
        "month": "2025-10",
        "total": "900.00",
        "per_person": "900.00",
        "criterion": "1010.00",
    }
    assert result["parameters"]["valid_from"] == "2025-01-01"
    assert "1044" in result["parameters"]["source"]
    assert any("art. 8 ust. 3" in s["basis"] for s in result["trace"])


@pytest.mark.parametrize(
    "benefit, extra, expect",
    [
        (
            "zasilek_staly",
            {},
            # A pensioner is health-insured as such: no contribution (formerly 64.17 zł charged).
            {
                "eligible": True,
                "amount": "713.00",
                "health_contribution": "0.00",
                "health_insured_elsewhere": True,
            },
        ),
        (
            "zasilek_okresowy",
            {},
            {"eligible": True, "amount": "205.00", "amount_min": "205.00", "amount_max": "410.00"},
        ),
        ("zasilek_celowy", {"requested_amount": "350"}, {"eligible": True, "amount": "350.00"}),
        ("specjalny_zasilek_celowy", {"requested_amount": "350"}, {"eligible": False}),
        (
            "zasilek_celowy_zdarzenie_losowe",
            {"requested_amount": "5000.00"},
            {"eligible": True, "amount": "5000.00"},
        ),
        ("posilek", {}, {"eligible": True, "free_of_charge": True}),
        ("oplata_dps", {"dps": {"monthly_cost": "6800.00"}}, {"eligible": True}),
        (
            "uslugi_opiekuncze",
            {"care": {"hourly_price": "45.00", "hours": "30"}},
            {"free_of_charge": True, "fee": "0.00"},
        ),
        (
            "specjalistyczne_uslugi_opiekuncze_zaburzenia",
            {"care": {"hourly_price": "45.00", "hours": 30}},
            {"free_of_charge": True},
        ),
    ],
)
def test_valid_document_for_each_benefit(benefit, extra, expect):
    result = calculate_document(minimal(benefit, **extra))
    check_shape(result)
    assert result["benefit"] == benefit
    for key, value in expect.items():
        assert result[key] == value, key


def test_dps_document_fees():
    result = calculate_document(minimal("oplata_dps", income="900.00", dps=REQUEST["dps"]))
    assert result["fees"] == {
        "resident": "630.00",
        "relatives": [{"relation": "corka", "amount": "1470.00"}],
        "relatives_total": "1470.00",
        "city": "4700.00",
    }


def test_specjalny_limit_as_amount_max():
    result = calculate_document(
        minimal("specjalny_zasilek_celowy", income="1500.00", requested_amount="2000.00")
    )
    assert (
        result["eligible"] and result["amount_max"] == "1010.00" and result["amount"] == "1010.00"
    )


def test_care_fee_rate_percent_string():
    result = calculate_document(
        minimal(
            "specjalistyczne_uslugi_opiekuncze_zaburzenia",
            income="1515.00",
            care={"hourly_price": "45.00", "hours": 30},
        )
    )
    assert result["fee_rate"] == "1.50"
    assert result["fee"] == "20.25"
    assert result["free_of_charge"] is False


def errors_of(doc) -> dict[str, str]:
    with pytest.raises(RequestError) as exc:
        calculate_document(doc)
    errors = exc.value.errors
    assert all(set(e) == {"field", "message"} for e in errors)
    return {e["field"]: e["message"] for e in errors}


def test_negative_amount_gives_field_error():
    doc = copy.deepcopy(REQUEST)
    doc["members"][0]["incomes"][1]["social"] = "-1.00"
    errs = errors_of(doc)
    assert "members[0].incomes[1].social" in errs
    assert "ujemna" in errs["members[0].incomes[1].social"]
    assert (
        "members[0].incomes[1].social" in errs["members[0].incomes[1].social"]
    )  # message names the field


def test_unknown_kind_malformed_date_missing_members_all_collected():
    doc = {"benefit": "zasilek_okresowy", "application_date": "05.11.2025"}
    errs = errors_of(doc)
    assert set(errs) == {"application_date", "members"}
    doc = minimal("zasilek_okresowy")
    doc["members"][0]["incomes"].append({"kind": "wygrana", "amount": "1"})
    doc["members"][0]["incomes"].append({"kind": "emerytura", "amount": "-5"})
    doc["entitlement_from"] = "2025-02-30"
    doc["income_month"] = "2025-13"
    errs = errors_of(doc)
    assert set(errs) == {
        "members[0].incomes[1].kind",
        "members[0].incomes[2].amount",
        "entitlement_from",
        "income_month",
    }


def test_unknown_benefit_and_codes():
    errs = errors_of(
        {
            "benefit": "500plus",
            "application_date": "2025-11-05",
            "members": [{}],
            "residence_title": "x",
        }
    )
    assert set(errs) == {"benefit", "residence_title"}
    errs = errors_of(
        minimal("zasilek_okresowy")
        | {"members": [{"role": "szef", "sex": "X", "disability": "duzy"}]}
    )
    assert set(errs) == {"members[0].role", "members[0].sex", "members[0].disability"}


def test_missing_and_empty_members():
    assert "members" in errors_of({"benefit": "posilek", "application_date": "2025-11-05"})
    assert "members" in errors_of(
        {"benefit": "posilek", "application_date": "2025-11-05", "members": []}
    )
    assert "members" in errors_of(
        {"benefit": "posilek", "application_date": "2025-11-05", "members": "A"}
    )


def test_required_fields_per_kind_and_benefit():
    doc = minimal("zasilek_staly")
    doc["members"][0] = {
        "incomes": [
            {"kind": "wynagrodzenie"},
            {"kind": "gospodarstwo_rolne"},
            {"kind": "dzialalnosc_ogolna"},
        ]
    }
    errs = errors_of(doc)
    assert set(errs) == {
        "members[0].birth_date",
        "members[0].sex",
        "members[0].incomes[0].amount",
        "members[0].incomes[1].hectares",
        "members[0].incomes[2].revenue",
    }
    assert "dps" in errors_of(minimal("oplata_dps"))
    errs = errors_of(
        minimal(
            "oplata_dps",
            dps={"resident": "Z", "relatives": [{"relation": "kuzyn", "household_size": 0}]},
        )
    )
    assert set(errs) == {
        "dps.monthly_cost",
        "dps.resident",
        "dps.relatives[0].relation",
        "dps.relatives[0].household_size",
        "dps.relatives[0].household_income",
    }


def test_other_invalid_inputs():
    errs = errors_of(
        minimal("zasilek_okresowy", income_lost="tak", requested_amount="12.345")
        | {"members": [{"id": "A"}, {"id": "A", "role": "wnioskodawca"}, {"role": "wnioskodawca"}]}
    )
    assert {"income_lost", "requested_amount", "members[1].id", "members[2].role"} <= set(errs)
    assert errors_of([1, 2]) == {"": "Pole „dokument”: oczekiwano obiektu JSON."}


def test_date_before_parameters_gives_application_date_error():
    errs = errors_of(minimal("zasilek_okresowy") | {"application_date": "2017-05-01"})
    assert "application_date" in errs
    assert "kryterium_dochodowe" in errs["application_date"]


def test_defaults_first_member_is_applicant_and_polish_citizen():
    doc = {"benefit": "zasilek_okresowy", "application_date": "2025-11-05", "members": [{}, {}]}
    result = calculate_document(doc)
    assert result["eligible"] and result["amount_max"] == "1646.00"


def test_code_lists_have_polish_labels():
    for codes in (BENEFITS, ROLES, SEXES, DISABILITY_DEGREES, RESIDENCE_TITLES, INCOME_KINDS):
        assert codes and all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in codes.items()
        )
    assert set(BENEFITS) == {
        "zasilek_celowy_pogrzeb",  # issue 22, art. 40 ust. 1a
        "zasilek_staly",
        "zasilek_okresowy",
        "zasilek_celowy",
        "specjalny_zasilek_celowy",
        "zasilek_celowy_zdarzenie_losowe",
        "posilek",
        "oplata_dps",
        "uslugi_opiekuncze",
        "specjalistyczne_uslugi_opiekuncze_zaburzenia",
    }
    contract_kinds = {
        "wynagrodzenie",
        "emerytura",
        "renta",
        "renta_rodzinna",
        "renta_socjalna",
        "zasilek_dla_bezrobotnych",
        "zasilek_chorobowy",
        "alimenty",
        "alimenty_placone",
        "zasilek_rodzinny",
        "zasilek_pielegnacyjny",
        "swiadczenie_pielegnacyjne",
        "dodatek_mieszkaniowy",
        "zasilek_staly",
        "zasilek_okresowy",
        "zasilek_celowy",
        "jednorazowe_swiadczenie",
        "swiadczenie_wychowawcze",
        "swiadczenie_uzupelniajace",
        "stypendium_socjalne",
        "dzialalnosc_ryczalt",
        "dzialalnosc_ogolna",
        "gospodarstwo_rolne",
        "inne",
    }
    assert contract_kinds <= set(INCOME_KINDS)
    assert set(RESIDENCE_TITLES) == {
        "obywatel_pl",
        "obywatel_ue",
        "pobyt_staly",
        "rezydent_ue",
        "pobyt_czasowy_laczenie_rodzin",
        "status_uchodzcy",
        "ochrona_uzupelniajaca",
        "pobyt_humanitarny",
        "pobyt_tolerowany",
        "pobyt_czasowy_inny",
        # issue 22: art. 5 pkt 2, art. 5a, the special act for citizens of Ukraine
        "pobyt_czasowy_art_186",
        "ofiara_handlu_ludzmi",
        "ukr_specustawa",
        "ochrona_czasowa",
    }
    assert set(ROLES) == {"wnioskodawca", "malzonek", "partner", "dziecko", "rodzic", "inny"}


def test_input_document_is_not_mutated():
    doc = copy.deepcopy(REQUEST)
    calculate_document(doc)
    assert doc == REQUEST

"""Request documents of issue 22 shared by the law tests and the CLI/API tests: one valid
request per new input and one invalid request per new field (with the field it must name)."""

from __future__ import annotations

from typing import Any


def doc(benefit: str, *incomes: dict[str, Any], on: str = "2025-11-05", **extra: Any) -> dict:
    request: dict[str, Any] = {
        "benefit": benefit,
        "application_date": on,
        "members": [{"id": "A", "birth_date": "1950-01-01", "sex": "K", "incomes": list(incomes)}],
    }
    request.update(extra)
    return request


def one_off(amount: str, received: str) -> dict[str, Any]:
    return {"kind": "inne", "amount": amount, "one_off": True, "received": received}


RELATIVE_HOUSEHOLD = {
    "members": [
        {"id": "C", "incomes": [{"kind": "wynagrodzenie", "amount": "5000.00"}]},
        {"id": "D", "incomes": [{"kind": "wynagrodzenie", "amount": "2000.00"}]},
    ]
}

VALID: list[dict[str, Any]] = [
    doc("zasilek_okresowy", one_off("6000.00", "2025-08")),
    doc("zasilek_okresowy", {"kind": "renta", "amount": "1200.00",
                             "period_from": "2025-07", "period_to": "2025-12"}),
    doc("zasilek_okresowy", {"kind": "trzynasta_emerytura", "amount": "1878.91"}),
    doc("zasilek_okresowy", {"kind": "stypendium_socjalne_student", "amount": "900.00"}),
    doc("zasilek_okresowy", {"kind": "wynagrodzenie", "amount": "3000.00"},
        contract_work_start="2025-10-15", contract_amount="400.00"),
    doc("zasilek_okresowy", on="2024-12-10", decision_date="2025-01-08"),
    doc("zasilek_celowy_pogrzeb", {"kind": "emerytura", "amount": "5000.00"}, on="2026-02-10",
        funeral={"costs": "8000.00"}),
    doc("zasilek_celowy", residence_title="ofiara_handlu_ludzmi", requested_amount="300"),
    doc("oplata_dps", {"kind": "emerytura", "amount": "2000.00"},
        dps={"monthly_cost": "7000.00", "relatives": [
            {"relation": "syn", "household": RELATIVE_HOUSEHOLD, "agreed_amount": "1000.00"},
            {"relation": "corka", "household_size": 1, "household_income": "9000.00",
             "exemption": {"basis": "art_64", "amount": "500.00"}},
            {"relation": "wnuk", "household_size": 1, "household_income": "9000.00",
             "minor": True},
        ]}),
]  # fmt: skip

BAD: list[tuple[dict[str, Any], str]] = [
    (doc("zasilek_okresowy", {"kind": "inne", "amount": "10.00", "received": "2025-08"}),
     "members[0].incomes[0].received"),
    (doc("zasilek_okresowy", one_off("10.00", "2025-12")), "members[0].incomes[0].received"),
    (doc("zasilek_okresowy", {"kind": "inne", "amount": "10.00", "one_off": "tak"}),
     "members[0].incomes[0].one_off"),
    (doc("zasilek_okresowy", {"kind": "inne", "amount": "10.00",
                              "period_from": "2025-09", "period_to": "2025-07"}),
     "members[0].incomes[0].period_to"),
    (doc("zasilek_okresowy", {"kind": "inne", "amount": "10.00", "period_to": "2025-07"}),
     "members[0].incomes[0].period_from"),
    (doc("zasilek_okresowy", {"kind": "inne", "amount": "10.00", "period_from": "2025/07"}),
     "members[0].incomes[0].period_from"),
    (doc("zasilek_okresowy", {"kind": "alimenty_placone", "amount": "10.00",
                              "period_from": "2025-07"}), "members[0].incomes[0].one_off"),
    (doc("zasilek_okresowy", decision_date="2025-10-01"), "decision_date"),
    (doc("zasilek_okresowy", decision_date="jutro"), "decision_date"),
    (doc("zasilek_okresowy", contract_amount="100.00"), "contract_work_start"),
    (doc("zasilek_okresowy", contract_work_start="2025-10-15", contract_amount="-1"),
     "contract_amount"),
    (doc("zasilek_staly", contract_work_start="2025-10-15"), "contract_work_start"),
    (doc("zasilek_celowy_pogrzeb", on="2026-02-10"), "funeral"),
    (doc("zasilek_celowy_pogrzeb", on="2026-02-10", funeral={"costs": "-5"}), "funeral.costs"),
    (doc("zasilek_celowy_pogrzeb", on="2026-02-10",
         funeral={"costs": "5000", "zus_grant_due": True}), "funeral.extraordinary_costs"),
    (doc("zasilek_celowy_pogrzeb", on="2026-02-10",
         funeral={"costs": "5000", "zus_grant_due": "tak"}), "funeral.zus_grant_due"),
    (doc("zasilek_celowy_pogrzeb", on="2025-11-05", funeral={"costs": "5000"}),
     "application_date"),
    (doc("zasilek_okresowy", residence_title="ukr_bez_statusu"), "residence_title"),
    (doc("oplata_dps", dps={"monthly_cost": "7000", "relatives": [
        {"relation": "syn", "household_size": 1, "household_income": "9000",
         "exemption": {"basis": "art_99"}}]}), "dps.relatives[0].exemption.basis"),
    (doc("oplata_dps", dps={"monthly_cost": "7000", "relatives": [
        {"relation": "matka", "household_size": 1, "household_income": "9000",
         "minor": True}]}), "dps.relatives[0].minor"),
    (doc("oplata_dps", dps={"monthly_cost": "7000", "relatives": [
        {"relation": "syn", "household": RELATIVE_HOUSEHOLD, "household_size": 2}]}),
     "dps.relatives[0].household_size"),
    (doc("oplata_dps", dps={"monthly_cost": "7000", "relatives": [
        {"relation": "syn", "household": {"members": []}}]}),
     "dps.relatives[0].household.members"),
    (doc("oplata_dps", dps={"monthly_cost": "7000", "relatives": [
        {"relation": "syn", "household": {"members": [
            {"incomes": [{"kind": "emerytura", "amount": "x"}]}]}}]}),
     "dps.relatives[0].household.members[0].incomes[0].amount"),
    (doc("oplata_dps", dps={"monthly_cost": "7000", "relatives": [
        {"relation": "syn", "household_size": 1, "household_income": "9000",
         "agreed_amount": "-3"}]}), "dps.relatives[0].agreed_amount"),
]  # fmt: skip

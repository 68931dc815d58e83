"""Seeding the registry context: persons, households (dated memberships), incomes, and the
street → care district table (filled for streets without an assignment)."""

from __future__ import annotations

from typing import Any

from ostoja.registry.models import (
    Household,
    HouseholdMembership,
    Income,
    Person,
    Street,
    StreetDistrict,
)
from ostoja.registry.text import search_key
from ostoja.web.seed.plan import Family, StreetRef, add_months
from ostoja.web.seed.writer import Table

MODELS = {
    "person": Person,
    "household": Household,
    "membership": HouseholdMembership,
    "income": Income,
}


def street_refs(*, units: dict[str, Any]) -> list[StreetRef]:
    """Kielce's streets with their care district (assigning unassigned streets first)."""
    from ostoja.registry.streets import street_districts_demo_assign

    districts = [units[f"ro{n}"] for n in range(1, 11)]
    street_districts_demo_assign(units=districts)
    code_of = {u.pk: u.code for u in districts}
    unit_of: dict[int, str] = {}
    for street_id, unit_id in StreetDistrict.objects.filter(
        number_from__isnull=True, number_to__isnull=True
    ).values_list("street_id", "unit_id"):
        if unit_id in code_of:
            unit_of[street_id] = code_of[unit_id]
    refs = []
    for s in Street.objects.filter(active=True).order_by("sym_ul"):
        if s.pk in unit_of:
            postal = (s.postal_codes or "25-001").split("|")[0] or "25-001"
            refs.append(StreetRef(s.pk, s.full_name or s.name_1, postal, unit_of[s.pk]))
    if not refs:
        raise RuntimeError("seed: brak ulic Kielc przypisanych do rejonów — uruchom migracje.")
    return refs


def emit(fam: Family, *, tables: dict[str, Table], units: dict[str, Any], now: Any) -> None:
    """Rows for one family; fills ``member.ids['person']`` and ``fam.ids['household']``."""
    unit_id = units[fam.unit_code].pk
    persons, incomes = tables["person"], tables["income"]
    for m in fam.members:
        address = fam.address
        m.ids["person"] = persons.add(
            {
                "first_name": m.first_name,
                "second_name": m.second_name,
                "last_name": m.last_name,
                "search_key": search_key(f"{m.last_name} {m.first_name} {m.second_name}"),
                "pesel": m.pesel,
                "birth_date": m.birth_date,
                "sex": m.sex,
                "id_document_type": "dowód osobisty" if m.relation != "dziecko" else "",
                "homeless": fam.homeless,
                "act_place": "noclegownia, ul. Mielczarskiego 51" if fam.homeless else "",
                "act_street_id": fam.street_id,
                "act_house": fam.house,
                "act_flat": fam.flat,
                "act_postal_code": fam.postal_code,
                "act_city": "" if fam.homeless else "Kielce",
                "reg_street_id": fam.street_id,
                "reg_house": fam.house,
                "reg_flat": fam.flat,
                "reg_postal_code": fam.postal_code,
                "reg_city": "" if fam.homeless else "Kielce",
                "address_key": search_key(address),
                "disability_degree": m.disability,
                "registered_by_unit_id": unit_id,
                "created_at": now,
            }
        )
    fam.ids["household"] = tables["household"].add(
        {"name": fam.name, "registered_by_unit_id": unit_id, "created_at": now}
    )
    for m in fam.members:
        tables["membership"].add(
            {
                "household_id": fam.ids["household"],
                "person_id": m.ids["person"],
                "relation": m.relation,
                "valid_from": fam.opened_on,
                "valid_to": None,
                "created_at": now,
            }
        )
    # Incomes of the month before each application (art. 8 ust. 3 u.p.s.), for every earner.
    months = sorted({add_months(e.received_on, -1) for e in fam.episodes})
    for month in months:
        for m in fam.members:
            if not m.income_kind:
                continue
            incomes.add(
                {
                    "person_id": m.ids["person"],
                    "month": month,
                    "kind": m.income_kind,
                    "amount": m.income_amount,
                    "proof": "zaświadczenie",
                    "created_at": now,
                }
            )

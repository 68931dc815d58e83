"""REST API of the registry: persons, households (with members), incomes — same permissions
and scope as the pages. Validation errors: 422 ``{"errors": [{"field", "message"}]}``;
a duplicate PESEL: 422 on ``pesel``; a stale ``version``: 409; another unit's record: 404/403."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from ostoja.audit.bulk import audited_list
from ostoja.audit.services import access_record, client_ip
from ostoja.core.api import require
from ostoja.core.dates import today
from ostoja.core.errors import ValidationFailed
from ostoja.registry import selectors, services
from ostoja.registry.models import Household, HouseholdMembership, Income, Person, Street

router = Router(tags=["klienci"])


class PersonIn(Schema):
    """A new person. With a valid PESEL alone, birth date and sex are derived from it; every
    field is checked in one pass, so a 422 names every failing field (``pesel`` included)."""

    first_name: str = ""
    last_name: str = ""
    birth_date: date | str | None = None  # a malformed date is reported with the rest
    sex: str = ""
    pesel: str | None = None
    second_name: str = ""
    id_document_type: str = ""
    id_document_number: str = ""
    citizenship: str = "polskie"
    residence_title: str = "obywatel_pl"
    homeless: bool = False
    act_place: str = ""
    act_street: str | None = None  # ULIC SYM_UL of a Kielce street
    act_street_text: str = ""
    act_house: str = ""
    act_flat: str = ""
    act_postal_code: str = ""
    act_city: str = "Kielce"
    confirm_outside: bool = False
    phone: str = ""
    email: str = ""
    disability_degree: str = ""
    disability_valid_until: date | None = None
    incapacity_for_work: bool = False
    insured_elsewhere: bool = False
    date_of_death: date | None = None


class PersonPatch(Schema):
    version: int
    first_name: str | None = None
    last_name: str | None = None
    second_name: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    pesel: str | None = None
    citizenship: str | None = None
    residence_title: str | None = None
    homeless: bool | None = None
    act_place: str | None = None
    act_street: str | None = None
    act_house: str | None = None
    act_flat: str | None = None
    act_postal_code: str | None = None
    act_city: str | None = None
    act_street_text: str | None = None
    confirm_outside: bool | None = None
    phone: str | None = None
    email: str | None = None
    disability_degree: str | None = None
    disability_valid_until: date | None = None
    incapacity_for_work: bool | None = None
    insured_elsewhere: bool | None = None
    date_of_death: date | None = None


class PersonOut(Schema):
    id: int
    version: int
    first_name: str
    second_name: str
    last_name: str
    pesel: str | None
    birth_date: date
    sex: str
    citizenship: str
    residence_title: str
    address: str
    act_street: str | None
    homeless: bool
    outside_kielce: bool
    disability_degree: str
    incapacity_for_work: bool
    date_of_death: date | None
    merged_into: int | None


def _person_out(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "version": p.version,
        "first_name": p.first_name,
        "second_name": p.second_name,
        "last_name": p.last_name,
        "pesel": p.pesel,
        "birth_date": p.birth_date,
        "sex": p.sex,
        "citizenship": p.citizenship,
        "residence_title": p.residence_title,
        "address": p.address_display,
        "act_street": p.act_street.sym_ul if p.act_street_id else None,
        "homeless": p.homeless,
        "outside_kielce": p.outside_kielce,
        "disability_degree": p.disability_degree,
        "incapacity_for_work": p.incapacity_for_work,
        "date_of_death": p.date_of_death,
        "merged_into": p.merged_into_id,
    }


def _streets(data: dict[str, Any]) -> dict[str, Any]:
    code = data.get("act_street")
    if code in (None, ""):
        data["act_street"] = None
        return data
    street = Street.objects.filter(sym_ul=str(code).zfill(5)).first()
    if street is None:
        raise ValidationFailed(
            {"act_street": ["Nie ma ulicy o tym identyfikatorze ULIC w Kielcach."]}
        )
    data["act_street"] = street
    return data


def person_in_scope(request: HttpRequest, pk: int, perm: str = "registry.view_person") -> Person:
    person = Person.objects.select_related("act_street").filter(pk=pk).first()
    if person is None:
        raise HttpError(404, "Nie znaleziono.")
    if not request.user.has_perm(perm, person):
        access_record(user=request.user, obj=person, remote_addr=client_ip(request), refused=True)
        raise HttpError(404, "Nie znaleziono.")
    return person


# PESEL and surnames never travel in a URL (server and proxy logs keep URLs): the list takes
# no search text, the search posts it in the body.
SEARCH_IN_URL = (
    "Wyszukiwanie po PESEL lub nazwisku tylko przez POST /api/v1/persons/search "
    "(treść żądania) — dane osobowe nie trafiają do adresu URL ani do logów serwera."
)


class PersonSearchIn(Schema):
    search: str = Field("", max_length=100, description="PESEL (lub jego początek), nazwisko")
    limit: int = Field(50, ge=1, le=200)


@router.get("/persons", response=list[PersonOut], summary="Lista osób (bez wyszukiwania)")
@audited_list("osoby (API)", Person)
def persons_list(
    request: HttpRequest, limit: int = Query(50, ge=1, le=200)
) -> list[dict[str, Any]]:
    require(request, "registry.view_person")
    if "search" in request.GET:
        raise ValidationFailed({"search": [SEARCH_IN_URL]})
    persons = selectors.person_search(user=request.user, query="", limit=limit)
    return [_person_out(p) for p in persons]


@router.post(
    "/persons/search", response=list[PersonOut], summary="Wyszukiwanie osób (PESEL, nazwisko)"
)
@audited_list("osoby — wyszukiwanie (API)", Person, terms=("search",))
def persons_search(request: HttpRequest, payload: PersonSearchIn) -> list[dict[str, Any]]:
    require(request, "registry.view_person")
    persons = selectors.person_search(user=request.user, query=payload.search, limit=payload.limit)
    return [_person_out(p) for p in persons]


@router.post("/persons", response={201: PersonOut}, summary="Rejestracja osoby")
def persons_create(request: HttpRequest, payload: PersonIn) -> tuple[int, dict[str, Any]]:
    require(request, "registry.change_person")
    data = payload.dict()
    errors: dict[str, list[str]] = {}
    raw = data.get("birth_date")
    if isinstance(raw, str):
        try:
            data["birth_date"] = date.fromisoformat(raw) if raw.strip() else None
        except ValueError:
            errors["birth_date"] = ["Data urodzenia ma postać RRRR-MM-DD."]
            data["birth_date"] = None
    try:
        data = _streets(data)
    except ValidationFailed as exc:
        errors.update(exc.errors)
        data["act_street"] = None
    if errors:  # report these together with everything else wrong, never one at a time
        found = services.person_problems(data=data, on=today())
        for field, messages in found.items():
            if field not in errors:
                errors[field] = messages
        raise ValidationFailed(errors)
    person = services.person_create(data=data, user=request.user, on=today())
    return 201, _person_out(person)


@router.get("/persons/{pk}", response=PersonOut, summary="Osoba")
def persons_read(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request, "registry.view_person")
    person = person_in_scope(request, pk)
    access_record(user=request.user, obj=person, remote_addr=client_ip(request))
    return _person_out(person)


def _update(request: HttpRequest, pk: int, payload: Schema, partial: bool) -> dict[str, Any]:
    require(request, "registry.change_person")
    person = person_in_scope(request, pk, "registry.change_person")
    data = payload.dict(exclude_unset=partial)
    version = data.pop("version")
    if "act_street" in data:
        data = _streets(data)
    services.person_update(
        person=person, data=data, expected_version=version, on=today(), user=request.user
    )
    return _person_out(person)


@router.put("/persons/{pk}", response=PersonOut, summary="Zmiana danych osoby (z wersją)")
def persons_put(request: HttpRequest, pk: int, payload: PersonPatch) -> dict[str, Any]:
    return _update(request, pk, payload, partial=True)


@router.patch("/persons/{pk}", response=PersonOut, summary="Częściowa zmiana danych osoby")
def persons_patch(request: HttpRequest, pk: int, payload: PersonPatch) -> dict[str, Any]:
    return _update(request, pk, payload, partial=True)


# ------------------------------------------------------------------ incomes


class IncomeIn(Schema):
    month: date
    kind: str
    amount: Decimal | None = None
    gross: Decimal | None = None
    tax: Decimal | None = None
    social: Decimal | None = None
    health: Decimal | None = None
    revenue: Decimal | None = None
    costs: Decimal | None = None
    hectares: Decimal | None = None
    proof: str = ""


class IncomeOut(Schema):
    id: int
    person: int
    month: date
    kind: str
    amount: Decimal | None
    gross: Decimal | None
    tax: Decimal | None
    social: Decimal | None
    health: Decimal | None
    revenue: Decimal | None
    costs: Decimal | None
    hectares: Decimal | None
    proof: str


def _income_out(i: Income) -> dict[str, Any]:
    return {
        "id": i.pk,
        "person": i.person_id,
        "month": i.month,
        "kind": i.kind,
        **{f: getattr(i, f) for f in services.AMOUNT_FIELDS},
        "proof": i.proof,
    }


@router.get("/persons/{pk}/incomes", response=list[IncomeOut], summary="Dochody osoby")
@audited_list("dochody osoby (API)", Income)
def incomes_list(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    require(request, "registry.view_person")
    person = person_in_scope(request, pk)
    return [_income_out(i) for i in Income.objects.filter(person=person).order_by("-month", "pk")]


@router.post("/persons/{pk}/incomes", response={201: IncomeOut}, summary="Nowy dochód osoby")
def incomes_create(request: HttpRequest, pk: int, payload: IncomeIn) -> tuple[int, dict[str, Any]]:
    require(request, "registry.change_person")
    person = person_in_scope(request, pk, "registry.change_person")
    income = services.income_add(person=person, data=payload.dict(), user=request.user, on=today())
    return 201, _income_out(income)


# ------------------------------------------------------------------ households


class MemberOut(Schema):
    id: int
    person: int
    name: str
    relation: str
    valid_from: date
    valid_to: date | None


class HouseholdOut(Schema):
    id: int
    version: int
    name: str
    members: list[MemberOut]


class HouseholdIn(Schema):
    applicant: int
    valid_from: date
    name: str = ""


class MemberIn(Schema):
    version: int
    person: int
    relation: str
    valid_from: date


def _household_out(h: Household, memberships: list[HouseholdMembership]) -> dict[str, Any]:
    return {
        "id": h.pk,
        "version": h.version,
        "name": h.name,
        "members": [
            {
                "id": m.pk,
                "person": m.person_id,
                "name": m.person.full_name,
                "relation": m.relation,
                "valid_from": m.valid_from,
                "valid_to": m.valid_to,
            }
            for m in memberships
        ],
    }


def household_in_scope(request: HttpRequest, pk: int) -> Household:
    household = Household.objects.filter(pk=pk).first()
    if household is None:
        raise HttpError(404, "Nie znaleziono.")
    if not selectors.household_visible_to(user=request.user, household=household):
        access_record(
            user=request.user, obj=household, remote_addr=client_ip(request), refused=True
        )
        raise HttpError(404, "Nie znaleziono.")
    return household


@router.get("/households", response=list[HouseholdOut], summary="Rodziny")
@audited_list("rodziny (API)", Household)
def households_list(request: HttpRequest) -> list[dict[str, Any]]:
    require(request, "registry.view_person")
    households = selectors.household_list(user=request.user, limit=200)
    members: dict[int, list[HouseholdMembership]] = {}
    for m in HouseholdMembership.objects.filter(household__in=households).select_related("person"):
        members.setdefault(m.household_id, []).append(m)
    return [_household_out(h, members.get(h.pk, [])) for h in households]


@router.post("/households", response={201: HouseholdOut}, summary="Nowa rodzina")
def households_create(request: HttpRequest, payload: HouseholdIn) -> tuple[int, dict[str, Any]]:
    require(request, "registry.change_person")
    applicant = person_in_scope(request, payload.applicant, "registry.change_person")
    household = services.household_create(
        name=payload.name, applicant=applicant, valid_from=payload.valid_from, user=request.user
    )
    return 201, _household_out(household, selectors.membership_history(household=household))


@router.get("/households/{pk}", response=HouseholdOut, summary="Rodzina z historią składu")
def households_read(request: HttpRequest, pk: int) -> dict[str, Any]:
    require(request, "registry.view_person")
    household = household_in_scope(request, pk)
    access_record(user=request.user, obj=household, remote_addr=client_ip(request))
    return _household_out(household, selectors.membership_history(household=household))


@router.post("/households/{pk}/members", response={201: HouseholdOut}, summary="Dodanie członka")
def households_add_member(
    request: HttpRequest, pk: int, payload: MemberIn
) -> tuple[int, dict[str, Any]]:
    require(request, "registry.change_person")
    household = household_in_scope(request, pk)
    person = person_in_scope(request, payload.person)
    services.membership_add(
        household=household,
        person=person,
        relation=payload.relation,
        valid_from=payload.valid_from,
        expected_version=payload.version,
    )
    return 201, _household_out(household, selectors.membership_history(household=household))

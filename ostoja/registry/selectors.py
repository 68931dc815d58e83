"""Reads of the registry context — permission-aware, related rows fetched in bulk."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from ostoja.core.collation import polish
from ostoja.law.codes import INCOME_KINDS, ROLES
from ostoja.law.errors import ParameterNotFound
from ostoja.law.income import PURPOSE_CASH, compute_income, income_month_for
from ostoja.law.interface import RequestError, parse_request
from ostoja.law.policy import DEFAULT_POLICY
from ostoja.law.store import default_store
from ostoja.registry.models import (
    Household,
    HouseholdMembership,
    Income,
    Person,
    Street,
    StreetDistrict,
)
from ostoja.registry.scope import has_client_role, visible_unit_ids
from ostoja.registry.text import search_key
from ostoja.registry.validation import is_kielce

DIGITS = re.compile(r"^\d{1,11}$")


# ------------------------------------------------------------------ scope


def case_scope_q(user: Any, *, prefix: str = "") -> Q:
    """The one scope rule for a family's file: its case's **current** unit is in the user's
    subtree, or the case is assigned to the user. ``prefix`` is the path to the case
    (``"case__"`` from a household). ``cases.rules.case_in_scope`` is the same rule on one
    object; reads and writes use both alike (issue 20, finding 3)."""
    return Q(**{f"{prefix}unit_id__in": list(visible_unit_ids(user))}) | Q(
        **{f"{prefix}worker_id": user.pk}
    )


def household_scope_q(user: Any, *, prefix: str = "") -> Q:
    """A household with a case follows its case (``case_scope_q``); one without a case yet
    belongs to the unit that registered it. Registering a member never widens the scope."""
    units = list(visible_unit_ids(user))
    with_case = Q(**{f"{prefix}case__isnull": False}) & case_scope_q(user, prefix=f"{prefix}case__")
    without_case = Q(**{f"{prefix}case__isnull": True}) & Q(
        **{f"{prefix}registered_by_unit_id__in": units}
    )
    return with_case | without_case


def _scope_q(user: Any) -> Q:
    """A person follows the households they belong to **now** (an open membership): in scope
    when such a household is (``household_scope_q``). A person in no family with a case yet
    belongs to the unit that registered them. An ended membership gives nothing.

    The membership conditions are correlated ``EXISTS`` subqueries: PostgreSQL probes the
    membership index per candidate person instead of hashing every membership of the
    district (``pk IN (subquery)``) — at scale 10 that is milliseconds instead of ~90 ms each.
    """
    units = list(visible_unit_ids(user))
    current = HouseholdMembership.objects.filter(person_id=OuterRef("pk"), valid_to__isnull=True)
    in_scope = current.filter(household_scope_q(user, prefix="household__"))
    in_a_case = current.filter(household__case__isnull=False)
    return Q(Exists(in_scope)) | (Q(registered_by_unit_id__in=units) & ~Q(Exists(in_a_case)))


def persons_visible(*, user: Any) -> QuerySet[Person]:
    if not has_client_role(user):
        return Person.objects.none()
    return Person.objects.filter(_scope_q(user))


def person_visible_to(*, user: Any, person: Person) -> bool:
    if not has_client_role(user):
        return False
    return persons_visible(user=user).filter(pk=person.pk).exists()


def households_visible(*, user: Any) -> QuerySet[Household]:
    if not has_client_role(user):
        return Household.objects.none()
    return Household.objects.filter(household_scope_q(user))


def household_visible_to(*, user: Any, household: Household) -> bool:
    return households_visible(user=user).filter(pk=household.pk).exists()


# ------------------------------------------------------------------ persons


def person_get(*, pk: int) -> Person:
    return Person.objects.select_related(
        "act_street", "reg_street", "registered_by_unit", "merged_into"
    ).get(pk=pk)


def person_search(*, user: Any, query: str, limit: int = 50) -> list[Person]:
    """Search by PESEL (whole or its beginning), surname/first name without diacritics
    (``zolkiewski`` finds „Żółkiewski”), or address; only what the user may see."""
    qs = persons_visible(user=user).filter(merged_into__isnull=True)
    text = (query or "").strip()
    if text:
        compact = text.replace(" ", "")
        if DIGITS.match(compact):
            qs = qs.filter(pesel__startswith=compact)
        else:
            cond = Q()
            for word in search_key(text).split():
                cond &= Q(search_key__contains=word) | Q(address_key__contains=word)
            qs = qs.filter(cond)
    # Polish alphabetical order in SQL (issue 17): the cut to ``limit`` comes after it.
    ordered = qs.order_by(polish("last_name"), polish("first_name"), "pk")
    return list(ordered.select_related("act_street")[:limit])


def _similar_qs(
    *, first_name: str, last_name: str, birth_date: date, exclude_pk: int | None
) -> QuerySet[Person]:
    surname = search_key(last_name)
    qs = Person.objects.filter(
        birth_date=birth_date, search_key__startswith=surname, merged_into__isnull=True
    )
    first = search_key(first_name)
    qs = qs.filter(search_key__contains=first[:3]) if first else qs
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def person_similar(
    *,
    user: Any,
    first_name: str,
    last_name: str,
    birth_date: date | None,
    exclude_pk: int | None = None,
) -> list[Person]:
    """Possible duplicates the user may see: same birth date and the same normalised surname
    (a warning only). Out-of-scope matches are never returned — see ``person_similar_elsewhere``."""
    if birth_date is None or not has_client_role(user):
        return []
    qs = _similar_qs(
        first_name=first_name, last_name=last_name, birth_date=birth_date, exclude_pk=exclude_pk
    )
    return list(qs.filter(_scope_q(user)).select_related("act_street").order_by("pk")[:10])


def person_similar_elsewhere(
    *,
    user: Any,
    first_name: str,
    last_name: str,
    birth_date: date | None,
    exclude_pk: int | None = None,
) -> bool:
    """Whether a possible duplicate exists outside the user's scope. Only a yes/no: the caller
    shows a neutral hint, never the other unit's client (name, PESEL, address, link)."""
    if birth_date is None or not has_client_role(user):
        return False
    qs = _similar_qs(
        first_name=first_name, last_name=last_name, birth_date=birth_date, exclude_pk=exclude_pk
    )
    return qs.exclude(_scope_q(user)).exists()


@dataclass
class PersonCard:
    person: Person
    memberships: list[HouseholdMembership]
    incomes: list[Income]
    similar: list[Person]
    similar_elsewhere: bool = False


def person_card(*, person: Person, user: Any) -> PersonCard:
    memberships = list(
        HouseholdMembership.objects.filter(person=person)
        .select_related("household")
        .order_by("-valid_from")
    )
    incomes = list(Income.objects.filter(person=person).order_by("-month", "kind"))
    similar: list[Person] = []
    elsewhere = False
    if not person.is_merged:
        who = {
            "user": user,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_date": person.birth_date,
            "exclude_pk": person.pk,
        }
        similar = person_similar(**who)
        elsewhere = person_similar_elsewhere(**who)
    return PersonCard(
        person=person,
        memberships=memberships,
        incomes=incomes,
        similar=similar,
        similar_elsewhere=elsewhere,
    )


# ------------------------------------------------------------------ households


def household_get(*, pk: int) -> Household:
    return Household.objects.select_related("registered_by_unit").get(pk=pk)


def members_on(*, household: Household, on: date) -> list[HouseholdMembership]:
    """The household's composition on ``on`` (memberships valid that day)."""
    return list(
        HouseholdMembership.objects.filter(household=household, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("person", "person__act_street")
        .order_by("valid_from", "pk")
    )


def members_on_days(
    *, household: Household, days: list[date]
) -> dict[date, list[HouseholdMembership]]:
    """The household's composition on each of ``days`` with one query (the case file needs
    today's members and those on the application's date, issue 19): the memberships valid on
    some day between the first and the last, each day's list as ``members_on`` gives it."""
    if not days:
        return {}
    first, last = min(days), max(days)
    rows = list(
        HouseholdMembership.objects.filter(household=household, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=first))
        .select_related("person", "person__act_street")
        .order_by("valid_from", "pk")
    )
    return {
        day: [m for m in rows if m.valid_from <= day and (m.valid_to is None or m.valid_to > day)]
        for day in days
    }


def membership_history(*, household: Household) -> list[HouseholdMembership]:
    return list(
        HouseholdMembership.objects.filter(household=household)
        .select_related("person")
        .order_by("valid_from", "pk")
    )


def household_of(*, person: Person, on: date) -> Household | None:
    m = (
        HouseholdMembership.objects.filter(person=person, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("household")
        .first()
    )
    return m.household if m else None


def household_list(*, user: Any, limit: int = 200) -> list[Household]:
    return list(households_visible(user=user).order_by(polish("name"), "pk")[:limit])


# ------------------------------------------------------------------ income (law core)


def month_start(d: date) -> date:
    return d.replace(day=1)


def income_month_of(*, application_date: date, income_lost: bool) -> date:
    """Art. 8 ust. 3: month before the application, or its own month after loss of income —
    asked of the law core, not recomputed here."""
    month, _ = income_month_for(application_date, income_lost)
    return month.first_day


def member_ids(memberships: list[HouseholdMembership]) -> dict[int, str]:
    """Readable member ids for the law core's trace: the person's name (unique in the family)."""
    ids: dict[int, str] = {}
    used: set[str] = set()
    for m in memberships:
        label = m.person.full_name
        if label in used:
            label = f"{label} ({m.person.pk})"
        used.add(label)
        ids[m.person.pk] = label
    return ids


def income_month_filter(month: date) -> Q:
    """Income items that bear on ``month``: its own items, one-off incomes of the 12 months up
    to it (art. 8 ust. 11 u.p.s.) and incomes for a period covering it (art. 8 ust. 12) — the law
    core decides what part of each counts (issue 22)."""
    spread_from = month - relativedelta(months=11)
    return (
        Q(month=month, period_from__isnull=True)
        | Q(one_off=True, month__gte=spread_from, month__lte=month)
        | Q(period_from__lte=month, period_to__gte=month)
    )


def _incomes_by_person(
    memberships: list[HouseholdMembership], month: date
) -> dict[int, list[Income]]:
    items: dict[int, list[Income]] = {}
    for income in Income.objects.filter(
        income_month_filter(month), person_id__in=[m.person_id for m in memberships]
    ).order_by("pk"):
        items.setdefault(income.person_id, []).append(income)
    return items


def law_members(
    *,
    memberships: list[HouseholdMembership],
    month: date,
    on: date,
    items: dict[int, list[Income]] | None = None,
) -> list[dict[str, Any]]:
    """The household's members on ``on`` with their incomes for ``month`` — the law core's
    request ``members`` list. One query for all incomes, none when the caller has read them
    already (``items``: the members' income items for ``month`` by person id, in id order)."""
    ids = member_ids(memberships)
    if items is None:
        items = _incomes_by_person(memberships, month)
    incomes = {pk: [i.as_law_item() for i in rows] for pk, rows in items.items()}
    members = []
    for m in memberships:
        p = m.person
        disability = p.disability_degree or None
        if disability and p.disability_valid_until and p.disability_valid_until < on:
            disability = None
        members.append(
            {
                "id": ids[p.pk],
                "role": m.relation,
                "birth_date": p.birth_date.isoformat(),
                "sex": p.sex,
                "disability": disability,
                "total_incapacity": p.incapacity_for_work,
                "insured_elsewhere": p.insured_elsewhere,
                "incomes": incomes.get(p.pk, []),
            }
        )
    return members


@dataclass
class MemberIncome:
    person: Person
    relation: str
    items: list[Income]
    own: Decimal | None


@dataclass
class HouseholdIncome:
    on: date
    month: date
    members: list[MemberIncome]
    total: Decimal | None = None
    per_person: Decimal | None = None
    trace: list[dict[str, str]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)


def household_income(
    *,
    household: Household,
    on: date,
    income_lost: bool = False,
    memberships: list[HouseholdMembership] | None = None,
) -> HouseholdIncome:
    """The household's income in the income month for an application dated ``on``, computed
    by the law core (art. 8 u.p.s.) with its trace. ``memberships``: the household's members
    on ``on`` when the caller has read them already (``members_on``)."""
    if memberships is None:
        memberships = members_on(household=household, on=on)
    month = income_month_of(application_date=on, income_lost=income_lost)
    items_by_person = _incomes_by_person(memberships, month)
    result = HouseholdIncome(on=on, month=month, members=[])
    if not memberships:
        return result
    ids = member_ids(memberships)
    doc = {
        "benefit": "zasilek_okresowy",
        "application_date": on.isoformat(),
        "income_lost": income_lost,
        "members": law_members(memberships=memberships, month=month, on=on, items=items_by_person),
    }
    try:
        _, case = parse_request(doc)
        computed = compute_income(
            case.household,
            on=on,
            purpose=PURPOSE_CASH,
            store=default_store(),
            policy=DEFAULT_POLICY,
            income_lost=income_lost,
        )
    except RequestError as exc:
        result.errors = exc.errors
        computed = None
    except ParameterNotFound as exc:  # a date without parameters in force; a bug still raises
        result.errors = [{"field": "application_date", "message": str(exc)}]
        computed = None
    for m in memberships:
        own = computed.own.get(ids[m.person_id]) if computed else None
        result.members.append(
            MemberIncome(
                person=m.person,
                relation=ROLES.get(m.relation, m.relation),
                items=items_by_person.get(m.person_id, []),
                own=own,
            )
        )
    if computed is not None:
        result.total = computed.total
        result.per_person = computed.per_person
        result.trace = [s.as_dict() for s in computed.trace]
    return result


def income_kind_label(kind: str) -> str:
    return INCOME_KINDS.get(kind, kind)


# ------------------------------------------------------------------ streets


def streets_active() -> QuerySet[Street]:
    return Street.objects.filter(active=True).order_by(polish("name_1"), polish("name_2"), "sym_ul")


def street_search(*, query: str, limit: int = 30) -> list[Street]:
    key = search_key(query)
    qs = streets_active()
    for word in key.split():
        qs = qs.filter(search_key__contains=word)
    return list(qs[:limit])


def street_table(*, query: str = "", unit_id: int | None = None) -> list[Street]:
    qs = Street.objects.prefetch_related(
        Prefetch("districts", queryset=StreetDistrict.objects.select_related("unit"))
    ).order_by(polish("name_1"), polish("name_2"), "sym_ul")
    if query:
        for word in search_key(query).split():
            qs = qs.filter(search_key__contains=word)
    if unit_id:
        qs = qs.filter(districts__unit_id=unit_id).distinct()
    return list(qs[:300])


def _house_number(house: str) -> int | None:
    m = re.match(r"\s*(\d+)", house or "")
    return int(m.group(1)) if m else None


def district_for(*, street: Street | None, house: str = "") -> int | None:
    """The care district (unit id) of an address: a matching house-number range first, else
    the whole-street assignment."""
    if street is None:
        return None
    number = _house_number(house)
    whole = None
    for row in StreetDistrict.objects.filter(street=street).order_by("pk"):
        if row.number_from is None and row.number_to is None:
            whole = row.unit_id
            continue
        if number is None:
            continue
        if (row.number_from is None or number >= row.number_from) and (
            row.number_to is None or number <= row.number_to
        ):
            return row.unit_id
    return whole


def district_of_person(*, person: Person) -> int | None:
    if person.homeless or person.outside_kielce:
        return None
    return district_for(street=person.act_street, house=person.act_house)


@dataclass(frozen=True)
class Competence:
    """Which gmina's centre is competent for a person (art. 101 u.p.s.)."""

    local: bool  # MOPR Kielce is competent
    gmina: str
    basis: str
    explanation: str


def competence_of(*, person: Person) -> Competence:
    """Art. 101 ust. 1: the gmina of residence; ust. 2: for a homeless person the gmina of the
    last permanent registration (zameldowanie na pobyt stały); ust. 3: in urgent cases the gmina
    where the person is stays competent for help that cannot wait (law.md §5.1)."""
    if person.homeless:
        last = (person.reg_city or "").strip()
        if last and not is_kielce(last):
            return Competence(
                local=False,
                gmina=last,
                basis="art. 101 ust. 2 u.p.s.",
                explanation=(
                    "Osoba bezdomna — gminą właściwą jest gmina ostatniego miejsca zameldowania "
                    f"na pobyt stały: {last}. Wniosek przekazuje się do ośrodka pomocy społecznej "
                    "tej gminy (art. 65 § 1 KPA); w sprawach niecierpiących zwłoki pomocy udziela "
                    "gmina miejsca pobytu — Kielce (art. 101 ust. 3 u.p.s.)."
                ),
            )
        return Competence(
            local=True,
            gmina="Kielce",
            basis="art. 101 ust. 2 u.p.s.",
            explanation=(
                "Osoba bezdomna — ostatnie zameldowanie na pobyt stały w Kielcach"
                + ("" if last else " (nie wpisano — sprawdź i uzupełnij w danych osoby)")
                + ": właściwy jest MOPR Kielce."
            ),
        )
    if person.outside_kielce:
        city = (person.act_city or "").strip() or "poza Kielcami"
        return Competence(
            local=False,
            gmina=city,
            basis="art. 101 ust. 1 u.p.s.",
            explanation=(
                f"Adres zamieszkania poza Kielcami ({city}) — gminą właściwą jest gmina miejsca "
                "zamieszkania. Wniosek przekazuje się do jej ośrodka pomocy społecznej "
                "(art. 65 § 1 KPA)."
            ),
        )
    return Competence(local=True, gmina="Kielce", basis="art. 101 ust. 1 u.p.s.", explanation="")


def statistical_traits(*, person_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Birth year and sex of each person — what a pseudonymised statistical export may carry
    (never the name, PESEL or address)."""
    out: dict[int, tuple[int, str]] = {}
    ids = sorted(set(person_ids))
    for i in range(0, len(ids), 5000):
        for pk, born, sex in Person.objects.filter(pk__in=ids[i : i + 5000]).values_list(
            "pk", "birth_date", "sex"
        ):
            out[pk] = (born.year, sex)
    return out

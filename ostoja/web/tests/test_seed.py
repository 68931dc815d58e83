"""The synthetic city (``ostoja seed``): deterministic, valid, consistent — and the main pages
issue a number of queries that does not grow with the data (issue 8)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote, unquote

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from stdnum.pl import pesel as stdnum_pesel

from ostoja.core.dates import noon
from ostoja.web.seed import SeedRefused, marker, seed_city
from ostoja.web.seed.plan import pesel_for

UNTIL = date(2026, 1, 1)
NOW = noon(date(2026, 1, 15))
SEX = {"F": "K", "M": "M"}  # stdnum → our codes


def _people() -> list[tuple[str, str, str, str]]:
    from ostoja.registry.models import Person

    return list(
        Person.objects.order_by("pk").values_list("pesel", "first_name", "last_name", "sex")
    )


def _seed_and_read(seed: int) -> list[tuple[str, str, str, str]]:
    with transaction.atomic():
        seed_city(scale=0.002, seed=seed, until=UNTIL, now=NOW)
        people = _people()
        transaction.set_rollback(True)
    return people


@pytest.mark.django_db
def test_same_seed_gives_the_same_people_and_another_seed_others() -> None:
    first = _seed_and_read(7)
    again = _seed_and_read(7)
    other = _seed_and_read(8)
    assert len(first) >= 20  # 20 families at scale 0.002
    assert first == again
    assert [p[0] for p in first] != [p[0] for p in other]


def test_generated_pesel_is_valid_and_encodes_birth_date_and_sex() -> None:
    for birth, sex in (
        (date(1948, 2, 29), "K"),
        (date(2003, 12, 31), "M"),
        (date(2024, 7, 1), "K"),
    ):
        for serial in (0, 1, 4999):
            number = pesel_for(birth, sex, serial)
            assert stdnum_pesel.is_valid(number)
            assert stdnum_pesel.get_birth_date(number) == birth
            assert SEX[stdnum_pesel.get_gender(number)] == sex


@pytest.mark.django_db
def test_seeded_data_is_valid_and_households_are_consistent() -> None:
    from ostoja.cases.models import Application, Case
    from ostoja.decisions.models import Decision, DecisionLine
    from ostoja.payments.models import Payment
    from ostoja.registry.models import Household, HouseholdMembership, Person

    report = seed_city(scale=0.005, seed=3, until=UNTIL, now=NOW)
    assert report.families == 50
    persons = list(Person.objects.all())
    for p in persons:
        assert stdnum_pesel.is_valid(p.pesel), p.pesel
        assert stdnum_pesel.get_birth_date(p.pesel) == p.birth_date
        assert SEX[stdnum_pesel.get_gender(p.pesel)] == p.sex
        assert p.search_key and (p.homeless or p.act_street_id)
    assert len({p.pesel for p in persons}) == len(persons)
    households = Household.objects.count()
    assert households == 50 and Case.objects.count() == 50
    members = list(HouseholdMembership.objects.values_list("household_id", "person_id", "relation"))
    assert len({m[1] for m in members}) == len(persons) == len(members)  # one household each
    by_household: dict[int, list[str]] = {}
    for household_id, _, relation in members:
        by_household.setdefault(household_id, []).append(relation)
    for relations in by_household.values():
        assert 1 <= len(relations) <= 6
        assert relations.count("wnioskodawca") == 1
    # Cases sit in a care district (or the homelessness department) and have a worker there.
    for case in Case.objects.select_related("unit", "worker__staff"):
        assert case.unit.code.startswith("ro") or case.unit.code == "bezdomnosc"
        assert case.worker.staff.unit_id == case.unit_id
    # Applicants and addressees are members of the case's household.
    member_of = {(h, p) for h, p, _ in members}
    for a in Application.objects.select_related("case"):
        assert (a.case.household_id, a.applicant_id) in member_of
    for d in Decision.objects.select_related("case"):
        assert (d.case.household_id, d.addressee_id) in member_of
        assert d.number.endswith(f"/{d.issued_on.year}")
    # Every payment belongs to a granted line of a decision of its case, before the anchor.
    lines = {ln.pk: ln for ln in DecisionLine.objects.select_related("decision")}
    payments = list(Payment.objects.all())
    assert payments
    for pay in payments:
        line = lines[pay.line_id]
        assert line.granted and line.decision.case_id == pay.case_id
        assert pay.period_start < UNTIL and pay.amount == line.amount
    assert marker() == {"scale": "0.005", "seed": "3", "until": "2026-01-01", "state": "gotowe"}


@pytest.mark.django_db
def test_second_seed_on_the_same_database_is_refused() -> None:
    seed_city(scale=0.001, seed=1, until=UNTIL, now=NOW)
    with pytest.raises(SeedRefused):
        seed_city(scale=0.001, seed=1, until=UNTIL, now=NOW)


# ------------------------------------------------------------------ query counts


def _count(client: Any, url: str) -> int:
    path, _, query = url.partition("?q=")
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(path, {"q": unquote(query)}) if query else client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _pages(client_for: Any) -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from ostoja.cases.models import Case
    from ostoja.org.models import StaffMember
    from ostoja.registry.models import Person

    case = Case.objects.filter(unit__code="ro1", worker__isnull=False).order_by("pk").first()
    worker = case.worker
    head = get_user_model().objects.get(
        pk=StaffMember.objects.filter(unit__code="ro1", user__username__contains=".kier.")
        .values_list("user_id", flat=True)
        .first()
    )
    person = case.household.memberships.order_by("pk").first().person
    wc, hc = client_for(worker), client_for(head)
    return {
        "desk": _count(wc, "/sprawy/"),
        "case_file": _count(wc, f"/sprawy/{case.pk}/"),
        "search_surname": _count(wc, f"/klienci/?q={quote(person.last_name)}"),
        "search_pesel": _count(wc, f"/klienci/?q={person.pesel}"),
        "desk_search": _count(wc, f"/sprawy/?q={quote(person.last_name)}"),
        "decision_register": _count(hc, "/decyzje/"),
        "persons": Person.objects.count(),
    }


@pytest.mark.django_db
def test_main_pages_query_count_does_not_grow_with_the_data(client_for: Any) -> None:
    seed_city(scale=0.002, seed=5, until=UNTIL, now=NOW)
    small = _pages(client_for)
    seed_city(scale=0.02, seed=5, until=UNTIL, now=NOW, append=True)  # ten times the families
    big = _pages(client_for)
    assert big["persons"] > 5 * small["persons"]
    for page in ("desk", "case_file", "search_surname", "search_pesel", "desk_search",
                 "decision_register"):  # fmt: skip
        assert big[page] <= small[page], (page, small[page], big[page])

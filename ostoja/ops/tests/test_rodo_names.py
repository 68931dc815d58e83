"""Anonymisation catches the forms of a surname that do not share its written stem (Kozieł →
Kozła, Wróbel → Wróbla, Kocioł → Kotła, Orzeł → Orła) — from Morfeusz 2 and, for surnames the
dictionary does not know, a small table of alternations — and leaves a different person's
name alone (Kozłowski, Wróblewska, Wilczyńska)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ostoja.core.polish import NOUN_ENDINGS, STEM_ALTERNATIONS, _alternation_forms, surname_forms
from ostoja.ops.rodo.anonymise import MARK, _pattern, _scrub, anonymise_related


@pytest.mark.parametrize(
    ("surname", "forms", "not_forms"),
    [
        ("Kozieł", {"Kozła", "Kozłem", "Kozłowi", "Kozieła"}, {"Kozłowski", "Kozioł"}),
        ("Wróbel", {"Wróbla", "Wróblem", "Wróblowie"}, {"Wróblewski", "Wróblewska"}),
        ("Orzeł", {"Orła", "Orłem", "Orłowi"}, {"Orłowski"}),
        ("Kocioł", {"Kotła", "Kotłem", "Kocioła"}, {"Kotłowski"}),
        ("Wilk", {"Wilka", "Wilkowi", "Wilku", "Wilkiem"}, {"Wilczyńska", "Wilczek", "Wilczyca"}),
        ("Ptak", {"Ptaka", "Ptakiem"}, {"Ptaszyńska"}),
        ("Szczygieł", {"Szczygła", "Szczygłem"}, {"Szczygłowski"}),
    ],
)
def test_surname_forms_reach_the_alternated_stem_and_no_other_name(
    surname: str, forms: set[str], not_forms: set[str]
) -> None:
    got = surname_forms(surname)
    assert surname in got
    assert forms <= got, forms - got
    assert not (not_forms & got)


def test_the_alternation_table_alone_declines_a_surname_the_dictionary_does_not_know() -> None:
    # Invented surnames (no dictionary entry): only the table speaks.
    assert {"Zdrobieła", "Zdrobła", "Zdrobłem"} <= _alternation_forms("Zdrobieł")
    assert {"Przyrła", "Przyrłowi"} <= _alternation_forms("Przyrzeł")  # as Orzeł → Orła
    assert {"Mątwiela", "Mątwla"} <= _alternation_forms("Mątwiel")
    assert {"Grzesiokowskiego", "Grzesiokowskiej", "Grzesiokowscy"} <= _alternation_forms(
        "Grzesiokowski"
    )
    assert ("rzeł", "rł") in STEM_ALTERNATIONS and "owi" in NOUN_ENDINGS
    assert _alternation_forms("Zdrobieł") <= surname_forms("Zdrobieł")
    assert surname_forms("") == frozenset() and surname_forms("123") == frozenset()


@pytest.mark.parametrize(
    ("name", "text", "cleared", "kept"),
    [
        (
            "Jan Kozieł",
            "Rozmowa z panem Kozłem; u KOZŁA był też p. Kozłowski z synem Kozłowskich.",
            ["Kozłem", "KOZŁA"],
            ["Kozłowski", "Kozłowskich"],
        ),
        (
            "Anna Wróbel",
            "Wróbla nie zastano; sąsiadka p. Wróblewska i Anna Wilczyńska potwierdziły.",
            ["Wróbla"],
            ["Wróblewska", "Wilczyńska"],
        ),
        ("Piotr Kocioł", "Pismo do Kotła w sprawie kotła.", ["Kotła"], []),
        (
            "Ewa Wilk",
            "Wilkowi przyznano; Wilczyńska nie ma z tym związku.",
            ["Wilkowi"],
            ["Wilczyńska"],
        ),
    ],
)
def test_free_text_loses_the_forms_of_the_anonymised_surname_only(
    name: str, text: str, cleared: list[str], kept: list[str]
) -> None:
    _first, last = name.split()
    out = _scrub(text, _pattern([name], last))
    assert isinstance(out, str)
    for word in cleared:
        assert word not in out, word
    for word in kept:
        assert word in out, word
    assert MARK in out


@pytest.mark.django_db
def test_anonymisation_clears_kozla_and_wrobla_of_the_person_in_a_shared_household_note(
    make_staff: Any,
) -> None:
    from ostoja.org.roles import Role
    from ostoja.registry import services as registry
    from ostoja.registry.demo import make_pesel
    from ostoja.registry.models import Household
    from tests.factories import _street

    user = make_staff("sw_names", role=Role.SOCIAL_WORKER)
    street = _street()

    def person(first: str, last: str, serial: int, sex: str) -> Any:
        return registry.person_create(
            data={
                "first_name": first, "last_name": last,
                "pesel": make_pesel(date(1970, 1, 1), serial, sex),
                "birth_date": date(1970, 1, 1), "sex": sex, "act_street": street,
                "act_house": "7", "act_city": "Kielce",
            },
            user=user,
            on=date(2026, 11, 2),
        )  # fmt: skip

    kozieł = person("Jan", "Kozieł", 311, "M")
    wife = person("Maria", "Kozłowska", 312, "K")
    household = registry.household_create(
        name="Rodzina", applicant=kozieł, valid_from=date(2020, 1, 1), user=user
    )
    household.refresh_from_db(fields=["version"])
    registry.membership_add(
        household=household, person=wife, relation="malzonek", valid_from=date(2020, 1, 1),
        expected_version=household.version,
    )  # fmt: skip
    Household.objects.filter(pk=household.pk).update(
        note="Wywiad u Kozła; żona Maria Kozłowska obecna. Kozłowi przyznano pomoc."
    )
    anonymise_related(kozieł)
    note = Household.objects.get(pk=household.pk).note
    assert "Kozła" not in note and "Kozłowi" not in note
    assert "Maria Kozłowska" in note  # another person's name, not a form of Kozieł


@pytest.mark.django_db
def test_rows_still_hanging_from_a_duplicate_merged_into_the_person_are_anonymised_too(
    make_staff: Any,
) -> None:
    """A record merged into the anonymised one is the same human: a row the merge did not move
    (here an income left on the duplicate) is reached through the duplicate; the merge link
    itself (``merged_into``, ``merged_at``) stays — it names no one."""
    from ostoja.org.roles import Role
    from ostoja.registry import services as registry
    from ostoja.registry.demo import make_pesel
    from ostoja.registry.models import Income, Person
    from tests.factories import _street

    user = make_staff("sw_dup", role=Role.SOCIAL_WORKER)
    street = _street()

    def person(last: str, serial: int) -> Any:
        return registry.person_create(
            data={
                "first_name": "Jan", "last_name": last,
                "pesel": make_pesel(date(1970, 1, 1), serial, "M"),
                "birth_date": date(1970, 1, 1), "sex": "M", "act_street": street,
                "act_house": "7", "act_city": "Kielce",
            },
            user=user,
            on=date(2026, 11, 2),
        )  # fmt: skip

    keep, duplicate = person("Wróbel", 321), person("Wróbel", 322)
    other = person("Wróblewski", 323)
    for who in (duplicate, other):
        registry.income_add(
            person=who,
            data={"month": date(2026, 10, 1), "kind": "wynagrodzenie", "amount": "900.00",
                  "proof": "zaświadczenie pracodawcy Wróbla"},
            user=user,
            on=date(2026, 11, 2),
        )  # fmt: skip
    Person.objects.filter(pk=duplicate.pk).update(merged_into_id=keep.pk)
    changed = anonymise_related(keep, also=[Person.objects.get(pk=duplicate.pk)])
    assert Income.objects.get(person=duplicate).proof == ""  # the person's own text: emptied
    assert changed.get("registry.Income") == 1
    # Another person's row is not reached (not the same human, no shared household).
    assert Income.objects.get(person=other).proof == "zaświadczenie pracodawcy Wróbla"
    assert Person.objects.get(pk=duplicate.pk).merged_into_id == keep.pk

"""Polish alphabetical order (issue 17): Ł after L, Ś after S, Ż and Ź after Z."""

from __future__ import annotations

from typing import Any

from ostoja.core.collation import polish_key, polish_sorted


def test_polish_letters_take_their_places() -> None:
    names = ["Żeromskiego", "Zagnańska", "Łódzka", "Lwowska", "Śląska", "Sandomierska",
             "Źródlana", "Ćmielowska", "Czarnowska", "Ogrodowa", "Ósma"]  # fmt: skip
    assert polish_sorted(names) == [
        "Czarnowska", "Ćmielowska", "Lwowska", "Łódzka",
        "Ogrodowa", "Ósma", "Sandomierska", "Śląska", "Zagnańska", "Źródlana", "Żeromskiego",
    ]  # fmt: skip


def test_case_and_spaces() -> None:
    assert polish_key("ala") < polish_key("Ąb")
    assert polish_sorted(["Armii Krajowej", "Armii Ludowej", "Armia"]) == [
        "Armia", "Armii Krajowej", "Armii Ludowej"]  # fmt: skip
    assert polish_sorted(["1 Maja", "Abc"]) == ["1 Maja", "Abc"]


NAMES = ["Zenon", "Łukasz", "Sowa", "Żaneta", "Lucyna", "Śliwa"]
ORDERED = ["Lucyna", "Łukasz", "Sowa", "Śliwa", "Zenon", "Żaneta"]


def test_python_key_orders_the_issue_examples() -> None:
    assert polish_sorted(NAMES) == ORDERED


def test_database_orders_by_the_polish_collation(db: object) -> None:
    """On SQLite the key is registered as a collation on each connection; on PostgreSQL ICU's
    ``pl-PL-x-icu`` does the same — the order is made in SQL, before any ``[:limit]``."""
    from ostoja.core.collation import polish
    from ostoja.registry.models import Street

    for n, name in enumerate(NAMES, start=1):
        Street.objects.create(
            sym_ul=f"9{n:04d}", name_1=name, full_name=name, search_key=name.lower()
        )
    got = list(
        Street.objects.filter(sym_ul__startswith="9")
        .order_by(polish("name_1"))
        .values_list("name_1", flat=True)[:6]
    )
    assert got == ORDERED
    first_two = list(
        Street.objects.filter(sym_ul__startswith="9")
        .order_by(polish("name_1"))
        .values_list("name_1", flat=True)[:2]
    )
    assert first_two == ["Lucyna", "Łukasz"]  # not "Lucyna", "Sowa" (byte order puts Ł last)


def test_person_search_lists_surnames_in_polish_order(db: object, monkeypatch: Any) -> None:
    from datetime import date

    from ostoja.registry import selectors
    from ostoja.registry.models import Person

    for n, last in enumerate(NAMES):
        Person.objects.create(
            first_name="Jan", last_name=last, search_key=f"{last.lower()} jan",
            birth_date=date(1980, 1, 1 + n), sex="M",
        )  # fmt: skip
    # The order is under test here, not the scope (tested in tests/security).
    monkeypatch.setattr(selectors, "persons_visible", lambda user: Person.objects.all())
    found = [p.last_name for p in selectors.person_search(user=None, query="", limit=10)]
    assert [n for n in found if n in NAMES] == ORDERED

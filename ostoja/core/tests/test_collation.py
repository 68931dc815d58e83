"""Polish alphabetical order (issue 17): Ł after L, Ś after S, Ż and Ź after Z."""

from __future__ import annotations

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

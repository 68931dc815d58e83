"""Issue 17: "Rodzina Żółkiewskich" — a family is named by the genitive plural of its surname."""

from __future__ import annotations

import pytest

from ostoja.core.polish import family_name


@pytest.mark.parametrize(
    ("surname", "family"),
    [
        ("Żółkiewska", "Rodzina Żółkiewskich"),  # -ska
        ("Żółkiewski", "Rodzina Żółkiewskich"),  # -ski
        ("Wysocka", "Rodzina Wysockich"),  # -cka
        ("Zawadzki", "Rodzina Zawadzkich"),  # -dzki
        ("Nowak", "Rodzina Nowaków"),  # consonant ending: -ów (dictionary)
        ("Wójcik", "Rodzina Wójcików"),
        ("Kowalska-Nowak", "Rodzina Kowalskich-Nowaków"),
        # two plurals in the dictionary: the one with the stem's alternation (Stępnia, Orła, Kozła)
        ("Stępień", "Rodzina Stępniów"),
        ("Orzeł", "Rodzina Orłów"),
        ("Kozioł", "Rodzina Kozłów"),
        ("Wróbel", "Rodzina Wróblów"),  # one plural only: as the dictionary gives it
        ("Sokół", "Rodzina Sokołów"),
        ("Kmita", "Rodzina Kmitów"),  # two lemmas, one plural built on the written stem
        ("Xqzt", "Rodzina Xqzt"),  # unknown: as written
    ],
)
def test_family_name_is_the_genitive_plural(surname: str, family: str) -> None:
    assert family_name(surname) == family

"""Correct Polish on client documents (issue 12 § 3): dates, months, verbs and names by sex."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ostoja.core import polish


def test_date_long_is_day_genitive_month_year() -> None:
    assert polish.date_long(date(2026, 12, 4)) == "4 grudnia 2026 r."
    assert polish.date_long(date(2027, 1, 15)) == "15 stycznia 2027 r."


@pytest.mark.parametrize(
    ("month", "text"),
    [
        (1, "w styczniu 2026 r."),
        (2, "w lutym 2026 r."),
        (11, "w listopadzie 2026 r."),
        (12, "w grudniu 2026 r."),
    ],
)
def test_month_is_declined_in_the_locative(month: int, text: str) -> None:
    assert polish.in_month(2026, month) == text


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_no_date_is_ever_iso(d: date) -> None:
    for text in (polish.date_long(d), polish.in_month(d.year, d.month)):
        assert "-" not in text and text.endswith(" r.")


def test_verbs_follow_the_addressee_sex_never_the_a_shortcut() -> None:
    assert polish.by_sex("K", "złożył", "złożyła") == "złożyła"
    assert polish.by_sex("M", "złożył", "złożyła") == "złożył"
    assert "(a)" not in polish.by_sex("", "złożył", "złożyła", "złożyła")


@pytest.mark.parametrize(
    ("name", "sex", "case", "declined"),
    [
        ("Jan Kowalski", "M", "dat", "Janowi Kowalskiemu"),
        ("Jan Kowalski", "M", "gen", "Jana Kowalskiego"),
        ("Anna Nowak", "K", "dat", "Annie Nowak"),  # a woman's -ak surname does not decline
        ("Jan Nowak", "M", "dat", "Janowi Nowakowi"),
        ("Zofia Żółtańska", "K", "dat", "Zofii Żółtańskiej"),
        ("Małgorzata Łęcka", "K", "inst", "Małgorzatą Łęcką"),
        ("Ewa Nowak-Kowalska", "K", "gen", "Ewy Nowak-Kowalskiej"),
        ("Tadeusz Mazur", "M", "inst", "Tadeuszem Mazurem"),
        ("Jan Zagłoba", "M", "dat", "Janowi Zagłobie"),
    ],
)
def test_names_are_declined_by_the_dictionary(name, sex, case, declined) -> None:
    assert polish.decline_name(name, case, sex) == declined


def test_unknown_surname_falls_back_to_the_adjectival_rule_or_stays() -> None:
    assert polish.decline_name("Jan Qwertyski", "dat", "M") == "Janowi Qwertyskiemu"
    assert polish.decline_name("Anna Qwertyska", "gen", "K") == "Anny Qwertyskiej"
    assert polish.decline_name("Jan Xqzv", "dat", "M") == "Janowi Xqzv"


def test_unknown_sex_leaves_the_name_as_written() -> None:
    assert polish.decline_name("Jan Kowalski", "dat", "") == "Jan Kowalski"


@pytest.mark.parametrize(
    ("n", "form"), [(1, "ratę"), (2, "raty"), (4, "raty"), (5, "rat"), (12, "rat"), (22, "raty")]
)
def test_plural_after_a_number(n: int, form: str) -> None:
    assert polish.plural(n, "ratę", "raty", "rat") == form

"""Issue 19: law-core traces keep ISO text (the law core and the stored snapshots stay as
they are); the templates that show a trace to staff and clients render its dates the Polish
way through the ``pl_dates`` filter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from ostoja.law.benefits import zasilek_okresowy
from ostoja.law.household import Case, Household, IncomeItem, Member
from ostoja.web.templatetags.ostoja_format import pl_dates


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "Data wniosku 2026-12-04, data decyzji 2027-01-05",
            "Data wniosku 04.12.2026, data decyzji 05.01.2027",
        ),
        ("obowiązuje od 2028-02-29", "obowiązuje od 29.02.2028"),
        ("Miesiąc dochodu: 2026-11", "Miesiąc dochodu: 11.2026"),
        ("okres 2026-01–2026-03 (3 mies.)", "okres 01.2026–03.2026 (3 mies.)"),
        # not dates: amounts, references, article ranges, impossible months
        ("1 229,00 zł × 2 = 2 458,00 zł", "1 229,00 zł × 2 = 2 458,00 zł"),
        ("MOPR.8120.12.2026-11", "MOPR.8120.12.2026-11"),
        ("art. 38 ust. 2–4 u.p.s.", "art. 38 ust. 2–4 u.p.s."),
        ("kod 2026-13", "kod 2026-13"),
        ("numer 12026-11-01", "numer 12026-11-01"),
    ],
)
def test_pl_dates_in_trace_text(text: str, shown: str) -> None:
    assert pl_dates(text) == shown


def test_pl_dates_none_and_plain() -> None:
    assert pl_dates(None) == ""
    assert pl_dates("osoba samotnie gospodarująca") == "osoba samotnie gospodarująca"


def _result():
    # art. 8 ust. 1 u.p.s. with the decision date (issue 22): the trace names both dates
    case = Case(
        household=Household(
            (
                Member(
                    "A", incomes=(IncomeItem("zasilek_dla_bezrobotnych", amount=Decimal("300.00")),)
                ),
            )
        ),
        application_date=date(2026, 12, 4),
        decision_date=date(2027, 1, 5),
    )
    return zasilek_okresowy.calculate(case)


def test_trace_keeps_iso_text_in_the_law_core() -> None:
    texts = " ".join(f"{s.step} {s.value}" for s in _result().trace)
    assert "2026-12-04" in texts and "2027-01-05" in texts


def test_trace_template_shows_polish_dates() -> None:
    html = render_to_string("care/_trace.html", {"trace": _result().trace})
    assert "04.12.2026" in html and "05.01.2027" in html
    assert "2026-12-04" not in html and "2027-01-05" not in html
    assert "11.2026" in html  # the income month (art. 8 ust. 3 u.p.s.)
    assert "art. 8 ust. 1" in html  # the basis is still there


def test_calculation_result_partial_shows_polish_dates() -> None:
    html = render_to_string("web/_calc_result.html", {"outcome": {"result": _result()}})
    assert "04.12.2026" in html
    assert "2026-12-04" not in html

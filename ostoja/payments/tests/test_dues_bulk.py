"""Issue 19: the payment run computes the month's dues for the whole set of lines at once
(``schedule.dues_for_lines``) and builds the rows in one pass (``run._payment_rows``). Both must
give exactly what the line-by-line reference gives: the same payments, periods, amounts pro-rated
per art. 106 ust. 3 u.p.s., due dates never before enforceability (art. 130 KPA) and arrears."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ostoja.core import dates
from ostoja.decisions.lines import PayableLine, PaymentMethod
from ostoja.law.periods import YearMonth
from ostoja.law.policy import DEFAULT_POLICY
from ostoja.payments.schedule import dues_for_lines, dues_for_run
from ostoja.payments.services.run import _payment_row, _payment_rows
from ostoja.payments.testing import make_line

_MONTH = YearMonth(2026, 11)
_BASE = date(2026, 1, 1)
_BENEFITS = ("zasilek_staly", "zasilek_okresowy", "zasilek_celowy")
_METHODS = (PaymentMethod.TRANSFER, PaymentMethod.CASH, PaymentMethod.POST)


def _reference_dues(lines: list[PayableLine], month: YearMonth) -> list:  # type: ignore[type-arg]
    return [d for ln in lines for d in dues_for_run(ln, month, DEFAULT_POLICY)]


_day = st.integers(min_value=0, max_value=420).map(lambda n: _BASE + timedelta(days=n))


@st.composite
def _line(draw: st.DrawFn, line_id: int) -> PayableLine:
    benefit = draw(st.sampled_from(_BENEFITS))
    period_from = draw(_day)
    line = make_line(
        line_id,
        benefit=benefit,
        amount=str(draw(st.decimals(min_value=-5, max_value=3000, places=2))),
        period_from=period_from,
        period_to=draw(st.none() | _day),
        effective_to=draw(st.none() | _day),
        method=draw(st.sampled_from(_METHODS)),
        one_off=benefit == "zasilek_celowy" and draw(st.booleans()),
        insured=draw(st.booleans()),
        account=draw(st.sampled_from([None, "", "48 1090 1014 0000 0000 0123 4567"])),
    )
    return replace(
        line,
        enforceable_from=draw(st.none() | _day),
        payment_day=draw(st.integers(min_value=1, max_value=28)),  # documented range
    )


@st.composite
def _lines(draw: st.DrawFn) -> list[PayableLine]:
    n = draw(st.integers(min_value=0, max_value=25))
    return [draw(_line(i + 1)) for i in range(n)]


@settings(max_examples=150, deadline=None)
@given(lines=_lines(), month=st.sampled_from([YearMonth(2026, 2), _MONTH, YearMonth(2027, 1)]))
def test_dues_for_lines_equals_dues_for_run(lines: list[PayableLine], month: YearMonth) -> None:
    """Art. 106 ust. 3 u.p.s. (part months), art. 130 KPA (arrears, due dates): the set-based
    dues equal the line-by-line dues, in the same order, field by field."""
    assert dues_for_lines(lines, month) == _reference_dues(lines, month)


def test_dues_for_lines_table() -> None:
    """Art. 106 ust. 3 u.p.s. and art. 130 KPA, case by case: a whole month (short path), a line
    starting mid-month (pro-rated), ended mid-month, one-off, enforceable last month (arrears),
    not yet enforceable, zero amount."""
    whole = make_line(1, period_from=date(2026, 1, 1))
    cases = [
        whole,
        make_line(2, period_from=date(2026, 11, 12)),
        make_line(3, period_from=date(2026, 1, 1), effective_to=date(2026, 11, 20)),
        make_line(4, benefit="zasilek_celowy", one_off=True, period_from=date(2026, 11, 3)),
        replace(make_line(5, period_from=date(2026, 8, 1)), enforceable_from=date(2026, 10, 7)),
        replace(make_line(6), enforceable_from=date(2026, 12, 2)),
        make_line(7, amount="0.00"),
        make_line(8, period_from=date(2026, 1, 1), period_to=date(2026, 12, 1)),
    ]
    got = dues_for_lines(cases, _MONTH)
    assert got == _reference_dues(cases, _MONTH)
    by_line: dict[int, list] = {}  # type: ignore[type-arg]
    for d in got:
        by_line.setdefault(d.line.line_id, []).append(d)
    assert by_line[1][0].amount == Decimal("600.00")
    assert by_line[1][0].due_date == date(2026, 11, 10)
    assert by_line[2][0].days_covered == 19  # 12–30 November
    assert len(by_line[5]) == 4  # November and the arrears for August–October
    assert 7 not in by_line  # nothing due on a zero amount
    assert 6 not in by_line  # enforceable only in December: nothing in November (art. 130 KPA)
    assert by_line[8][0].period_end == date(2026, 12, 1)


@settings(max_examples=60, deadline=None)
@given(lines=_lines())
def test_payment_rows_equal_payment_row(lines: list[PayableLine]) -> None:
    """The run's rows (one pass, shared columns computed once) equal the per-payment rows:
    reference ``W<line>-<yyyymm>``, budget classification, account without spaces."""
    dues = _reference_dues(lines, _MONTH)
    now = dates.now()
    list_of = {}
    for d in dues:
        b = d.line.budget
        key = (
            str(d.line.payment_method),
            (b.section, b.chapter, b.paragraph, str(b.task_type), str(b.funding)),
        )
        list_of.setdefault(key, len(list_of) + 1)
    fast = list(_payment_rows(dues, run_id=7, list_of=list_of, now=now))
    slow = [_payment_row(d, run_id=7, list_of=list_of, now=now) for d in dues]
    assert fast == slow

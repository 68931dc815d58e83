"""Art. 130 KPA in the payment run, on awkward days: a run for month M pays a line (its month and
its arrears) only when the decision is enforceable — final, or delivered with rygor
natychmiastowej wykonalności (art. 108 § 1, 130 § 3 KPA) — on or before the last day of M, and
no payment is dated before that day. The payment day is 1–28; 0 is refused, not reinterpreted
(``schedule.PAYMENT_DAYS``, ``DecisionLine`` constraint ``decision_line_payment_day``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ostoja.decisions.lines import PayableLine
from ostoja.law.periods import YearMonth
from ostoja.payments.schedule import (
    PaymentDayInvalid,
    due_for_month,
    dues_for_lines,
    dues_for_run,
)
from ostoja.payments.testing import make_line


def _line(since: date | None, *, period_from: date, day: int = 10, **kw: object) -> PayableLine:
    return replace(
        make_line(1, period_from=period_from, **kw),  # type: ignore[arg-type]
        enforceable_from=since,
        payment_day=day,
    )


def _both(line: PayableLine, month: YearMonth) -> list:  # type: ignore[type-arg]
    got = dues_for_run(line, month)
    assert dues_for_lines([line], month) == got  # the bulk path agrees (issue 19)
    return got


def test_art130_kpa_run_before_the_month_of_enforceability_has_nothing_not_even_arrears() -> None:
    """Run for November, decision enforceable 3 December: November's run pays nothing of it —
    formerly it carried the arrears dated 3 December."""
    line = _line(date(2026, 12, 3), period_from=date(2026, 10, 1))
    assert _both(line, YearMonth(2026, 11)) == []
    december = _both(line, YearMonth(2026, 12))
    assert {d.period_start for d in december} == {
        date(2026, 10, 1),
        date(2026, 11, 1),
        date(2026, 12, 1),
    }
    assert all(d.due_date == date(2026, 12, 10) for d in december)


def test_art130_kpa_enforceable_on_the_month_end_is_paid_in_that_months_run() -> None:
    line = _line(date(2026, 11, 30), period_from=date(2026, 10, 1))
    november = _both(line, YearMonth(2026, 11))
    assert {d.period_start for d in november} == {date(2026, 10, 1), date(2026, 11, 1)}
    assert all(d.due_date == date(2026, 11, 30) for d in november)  # never before it


def test_art130_kpa_31_december_and_the_january_run() -> None:
    """Enforceable on 31 December: December's run pays December and the arrears dated 31
    December; January's run (the month after) proposes the same keys again — the same amounts,
    so the unique (line, period) key leaves exactly one of each — and January itself on the 10th.
    Enforceable on 1 January: December's run has nothing."""
    line = _line(date(2026, 12, 31), period_from=date(2026, 11, 16))
    december = _both(line, YearMonth(2026, 12))
    assert [(d.period_start, d.due_date) for d in december] == [
        (date(2026, 12, 1), date(2026, 12, 31)),
        (date(2026, 11, 1), date(2026, 12, 31)),
    ]
    assert december[1].days_covered == 15  # 16–30 November, pro-rated (art. 106 ust. 3 u.p.s.)
    january = _both(line, YearMonth(2027, 1))
    keys = {d.period_start: d.amount for d in january}
    assert keys[date(2027, 1, 1)] == Decimal("600.00")
    for d in december:
        assert keys[d.period_start] == d.amount
    assert all(d.due_date >= date(2027, 1, 10) for d in january)
    later = replace(line, enforceable_from=date(2027, 1, 1))
    assert _both(later, YearMonth(2026, 12)) == []
    assert all(d.due_date >= date(2027, 1, 10) for d in _both(later, YearMonth(2027, 1)))


def test_art130_kpa_29_february_2028() -> None:
    """Enforceable on 29 February 2028 (leap year), payment day 28: February's run pays
    December–February dated 29 February, not the 28th; a run for January 2028 pays nothing."""
    line = _line(date(2028, 2, 29), period_from=date(2027, 12, 1), day=28)
    assert _both(line, YearMonth(2028, 1)) == []
    february = _both(line, YearMonth(2028, 2))
    assert sorted(d.period_start for d in february) == [
        date(2027, 12, 1),
        date(2028, 1, 1),
        date(2028, 2, 1),
    ]
    assert all(d.due_date == date(2028, 2, 29) for d in february)
    assert next(d for d in february if d.period_start == date(2028, 2, 1)).days_in_month == 29
    march = _both(line, YearMonth(2028, 3))
    assert [d.due_date for d in march if d.period_start == date(2028, 3, 1)] == [date(2028, 3, 28)]


def test_art130_kpa_enforceable_on_the_payment_day_is_paid_that_day() -> None:
    line = _line(date(2026, 11, 10), period_from=date(2026, 11, 1))
    (due,) = _both(line, YearMonth(2026, 11))
    assert due.due_date == date(2026, 11, 10)
    next_day = replace(line, enforceable_from=date(2026, 11, 11))
    (due,) = _both(next_day, YearMonth(2026, 11))
    assert due.due_date == date(2026, 11, 11)  # the day after: paid that day, not in December


def test_art130_kpa_one_off_waits_for_enforceability() -> None:
    line = _line(
        date(2026, 12, 3),
        period_from=date(2026, 11, 20),
        benefit="zasilek_celowy",
        one_off=True,
    )
    assert _both(line, YearMonth(2026, 11)) == []
    (due,) = _both(line, YearMonth(2026, 12))
    assert due.due_date == date(2026, 12, 10)


@pytest.mark.parametrize("day", [0, 29, 31, -1])
def test_payment_day_outside_1_28_is_refused_not_moved(day: int) -> None:
    """Payment day 0 has no meaning in the data (the decision line holds 1–28 by a check
    constraint and the form refuses it): the schedule refuses it on every path instead of
    crashing in ``date()`` (formerly ``dues_for_run``) or silently paying on the 1st."""
    line = _line(date(2026, 10, 20), period_from=date(2026, 9, 1), day=day)
    for month in (YearMonth(2026, 10), YearMonth(2026, 11)):
        with pytest.raises(PaymentDayInvalid):
            dues_for_run(line, month)
        with pytest.raises(PaymentDayInvalid):
            dues_for_lines([line], month)
    whole = replace(line, enforceable_from=None)
    with pytest.raises(PaymentDayInvalid):
        dues_for_lines([whole], YearMonth(2026, 11))  # the short path too


# --------------------------------------------------------------------------- the invariant

_BASE = date(2026, 1, 1)
_day = st.integers(min_value=0, max_value=500).map(lambda n: _BASE + timedelta(days=n))
_MONTHS = [YearMonth(2026, 1).shift(i) for i in range(20)]  # January 2026 – August 2027


@st.composite
def _lines(draw: st.DrawFn) -> list[PayableLine]:
    out = []
    for i in range(draw(st.integers(min_value=1, max_value=8))):
        one_off = draw(st.booleans())
        line = make_line(
            i + 1,
            benefit="zasilek_celowy" if one_off else "zasilek_okresowy",
            amount=str(draw(st.decimals(min_value=1, max_value=2000, places=2))),
            period_from=draw(_day),
            period_to=draw(st.none() | _day),
            effective_to=draw(st.none() | _day),
            one_off=one_off,
        )
        out.append(
            replace(
                line,
                enforceable_from=draw(st.none() | _day),
                payment_day=draw(st.integers(min_value=1, max_value=28)),
            )
        )
    return out


@settings(max_examples=120, deadline=None)
@given(lines=_lines(), skipped=st.sets(st.integers(min_value=0, max_value=19), max_size=6))
def test_art130_kpa_no_payment_before_enforceability_and_no_period_paid_twice(
    lines: list[PayableLine], skipped: set[int]
) -> None:
    """A run every month (some months' runs missed): whatever run proposes a (line, period),
    it is dated on or after the line's enforceability and in a run whose month ends after it;
    one run never proposes a key twice; every run proposing a key proposes the same amount, so
    the unique key (first run wins) pays it once; and every month of an enforceable line's
    period is proposed by some run when no run is missed."""
    paid: dict[tuple[int, date], Decimal] = {}
    for i, month in enumerate(_MONTHS):
        if i in skipped:
            continue
        dues = dues_for_lines(lines, month)
        keys = [(d.line.line_id, d.period_start) for d in dues]
        assert len(keys) == len(set(keys))
        for d in dues:
            since = d.line.enforceable_from
            if since is not None:
                assert d.due_date >= since
                assert since < month.shift(1).first_day
            assert d.due_date >= date(month.year, month.month, 1)
            assert paid.setdefault((d.line.line_id, d.period_start), d.amount) == d.amount
    if skipped:
        return
    last = _MONTHS[-1]
    for line in lines:
        if line.enforceable_from is not None and line.enforceable_from >= last.first_day:
            continue
        if line.one_off:
            expected = due_for_month(replace(line, enforceable_from=None), _MONTHS[0])
            want = {line.period_from} if line.period_from < last.first_day and expected else set()
            got = {p for (lid, p) in paid if lid == line.line_id}
            if line.period_from < _MONTHS[0].first_day:
                continue
            assert got == want or not want
            continue
        unconditional = replace(line, enforceable_from=None)
        want = {
            m.first_day
            for m in _MONTHS[:-1]
            if (due := due_for_month(unconditional, m)) is not None and due.amount > 0
        }
        got = {p for (lid, p) in paid if lid == line.line_id and p < last.first_day}
        assert got == want

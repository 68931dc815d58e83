"""What a decision line makes due, month by month — pure, no database.

A line pays for the half-open period ``[period_from, end)`` where ``end`` is the earlier of
``period_to`` and ``effective_to`` (a later decision that changed or revoked it: from that day
nothing more is due). A month covered only in part is pro-rated by the law core (art. 106 ust. 3
u.p.s.). A one-off line (zasiłek celowy) is due once, in the run of the month it can first be
paid in.

Nothing is paid before the decision became enforceable (``enforceable_from``, art. 130 KPA): the
due date is never earlier, a month's run never pays a line that became enforceable after that
month, and months of the period that went by while the decision waited for finality are paid
as arrears in the run of the month it became enforceable (:func:`dues_for_run`).

Which day decides (issue 19/21 §3): a run for month M contains a line — its month and any
arrears — only if the decision is enforceable (final, art. 16 § 1 and 130 § 1–2 KPA, or delivered
with rygor natychmiastowej wykonalności, art. 108 § 1 and 130 § 3 KPA) **on or before the last
day of M**; every payment of it is then dated on its payment day but never before the
enforceability date. Art. 130 KPA forbids *executing* the decision earlier, and execution is the
payment, whose date is never before enforceability; the run only prepares the list. Taking the
payment day instead would push a decision enforceable on the 11th of M, payment day 10, a whole
month later although it may be paid on the 11th (art. 106 ust. 3 u.p.s.: paid for the calendar
month). A decision enforceable only after M (e.g. 3 December for a November run) is in no part
of M's run: its months, arrears included, are paid from December's run.

The payment day is 1–28 (``DecisionLine`` check constraint ``decision_line_payment_day``, the
decision form and the drafting service refuse anything else): 0 means nothing and is refused
here too (:class:`PaymentDayInvalid`), never silently moved to the 1st.

The key of a payment is ``(line_id, period_start)``: the first day of the month for monthly
lines, ``period_from`` for one-off lines — the database holds it unique.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from ostoja.decisions.lines import PayableLine
from ostoja.law.benefits.common import part_month_amount
from ostoja.law.periods import YearMonth
from ostoja.law.policy import DEFAULT_POLICY, Policy

__all__ = [
    "PAYMENT_DAYS",
    "Due",
    "PaymentDayInvalid",
    "Recalculated",
    "due_carried",
    "due_for_month",
    "dues_for_lines",
    "dues_for_run",
    "line_end",
    "recalculate",
]

_ZERO = Decimal("0.00")
# The day of the month a line is paid on: 1–28, so that it exists in every month (February).
PAYMENT_DAYS = range(1, 29)


class PaymentDayInvalid(ValueError):
    """A line's payment day outside 1–28 (the source validates it; a line built elsewhere
    may not)."""

    def __init__(self, line_id: int, day: int) -> None:
        super().__init__(f"line {line_id}: payment_day {day} is outside 1–28")
        self.line_id, self.day = line_id, day


@dataclass(frozen=True, slots=True)
class Due:
    line: PayableLine
    period_start: date
    period_end: date  # exclusive
    days_covered: int
    days_in_month: int
    amount: Decimal
    due_date: date


@dataclass(frozen=True, slots=True)
class Recalculated:
    """A paid period re-read against the line's new end (``effective_to``)."""

    period_end: date  # new exclusive end (== start when nothing remains)
    days_covered: int
    amount: Decimal  # what is still due for the period
    overpaid: Decimal  # paid − due (≥ 0)
    overpaid_days: int


def line_end(line: PayableLine) -> date | None:
    ends = [d for d in (line.period_to, line.effective_to) if d is not None]
    return min(ends) if ends else None


def _due_date(month: YearMonth, payment_day: int, not_before: date, line_id: int = 0) -> date:
    if payment_day not in PAYMENT_DAYS:
        raise PaymentDayInvalid(line_id, payment_day)
    return max(date(month.year, month.month, payment_day), not_before)


def _pay_from(line: PayableLine) -> date:
    """The first day anything of ``line`` may be paid: its start, not before enforceability."""
    if line.enforceable_from is None:
        return line.period_from
    return max(line.period_from, line.enforceable_from)


def due_for_month(
    line: PayableLine, month: YearMonth, policy: Policy = DEFAULT_POLICY
) -> Due | None:
    """The payment ``line`` makes due in the run for ``month``, or None."""
    first = month.first_day
    next_first = month.shift(1).first_day
    end = line_end(line)
    if line.monthly_amount <= 0:
        return None
    pay_from = _pay_from(line)
    if pay_from >= next_first:
        return None  # not enforceable yet in this month (art. 130 KPA)
    if line.one_off:
        if end is not None and end <= line.period_from:
            return None
        return Due(
            line=line,
            period_start=line.period_from,
            period_end=line.period_from + timedelta(days=1),
            days_covered=0,
            days_in_month=0,
            amount=line.monthly_amount,
            due_date=_due_date(month, line.payment_day, pay_from, line.line_id),
        )
    start = max(first, line.period_from)
    stop = min(next_first, end) if end is not None else next_first
    if stop <= start:
        return None
    covered = (stop - start).days
    amount = part_month_amount(line.monthly_amount, month, covered, policy)
    if amount <= 0:
        return None
    return Due(
        line=line,
        period_start=first,
        period_end=stop,
        days_covered=covered,
        days_in_month=month.days,
        amount=amount,
        due_date=_due_date(month, line.payment_day, max(start, pay_from), line.line_id),
    )


def dues_for_run(line: PayableLine, month: YearMonth, policy: Policy = DEFAULT_POLICY) -> list[Due]:
    """What the run for ``month`` pays for ``line``: the month itself and, for a line that
    became enforceable in this month or the one before, the earlier months of its period as
    arrears (paid from the run's date, never before enforceability). A month already paid is
    skipped by the payment key ``(line, period_start)``.

    A line enforceable only after ``month`` ends gives nothing, arrears included (art. 130 KPA;
    the module docstring says why the month's end, not the payment day, decides)."""
    current = due_for_month(line, month, policy)
    out = [current] if current is not None else []
    since = line.enforceable_from
    if (
        line.one_off
        or since is None
        or since < month.shift(-1).first_day
        or since >= month.shift(1).first_day  # not enforceable by the month's end
    ):
        return out
    back = YearMonth.of(line.period_from)
    not_before = _due_date(month, line.payment_day, since, line.line_id)
    # The months themselves, as if enforceable then; paid now (not before ``not_before``).
    unconditional = replace(line, enforceable_from=None)
    while back.first_day < month.first_day:
        due = due_for_month(unconditional, back, policy)
        if due is not None:
            out.append(
                Due(
                    line=line,
                    period_start=due.period_start,
                    period_end=due.period_end,
                    days_covered=due.days_covered,
                    days_in_month=due.days_in_month,
                    amount=due.amount,
                    due_date=max(due.due_date, not_before),
                )
            )
        back = back.shift(1)
    return out


def due_carried(
    line: PayableLine, period_start: date, month: YearMonth, policy: Policy = DEFAULT_POLICY
) -> Due | None:
    """The due of ``(line, period_start)`` that an earlier run left out (the person's
    processing was restricted, art. 18 RODO), paid in the run for ``month``: the period's amount
    as the line gives it now (an end set since is respected), dated on ``month``'s payment day
    and never before enforceability; None when nothing is due any more or the line is not
    enforceable by ``month``'s end (art. 130 KPA)."""
    since = line.enforceable_from
    if since is not None and since >= month.shift(1).first_day:
        return None
    unconditional = replace(line, enforceable_from=None)
    due = due_for_month(
        unconditional, month if line.one_off else YearMonth.of(period_start), policy
    )
    if due is None or due.period_start != period_start:
        return None
    pay_on = _due_date(month, line.payment_day, since or month.first_day, line.line_id)
    return replace(due, line=line, due_date=max(due.due_date, pay_on))


def dues_for_lines(
    lines: Iterable[PayableLine], month: YearMonth, policy: Policy = DEFAULT_POLICY
) -> list[Due]:
    """What the run for ``month`` pays for every line of ``lines``, in their order: exactly
    ``[d for ln in lines for d in dues_for_run(ln, month, policy)]``, computed for the whole set.

    Issue 19: the month's constants (first day, days, the due date per payment day, the
    full-month amount per monthly amount) are computed once for the set instead of once per
    line. A line paid for the whole month — the usual case: started before it, not ended in it,
    enforceable before the previous month (so no arrears) — takes the short path below; any
    other line (one-off, part month, arrears, not yet enforceable) goes through
    :func:`dues_for_run` unchanged. The equivalence is tested line by line
    (``test_dues_for_lines_equals_dues_for_run``).
    """
    first = month.first_day
    next_first = month.shift(1).first_day
    previous_first = month.shift(-1).first_day
    days = month.days
    due_on: dict[int, date] = {}
    full: dict[Decimal, Decimal] = {}
    out: list[Due] = []
    append = out.append
    for ln in lines:
        since = ln.enforceable_from
        end = ln.period_to
        if ln.effective_to is not None and (end is None or ln.effective_to < end):
            end = ln.effective_to
        if (
            ln.one_off
            or ln.period_from > first
            or (end is not None and end < next_first)
            or (since is not None and since >= previous_first)
            or ln.monthly_amount <= 0
        ):
            out.extend(dues_for_run(ln, month, policy))
            continue
        # Whole month, enforceable before it: due on the line's payment day of this month
        # (``_due_date`` with ``not_before`` at most the first day), the monthly amount
        # pro-rated over every day of the month (art. 106 ust. 3 u.p.s.: the whole amount).
        amount = full.get(ln.monthly_amount)
        if amount is None:
            amount = full[ln.monthly_amount] = part_month_amount(
                ln.monthly_amount, month, days, policy
            )
        if amount <= 0:
            continue
        due_date = due_on.get(ln.payment_day)
        if due_date is None:
            due_date = due_on[ln.payment_day] = _due_date(month, ln.payment_day, first, ln.line_id)
        append(Due(ln, first, next_first, days, days, amount, due_date))
    return out


def recalculate(
    line: PayableLine,
    *,
    period_start: date,
    paid_from: date,
    paid_to: date,
    paid_amount: Decimal,
    policy: Policy = DEFAULT_POLICY,
) -> Recalculated | None:
    """Re-read a payment for ``[paid_from, paid_to)`` against the line's current end.

    Returns None when nothing changed. For a monthly line the part still due is pro-rated by the
    law core; a one-off line ended on or before its date is not due at all.
    """
    end = line_end(line)
    if end is None or end >= paid_to:
        return None
    if line.one_off:
        return Recalculated(end, 0, _ZERO, paid_amount, 0)
    month = YearMonth.of(period_start)
    new_end = max(end, paid_from)
    covered = (new_end - paid_from).days
    due = part_month_amount(line.monthly_amount, month, covered, policy) if covered else _ZERO
    due = min(due, paid_amount)
    return Recalculated(
        period_end=new_end,
        days_covered=covered,
        amount=due,
        overpaid=paid_amount - due,
        overpaid_days=(paid_to - new_end).days,
    )

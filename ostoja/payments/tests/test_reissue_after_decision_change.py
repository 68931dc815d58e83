"""Issue 21: a payment the bank returned is re-issued; if its decision line has ended since
(zmiana, uchylenie, wygaszenie — art. 106 ust. 5 u.p.s.) or the decision no longer stands for
that period (quashed, no longer enforceable — art. 130 KPA), the re-issue does not go out as if
nothing happened: approval refuses it naming it and why, the month's run cuts it to what is
still due or cancels it, a sent one becomes an overpayment. The returned original stays
``zwrócona`` (outside the ledger): the money is never paid twice and never vanishes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum

from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.decisions.lines import PayableLine, PaymentMethod
from ostoja.law.periods import YearMonth
from ostoja.payments import selectors, services, sources
from ostoja.payments.models import (
    ListStatus,
    Overpayment,
    Payment,
    PaymentList,
    PaymentStatus,
)
from ostoja.payments.testing import REISSUE_ON, make_line

pytestmark = pytest.mark.django_db

NOV = YearMonth(2026, 11)
DEC = YearMonth(2026, 12)
T0 = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
LINE = 5


@pytest.fixture
def decision_now(monkeypatch: pytest.MonkeyPatch) -> Any:
    """What decisions say of the line now (``sources.lines_now``): set by each test."""
    state: dict[str, Any] = {"line": make_line(LINE), "calls": []}

    def lines_now(*, line_ids: Any, period_start: date, period_end: date) -> dict[int, Any]:
        state["calls"].append((set(line_ids), period_start, period_end))
        ln: PayableLine | None = state["line"]
        return {ln.line_id: ln} if ln is not None and ln.line_id in line_ids else {}

    monkeypatch.setattr(sources, "lines_now", lines_now)
    return state


def _approve(pl: PaymentList, who: Any, at: datetime = LATER) -> PaymentList:
    pl.refresh_from_db()
    return services.payment_list_approve(
        list_id=pl.id, actor=who, execution_date=date(2026, 11, 25),
        expected_version=pl.version, now=at,
    )  # fmt: skip


def _returned_and_reissued(clerk: Any, finance: Any, finance2: Any) -> tuple[Payment, Payment]:
    services.payroll_build(month=NOV, lines=[make_line(LINE)], actor=clerk, now=T0)
    _approve(PaymentList.objects.get(), finance, T0 + timedelta(hours=1))
    orig = Payment.objects.get()
    Payment.objects.filter(pk=orig.pk).update(
        status=PaymentStatus.RETURNED, returned_on=date(2026, 11, 12)
    )
    new = services.payment_reissue(
        payment_id=orig.pk,
        method=PaymentMethod.CASH,
        account_number="",
        on=REISSUE_ON,
        actor=finance,
    )
    orig.refresh_from_db()
    return orig, new


def _executed_total() -> Decimal:
    return Payment.objects.filter(status__in=selectors.EXECUTED).aggregate(s=Sum("amount"))[
        "s"
    ] or Decimal("0")


def test_an_unchanged_decision_lets_the_reissue_go_out_once(
    clerk: Any, finance: Any, finance2: Any, decision_now: Any
) -> None:
    _orig, new = _returned_and_reissued(clerk, finance, finance2)
    done = _approve(new.list, finance2)
    assert done.status == ListStatus.APPROVED and done.total == Decimal("600.00")
    assert _executed_total() == Decimal("600.00")  # the reissue only; the original returned
    # decisions were asked for this line only, through the month of the approval at least
    ids, start, end = decision_now["calls"][-1]
    assert ids == {LINE} and start == NOV.first_day and end >= DEC.first_day


def test_a_decision_revoked_since_holds_the_reissue_and_the_run_cancels_it(
    clerk: Any, finance: Any, finance2: Any, decision_now: Any
) -> None:
    orig, new = _returned_and_reissued(clerk, finance, finance2)
    decision_now["line"] = None  # revoked from the start / quashed: nothing due for November
    with pytest.raises(ValidationFailed) as exc:
        _approve(new.list, finance2)
    assert new.reference in exc.value.message and "nie jest już podstawą" in exc.value.message
    new.refresh_from_db()
    orig.refresh_from_db()
    assert (new.status, new.list.status, orig.status) == (
        PaymentStatus.SCHEDULED,
        ListStatus.DRAFT,
        PaymentStatus.RETURNED,
    )  # fmt: skip  — nothing half-done by the refusal
    # Next month's run (the line is no longer among the payable ones) cancels the re-issue.
    result = services.payroll_build(month=DEC, lines=[], actor=clerk, now=LATER)
    new.refresh_from_db()
    assert new.status == PaymentStatus.CANCELLED and "Anulowano ponowienie" in new.note
    assert result.cancelled >= 1
    assert _executed_total() == Decimal("0")  # nothing went out; the returned 600 stays home
    assert Payment.objects.get(pk=orig.pk).status == PaymentStatus.RETURNED
    with pytest.raises(Exception, match="już ponownie zlecona"):  # never a second re-issue
        services.payment_reissue(
            payment_id=orig.pk,
            method=PaymentMethod.CASH,
            account_number="",
            on=REISSUE_ON,
            actor=finance,
        )


def test_a_right_ended_mid_month_cuts_the_reissue_to_what_is_due(
    clerk: Any, finance: Any, finance2: Any, decision_now: Any
) -> None:
    _orig, new = _returned_and_reissued(clerk, finance, finance2)
    ended = make_line(LINE, effective_to=date(2026, 11, 16))
    decision_now["line"] = ended
    with pytest.raises(ValidationFailed) as exc:
        _approve(new.list, finance2)
    assert "ustało od 16.11.2026" in exc.value.message and "zamiast" in exc.value.message
    services.payroll_build(month=NOV, lines=[ended], actor=clerk, now=LATER)
    new.refresh_from_db()
    assert Decimal("0") < new.amount < Decimal("600.00")
    assert new.period_end == date(2026, 11, 16) and new.days_covered == 15
    # Never doubled: the run made no new November payment for the line.
    assert Payment.objects.filter(line_id=LINE).count() == 2
    done = _approve(new.list, finance2)
    assert done.status == ListStatus.APPROVED and done.total == new.amount
    assert _executed_total() == new.amount


def test_a_reissue_sent_before_the_right_ended_becomes_an_overpayment_of_itself(
    clerk: Any, finance: Any, finance2: Any, decision_now: Any
) -> None:
    _orig, new = _returned_and_reissued(clerk, finance, finance2)
    _approve(new.list, finance2)
    ended = make_line(LINE, effective_to=date(2026, 11, 16))
    decision_now["line"] = ended
    drafts: list[Any] = []
    services.payroll_build(
        month=NOV, lines=[ended], actor=clerk, now=LATER,
        recovery=lambda **kw: drafts.append(kw) or "R-1",
    )  # fmt: skip
    (op,) = Overpayment.objects.all()
    new.refresh_from_db()
    assert op.payment_id == new.pk and op.amount == Decimal("600.00") - _due(ended, new)
    assert new.amount == Decimal("600.00") and new.status == PaymentStatus.APPROVED  # frozen
    assert len(drafts) == 1  # one recovery draft, for the re-issue — not for the returned one


def _due(line: PayableLine, p: Payment) -> Decimal:
    from ostoja.payments.schedule import recalculate

    re_ = recalculate(
        line, period_start=p.period_start, paid_from=p.period_start, paid_to=p.period_end,
        paid_amount=p.amount,
    )  # fmt: skip
    assert re_ is not None
    return re_.amount


def test_other_payments_on_the_list_are_not_held_by_a_stale_reissue_of_another_line(
    clerk: Any, finance: Any, finance2: Any, decision_now: Any
) -> None:
    """The adversary's side: only the re-issue whose own line changed is held; an original
    payment of the same (ended) line is the run's business, not approval's."""
    _orig, new = _returned_and_reissued(clerk, finance, finance2)
    decision_now["line"] = make_line(LINE + 1)  # decisions know nothing of LINE any more
    services.payroll_build(month=DEC, lines=[make_line(LINE + 1)], actor=clerk, now=LATER)
    dec_list = PaymentList.objects.get(month=DEC.first_day)
    assert _approve(dec_list, finance2).status == ListStatus.APPROVED  # no re-issue on it
    new.refresh_from_db()
    assert new.status == PaymentStatus.CANCELLED  # the run reconciled the stale one anyway


def test_a_reissue_made_after_the_decision_fell_is_refused_and_nothing_is_created(
    clerk: Any, finance: Any, finance2: Any, decision_now: Any
) -> None:
    """Not only approval and the run: the re-issue itself reads the decision as it stands on
    the day it is made."""
    services.payroll_build(month=NOV, lines=[make_line(LINE)], actor=clerk, now=T0)
    _approve(PaymentList.objects.get(), finance, T0 + timedelta(hours=1))
    orig = Payment.objects.get()
    Payment.objects.filter(pk=orig.pk).update(
        status=PaymentStatus.RETURNED, returned_on=date(2026, 11, 12)
    )
    decision_now["line"] = None  # quashed on appeal before the clerk re-issues
    with pytest.raises(DomainError) as exc:
        services.payment_reissue(
            payment_id=orig.pk, method=PaymentMethod.CASH, account_number="", actor=finance,
            on=date(2026, 11, 20),
        )  # fmt: skip
    assert orig.reference in exc.value.message and "nie jest już podstawą" in exc.value.message
    assert Payment.objects.count() == 1 and PaymentList.objects.count() == 1
    assert Payment.objects.get().status == PaymentStatus.RETURNED
    assert _executed_total() == Decimal("0")


def test_a_reissue_made_after_the_right_ended_is_made_for_what_is_still_due(
    clerk: Any, finance: Any, finance2: Any, decision_now: Any
) -> None:
    """The right ended on 16 November (art. 106 ust. 5 u.p.s.): the re-issue made on the 20th
    pays 1–16 November only, says why, and goes through approval as it is."""
    services.payroll_build(month=NOV, lines=[make_line(LINE)], actor=clerk, now=T0)
    _approve(PaymentList.objects.get(), finance, T0 + timedelta(hours=1))
    orig = Payment.objects.get()
    Payment.objects.filter(pk=orig.pk).update(
        status=PaymentStatus.RETURNED, returned_on=date(2026, 11, 12)
    )
    ended = make_line(LINE, effective_to=date(2026, 11, 16))
    decision_now["line"] = ended
    new = services.payment_reissue(
        payment_id=orig.pk, method=PaymentMethod.CASH, account_number="", actor=finance,
        on=date(2026, 11, 20),
    )  # fmt: skip
    assert Decimal("0") < new.amount < Decimal("600.00")
    assert new.period_end == date(2026, 11, 16) and new.days_covered == 15
    assert new.note.startswith("Ponowienie skorygowane") and "ustało od 16.11.2026" in new.note
    done = _approve(new.list, finance2)  # already what is due: approval does not hold it
    assert done.status == ListStatus.APPROVED and done.total == new.amount
    assert _executed_total() == new.amount

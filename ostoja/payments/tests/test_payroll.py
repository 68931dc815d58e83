"""The monthly run: idempotency, concurrency, part months (art. 106 ust. 3), changes mid-month
with the overpaid part proposed for recovery (art. 98, 104), lists, ledger discipline."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from ostoja.core import dates
from ostoja.core.errors import DomainError, NotPermitted
from ostoja.decisions.lines import PaymentMethod
from ostoja.payments import services
from ostoja.payments.models import (
    HealthContribution,
    ListStatus,
    Overpayment,
    OverpaymentStatus,
    Payment,
    PaymentList,
    PaymentStatus,
)
from ostoja.payments.testing import make_line

pytestmark = pytest.mark.django_db


class Recorder:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kw: Any) -> str:
        self.calls.append(kw)
        return f"PROJEKT/{len(self.calls)}"


def _lines() -> list[Any]:
    return [
        make_line(1, benefit="zasilek_staly", amount="1229.00", insured=False),
        make_line(2, benefit="zasilek_okresowy", amount="600.00"),
        make_line(3, benefit="zasilek_okresowy", amount="450.00", method=PaymentMethod.CASH),
        make_line(
            4,
            benefit="zasilek_celowy",
            amount="300.00",
            one_off=True,
            period_from=date(2026, 11, 5),
        ),
        make_line(
            5,
            benefit="zasilek_staly",
            amount="1229.00",
            period_from=date(2026, 11, 15),
            insured=False,
        ),
        make_line(
            6, benefit="zasilek_okresowy", amount="600.00", period_to=date(2026, 11, 1)
        ),  # ended
        make_line(7, benefit="zasilek_celowy", amount="99.00", method=PaymentMethod.IN_KIND),
    ]


def test_run_twice_creates_each_payment_once(clerk: Any) -> None:
    first = services.payroll_build(now=dates.now(), month="2026-11", lines=_lines(), actor=clerk)
    assert (first.created, first.skipped) == (5, 0)
    # 1229 + 600 + 450 + 300 + 1229×16/30 (655.47, art. 106 ust. 3)
    assert first.total == Decimal("3234.47")
    second = services.payroll_build(now=dates.now(), month="2026-11", lines=_lines(), actor=clerk)
    assert (second.created, second.skipped, second.total) == (0, 5, Decimal("0.00"))
    assert Payment.objects.count() == 5
    p5 = Payment.objects.get(line_id=5)
    assert (p5.days_covered, p5.days_in_month, p5.amount) == (16, 30, Decimal("655.47"))
    assert p5.due_date == date(2026, 11, 15)


def test_one_off_line_is_paid_once_across_months(clerk: Any) -> None:
    line = make_line(
        4, benefit="zasilek_celowy", amount="300.00", one_off=True, period_from=date(2026, 11, 5)
    )
    assert (
        services.payroll_build(now=dates.now(), month="2026-11", lines=[line], actor=clerk).created
        == 1
    )
    assert (
        services.payroll_build(now=dates.now(), month="2026-12", lines=[line], actor=clerk).created
        == 0
    )
    assert Payment.objects.filter(line_id=4).count() == 1


def test_lists_per_method_and_budget_line_with_control_totals(clerk: Any) -> None:
    services.payroll_build(now=dates.now(), month="2026-11", lines=_lines(), actor=clerk)
    lists = {(pl.method, pl.chapter): pl for pl in PaymentList.objects.all()}
    assert set(lists) == {("przelew", "85216"), ("przelew", "85214"), ("kasa", "85214")}
    staly = lists[("przelew", "85216")]
    assert (staly.payment_count, staly.total) == (2, Decimal("1884.47"))
    assert staly.number == "LW/2026/11/85216/3110/przelew/1"


def test_health_contributions_for_zasilek_staly_not_insured_elsewhere(clerk: Any) -> None:
    services.payroll_build(now=dates.now(), month="2026-11", lines=_lines(), actor=clerk)
    rows = {h.person_id: h.amount for h in HealthContribution.objects.all()}
    # 9 % of 1229.00 = 110.61; of the part month 655.47 = 58.99 (formats.md §7.2)
    assert rows == {30001: Decimal("110.61"), 30005: Decimal("58.99")}
    # written in one statement (COPY on PostgreSQL): every column as executemany wrote it
    first = HealthContribution.objects.get(person_id=30001)
    assert (first.basis, first.rate, first.month) == (
        Decimal("1229.00"), Decimal("9.00"), date(2026, 11, 1)
    )  # fmt: skip
    assert first.recipient_name and first.created_at is not None
    # a second run of the month adds no contribution twice (ON CONFLICT / nothing new)
    services.payroll_build(now=dates.now(), month="2026-11", lines=_lines(), actor=clerk)
    assert HealthContribution.objects.count() == 2


def test_only_clerk_or_finance_may_run(make_staff: Any) -> None:
    from ostoja.org.roles import Role

    worker = make_staff("sw", role=Role.SOCIAL_WORKER)
    with pytest.raises(NotPermitted):
        services.payroll_build(now=dates.now(), month="2026-11", lines=_lines(), actor=worker)


def _approve(pl: PaymentList, user: Any) -> PaymentList:
    return services.payment_list_approve(
        now=dates.now(),
        list_id=pl.id,
        actor=user,
        execution_date=date(2026, 11, 10),
        expected_version=pl.version,
    )


def test_approval_locks_payments_and_new_runs_open_a_supplementary_list(
    clerk: Any, finance: Any
) -> None:
    services.payroll_build(now=dates.now(), month="2026-11", lines=_lines()[:2], actor=clerk)
    pl = PaymentList.objects.get(chapter="85216")
    with pytest.raises(NotPermitted):
        _approve(pl, clerk)
    pl = _approve(pl, finance)
    assert pl.status == ListStatus.APPROVED and pl.approved_by == finance
    p = Payment.objects.get(line_id=1)
    assert p.locked and p.status == PaymentStatus.APPROVED
    p.amount = Decimal("1.00")
    with pytest.raises(DomainError):
        p.save()
    with pytest.raises(DomainError):
        Payment.objects.filter(pk=p.pk).update(amount=Decimal("2.00"))
    with pytest.raises(DomainError):
        Payment.objects.filter(pk=p.pk).delete()
    with pytest.raises(DomainError):
        Payment.objects.get(pk=p.pk).delete()
    extra = make_line(8, benefit="zasilek_staly", amount="500.00")
    result = services.payroll_build(
        now=dates.now(), month="2026-11", lines=[*_lines()[:2], extra], actor=clerk
    )
    assert result.created == 1
    supplement = Payment.objects.get(line_id=8).list
    assert supplement.sequence == 2 and supplement.status == ListStatus.DRAFT


def test_revoked_line_cancels_open_payment_of_the_month(clerk: Any) -> None:
    services.payroll_build(now=dates.now(), month="2026-11", lines=_lines()[:2], actor=clerk)
    result = services.payroll_build(
        now=dates.now(), month="2026-11", lines=_lines()[:1], actor=clerk
    )
    assert result.cancelled == 1
    assert Payment.objects.get(line_id=2).status == PaymentStatus.CANCELLED
    assert PaymentList.objects.get(chapter="85214").payment_count == 0


def test_decision_changed_mid_month_adjusts_future_and_proposes_recovery(
    clerk: Any, finance: Any
) -> None:
    """Art. 106 ust. 5 (ex nunc change), art. 106 ust. 3 (part month), art. 98/104 (recovery)."""
    line = make_line(1, benefit="zasilek_staly", amount="1229.00", insured=False)
    services.payroll_build(now=dates.now(), month="2026-11", lines=[line], actor=clerk)
    services.payroll_build(now=dates.now(), month="2026-12", lines=[line], actor=clerk)
    nov = PaymentList.objects.get(month=date(2026, 11, 1))
    _approve(nov, finance)  # November paid in full; December still a draft
    ended = make_line(
        1, benefit="zasilek_staly", amount="1229.00", insured=False, effective_to=date(2026, 11, 16)
    )
    recorder = Recorder()
    result = services.payroll_build(
        now=dates.now(), month="2026-12", lines=[ended], actor=clerk, recovery=recorder
    )
    # December (open): cancelled — nothing is due after 16 November.
    dec = Payment.objects.get(line_id=1, period_start=date(2026, 12, 1))
    assert dec.status == PaymentStatus.CANCELLED
    assert PaymentList.objects.get(month=date(2026, 12, 1)).payment_count == 0
    # November (approved, locked): 1–15 Nov due = 1229 × 15/30 = 614.50; overpaid 614.50.
    op = Overpayment.objects.get()
    assert (op.amount, op.days, op.effective_to) == (Decimal("614.50"), 15, date(2026, 11, 16))
    assert op.status == OverpaymentStatus.DRAFTED and op.recovery_draft == "PROJEKT/1"
    (call,) = recorder.calls
    assert call["amount"] == Decimal("614.50") and call["source_line_ids"] == [1]
    assert (call["case_id"], call["person_id"], call["actor"]) == (20001, 30001, clerk)
    assert "art. 98" in call["reason"]
    assert (result.overpayments, result.cancelled) == (1, 1)
    # The locked November payment itself is untouched (ledger discipline).
    assert Payment.objects.get(line_id=1, period_start=date(2026, 11, 1)).amount == Decimal(
        "1229.00"
    )
    # Running again proposes nothing twice.
    again = services.payroll_build(
        now=dates.now(), month="2026-12", lines=[ended], actor=clerk, recovery=recorder
    )
    assert again.overpayments == 0 and len(recorder.calls) == 1
    # Health contribution follows the December cancellation.
    assert not HealthContribution.objects.filter(month=date(2026, 12, 1)).exists()


def test_change_in_an_open_month_adjusts_the_payment_pro_rata(clerk: Any) -> None:
    line = make_line(2, amount="600.00")
    services.payroll_build(now=dates.now(), month="2026-11", lines=[line], actor=clerk)
    ended = make_line(2, amount="600.00", effective_to=date(2026, 11, 11))
    result = services.payroll_build(now=dates.now(), month="2026-11", lines=[ended], actor=clerk)
    p = Payment.objects.get(line_id=2)
    assert (p.amount, p.days_covered, p.period_end) == (Decimal("200.00"), 10, date(2026, 11, 11))
    assert result.adjusted == 1 and result.overpayments == 0
    assert PaymentList.objects.get().total == Decimal("200.00")


def test_recovery_pending_when_decisions_has_no_hook_yet(clerk: Any, finance: Any) -> None:
    line = make_line(2, amount="600.00")
    services.payroll_build(now=dates.now(), month="2026-11", lines=[line], actor=clerk)
    _approve(PaymentList.objects.get(), finance)
    ended = make_line(2, amount="600.00", effective_to=date(2026, 11, 21))

    def missing(**kw: Any) -> str:
        raise DomainError("brak")

    result = services.payroll_build(
        now=dates.now(), month="2026-11", lines=[ended], actor=clerk, recovery=missing
    )
    assert (
        result.recovery_pending and Overpayment.objects.get().status == OverpaymentStatus.PROPOSED
    )


def test_parallel_runs_create_each_payment_once(clerk: Any, transactional_db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("równoległe transakcje sprawdzamy na PostgreSQL (SQLite blokuje cały plik)")
    lines = [make_line(i, amount="100.00") for i in range(1, 401)]
    results: list[Any] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        from django.db import connections

        try:
            barrier.wait()
            results.append(
                services.payroll_build(now=dates.now(), month="2026-11", lines=lines, actor=clerk)
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Payment.objects.count() == 400
    assert sum(r.created for r in results) == 400
    assert sum(r.skipped for r in results) == 400
    assert PaymentList.objects.count() == 1

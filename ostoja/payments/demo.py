"""Demo data of the payments context (idempotent): runs after the decisions demo.

If decisions offers payable lines, last month's run is built and its lists approved by the
demo finance user, so a new user sees lists, totals and a bank file at once. Otherwise nothing.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ostoja.core.dates import local_date
from ostoja.core.errors import DomainError
from ostoja.law.periods import YearMonth


def load_demo(*, now: datetime) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.payments import services, sources
    from ostoja.payments.models import ListStatus, PaymentList, PaymentRun

    on = local_date(now)
    month = YearMonth.of(on).shift(-1)
    if PaymentRun.objects.exists():
        return  # loaded before, perhaps on another day: a reload never adds a month or a plan
    for year in sorted({month.year, on.year}):
        _ensure_budget_plan(year)
    try:
        lines = sources.payable_lines(
            period_start=month.first_day, period_end=month.shift(1).first_day
        )
    except DomainError:
        return
    if not lines:
        return
    finance = get_user_model().objects.filter(username="ksiegowosc").first()
    _ensure_centre_account()
    services.payroll_build(month=month, lines=lines, actor=None, now=now)
    if finance is None:
        return
    for pl in PaymentList.objects.filter(
        month=month.first_day, status=ListStatus.DRAFT, payment_count__gt=0
    ):
        try:
            services.payment_list_approve(
                list_id=pl.id,
                actor=finance,
                execution_date=month.first_day.replace(day=10),
                expected_version=pl.version,
                now=now,
            )
        except DomainError:
            continue


def _ensure_centre_account() -> None:
    """The demo centre needs an ordering account for bank files (synthetic, formats.md §1.4)."""
    from ostoja.org.selectors import instance_settings
    from ostoja.payments.testing import ORDERING_NRB

    obj = instance_settings()
    if not obj.bank_account:
        obj.bank_account = ORDERING_NRB
        obj.save(update_fields=["bank_account"])


# Synthetic yearly plan of the demo centre (zł) for the lines the demo decisions pay, so the
# plan-versus-execution report shows a real plan next to execution and commitments.
DEMO_PLAN = {
    "zasilek_okresowy": "1850000.00",
    "zasilek_staly": "3200000.00",
    "zasilek_celowy": "950000.00",
}


def _ensure_budget_plan(year: int) -> None:
    from ostoja.payments.budget import classification_for
    from ostoja.payments.models import BudgetPlan

    if BudgetPlan.objects.filter(year=year).exists():
        return
    for benefit, amount in DEMO_PLAN.items():
        b = classification_for(benefit)
        if b is None:
            continue
        BudgetPlan.objects.get_or_create(
            year=year,
            section=b.section,
            chapter=b.chapter,
            paragraph=b.paragraph,
            task_type=str(b.task_type),
            funding=str(b.funding),
            defaults={"amount": Decimal(amount)},
        )

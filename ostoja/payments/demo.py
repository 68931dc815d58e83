"""Demo data of the payments context (idempotent): runs after the decisions demo.

If decisions offers payable lines, last month's run is built and its lists approved by the
demo finance user, so a new user sees lists, totals and a bank file at once. Otherwise nothing.
"""

from __future__ import annotations

from ostoja.core.dates import today
from ostoja.core.errors import DomainError
from ostoja.law.periods import YearMonth


def load_demo() -> None:
    from django.contrib.auth import get_user_model

    from ostoja.payments import services, sources
    from ostoja.payments.models import ListStatus, PaymentList, PaymentRun

    month = YearMonth.of(today()).shift(-1)
    if PaymentRun.objects.filter(month=month.first_day).exists():
        return
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
    services.payroll_build(month=month, lines=lines, actor=None)
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

"""Long jobs run by the worker (zadania w tle), through django-tasks (database queue by default).

Tasks read the clock (they are an entry point like a command) and call one service each.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from ostoja.core import dates


@task(queue_name="default")
def payroll_build_task(month: str) -> dict[str, Any]:
    """Lista wypłat miesiąca (payment run) in the background: ``month`` as ``RRRR-MM``.

    Idempotent like ``ostoja payroll build``: a repeated run creates nothing twice.
    """
    from ostoja.law.periods import parse_year_month
    from ostoja.payments import services, sources

    ym = parse_year_month(month)
    start, end = ym.first_day, ym.shift(1).first_day
    result = services.payroll_build(
        now=dates.now(),
        month=ym,
        lines=sources.payable_lines(period_start=start, period_end=end),
        actor=None,
        held=sources.held_lines(period_start=start, period_end=end),
    )
    return {"month": str(result.month), "created": result.created, "skipped": result.skipped,
            "total": str(result.total)}  # fmt: skip

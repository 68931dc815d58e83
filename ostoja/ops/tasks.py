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


@task(queue_name="default")
def retention_dry_run_task(on: str | None = None) -> list[dict[str, Any]]:
    """The retention dry run (case files and person records past their period) in the
    background: ids and counts only, no names — the report the DPO and the archive check.
    ``on`` as ``RRRR-MM-DD`` (default: today in Warsaw). Changes nothing."""
    from datetime import date

    from ostoja.ops.rodo.retention import retention_dry_run

    day = date.fromisoformat(on) if on else dates.today()
    return [report.as_dict() for report in retention_dry_run(on=day)]


@task(queue_name="default")
def generated_file_task(file_id: int) -> dict[str, Any]:
    """Build one requested file (``ostoja.ops.files``): the MRPiPS-03 export, a day's decisions
    as one PDF. Returns the row's id and state only; the bytes stay in the row."""
    from ostoja.ops import files

    row = files.generated_file_start(file_id=file_id, now=dates.now())
    if row is None:
        return {"file": file_id, "status": "pominięto (już podjęte)"}
    outcome = files.generated_file_build(row=row)
    files.generated_file_finish(row=row, outcome=outcome, now=dates.now())
    return {"file": file_id, "status": "blad" if isinstance(outcome, str) else "gotowy"}


@task(queue_name="default")
def generated_files_purge_task() -> dict[str, Any]:
    """Drop the bytes of expired files (the rows stay); run it daily (e.g. from the timer)."""
    from ostoja.ops.files import generated_files_purge

    return {"purged": generated_files_purge(now=dates.now())}

"""Benchmark (not a test): the monthly payment run for N active benefit lines.

Run:  DATABASE_URL=postgres://… python bench/bench_payroll.py [N]      (default 20000)
      python bench/bench_payroll.py [N]                                (SQLite in a temp file)
Prints seconds for the first run (everything created) and for a repeat run (everything
skipped), and the process's peak RSS. On PostgreSQL the run inserts through COPY into a
temporary table and one ``INSERT … SELECT … ON CONFLICT DO NOTHING``; elsewhere through
``bulk_create`` in chunks. ``payroll_throughput(n_lines)`` returns lines per second of the
first run and is importable by the lead's bench runner. Lines are synthetic PayableLines (no
decisions needed); the database is a fresh throwaway one created by Django's test runner
machinery.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    # This checkout's code, not whatever ``ostoja`` the virtualenv has installed.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ostoja.core import dates

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")
os.environ.setdefault("OSTOJA_DEV", "1")


def _lines(n: int) -> list:  # type: ignore[type-arg]
    from ostoja.decisions.lines import PaymentMethod
    from ostoja.payments.testing import make_line

    benefits = ("zasilek_staly", "zasilek_okresowy", "zasilek_okresowy", "zasilek_celowy")
    methods = (PaymentMethod.TRANSFER,) * 8 + (PaymentMethod.CASH, PaymentMethod.POST)
    out = []
    for i in range(1, n + 1):
        benefit = benefits[i % len(benefits)]
        out.append(
            make_line(
                i,
                benefit=benefit,
                amount=f"{300 + i % 900}.{i % 100:02d}",
                period_from=date(2026, 11, 1 + i % 28) if i % 7 == 0 else date(2026, 1, 1),
                method=methods[i % len(methods)],
                one_off=benefit == "zasilek_celowy",
                insured=i % 3 != 0,
            )
        )
    return out


def _setup_db():  # type: ignore[no-untyped-def]
    import django
    from django.test.utils import setup_test_environment  # noqa: F401

    django.setup()
    from django.db import connection

    old = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return old


def payroll_throughput(n_lines: int) -> float:
    """Lines per second of a first monthly run of ``n_lines`` lines on a fresh test database."""
    seconds, _ = _run(n_lines)
    return n_lines / seconds


def _run(n: int) -> tuple[float, float]:
    old = _setup_db()
    from django.db import connection

    from ostoja.payments import services

    try:
        lines = _lines(n)
        t0 = time.perf_counter()
        first = services.payroll_build(now=dates.now(), month="2026-11", lines=lines, actor=None)
        t1 = time.perf_counter()
        second = services.payroll_build(now=dates.now(), month="2026-11", lines=lines, actor=None)
        t2 = time.perf_counter()
        assert first.created == first.due and second.created == 0 and second.skipped == first.due
        return t1 - t0, t2 - t1
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    first, repeat = _run(n)
    import resource

    from django.db import connection

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{connection.vendor}: {n} linii — pierwsze uruchomienie {first:.2f} s, ", end="")
    print(f"powtórne {repeat:.2f} s, szczyt RSS {peak_mb:.0f} MB")

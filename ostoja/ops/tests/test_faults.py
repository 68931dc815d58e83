"""Faults (issue 21 §3): the database connection dies in the middle of a payment run.

PostgreSQL only: the test kills its own backend (``pg_terminate_backend`` on this connection's
pid, from a second connection) while ``payroll_build`` is inside its transaction — the machine's
PostgreSQL is not restarted (other test runs share it). Nothing may be half-written; repeating
the run pays each line once; a third run adds nothing.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.db import OperationalError, connection, transaction

from ostoja.core import dates

pytestmark = pytest.mark.django_db(transaction=True)


def _kill_this_backend() -> None:
    pid = connection.connection.info.backend_pid
    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or "localhost", port=s["PORT"] or 5432, user=s["USER"],
        password=s["PASSWORD"] or None, dbname=s["NAME"], autocommit=True,
    ) as other:  # fmt: skip
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _build(month: Any, progress: Any = None) -> Any:
    from ostoja.payments import services, sources

    start, end = month.first_day, month.shift(1).first_day
    return services.payroll_build(
        now=dates.now(), month=month, actor=None, progress=progress,
        lines=sources.payable_lines(period_start=start, period_end=end),
        held=sources.held_lines(period_start=start, period_end=end),
    )  # fmt: skip


def test_connection_lost_mid_payment_run_nothing_lost_nothing_doubled() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (CI's second pass)")
    from ostoja.law.periods import parse_year_month
    from ostoja.payments.models import Payment, PaymentRun
    from ostoja.web.demo import load_demo

    load_demo(now=dates.now())
    month = parse_year_month(dates.shift_months(dates.today(), 1).strftime("%Y-%m"))
    payments, runs = Payment.objects.count(), PaymentRun.objects.count()

    fired: list[int] = []

    def die(done: int, total: int) -> None:
        if not fired:
            fired.append(done)
            _kill_this_backend()

    with pytest.raises(OperationalError):
        _build(month, progress=die)
    assert fired, "the run never reached its progress callback"
    connection.close()  # what the next request does: a fresh connection
    assert Payment.objects.count() == payments  # the whole run rolled back
    assert PaymentRun.objects.count() == runs

    first = _build(month)
    assert first.created > 0, "no payment due next month in the demo data: the test proves nothing"
    assert Payment.objects.count() == payments + first.created
    again = _build(month)
    assert again.created == 0  # repeating never duplicates money
    assert Payment.objects.count() == payments + first.created
    assert not transaction.get_connection().in_atomic_block


def test_a_lost_connection_gives_a_clear_polish_message_503() -> None:
    from django.test import RequestFactory

    from ostoja.ops.middleware import MESSAGE, DatabaseUnavailableMiddleware

    mw = DatabaseUnavailableMiddleware(lambda r: None)  # type: ignore[arg-type, return-value]
    request = RequestFactory().post("/sprawy/1/")
    response = mw.process_exception(request, OperationalError("server closed the connection"))
    assert response is not None and response.status_code == 503
    text = response.content.decode()
    assert "Brak połączenia z bazą danych" in text and MESSAGE in text
    assert response["Retry-After"] == "10"
    api = mw.process_exception(RequestFactory().get("/api/v1/x"), OperationalError("x"))
    assert api is not None and api.status_code == 503 and api["Content-Type"] == "application/json"
    assert mw.process_exception(request, ValueError("x")) is None

"""Running one piece of database work from several threads at once (concurrency tests on
PostgreSQL): each thread closes its own connection; the exceptions come back to the test."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_at_once(work: Callable[[], None], *, threads: int) -> list[Exception]:
    errors: list[Exception] = []

    def guarded() -> None:
        try:
            work()
        except Exception as exc:  # pragma: no cover — reported to the test
            errors.append(exc)
        finally:
            connection.close()

    started = [threading.Thread(target=guarded) for _ in range(threads)]
    for t in started:
        t.start()
    for t in started:
        t.join()
    return errors

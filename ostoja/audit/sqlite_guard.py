"""SQLite: audit rows and their seals refuse UPDATE and DELETE in the database itself.

PostgreSQL has triggers (migrations 0001 and 0004). SQLite has no TRUNCATE, so the test
runner's ``flush`` deletes rows one by one; a DELETE trigger would refuse that too. The
trigger therefore asks ``ostoja_audit_unlocked()``, a function this module registers on every
SQLite connection: it answers true only while :data:`UNLOCKED` is set, which only the test
suite's flush does (conftest.py). Any other client (the sqlite3 shell, a script) has no such
function, so its DELETE fails as well — the guard fails closed.
"""

from __future__ import annotations

from typing import Any

UNLOCKED = False


def _unlocked() -> int:
    return 1 if UNLOCKED else 0


def register(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: add the function to each new SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("ostoja_audit_unlocked", 0, _unlocked)

"""The application's PostgreSQL connections run without JIT compilation (issue 19): a search
for three letters matching tens of thousands of persons spent ~650 of its 760 ms compiling
the query at ten times Kielce. A ``DATABASE_URL`` that sets ``jit`` itself keeps its value."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


def test_postgresql_connections_run_without_jit() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("JIT exists on PostgreSQL only")
    assert "-c jit=off" in settings.DATABASES["default"]["OPTIONS"]["options"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_sqlite_gets_no_postgresql_options() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the embedded database only")
    assert "options" not in settings.DATABASES["default"].get("OPTIONS", {})

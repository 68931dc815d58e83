"""Database-level guards for records that are never changed in place (PostgreSQL).

The models and querysets refuse such changes in Python; a trigger also refuses raw SQL. Used by
migrations (audit rows, case notes, signed decision documents), so the SQL lives in one place.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def refuse_update_delete(*, function: str, tables: tuple[str, ...], message: str) -> Any:
    """A migration operation adding ``BEFORE UPDATE OR DELETE`` triggers on PostgreSQL only."""
    forward_sql = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = {message};
END;
$$ LANGUAGE plpgsql;
""" + "".join(
        f"""
DROP TRIGGER IF EXISTS {function} ON {table};
CREATE TRIGGER {function} BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
        for table in tables
    )
    backward_sql = (
        "".join(f"DROP TRIGGER IF EXISTS {function} ON {table};\n" for table in tables)
        + f"DROP FUNCTION IF EXISTS {function}();\n"
    )

    def forward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(forward_sql)

    def backward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(backward_sql)

    return migrations.RunPython(forward, backward)

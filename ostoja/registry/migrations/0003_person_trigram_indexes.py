"""PostgreSQL only: pg_trgm GIN indexes on ``Person.search_key`` and ``address_key``.

The client search filters ``search_key LIKE '%…%'`` / ``address_key LIKE '%…%'`` (surname
without diacritics, address), which a B-tree cannot serve: at scale 10 it was a sequential scan
of 250k persons (bench/README.md). The indexes live outside the model state (Django's
``GinIndex`` would be created on SQLite too, where it does not exist), so on SQLite and other
databases this migration does nothing.
"""

from django.db import migrations

INDEXES = {
    "person_search_key_trgm": "search_key",
    "person_address_key_trgm": "address_key",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON registry_person "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_streets")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

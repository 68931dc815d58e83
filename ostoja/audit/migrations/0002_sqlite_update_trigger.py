"""On SQLite, refuse UPDATE of audit rows in the database too (PostgreSQL: migration 0001).

Only UPDATE: a DELETE trigger would also fire on the test runner's flush (SQLite has no
TRUNCATE); ORM deletes are refused by the pre_delete guard in ``ostoja.audit.guards``.
"""

from django.db import migrations

FORWARD = """
CREATE TRIGGER IF NOT EXISTS ostoja_audit_no_update BEFORE UPDATE ON auditlog_logentry
BEGIN
    SELECT RAISE(ABORT, 'auditlog_logentry is append-only');
END;
"""
BACKWARD = "DROP TRIGGER IF EXISTS ostoja_audit_no_update;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("ostoja_audit", "0001_append_only_trigger")]
    operations = [migrations.RunPython(forward, backward)]

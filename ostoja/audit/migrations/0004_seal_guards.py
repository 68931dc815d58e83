"""Append-only in the database for the seal table (both databases) and DELETE of audit rows on
SQLite (PostgreSQL: 0001). See ostoja.audit.sqlite_guard for the flush exception in tests."""

from django.db import migrations

from ostoja.core.dbguards import refuse_update_delete

SQLITE_FORWARD = [
    """
CREATE TRIGGER IF NOT EXISTS ostoja_audit_no_delete BEFORE DELETE ON auditlog_logentry
WHEN NOT ostoja_audit_unlocked()
BEGIN
    SELECT RAISE(ABORT, 'auditlog_logentry is append-only');
END;
""",
    """
CREATE TRIGGER IF NOT EXISTS ostoja_audit_seal_no_update BEFORE UPDATE ON ostoja_audit_auditseal
BEGIN
    SELECT RAISE(ABORT, 'ostoja_audit_auditseal is append-only');
END;
""",
    """
CREATE TRIGGER IF NOT EXISTS ostoja_audit_seal_no_delete BEFORE DELETE ON ostoja_audit_auditseal
WHEN NOT ostoja_audit_unlocked()
BEGIN
    SELECT RAISE(ABORT, 'ostoja_audit_auditseal is append-only');
END;
""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS ostoja_audit_no_delete;",
    "DROP TRIGGER IF EXISTS ostoja_audit_seal_no_update;",
    "DROP TRIGGER IF EXISTS ostoja_audit_seal_no_delete;",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("ostoja_audit", "0003_audit_seal")]
    operations = [
        migrations.RunPython(forward, backward),
        refuse_update_delete(
            function="ostoja_audit_seal_append_only",
            tables=("ostoja_audit_auditseal",),
            message="'ostoja_audit_auditseal is append-only'",
        ),
    ]

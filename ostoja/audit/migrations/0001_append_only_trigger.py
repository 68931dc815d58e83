"""On PostgreSQL, refuse UPDATE and DELETE of audit rows in the database itself."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ostoja_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'auditlog_logentry is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ostoja_audit_append_only ON auditlog_logentry;
CREATE TRIGGER ostoja_audit_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION ostoja_audit_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS ostoja_audit_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS ostoja_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("auditlog", "__latest__")]
    operations = [migrations.RunPython(forward, backward)]

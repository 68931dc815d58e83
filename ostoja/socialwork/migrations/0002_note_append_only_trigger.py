"""On PostgreSQL, refuse UPDATE and DELETE of case notes in the database itself."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ostoja_socialwork_note_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'socialwork_casenote is append-only (add a correction instead)';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS ostoja_socialwork_note_append_only ON socialwork_casenote;
CREATE TRIGGER ostoja_socialwork_note_append_only BEFORE UPDATE OR DELETE ON socialwork_casenote
    FOR EACH ROW EXECUTE FUNCTION ostoja_socialwork_note_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS ostoja_socialwork_note_append_only ON socialwork_casenote;
DROP FUNCTION IF EXISTS ostoja_socialwork_note_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("socialwork", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

"""On PostgreSQL, refuse UPDATE and DELETE of signed documents and rectifications in the
database itself (the models and querysets refuse them in Python; this covers raw SQL)."""

from django.db import migrations

TABLES = ("decisions_decisiondocument", "decisions_rectification")

FORWARD = """
CREATE OR REPLACE FUNCTION ostoja_decisions_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is frozen: signed documents are never '
        || 'changed or removed';
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
DROP TRIGGER IF EXISTS ostoja_decisions_frozen ON {table};
CREATE TRIGGER ostoja_decisions_frozen BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION ostoja_decisions_frozen();
"""
    for table in TABLES
)

BACKWARD = "".join(
    f"DROP TRIGGER IF EXISTS ostoja_decisions_frozen ON {table};\n" for table in TABLES
) + "DROP FUNCTION IF EXISTS ostoja_decisions_frozen();\n"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("decisions", "0002_register_index")]
    operations = [migrations.RunPython(forward, backward)]

"""A GIN index on the applications' art. 7 reasons, on PostgreSQL only: the applications list
filtered by a reason asks `reasons @> '["1"]'` there, which this index serves (issue 13). SQLite
has no such index type; there the filter reads the JSON text (``cases.selectors``)."""

from django.db import migrations

INDEX = "cases_application_reasons_gin"


def _create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_application "
            "USING gin (reasons jsonb_path_ops)"
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_interview_one_draft_per_case")]

    operations = [migrations.RunPython(_create, _drop)]

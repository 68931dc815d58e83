"""Four eyes bound to content: the makers of a draft and the fingerprint of what was checked.

Existing decisions get their drafter as the only maker, and decisions already checked (not yet
signed) get the fingerprint of their present content, so that the check made before this
migration still counts for exactly that content.
"""

from typing import Any

from django.db import migrations, models

from ostoja.decisions.fingerprint import DECISION_FIELDS, LINE_FIELDS, content_fingerprint


def backfill(apps: Any, schema_editor: Any) -> None:
    Decision = apps.get_model("decisions", "Decision")
    DecisionLine = apps.get_model("decisions", "DecisionLine")
    for row in Decision.objects.values("pk", "drafter_id", "status", *DECISION_FIELDS):
        fields: dict[str, Any] = {"maker_ids": [row["drafter_id"]]}
        if row["status"] == "sprawdzona":
            lines = DecisionLine.objects.filter(decision_id=row["pk"]).values(*LINE_FIELDS)
            fields["checked_hash"] = content_fingerprint(row, lines)
        Decision.objects.filter(pk=row["pk"]).update(**fields)


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0003_frozen_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="checked_hash",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="skrót sprawdzonej treści (SHA-256)"
            ),
        ),
        migrations.AddField(
            model_name="decision",
            name="maker_ids",
            field=models.JSONField(
                blank=True, default=list, verbose_name="autorzy i redaktorzy projektu"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]

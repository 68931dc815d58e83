"""The decision register sorts by (-issued_on, -id) and shows 50 rows a page."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(fields=["-issued_on", "-id"], name="decision_issued_desc"),
        ),
    ]

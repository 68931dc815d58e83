"""An index on Application (status, case): the desk counts and lists the open applications
of a district (a small fraction of all) — bench/README.md, desk at scale 10."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_filing_list")]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["status", "case"], name="application_status_case"),
        ),
    ]

"""Load the centre's filing list (JRWA classes for applications) from ``cases/data/jrwa.csv``."""

from django.db import migrations


def load(apps, schema_editor):
    from ostoja.cases.filing import load_filing_list

    load_filing_list(apps.get_model("cases", "FilingClass"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

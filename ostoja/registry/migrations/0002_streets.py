"""Load Kielce's streets (GUS TERYT ULIC, 2022-03-24) from the packaged CSV — idempotent."""

from django.db import migrations


def load(apps, schema_editor):
    from ostoja.registry.streets import load_rows, packaged_rows

    load_rows(apps.get_model("registry", "Street"), packaged_rows())


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

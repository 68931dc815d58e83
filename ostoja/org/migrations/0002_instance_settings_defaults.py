"""The centre's identity exists from the first migration (MOPR Kielce defaults)."""

from django.db import migrations


def create(apps, schema_editor):
    from ostoja.org.services import MOPR_KIELCE_DEFAULTS

    InstanceSettings = apps.get_model("org", "InstanceSettings")
    InstanceSettings.objects.get_or_create(pk=1, defaults=MOPR_KIELCE_DEFAULTS)


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

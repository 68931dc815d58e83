"""On PostgreSQL, refuse UPDATE and DELETE of signed documents and rectifications in the
database itself (the models and querysets refuse them in Python; this covers raw SQL)."""

from django.db import migrations

from ostoja.core.dbguards import refuse_update_delete


class Migration(migrations.Migration):
    dependencies = [("decisions", "0002_register_index")]
    operations = [
        refuse_update_delete(
            function="ostoja_decisions_frozen",
            tables=("decisions_decisiondocument", "decisions_rectification"),
            message="TG_TABLE_NAME || ' is frozen: signed documents are never changed or removed'",
        )
    ]

"""On PostgreSQL, refuse UPDATE and DELETE of case notes in the database itself."""

from django.db import migrations

from ostoja.core.dbguards import refuse_update_delete


class Migration(migrations.Migration):
    dependencies = [("socialwork", "0001_initial")]
    operations = [
        refuse_update_delete(
            function="ostoja_socialwork_note_append_only",
            tables=("socialwork_casenote",),
            message="'socialwork_casenote is append-only (add a correction instead)'",
        )
    ]

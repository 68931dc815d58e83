"""On PostgreSQL, refuse UPDATE and DELETE of audit rows in the database itself."""

from django.db import migrations

from ostoja.core.dbguards import refuse_update_delete


class Migration(migrations.Migration):
    dependencies = [("auditlog", "__latest__")]
    operations = [
        refuse_update_delete(
            function="ostoja_audit_append_only",
            tables=("auditlog_logentry",),
            message="'auditlog_logentry is append-only'",
        )
    ]

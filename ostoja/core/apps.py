from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ostoja.core"
    label = "core"
    verbose_name = "Wspólne"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from ostoja.core.collation import register_sqlite_collation

        # Polish order in SQL on SQLite too (issue 17); PostgreSQL has ICU's pl-PL.
        connection_created.connect(register_sqlite_collation, dispatch_uid="ostoja-polish")

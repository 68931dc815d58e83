from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ostoja.core"
    label = "core"
    verbose_name = "Wspólne"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from ostoja.core.collation import register_sqlite_collation
        from ostoja.core.middleware import stamp_login

        # Polish order in SQL on SQLite too (issue 17); PostgreSQL has ICU's pl-PL.
        connection_created.connect(register_sqlite_collation, dispatch_uid="ostoja-polish")
        # A login writes the session anyway: its idle minute starts then (ostoja.core.middleware).
        user_logged_in.connect(stamp_login, dispatch_uid="ostoja-session-stamp")

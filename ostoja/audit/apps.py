from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ostoja.audit"
    label = "ostoja_audit"
    verbose_name = "Dziennik zdarzeń"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from ostoja.audit import content, guards  # noqa: F401  (append-only; no protected text)
        from ostoja.audit.sqlite_guard import register

        connection_created.connect(register, dispatch_uid="ostoja_audit_sqlite_guard")

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ostoja.audit"
    label = "ostoja_audit"
    verbose_name = "Dziennik zdarzeń"

    def ready(self) -> None:
        from ostoja.audit import guards  # noqa: F401  (audit rows are append-only)

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ostoja.audit"
    label = "ostoja_audit"
    verbose_name = "Dziennik zdarzeń"

    def ready(self) -> None:
        from ostoja.audit import content, guards  # noqa: F401  (append-only; no protected text)

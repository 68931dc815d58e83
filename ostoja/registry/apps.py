from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "ostoja.registry"
    label = "registry"
    verbose_name = "Klienci"

    def ready(self) -> None:
        # local: AppConfig.ready: the app registry must be complete first
        from ostoja.registry import audit_registry  # noqa: F401  (registers models with auditlog)

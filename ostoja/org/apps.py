from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "ostoja.org"
    label = "org"
    verbose_name = "Organizacja"

    def ready(self) -> None:
        from ostoja.org import audit_registry  # noqa: F401  (registers models with auditlog)

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ostoja.cases"
    label = "cases"
    verbose_name = "Sprawy"

    def ready(self) -> None:
        # local: AppConfig.ready: the app registry must be complete first
        from ostoja.cases import audit_registry  # noqa: F401  (registers models with auditlog)
        from ostoja.cases.services import application_merge_hook
        from ostoja.registry.services import register_merge_hook

        register_merge_hook(application_merge_hook)

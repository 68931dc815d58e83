from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "ostoja.decisions"
    label = "decisions"
    verbose_name = "Decyzje"

    def ready(self) -> None:
        # local: AppConfig.ready: the app registry must be complete first
        from ostoja.decisions import audit_registry  # noqa: F401
        from ostoja.decisions.panels import register

        register()

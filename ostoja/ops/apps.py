from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ostoja.ops"
    label = "ops"
    verbose_name = "Eksploatacja"

    def ready(self) -> None:
        from ostoja.ops import checks  # noqa: F401 — registers the deployment checks

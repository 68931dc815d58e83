from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "ostoja.analysis"
    label = "analysis"
    verbose_name = "Analiza i sprawozdawczość"

    def ready(self) -> None:
        # local: AppConfig.ready: the app registry must be complete first
        from ostoja.analysis import audit_registry  # noqa: F401

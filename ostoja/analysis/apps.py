from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "ostoja.analysis"
    label = "analysis"
    verbose_name = "Analiza i sprawozdawczość"

    def ready(self) -> None:
        from ostoja.analysis import audit_registry  # noqa: F401

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "ostoja.care"
    label = "care"
    verbose_name = "Usługi i pomoc w naturze"

    def ready(self) -> None:
        from ostoja.care import audit_registry, rules  # noqa: F401
        from ostoja.care.panels import care_panel
        from ostoja.cases.panels import register_case_panel

        register_case_panel(care_panel)

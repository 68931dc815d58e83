from django.apps import AppConfig


class SocialworkConfig(AppConfig):
    name = "ostoja.socialwork"
    label = "socialwork"
    verbose_name = "Praca socjalna"

    def ready(self) -> None:
        from ostoja.cases.panels import register_case_panel
        from ostoja.socialwork import audit_registry, guards  # noqa: F401
        from ostoja.socialwork.panels import socialwork_panel

        register_case_panel(socialwork_panel)

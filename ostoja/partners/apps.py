from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "ostoja.partners"
    label = "partners"
    verbose_name = "Współpraca i partnerzy"

    def ready(self) -> None:
        from ostoja.cases.panels import register_case_panel
        from ostoja.partners import audit_registry  # noqa: F401
        from ostoja.partners.panels import referrals_panel

        register_case_panel(referrals_panel)

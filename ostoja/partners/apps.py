from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "ostoja.partners"
    label = "partners"
    verbose_name = "Współpraca i partnerzy"

    def ready(self) -> None:
        from ostoja.partners import audit_registry  # noqa: F401

from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "ostoja.facilities"
    label = "facilities"
    verbose_name = "Placówki i miejsca"

    def ready(self) -> None:
        from ostoja.facilities import audit_registry, rules  # noqa: F401

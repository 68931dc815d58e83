from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "ostoja.facilities"
    label = "facilities"
    verbose_name = "Placówki i miejsca"

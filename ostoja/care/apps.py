from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "ostoja.care"
    label = "care"
    verbose_name = "Usługi i pomoc w naturze"

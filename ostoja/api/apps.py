from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ostoja.api"
    label = "api"
    verbose_name = "API"

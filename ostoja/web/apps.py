from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ostoja.web"
    label = "web"
    verbose_name = "Interfejs"

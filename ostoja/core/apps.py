from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ostoja.core"
    label = "core"
    verbose_name = "Wspólne"

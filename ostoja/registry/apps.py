from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "ostoja.registry"
    label = "registry"
    verbose_name = "Klienci"

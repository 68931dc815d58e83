from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "ostoja.partners"
    label = "partners"
    verbose_name = "Współpraca i partnerzy"

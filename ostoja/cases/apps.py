from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ostoja.cases"
    label = "cases"
    verbose_name = "Sprawy"

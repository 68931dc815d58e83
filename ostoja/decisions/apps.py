from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "ostoja.decisions"
    label = "decisions"
    verbose_name = "Decyzje"

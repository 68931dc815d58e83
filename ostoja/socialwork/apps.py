from django.apps import AppConfig


class SocialworkConfig(AppConfig):
    name = "ostoja.socialwork"
    label = "socialwork"
    verbose_name = "Praca socjalna"

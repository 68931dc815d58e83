from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "ostoja.payments"
    label = "payments"
    verbose_name = "Wypłaty"

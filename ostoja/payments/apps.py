from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "ostoja.payments"
    label = "payments"
    verbose_name = "Wypłaty"

    def ready(self) -> None:
        from ostoja.payments import audit_registry  # noqa: F401

from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "ostoja.org"
    label = "org"
    verbose_name = "Organizacja"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save

        from ostoja.org import audit_registry  # noqa: F401  (registers models with auditlog)
        from ostoja.org.guards import refuse_superuser

        pre_save.connect(refuse_superuser, sender=get_user_model(), dispatch_uid="no_superuser")

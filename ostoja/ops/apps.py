from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ostoja.ops"
    label = "ops"
    verbose_name = "Eksploatacja"

    def ready(self) -> None:
        from ostoja.core import restriction
        from ostoja.ops import checks  # noqa: F401 — registers the deployment checks
        from ostoja.ops.rodo.rights import connect_guards, restricted_persons_at

        connect_guards()
        restriction.register_provider(restricted_persons_at)
        from auditlog.registry import auditlog

        from ostoja.ops.models import Anonymisation, ProcessingRestriction

        auditlog.register(ProcessingRestriction)
        auditlog.register(
            Anonymisation
        )  # art. 18 RODO: a restricted person is not edited nor newly used

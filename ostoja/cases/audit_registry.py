"""Which case records leave a change trail (who, when, before → after)."""

from auditlog.registry import auditlog

from ostoja.cases.models import Application, Calculation, Case, Interview, TimelineEvent

auditlog.register(Case)
auditlog.register(Application)
auditlog.register(Interview, exclude_fields=["saved_at"])
auditlog.register(Calculation)
auditlog.register(TimelineEvent)

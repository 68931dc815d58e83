"""Which case records leave a change trail (who, when, before → after)."""

from auditlog.registry import auditlog

from ostoja.cases.models import (
    Application,
    Calculation,
    Case,
    CaseLetter,
    Interview,
    TimelineEvent,
)

auditlog.register(Case)
auditlog.register(Application)
auditlog.register(Interview, exclude_fields=["saved_at"])
auditlog.register(Calculation)
auditlog.register(TimelineEvent)
# The letter's content (personal data) stays out of the trail: who issued which kind, when.
auditlog.register(CaseLetter, exclude_fields=["html", "pdf", "data"])

"""Which case records leave a change trail (who, when, before → after)."""

from auditlog.registry import auditlog

from ostoja.audit.content import register_reference_only
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
# The timeline repeats what other records say (a note's text, a plan's title): its row in the
# log names the event by reference only, never its title or text (issue 20, finding 2).
register_reference_only(TimelineEvent, content_fields=["title", "detail"])
# The letter's content (personal data) stays out of the trail: who issued which kind, when.
auditlog.register(CaseLetter, exclude_fields=["html", "pdf", "data"])

"""Decisions in the audit trail (every workflow move changes ``status`` and is logged).

Reverse relations (lines, appeals, transitions …) are not fields of the decision itself: left
in, they show up in the history as noise like ``lines: None → decisions.DecisionLine.None``.
"""

from auditlog.registry import auditlog
from django.db.models import Model

from ostoja.decisions.models import Appeal, Decision, DecisionLine, JustificationRevision


def _reverse(model: type[Model]) -> list[str]:
    return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]


auditlog.register(
    Decision,
    exclude_fields=[
        "trace",
        "trace_bases",
        "justification",
        "deadline_trace",
        "version",
        *_reverse(Decision),
    ],
)
auditlog.register(DecisionLine, exclude_fields=_reverse(DecisionLine))
auditlog.register(JustificationRevision, exclude_fields=_reverse(JustificationRevision))
auditlog.register(Appeal, exclude_fields=_reverse(Appeal))

"""Decisions in the audit trail (every workflow move changes ``status`` and is logged)."""

from auditlog.registry import auditlog

from ostoja.decisions.models import Appeal, Decision, DecisionLine, JustificationRevision

auditlog.register(
    Decision, exclude_fields=["trace", "trace_bases", "justification", "deadline_trace", "version"]
)
auditlog.register(DecisionLine)
auditlog.register(JustificationRevision)
auditlog.register(Appeal)

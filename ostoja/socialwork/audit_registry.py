"""Social-work records in the audit trail: references only, never their text.

Any case may be protected (now or later), and audit rows are append-only: the free-text fields
of notes, visits, contracts and plans are left out of the change log, and the row names the
record by reference (``ostoja.audit.content``). The text stays in social work, behind the
protected-record rule. Reasons of protection, break-glass and cover stay in the log: the
head and the data protection officer need them to judge the access.
"""

from auditlog.registry import auditlog

from ostoja.audit.content import register_reference_only
from ostoja.socialwork import models as m

register_reference_only(m.CaseNote, content_fields=["text", "correction_reason"])
register_reference_only(m.Visit, content_fields=["purpose", "cancel_reason"])
register_reference_only(
    m.SocialContract,
    content_fields=[
        "situation", "causes", "strengths", "limitations", "main_goal", "specific_goals",
        "expected_effects", "other_terms", "evaluation", "end_reason",
    ],
)  # fmt: skip
register_reference_only(m.ContractAnnex, content_fields=["changes"])
register_reference_only(m.ContractAction, content_fields=["description"])
register_reference_only(m.ContractReview, content_fields=["findings"])
register_reference_only(m.ContractBreach, content_fields=["description"])
register_reference_only(m.AssistancePlan, content_fields=["title", "goals"])
register_reference_only(m.PlanAction, content_fields=["description", "responsible"])
register_reference_only(m.PlanReview, content_fields=["findings"])
auditlog.register(m.ProtectionChange)
auditlog.register(m.BreakGlassGrant)
auditlog.register(m.CaseAssignment)

"""Social-work records in the audit trail (note text is not copied into the log)."""

from auditlog.registry import auditlog

from ostoja.socialwork import models as m

auditlog.register(m.CaseNote, exclude_fields=["text"])
auditlog.register(m.Visit)
auditlog.register(m.SocialContract)
auditlog.register(m.ContractAnnex)
auditlog.register(m.ContractAction)
auditlog.register(m.ContractReview)
auditlog.register(m.ContractBreach)
auditlog.register(m.AssistancePlan)
auditlog.register(m.PlanAction)
auditlog.register(m.PlanReview)
auditlog.register(m.ProtectionChange)
auditlog.register(m.BreakGlassGrant)
auditlog.register(m.CaseAssignment)

"""Everything in the payments ledger is audited (create / update / delete with before → after)."""

from auditlog.registry import auditlog

from ostoja.payments import models as m

auditlog.register(m.PaymentRun)
auditlog.register(m.PaymentList)
auditlog.register(m.Payment)
auditlog.register(m.BankExport, exclude_fields=["content"])
auditlog.register(m.StatementImport, exclude_fields=["content"])
auditlog.register(m.StatementEntry)
auditlog.register(m.Overpayment)
auditlog.register(m.Receivable)
auditlog.register(m.Instalment)
auditlog.register(m.Repayment)
auditlog.register(m.WriteOff)
auditlog.register(m.ReceivableCorrection)
auditlog.register(m.HealthContribution)
auditlog.register(m.BudgetPlan)

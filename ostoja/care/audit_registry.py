"""Care records in the audit trail (changes); reads are recorded where they happen."""

from auditlog.registry import auditlog

from ostoja.care import models as m

for model in (
    m.Provider, m.ProviderContract, m.Carer, m.CareOrder, m.CareFeeChange, m.PaperDayCorrection,
    m.CareMonth, m.ProviderInvoice, m.CareMonthRevision, m.CareMonthCorrection, m.CareMonthPayment,
    m.CareMonthRefund, m.ServiceEvent, m.LeavingCareProgramme, m.LeavingCareHelp,
    m.IntegrationProgramme, m.IntegrationReview,
):  # fmt: skip
    auditlog.register(model)

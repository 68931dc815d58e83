"""Changes to saved scenarios go to the audit trail like every other write."""

from auditlog.registry import auditlog

from ostoja.analysis.models import (
    AnnualReport,
    DataExport,
    ReportSubmission,
    ResourceAssessment,
    Scenario,
)

auditlog.register(Scenario)
auditlog.register(ReportSubmission)
auditlog.register(DataExport)
auditlog.register(AnnualReport)
auditlog.register(ResourceAssessment)

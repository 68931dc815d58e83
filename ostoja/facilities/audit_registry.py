"""Social-infrastructure records in the audit trail (changes of every row; reads of residents
and waiting lists are recorded by the views with ``ostoja.audit.services.access_record``)."""

from auditlog.registry import auditlog

from ostoja.facilities import models as m

for model in (
    m.Facility,
    m.Place,
    m.AverageCost,
    m.Referral,
    m.WaitingListEntry,
    m.Stay,
    m.Movement,
    m.Absence,
    m.FeeArrangement,
    m.RelativeFeeBasis,
    m.Charge,
    m.Night,
):
    auditlog.register(model)

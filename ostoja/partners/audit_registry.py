"""Cooperation records in the audit trail (django-auditlog): every change of a partner, call,
offer, grant, instalment, report, referral, programme record and volunteer is logged with its
actor; referral notes are personal data of a case, so their text stays out of the log."""

from auditlog.registry import auditlog

from ostoja.audit.content import register_reference_only
from ostoja.partners import models as m

for model in (
    m.Partner, m.Contact, m.CooperationAgreement, m.PartnerUser, m.Call, m.Offer,
    m.GrantAgreement, m.Instalment, m.GrantReport, m.Programme, m.Volunteer,
):  # fmt: skip
    auditlog.register(model)
register_reference_only(m.Referral, content_fields=["reason", "answer_note", "outcome"])
register_reference_only(m.Participant, content_fields=[])
register_reference_only(m.ServiceDelivery, content_fields=["activity"])

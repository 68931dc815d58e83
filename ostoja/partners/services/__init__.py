"""Writes of cooperation, split by topic: partners, partner accounts, calls and grants,
referrals, programmes and volunteers.

Each function is one user action: it validates (Polish messages naming the field), writes in one
transaction and leaves the audit trail (django-auditlog records every change of the models
registered in ``audit_registry``). Amounts and limits come from the law core
(``ostoja.law.grants``, ``ostoja.law.food_aid``). Import from this package
(``from ostoja.partners import services``); the modules are an implementation detail.
"""

from ._common import (
    HOURS_SERVICES,
    PROTECTED_REFUSED,
    REPORT_DAYS,
    SERVICE_ROLE,
    TIMELINE_SOURCE,
)
from .accounts import (
    ACCOUNT_SECOND_PERSON,
    partner_account_confirm,
    partner_account_deactivate,
    partner_account_password_reset,
    partner_account_request,
)
from .grants import (
    call_decide,
    call_publish,
    grant_return_deadline,
    grant_return_record,
    grant_settle_agreement,
    grant_sign,
    instalment_pay,
    offer_assess,
    offer_submit,
    report_receive,
)
from .partners import (
    PARTNER_FIELDS,
    agreement_add,
    contact_add,
    identifiers_errors,
    partner_create,
    partner_update,
    partner_user_link,
)
from .programmes import (
    participant_enrol,
    participant_result,
    programme_create,
    service_record,
    volunteer_register,
)
from .referrals import (
    referral_answer,
    referral_issue,
    referral_outcome,
)

__all__ = [
    "ACCOUNT_SECOND_PERSON",
    "HOURS_SERVICES",
    "PARTNER_FIELDS",
    "PROTECTED_REFUSED",
    "REPORT_DAYS",
    "SERVICE_ROLE",
    "TIMELINE_SOURCE",
    "agreement_add",
    "call_decide",
    "call_publish",
    "contact_add",
    "grant_return_deadline",
    "grant_return_record",
    "grant_settle_agreement",
    "grant_sign",
    "identifiers_errors",
    "instalment_pay",
    "offer_assess",
    "offer_submit",
    "participant_enrol",
    "participant_result",
    "partner_account_confirm",
    "partner_account_deactivate",
    "partner_account_password_reset",
    "partner_account_request",
    "partner_create",
    "partner_update",
    "partner_user_link",
    "programme_create",
    "referral_answer",
    "referral_issue",
    "referral_outcome",
    "report_receive",
    "service_record",
    "volunteer_register",
]

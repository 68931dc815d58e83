"""Writes of social infrastructure, split by topic: facilities and places, referrals and waiting
lists, stays (admission, transfer, temporary absence, discharge, death), DPS fee shares from the
law core and monthly charges per payer, nights in the night shelter and the warming room, and
the DPS decisions.

Each function is one user action in one transaction; changes are audited by the audit registry
(``ostoja.facilities.audit_registry``). Time is an input (``on``/``now``). Import from this
package (``from ostoja.facilities import services``); the modules are an implementation detail.
"""

from ._common import (
    CENT,
    NoFreePlace,
)
from .dps_decisions import (
    DPS_STEPS,
    OWN_PLACEMENT_AUTHORITY,
    case_of,
    decision_enforceability,
    fee_decision_draft,
    fee_decision_draft_art97,
    referral_decision_draft,
    referral_sync,
)
from .fees import (
    ChargeRun,
    IncomeClassification,
    RelativeIn,
    charge_pay,
    charge_register_receivable,
    charges_build,
    fee_compute,
    fee_set,
    fee_set_art97,
    income_classification,
    relative_basis_record,
)
from .nights import (
    night_record,
)
from .places import (
    EDITABLE_FIELDS,
    cost_on,
    cost_set,
    facility_create,
    facility_places_update,
    facility_update,
    places_set,
)
from .referrals import (
    referral_create,
    referral_decide,
    referral_documents_update,
    referral_missing_documents,
    referral_place,
    waiting_list_add,
    waiting_list_move,
    waiting_list_remove,
)
from .stays import (
    absence_end,
    absence_start,
    stay_admit,
    stay_end,
    stay_transfer,
)

__all__ = [
    "CENT",
    "DPS_STEPS",
    "EDITABLE_FIELDS",
    "OWN_PLACEMENT_AUTHORITY",
    "ChargeRun",
    "IncomeClassification",
    "NoFreePlace",
    "RelativeIn",
    "absence_end",
    "absence_start",
    "case_of",
    "charge_pay",
    "charge_register_receivable",
    "charges_build",
    "cost_on",
    "cost_set",
    "decision_enforceability",
    "facility_create",
    "facility_places_update",
    "facility_update",
    "fee_compute",
    "fee_decision_draft",
    "fee_decision_draft_art97",
    "fee_set",
    "fee_set_art97",
    "income_classification",
    "night_record",
    "places_set",
    "referral_create",
    "referral_decide",
    "referral_decision_draft",
    "referral_documents_update",
    "referral_missing_documents",
    "referral_place",
    "referral_sync",
    "relative_basis_record",
    "stay_admit",
    "stay_end",
    "stay_transfer",
    "waiting_list_add",
    "waiting_list_move",
    "waiting_list_remove",
]

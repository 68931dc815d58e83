"""Writing decisions, split by topic (the way Zulip's ``zerver/actions/`` is split): drafting,
drafts from an application, workflow, signing and the PDF, delivery, appeals, rectification,
batch print. Each public function is one user action (one transaction). Import from this
package (``from ostoja.decisions import services``); the modules are an implementation detail.
"""

from ostoja.decisions import documents  # views and the API use ``services.documents``
from ostoja.decisions.content import content_of

from ._common import (
    PERMISSION_REFUSED,
    content_hash,
    makers_of,
)
from .appeals import (
    appeal_forward,
    appeal_forward_deadline,
    appeal_forward_due,
    appeal_outcome_record,
    appeal_self_correct,
    decision_appeal,
)
from .batch import (
    batch_pdf,
)
from .delivery import (
    decision_deliver,
    decision_finalise,
    decision_send,
    decision_waive_appeal,
)
from .drafting import (
    decision_amend_draft,
    decision_discard,
    decision_justification_edit,
    decision_recovery_draft,
    decision_update_draft,
)
from .from_application import (
    CHOOSE_CALCULATIONS,
    DEFAULT_MONTHS,
    FEE_BENEFITS,
    decision_discontinuance_draft,
    decision_draft_from_application,
    decision_drafts_from_application,
)
from .kinds import (
    decision_create,
    decision_create_change,
    decision_create_discontinuance,
    decision_create_expiry,
    decision_create_fee,
    decision_create_grant,
    decision_create_instalments,
    decision_create_recovery,
    decision_create_refusal,
    decision_create_revocation,
    decision_create_write_off,
)
from .rectification import (
    decision_edit,
    decision_rectify,
)
from .signing import (
    decision_sign,
)
from .workflow import (
    decision_check,
    decision_return,
    signing_refusal,
)

__all__ = [
    "CHOOSE_CALCULATIONS",
    "DEFAULT_MONTHS",
    "FEE_BENEFITS",
    "PERMISSION_REFUSED",
    "appeal_forward",
    "appeal_forward_deadline",
    "appeal_forward_due",
    "appeal_outcome_record",
    "appeal_self_correct",
    "batch_pdf",
    "content_hash",
    "content_of",
    "decision_amend_draft",
    "decision_appeal",
    "decision_check",
    "decision_create",
    "decision_create_change",
    "decision_create_discontinuance",
    "decision_create_expiry",
    "decision_create_fee",
    "decision_create_grant",
    "decision_create_instalments",
    "decision_create_recovery",
    "decision_create_refusal",
    "decision_create_revocation",
    "decision_create_write_off",
    "decision_deliver",
    "decision_discard",
    "decision_discontinuance_draft",
    "decision_draft_from_application",
    "decision_drafts_from_application",
    "decision_edit",
    "decision_finalise",
    "decision_justification_edit",
    "decision_recovery_draft",
    "decision_rectify",
    "decision_return",
    "decision_send",
    "decision_sign",
    "decision_update_draft",
    "decision_waive_appeal",
    "documents",
    "makers_of",
    "signing_refusal",
]

"""What every reading of decisions shares: when a decision may be executed."""

from __future__ import annotations

from django.db.models import Q

from ostoja.decisions.choices import (
    DecisionStatus,
)
from ostoja.decisions.models import Decision
from ostoja.decisions.workflow import (
    DELIVERED_OR_LATER,
    Payability,
    payability,
)

# A decision may be executed (art. 130 KPA): final — recorded as such, after the appeal period,
# a waiver (art. 127a § 2) or the SKO upholding it — or delivered with rygor natychmiastowej
# wykonalności (art. 108 § 1, art. 130 § 3 pkt 1). The pure rule is ``workflow.payability``;
# this query is its database form.
FINAL_STATUSES = (DecisionStatus.FINAL, DecisionStatus.CLOSED)
IMMEDIATE_STATUSES = tuple(DELIVERED_OR_LATER)


def _enforceable_q() -> Q:
    return Q(status__in=FINAL_STATUSES, final_on__isnull=False) | Q(
        immediate=True, status__in=IMMEDIATE_STATUSES, delivered_on__isnull=False
    )


def decision_payability(d: Decision) -> Payability:
    return payability(
        status=d.status,
        immediate=d.immediate,
        delivered_on=d.delivered_on,
        final_on=d.final_on,
        appeal_deadline=d.appeal_deadline,
        appeal_waived_on=d.appeal_waived_on,
    )

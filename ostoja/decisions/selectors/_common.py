"""What every reading of decisions shares: when a decision may be executed."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q

from ostoja.decisions.choices import (
    AMENDING_KINDS,
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


def amendments_in_force(decision_ids: Collection[int]) -> list[Decision]:
    """The enforceable changes, revocations and expiries (art. 106 ust. 5 u.p.s., art. 162
    KPA) of the decisions ``decision_ids``, earliest effect first: from their
    ``effective_from`` the decision they refer to no longer governs alone."""
    return list(
        Decision.objects.filter(
            _enforceable_q(), kind__in=list(AMENDING_KINDS), refers_to_id__in=list(decision_ids)
        )
        .exclude(effective_from__isnull=True)
        .order_by("effective_from", "pk")
    )

"""Permission predicates of social infrastructure.

- The register, counts, free places and queue lengths (no personal data): client roles,
  finance and analysts.
- Residents and movements (personal data): client roles whose units cover the facility's
  responsible unit (directors sit at the root and see all).
- A waiting list: the same, or a worker one of whose units' referrals waits on it; names on the
  list are limited to referrals of the user's units (``selectors.waiting_list``).
- Admissions, movements, referrals: social workers, benefits clerks and heads within scope.
- Money of a facility (charges, receivables, cost against the plan): finance, management and
  the head of the responsible unit.
"""

from __future__ import annotations

from typing import Any

import rules

from ostoja.facilities.models import WaitingListEntry
from ostoja.org.roles import Role
from ostoja.org.rules import has_role, is_admin
from ostoja.registry.scope import EDITOR_ROLES, has_client_role, visible_unit_ids

is_client_role = has_role(
    Role.SOCIAL_WORKER, Role.BENEFITS_CLERK, Role.HEAD_OF_UNIT, Role.DIRECTOR,
    Role.DEPUTY_DIRECTOR,
)  # fmt: skip
is_finance = has_role(Role.FINANCE)
is_analyst = has_role(Role.ANALYST)
is_management = has_role(Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
is_head = has_role(Role.HEAD_OF_UNIT)
is_editor = has_role(*EDITOR_ROLES)


@rules.predicate
def facility_in_scope(user: Any, facility: Any) -> bool:
    """No object → page-level check passes; with a facility → its unit is in the user's units."""
    if facility is None:
        return True
    return has_client_role(user) and facility.unit_id in visible_unit_ids(user)


@rules.predicate
def referral_in_scope(user: Any, referral: Any) -> bool:
    if referral is None:
        return True
    return has_client_role(user) and referral.unit_id in visible_unit_ids(user)


@rules.predicate
def queue_in_scope(user: Any, facility: Any) -> bool:
    """The facility is in the user's units, or one of the user's units' referrals waits on its
    list (a worker sees the queue where a client of theirs waits; names stay scoped)."""
    if facility is None:
        return True
    if facility_in_scope(user, facility):
        return True
    return WaitingListEntry.objects.filter(
        facility=facility, status="oczekuje", referral__unit_id__in=visible_unit_ids(user)
    ).exists()


rules.add_perm("facilities.view_register", is_client_role | is_finance | is_analyst)
rules.add_perm("facilities.view_residents", is_client_role & facility_in_scope)
rules.add_perm("facilities.view_waiting_list", is_client_role & queue_in_scope)
rules.add_perm("facilities.manage_stays", is_editor & facility_in_scope)
rules.add_perm("facilities.manage_referral", is_editor & referral_in_scope)
rules.add_perm("facilities.view_money", is_finance | is_management | (is_head & facility_in_scope))
rules.add_perm("facilities.manage_money", is_finance)
# An unpaid monthly charge → the payments receivables register (issue 14): finance only.
rules.add_perm("facilities.register_receivable", is_finance)
rules.add_perm("facilities.record_nights", is_editor & facility_in_scope)
# Editing the register (a facility's entry and its places): the head of the responsible unit
# or the administrator (issue 14); no personal data is shown on those pages.
rules.add_perm("facilities.manage_register", is_admin | (is_head & facility_in_scope))

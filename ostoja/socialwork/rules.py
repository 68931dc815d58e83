"""Permission predicates of social work. The object (if any) is the case: the ordinary case
scope applies (``cases.view_case``); the protected-record rule is applied on top of it in
``ostoja.socialwork.selectors.note_access`` (it needs the clock and the break-glass grants)."""

from __future__ import annotations

from typing import Any

import rules

from ostoja.org.roles import Role
from ostoja.org.rules import has_role

is_social_worker = has_role(Role.SOCIAL_WORKER)
is_head = has_role(Role.HEAD_OF_UNIT)
is_management = has_role(Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
is_caseworker = has_role(Role.SOCIAL_WORKER, Role.HEAD_OF_UNIT)


@rules.predicate
def case_visible(user: Any, case: Any) -> bool:
    """No object → the page-level check passes; with a case → the cases context's scope."""
    if case is None:
        return True
    return bool(user.has_perm("cases.view_case", case))


rules.add_perm("socialwork.view_notes", (is_caseworker | is_management) & case_visible)
rules.add_perm("socialwork.add_note", is_caseworker & case_visible)
rules.add_perm("socialwork.plan_visit", is_caseworker & case_visible)
rules.add_perm("socialwork.manage_contract", is_caseworker & case_visible)
rules.add_perm("socialwork.manage_plan", is_caseworker & case_visible)
rules.add_perm("socialwork.protect_case", is_head & case_visible)
rules.add_perm("socialwork.view_caseload", is_head | is_management)
rules.add_perm("socialwork.reassign_case", is_head & case_visible)

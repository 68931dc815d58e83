"""Permission predicates of the decisions context.

The case's scope (unit subtree, assignment) is the cases context's rule; a decision is visible
to whoever may see its case. Signing additionally needs an authorisation covering the matter on
the signing day — checked per decision in ``services.decision_sign``.
"""

from __future__ import annotations

from typing import Any

import rules

from ostoja.org.roles import Role
from ostoja.org.rules import has_role
from ostoja.org.selectors import authorisation_held

is_drafter = has_role(Role.SOCIAL_WORKER, Role.BENEFITS_CLERK, Role.HEAD_OF_UNIT)
is_checker = has_role(Role.HEAD_OF_UNIT, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
is_decision_staff = has_role(
    Role.SOCIAL_WORKER,
    Role.BENEFITS_CLERK,
    Role.HEAD_OF_UNIT,
    Role.DIRECTOR,
    Role.DEPUTY_DIRECTOR,
)


@rules.predicate
def decision_in_scope(user: Any, obj: Any) -> bool:
    """``obj`` is a decision or a case (None: the page as a whole)."""
    if obj is None:
        return True
    case = getattr(obj, "case", obj)
    return bool(user.has_perm("cases.view_case", case))


@rules.predicate
def holds_authorisation(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    # A permission predicate has no date: it admits anyone who holds an authorisation at all;
    # ``decision_sign`` checks that one covers the matter on the signing day (and audits a
    # refusal), so an expired authorisation can never sign.
    cached = getattr(user, "_ostoja_has_authorisation", None)
    if cached is None:
        cached = authorisation_held(holder=user)
        user._ostoja_has_authorisation = cached
    return bool(cached)


rules.add_perm("decisions.view_decision", is_decision_staff & decision_in_scope)
rules.add_perm("decisions.draft", is_drafter & decision_in_scope)
rules.add_perm("decisions.check", is_checker & decision_in_scope)
rules.add_perm("decisions.sign", is_decision_staff & holds_authorisation & decision_in_scope)
rules.add_perm("decisions.record", (is_drafter | is_checker) & decision_in_scope)

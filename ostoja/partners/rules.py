"""Permission predicates of cooperation (django-rules).

Staff: the register and programmes are open to the centre's staff; grants are managed by heads
and management, instalments by finance; referrals follow the case's scope (``cases.view_case``).
A partner's account (``PartnerUser``) holds no staff role: it opens only the partner's own page
(``partners.portal``) and the referrals addressed to its partner — checked again in selectors.
"""

from __future__ import annotations

from typing import Any

import rules

from ostoja.org.roles import Role
from ostoja.org.rules import group_names, has_role

is_staff = has_role(*Role)
is_caseworker = has_role(Role.SOCIAL_WORKER, Role.HEAD_OF_UNIT)
is_manager = has_role(Role.HEAD_OF_UNIT, Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
is_finance = has_role(Role.FINANCE)
is_admin = has_role(Role.ADMINISTRATOR)
is_reader = has_role(
    Role.SOCIAL_WORKER, Role.BENEFITS_CLERK, Role.HEAD_OF_UNIT, Role.DIRECTOR,
    Role.DEPUTY_DIRECTOR, Role.FINANCE, Role.ANALYST,
)  # fmt: skip


@rules.predicate
def is_partner_user(user: Any) -> bool:
    """An active account linked to a partner and holding no staff role."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # The groups first: read once per request anyway, they settle it for every staff member
    # without asking for a partner link (issue 19).
    return not group_names(user) and hasattr(user, "partner_link")


@rules.predicate
def case_visible(user: Any, case: Any) -> bool:
    if case is None:
        return True
    return bool(user.has_perm("cases.view_case", case))


rules.add_perm("partners.view_partners", is_reader | is_admin)
rules.add_perm("partners.manage_partners", is_manager | is_admin)
rules.add_perm("partners.view_grants", is_manager | is_finance)
rules.add_perm("partners.manage_grants", is_manager)
rules.add_perm("partners.pay_instalment", is_finance)
rules.add_perm("partners.view_referrals", (is_caseworker | is_manager) & case_visible)
rules.add_perm("partners.refer", is_caseworker & case_visible)
rules.add_perm("partners.view_programmes", is_reader)
rules.add_perm("partners.manage_programmes", is_manager)
rules.add_perm("partners.portal", is_partner_user)
rules.add_perm("partners.manage_accounts", is_admin)
rules.add_perm("partners.confirm_accounts", is_admin | has_role(Role.DIRECTOR))
rules.add_perm("partners.record_return", is_finance)
rules.add_perm("partners.view_accounts", is_admin | has_role(Role.DIRECTOR))
rules.add_perm("partners.enrol", is_caseworker & case_visible)

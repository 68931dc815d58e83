"""Permission predicates of the care context. Object scope (unit subtree, the case's worker)
is applied in ``ostoja.care.selectors``."""

from __future__ import annotations

import rules

from ostoja.org.roles import Role
from ostoja.org.rules import has_role

is_client_staff = has_role(
    Role.SOCIAL_WORKER, Role.BENEFITS_CLERK, Role.HEAD_OF_UNIT, Role.DIRECTOR, Role.DEPUTY_DIRECTOR
)
is_editor = has_role(Role.SOCIAL_WORKER, Role.BENEFITS_CLERK, Role.HEAD_OF_UNIT)
is_billing = has_role(Role.BENEFITS_CLERK, Role.HEAD_OF_UNIT, Role.FINANCE)

rules.add_perm("care.view", is_client_staff)
rules.add_perm("care.manage", is_editor)
rules.add_perm("care.bill", has_role(Role.BENEFITS_CLERK, Role.HEAD_OF_UNIT))
rules.add_perm("care.check_invoices", is_billing)

"""Who may use the calculator: staff who prepare or check benefit cases."""

import rules

from ostoja.org.roles import Role
from ostoja.org.rules import has_role

rules.add_perm(
    "law.use_calculator",
    has_role(
        Role.SOCIAL_WORKER,
        Role.BENEFITS_CLERK,
        Role.HEAD_OF_UNIT,
        Role.DIRECTOR,
        Role.DEPUTY_DIRECTOR,
        Role.ANALYST,
    ),
)

"""Permission predicates of the organisation context (django-rules).

Roles grant permissions here, in one place; views and the API ask ``user.has_perm``.
"""

from __future__ import annotations

from typing import Any

import rules

from ostoja.org.roles import Role


def group_names(user: Any) -> frozenset[str]:
    """The names of the user's groups (roles), read once per user object — that is once per
    request: ``request.user`` is loaded anew by every request. Every role check (predicates,
    scope, payments, navigation) goes through here, so a page asks the database once (issue 19).
    Does not look at ``is_active``: the callers that must, do."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_ostoja_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._ostoja_roles = cached
    return cached


def has_role(*roles: Role) -> Any:
    names = frozenset(r.value for r in roles)

    @rules.predicate(name=f"has_role({','.join(sorted(names))})")
    def predicate(user: Any) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return bool(group_names(user) & names)

    return predicate


is_admin = has_role(Role.ADMINISTRATOR)
is_dpo = has_role(Role.DATA_PROTECTION_OFFICER)
is_management = has_role(Role.DIRECTOR, Role.DEPUTY_DIRECTOR)
is_head = has_role(Role.HEAD_OF_UNIT)
is_staff_member = has_role(*Role)
is_director = has_role(Role.DIRECTOR)

rules.add_perm("org.manage_staff", is_admin)
rules.add_perm("org.manage_units", is_admin)
rules.add_perm("org.manage_authorisations", is_admin)
rules.add_perm("org.manage_settings", is_admin)
rules.add_perm("org.view_staff", is_admin | is_management | is_head)
rules.add_perm("org.view_authorisations", is_admin | is_management | is_head)
rules.add_perm("org.view_own_profile", is_staff_member)
# Art. 24 KPA: every staff member declares relations with parties; superiors see them.
rules.add_perm("org.declare_relation", is_staff_member)
rules.add_perm("org.view_relations", is_head | is_management)
rules.add_perm("audit.view_log", is_dpo | is_admin)
# Issue 20: a role change of staff needs a second person — another administrator or the
# director (never the requester, never the person concerned); the DPO sees every change.
rules.add_perm("org.confirm_role_change", is_admin | is_director)
rules.add_perm("org.view_role_changes", is_admin | is_director | is_dpo)
# Issue 21 — the data subject's rights: the DPO restricts processing (art. 18 RODO), asks for
# anonymisation after the retention period and reads the register and rectification trail; a
# second person (another DPO or the director, never the requester) confirms an anonymisation.
rules.add_perm("ops.manage_data_rights", is_dpo)
rules.add_perm("ops.confirm_anonymisation", is_dpo | is_director)

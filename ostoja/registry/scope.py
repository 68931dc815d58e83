"""Who may see which clients: the user's unit and its descendants (subtree) plus assignments.

Staff of client-facing roles see their unit's subtree: a social worker in ro1 sees ro1; the
benefits clerk in „dpsr” (parent of ro1..ro10) sees all districts; the director at the root
sees everything. Administrator, analyst, finance and the data protection officer see no
client files at all.
"""

from __future__ import annotations

from typing import Any

from ostoja.org.models import Unit
from ostoja.org.roles import Role
from ostoja.org.rules import group_names

CLIENT_ROLES = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.BENEFITS_CLERK,
        Role.HEAD_OF_UNIT,
        Role.DIRECTOR,
        Role.DEPUTY_DIRECTOR,
    }
)
EDITOR_ROLES = frozenset({Role.SOCIAL_WORKER, Role.BENEFITS_CLERK, Role.HEAD_OF_UNIT})


def user_role_names(user: Any) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return group_names(user)


def has_client_role(user: Any, roles: frozenset[Role] = CLIENT_ROLES) -> bool:
    return bool(user_role_names(user) & {r.value for r in roles})


def user_unit_id(user: Any) -> int | None:
    if user is None:
        return None
    cached = getattr(user, "_ostoja_unit_id", "unset")
    if cached == "unset":
        staff = getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None
        cached = staff.unit_id if staff is not None else None
        user._ostoja_unit_id = cached
    return cached


def visible_unit_ids(user: Any) -> frozenset[int]:
    """The user's unit and all its descendants (empty for roles without client access)."""
    cached = getattr(user, "_ostoja_visible_units", None)
    if cached is not None:
        return cached
    result: frozenset[int] = frozenset()
    root = user_unit_id(user) if has_client_role(user) else None
    if root is not None:
        children: dict[int | None, list[int]] = {}
        for pk, parent in Unit.objects.values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        seen = {root}
        stack = [root]
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        result = frozenset(seen)
    user._ostoja_visible_units = result
    return result

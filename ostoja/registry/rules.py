"""Permission predicates of the registry (clients) context, with object-level scope."""

from __future__ import annotations

from typing import Any

import rules

from ostoja.org.roles import Role
from ostoja.org.rules import is_admin
from ostoja.registry.scope import EDITOR_ROLES, has_client_role
from ostoja.registry.selectors import person_visible_to


@rules.predicate
def is_client_staff(user: Any) -> bool:
    return has_client_role(user)


@rules.predicate
def is_client_editor(user: Any) -> bool:
    return has_client_role(user, EDITOR_ROLES)


@rules.predicate
def is_importer(user: Any) -> bool:
    return has_client_role(user, frozenset({Role.BENEFITS_CLERK, Role.HEAD_OF_UNIT}))


@rules.predicate
def person_in_scope(user: Any, person: Any) -> bool:
    """No object → the page-level check passes; with a person → the unit scope decides."""
    if person is None:
        return True
    return person_visible_to(user=user, person=person)


rules.add_perm("registry.view_person", is_client_staff & person_in_scope)
rules.add_perm("registry.change_person", is_client_editor & person_in_scope)
rules.add_perm("registry.import_persons", is_importer)
rules.add_perm("registry.manage_streets", is_admin)

"""Permission predicates of the cases context: a case belongs to a unit; scope = the unit's
subtree plus the cases assigned to the user."""

from __future__ import annotations

from typing import Any

import rules

from ostoja.registry.rules import is_client_editor, is_client_staff
from ostoja.registry.scope import visible_unit_ids


@rules.predicate
def case_in_scope(user: Any, case: Any) -> bool:
    if case is None:
        return True
    return case.unit_id in visible_unit_ids(user) or (
        case.worker_id is not None and case.worker_id == user.pk
    )


rules.add_perm("cases.view_case", is_client_staff & case_in_scope)
rules.add_perm("cases.change_case", is_client_editor & case_in_scope)

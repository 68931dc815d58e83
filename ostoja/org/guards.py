"""Guards of the organisation context.

No superuser: Django's ``is_superuser`` passes every ``has_perm`` check, past the roles, the
scope and the two-person rule for role changes (issue 20). Ostoja's powers are roles only,
granted by one administrator and confirmed by a second or the director, so an account is
never saved as a superuser — ``ostoja createsuperuser`` and the shell included.
"""

from __future__ import annotations

from typing import Any

from ostoja.core.errors import NotPermitted

NO_SUPERUSER = (
    "Ostoja nie ma kont superużytkownika: uprawnienia dają wyłącznie role, nadawane przez "
    "administratora i potwierdzane przez drugiego administratora albo dyrektora "
    "(Administracja → Pracownicy)."
)


def refuse_superuser(sender: Any, instance: Any, **kwargs: Any) -> None:
    if getattr(instance, "is_superuser", False):
        raise NotPermitted(NO_SUPERUSER)

"""Shared pieces of the REST API that every context's endpoints use."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from ninja.errors import HttpError


def require(request: HttpRequest, perm: str, obj: object | None = None) -> None:
    """The same permission predicates as the UI; 403 when the user lacks them."""
    if not request.user.has_perm(perm, obj):
        raise HttpError(403, "Brak uprawnień do tej operacji.")


def require_on(
    request: HttpRequest, perm: str, obj: object, *, view_perm: str, not_found: str
) -> None:
    """``perm`` on a record: 404 (as for a missing id) when the user may not even see it, so
    other districts' ids cannot be probed; 403 when the user sees it but lacks the action."""
    if request.user.has_perm(perm, obj):
        return
    if not request.user.has_perm(view_perm, obj):
        raise HttpError(404, not_found)
    raise HttpError(403, "Brak uprawnień do tej operacji.")


class UnknownFilterValue(Exception):
    """A list filter with a fixed set of values got another value (issue 21): the API answers
    400 naming the parameter and the allowed values (``ostoja/api/main.py``), never a silently
    empty list."""

    def __init__(self, param: str, allowed: Iterable[str]) -> None:
        self.param = param
        self.allowed = tuple(allowed)
        self.message = (
            f"Nieznana wartość parametru „{param}”. Dozwolone wartości: "
            f"{', '.join(self.allowed)} (albo brak parametru — bez filtrowania)."
        )
        super().__init__(self.message)


def check_choice(param: str, value: str | None, allowed: Iterable[str]) -> None:
    """``value`` of the list filter ``param`` is empty (no filter) or one of ``allowed``;
    otherwise :class:`UnknownFilterValue` (400). Call it after the permission check, so a
    user without the role learns nothing of the values."""
    choices = tuple(dict.fromkeys(str(a) for a in allowed))
    if value and value not in choices:
        raise UnknownFilterValue(param, choices)

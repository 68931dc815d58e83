"""Shared pieces of the REST API that every context's endpoints use."""

from __future__ import annotations

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

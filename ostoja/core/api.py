"""Shared pieces of the REST API that every context's endpoints use."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError


def require(request: HttpRequest, perm: str, obj: object | None = None) -> None:
    """The same permission predicates as the UI; 403 when the user lacks them."""
    if not request.user.has_perm(perm, obj):
        raise HttpError(403, "Brak uprawnień do tej operacji.")

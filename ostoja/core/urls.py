"""Links to records by id without a ``reverse()`` per row (issue 19, the case file's timeline).

``record_url("decisions:detail", 42)`` gives what ``reverse("decisions:detail", args=[42])``
gives, but reverses each URL name once (per URL configuration and script prefix) with a
sentinel id (``_MARK_ID``) and then only formats the real id in its place — a long list of
links costs one reversal per kind of record, not one per row. Only for patterns with one
``<int:…>`` argument; an id that is not a non-negative integer raises ``ValueError``, an unknown
name ``NoReverseMatch`` (as ``reverse`` would).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# The sentinel id each URL name is reversed with, once: an id no table reaches, in the int
# converter's range, found in the reversed URL and replaced there by the real id.
_MARK_ID = "987654321987654321"


@lru_cache(maxsize=256)
def _parts(name: str, urlconf: str, prefix: str) -> tuple[str, str] | None:
    """The URL around the id, or ``None`` when ``name`` does not reverse with one int."""
    try:
        url = reverse(name, args=[int(_MARK_ID)], urlconf=urlconf)
    except NoReverseMatch:
        return None
    head, found, tail = url.partition(_MARK_ID)
    if not found or _MARK_ID in tail:
        return None
    return head, tail


def record_url(name: str, pk: Any) -> str:
    """The page of record ``pk`` named ``name`` (one ``<int:pk>`` argument)."""
    text = str(pk)
    if not (text.isascii() and text.isdigit()):  # what the int converter accepts
        raise ValueError(f"not a record id: {text!r}")
    number = int(text)
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    parts = _parts(name, str(urlconf), get_script_prefix())
    if parts is None:
        raise NoReverseMatch(f"{name!r} does not take one integer id")
    return f"{parts[0]}{number}{parts[1]}"

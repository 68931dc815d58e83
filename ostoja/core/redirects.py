"""Where a form may send the user back to: only this site (no open redirect through ``next=``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str, *, field: str = "next") -> str:
    """``next`` from the POST (or GET) if it stays on this host and scheme, else ``default``.

    An off-site ``next`` (``https://evil.example/``, ``//evil.example``, ``javascript:…``) would
    turn a trusted Ostoja link into a phishing hop; it is dropped silently.
    """
    candidate = str(request.POST.get(field) or request.GET.get(field) or "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default

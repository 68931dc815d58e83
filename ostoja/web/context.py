"""Template context shared by every page: navigation for this user, the centre's name."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from ostoja.org.selectors import instance_settings
from ostoja.web.navigation import NAVIGATION

# The request's navigation, worked out once: a page rendering several templates with the request
# (the case file's panels, issue 19) would otherwise check every item's permission each time.
_MEMO = "_ostoja_navigation"


def navigation(request: HttpRequest) -> dict[str, Any]:
    known = getattr(request, _MEMO, None)
    if known is None:
        known = _navigation(request)
        setattr(request, _MEMO, known)
    return known


def _navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items: list[dict[str, Any]] = []
    if user is not None and user.is_authenticated:
        for item in NAVIGATION:
            if not user.has_perm(item.perm):
                continue
            if item.url_name == "org:staff_list" and user.has_perm("org.manage_staff"):
                continue  # administrators reach staff through Administracja
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append({"label": item.label, "url": url, "current": False, "prefix": item.prefix})
    # One current item: the most precise prefix (/analiza/symulacje/ over /analiza/).
    matching = [i for i in items if request.path.startswith(i["prefix"])]
    if matching:
        max(matching, key=lambda i: len(i["prefix"]))["current"] = True
    return {"nav_items": items, "centre": SimpleLazyObject(instance_settings)}

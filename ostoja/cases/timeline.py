"""The case timeline's extension points (issue 17: payments on the timeline, every entry a link).

Higher contexts are never imported here. They (or the web layer on their behalf) register:

- ``register_timeline_source(group, fn)``: ``fn(case, user)`` returns extra entries (e.g. the
  payments of the case) of one filter group of ``TIMELINE_KINDS``;
- ``register_timeline_link(prefix, fn)``: ``fn(source_id, case)`` returns the URL of the record
  an event written with ``source_app`` starting with ``prefix`` refers to (or ``None``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass
class TimelineItem:
    occurred_at: Any
    kind: str
    kind_label: str
    title: str
    detail: str
    actor: str
    url: str = ""


SourceFn = Callable[[Any, Any], "list[TimelineItem]"]
LinkFn = Callable[[str, Any], "str | None"]

_SOURCES: dict[str, list[SourceFn]] = {}
_LINKS: dict[str, LinkFn] = {}


def register_timeline_source(group: str, fn: SourceFn) -> SourceFn:
    """Idempotent; ``group`` is the filter group the entries belong to (e.g. ``wyplata``)."""
    fns = _SOURCES.setdefault(group, [])
    if fn not in fns:
        fns.append(fn)
    return fn


def register_timeline_link(prefix: str, fn: LinkFn) -> LinkFn:
    _LINKS[prefix] = fn
    return fn


def extra_items(*, case: Any, user: Any, group: str = "") -> list[TimelineItem]:
    """Entries from the registered sources (only ``group``'s when the list is filtered)."""
    items: list[TimelineItem] = []
    for g, fns in _SOURCES.items():
        if group and g != group:
            continue
        for fn in fns:
            items.extend(fn(case, user))
    return items


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def event_url(*, source_app: str, source_id: str, case: Any) -> str:
    """The record an event refers to; the case file itself when nothing more precise is known,
    so every entry is a link."""
    matching = [p for p in _LINKS if source_app == p or source_app.startswith(f"{p}.")]
    best = max(matching, key=len, default="")  # the most precise prefix wins
    if best and source_id:
        try:
            url = _LINKS[best](source_id, case)
        except (NoReverseMatch, ValueError):  # an id that is not a record's (e.g. "odwolanie")
            url = None
        if url:
            return url
    return _url("cases:case_detail", case.pk) or ""


# The cases context's own records.
register_timeline_link("cases.application", lambda sid, case: _url("cases:application", sid))
register_timeline_link("cases.interview", lambda sid, case: _url("cases:interview", sid))
register_timeline_link("cases.calculation", lambda sid, case: _url("cases:calculation", sid))

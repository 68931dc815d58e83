"""The case timeline's extension points (issue 17: payments on the timeline, every entry a link).

Higher contexts are never imported here. They (or the web layer on their behalf) register:

- ``register_timeline_source(group, fn)``: ``fn(case, user, limit)`` returns extra entries (e.g.
  the payments of the case) of one filter group of ``TIMELINE_KINDS``, newest first, at most
  ``limit`` of them (the case file shows the newest entries first, issue 19);
- ``register_timeline_link(prefix, fn)``: ``fn(source_id, case)`` returns the URL of the record
  an event written with ``source_app`` starting with ``prefix`` refers to (or ``None``);
- ``register_timeline_links(prefix, fn)``: the same for a link that needs a query, asked once
  per page: ``fn(source_ids, case)`` returns ``{source_id: url}`` for the ids it knows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch

from ostoja.core.urls import record_url


@dataclass
class TimelineItem:
    occurred_at: Any
    kind: str
    kind_label: str
    title: str
    detail: str
    actor: str
    url: str = ""


SourceFn = Callable[[Any, Any, int], "list[TimelineItem]"]
LinkFn = Callable[[str, Any], "str | None"]
LinksFn = Callable[[list[str], Any], "dict[str, str]"]

_SOURCES: dict[str, list[SourceFn]] = {}
_LINKS: dict[str, LinkFn] = {}
_BATCH_LINKS: dict[str, LinksFn] = {}


def register_timeline_source(group: str, fn: SourceFn) -> SourceFn:
    """Idempotent; ``group`` is the filter group the entries belong to (e.g. ``wyplata``)."""
    fns = _SOURCES.setdefault(group, [])
    if fn not in fns:
        fns.append(fn)
    return fn


def register_timeline_link(prefix: str, fn: LinkFn) -> LinkFn:
    _LINKS[prefix] = fn
    _BATCH_LINKS.pop(prefix, None)
    return fn


def register_timeline_links(prefix: str, fn: LinksFn) -> LinksFn:
    """A link that needs a query: ``fn`` answers for all of a page's events of ``prefix`` at
    once (one query per page, not one per row)."""
    _BATCH_LINKS[prefix] = fn
    _LINKS.pop(prefix, None)
    return fn


def extra_items(*, case: Any, user: Any, group: str = "", limit: int) -> list[TimelineItem]:
    """Entries from the registered sources (only ``group``'s when the list is filtered), at most
    ``limit`` from each."""
    items: list[TimelineItem] = []
    for g, fns in _SOURCES.items():
        if group and g != group:
            continue
        for fn in fns:
            items.extend(fn(case, user, limit))
    return items


def _url(name: str, *args: Any) -> str | None:
    """A record's page by its id (one reversal per name, not per row), or ``None``."""
    try:
        return record_url(name, *args)
    except (NoReverseMatch, ValueError):
        return None


def _best_prefix(source_app: str) -> str:
    """The most precise registered prefix of ``source_app`` ("" when none)."""
    prefixes = [*_LINKS, *_BATCH_LINKS]
    matching = [p for p in prefixes if source_app == p or source_app.startswith(f"{p}.")]
    return max(matching, key=len, default="")


def event_urls(*, events: list[tuple[str, str]], case: Any) -> list[str]:
    """The record each event ``(source_app, source_id)`` refers to, in order; the case file
    itself when nothing more precise is known, so every entry is a link. One call (one query at
    most) per kind of link that needs the database."""
    fallback = _url("cases:case_detail", case.pk) or ""
    best_of = {app: _best_prefix(app) for app in {app for app, _ in events}}  # a few per page
    bests = [best_of[app] if sid else "" for app, sid in events]
    batched: dict[str, dict[str, str]] = {}
    for prefix in {b for b in bests if b in _BATCH_LINKS}:
        ids = sorted({sid for (_, sid), b in zip(events, bests, strict=True) if b == prefix})
        batched[prefix] = _BATCH_LINKS[prefix](ids, case)
    urls = []
    for (_, sid), best in zip(events, bests, strict=True):
        url: str | None = None
        if best in batched:
            url = batched[best].get(sid)
        elif best:
            try:
                url = _LINKS[best](sid, case)
            except (NoReverseMatch, ValueError):  # an id that is not a record's ("odwolanie")
                url = None
        urls.append(url or fallback)
    return urls


# The cases context's own records.
register_timeline_link("cases.application", lambda sid, case: _url("cases:application", sid))
register_timeline_link("cases.interview", lambda sid, case: _url("cases:interview", sid))
register_timeline_link("cases.calculation", lambda sid, case: _url("cases:calculation", sid))

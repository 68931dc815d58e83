"""Bulk reads (RODO accountability): one audit record per list, search or export request.

A record names the list (``what``), the structured filters as they were given (status, month,
dates, ids — no personal data), and the row count. Free-text search terms (a PESEL, a
surname) are personal data themselves, so they are never stored: the record keeps the field
name, the term's length and a keyed fingerprint (HMAC-SHA256 with the instance's SECRET_KEY,
first 16 hex digits). The DPO can check whether a given PESEL was searched for by computing its
fingerprint with :func:`term_fingerprint`; nobody can read the term back from the log.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import wraps
from typing import Any, TypeVar

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

F = TypeVar("F", bound=Callable[..., Any])

BULK_MARK = "bulk"
# Names of the free-text parameters across lists and searches (kept as fingerprints only).
SEARCH_TERM_KEYS = ("search", "q")


def term_fingerprint(term: str) -> str:
    """The keyed fingerprint of a search term (case- and space-insensitive)."""
    normal = " ".join(term.split()).casefold()
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()[:16]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, date | datetime | Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return str(value)


def bulk_read_record(
    *,
    user: AbstractBaseUser | AnonymousUser,
    model: type[models.Model],
    what: str,
    rows: int,
    filters: Mapping[str, Any] | None = None,
    terms: Mapping[str, str] | None = None,
    remote_addr: str | None = None,
) -> LogEntry:
    """Write one ACCESS entry for a list/search/export of ``rows`` records of ``model``."""
    data: dict[str, Any] = {BULK_MARK: True, "list": what, "rows": int(rows)}
    clean = {k: _plain(v) for k, v in (filters or {}).items() if v not in (None, "", [], ())}
    if clean:
        data["filter"] = clean
    given = {k: v for k, v in (terms or {}).items() if v and str(v).strip()}
    if given:
        data["terms"] = {
            k: {"fingerprint": term_fingerprint(str(v)), "length": len(str(v))}
            for k, v in given.items()
        }
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="",
        object_id=None,
        object_repr=f"lista: {what}",
        action=LogEntry.Action.ACCESS,
        changes={},
        actor=user if user.is_authenticated else None,
        remote_addr=remote_addr,
        additional_data=data,
    )


def _count(result: Any) -> int:
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], int):
        result = result[1]
    try:
        return len(result)
    except TypeError:
        return 0


def _filters_of(kwargs: Mapping[str, Any], terms: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in kwargs.items():
        dump = getattr(value, "model_dump", None)
        if callable(dump):  # a ninja/pydantic Query schema: flatten its fields
            out.update(dump())
        else:
            out[name] = value
    return {k: v for k, v in out.items() if k not in set(terms)}


def _terms_of(kwargs: Mapping[str, Any], terms: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in kwargs.items():
        dump = getattr(value, "model_dump", None)
        flat = dump() if callable(dump) else {name: value}
        for key in terms:
            if flat.get(key):
                found[key] = str(flat[key])
    return found


def audited_list(
    what: str, model: type[models.Model], *, terms: Iterable[str] = ()
) -> Callable[[F], F]:
    """Decorate an API list/search operation: after it answers, record one bulk read.

    ``terms`` name the free-text parameters (kept as fingerprints only). The record is written
    only for a successful answer (a refusal raises before and is handled by the caller).
    """
    term_names = tuple(terms)

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            result = view(request, *args, **kwargs)
            bulk_read_record(
                user=request.user,
                model=model,
                what=what,
                rows=_count(result),
                filters=_filters_of(kwargs, term_names),
                terms=_terms_of(kwargs, term_names),
                remote_addr=request.META.get("REMOTE_ADDR"),
            )
            return result

        # django-ninja resolves string annotations (``from __future__ import annotations``)
        # in the wrapper's module, not the view's: hand it the view's resolved signature.
        wrapped.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate

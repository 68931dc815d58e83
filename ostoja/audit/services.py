"""Recording reads of personal data (RODO accountability): who opened what, and why."""

from __future__ import annotations

from typing import Any, NoReturn

from auditlog.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404


def access_record(
    *,
    user: AbstractBaseUser | AnonymousUser,
    obj: models.Model,
    remote_addr: str | None = None,
    reason: str | None = None,
    refused: bool = False,
    extra: dict[str, Any] | None = None,
) -> LogEntry:
    """Write one ACCESS entry for ``obj`` opened (or refused) to ``user``."""
    data: dict[str, Any] = {}
    get_additional = getattr(obj, "get_additional_data", None)
    if callable(get_additional):
        data.update(get_additional() or {})
    if extra:
        data.update(extra)
    if reason:
        data["reason"] = reason
    if refused:
        data["refused"] = True
    return LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        changes={},
        actor=user if user.is_authenticated else None,
        remote_addr=remote_addr,
        additional_data=data or None,
    )


def client_ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR")


def refuse_access(
    request: Any, obj: models.Model, *, reason: str | None = None, known: bool = False
) -> NoReturn:
    """A page refuses to show ``obj``: record the refused opening, then answer.

    The answer is 404, the same as for an id that does not exist, so ids of other districts
    cannot be probed (issue 20). ``known=True`` — the user may see the record and only lacks
    the action's permission — answers 403: nothing is revealed that the user does not know.
    One place for what every context's views do when scope or role does not allow a record.
    """
    access_record(
        user=request.user, obj=obj, remote_addr=client_ip(request), refused=True, reason=reason
    )
    if known:
        raise PermissionDenied
    raise Http404

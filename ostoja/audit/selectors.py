"""Reading the audit trail for the data protection officer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from ostoja.audit.bulk import SEARCH_TERM_KEYS, term_fingerprint
from ostoja.core.dates import local_time

ACTION_LABELS = {
    LogEntry.Action.CREATE: "utworzenie",
    LogEntry.Action.UPDATE: "zmiana",
    LogEntry.Action.DELETE: "usunięcie",
    LogEntry.Action.ACCESS: "odczyt",
}


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    actor_text: str = ""  # login, first or last name (a fragment): every matching account
    subject: str = ""  # text in the record's name, or a person's id
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    action: int | None = None


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def audit_entries(*, filters: AuditFilters) -> QuerySet[LogEntry]:
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if filters.actor_id:
        qs = qs.filter(actor_id=filters.actor_id)
    if filters.actor_text:
        qs = qs.filter(actor_id__in=_actor_ids(filters.actor_text))
    if filters.subject:
        subject = filters.subject.strip()
        cond = Q(object_repr__icontains=subject)
        # A searched PESEL or surname is logged only as a fingerprint (ostoja.audit.bulk):
        # the DPO finds who searched for it by the same fingerprint.
        print_ = term_fingerprint(subject)
        for key in SEARCH_TERM_KEYS:
            cond |= Q(**{f"additional_data__terms__{key}__fingerprint": print_})
        if subject.isdigit():
            cond |= Q(additional_data__person_id=int(subject))
        qs = qs.filter(cond)
    if filters.date_from:
        qs = qs.filter(timestamp__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(timestamp__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.action is not None:
        qs = qs.filter(action=filters.action)
    return qs


@dataclass(frozen=True)
class AuditRow:
    timestamp: datetime
    actor: str
    action: str
    model: str
    object_repr: str
    object_pk: str
    changes: list[tuple[str, str, str]]
    reason: str
    refused: bool
    remote_addr: str


EMPTY = {"None", "", "[]", "{}"}
WORDS = {"True": "tak", "False": "nie"}
# Fields left with Django's default (English) verbose name, in Polish (issue 17).
DEFAULT_NAMES = {
    "created_at": "utworzono", "updated_at": "zmieniono", "created_by": "utworzone przez",
    "updated_by": "zmienione przez", "changed_by": "zmienione przez", "actor": "wykonawca",
    "timestamp": "czas", "user": "użytkownik", "status": "stan", "version": "wersja",
}  # fmt: skip
CODE = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/.-])")


@lru_cache(maxsize=1)
def _code_labels() -> dict[str, str]:
    """Every choice code of our models → its label (codes inside lists and JSON values)."""
    from django.apps import apps

    out: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("ostoja."):
            continue
        for field in model._meta.get_fields():
            for key, label in getattr(field, "flatchoices", None) or []:
                if isinstance(key, str) and "_" in key:
                    out.setdefault(key, str(label))
    return out


def _plain(text: str) -> str:
    """A list or JSON value without brackets and quotes, its codes as labels."""
    if text[:1] in "[{" and text[-1:] in "]}":
        text = re.sub(r"[\[\]{}'\"]", "", text)
    labels = _code_labels()
    return CODE.sub(lambda m: labels.get(m.group(0), m.group(0)), text)


def _field_of(model: type | None, name: str) -> object | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)  # type: ignore[attr-defined]
    except Exception:
        return None


def _label_of(model: type | None, name: str) -> str | None:
    """The field's Polish verbose name; None for what is not a concrete field (reverse
    relations that auditlog lists on creation) — those say nothing to a reader."""
    if model is None:
        return name
    field = _field_of(model, name)
    if field is None:
        return name
    if not getattr(field, "concrete", False) and not getattr(field, "many_to_many", False):
        return None
    label = str(getattr(field, "verbose_name", name))
    if label == name.replace("_", " ") and name in DEFAULT_NAMES:
        return DEFAULT_NAMES[name]
    return label


def _related_model(field: object | None) -> type | None:
    if field is not None and (
        getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False)
    ):
        return getattr(field, "related_model", None)
    return None


def _when(text: str, *, date_only: bool) -> str:
    """An audited date or time as staff read it (issue 17): local time, no seconds' fractions,
    no UTC offset — "05.12.2026 07:16" or "05.12.2026"."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        try:
            value = datetime.fromisoformat(text.replace(" ", "T"))
        except ValueError:
            return text
    if date_only or (len(text) <= 10):
        return value.strftime("%d.%m.%Y")
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return local_time(value).strftime("%d.%m.%Y %H:%M")


def _shown(value: object, field: object | None = None, names: dict | None = None) -> str:
    """One audited value in Polish: the choice's label instead of its code, the related
    record's name instead of its id, a local date instead of an ISO time stamp."""
    text = str(value)
    if text in EMPTY:
        return ""
    if text in WORDS:
        return WORDS[text]
    if field is None:
        return text
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str(dict((str(k), v) for k, v in choices).get(text, text))
    related = _related_model(field)
    if related is not None and names is not None:
        return names.get((related, text), text)
    kind = field.get_internal_type() if hasattr(field, "get_internal_type") else ""
    if kind in ("DateTimeField", "DateField"):
        return _when(text, date_only=kind == "DateField")
    if kind == "JSONField" and text.startswith("{"):
        return text  # a document: left whole for its context's reader (the interview's parts)
    return _plain(text)


def _changes(e: LogEntry, names: dict | None = None) -> list[tuple[str, str, str]]:
    model = e.content_type.model_class() if e.content_type else None
    out = []
    for name, values in (e.changes_dict or {}).items():
        label = _label_of(model, name)
        if label is None:
            continue
        field = _field_of(model, name)
        if isinstance(values, list) and len(values) == 2:
            old, new = _shown(values[0], field, names), _shown(values[1], field, names)
        else:
            old, new = "", _shown(values, field, names)
        if e.action == LogEntry.Action.CREATE and not new:
            continue  # on creation, empty fields are noise
        if name in ("id", "version"):
            continue
        out.append((label, old, new))
    return out


def _related_names(entries: list[LogEntry]) -> dict:
    """(model, pk) → the related record's name, one query per related model for the whole
    page (a changed "podpisał" shows the person, not "— → 4")."""
    wanted: dict[type, set[str]] = {}
    for e in entries:
        model = e.content_type.model_class() if e.content_type else None
        for name, values in (e.changes_dict or {}).items():
            related = _related_model(_field_of(model, name))
            if related is None:
                continue
            for v in values if isinstance(values, list) else [values]:
                if str(v) not in EMPTY and str(v).isdigit():
                    wanted.setdefault(related, set()).add(str(v))
    names: dict = {}
    for related, pks in wanted.items():
        for pk, obj in related._base_manager.in_bulk([int(p) for p in pks]).items():  # type: ignore[attr-defined]
            full = getattr(obj, "get_full_name", None)
            names[(related, str(pk))] = (full() if callable(full) else "") or str(obj)
    return names


def audit_rows(entries: list[LogEntry]) -> list[AuditRow]:
    rows = []
    names = _related_names(entries)
    for e in entries:
        changes = _changes(e, names)
        extra = e.additional_data or {}
        rows.append(
            AuditRow(
                timestamp=e.timestamp,
                actor=(e.actor.get_full_name() or e.actor.username) if e.actor else "system",
                action=ACTION_LABELS.get(e.action, str(e.action)),
                model=e.content_type.name if e.content_type else "",
                object_repr=e.object_repr,
                object_pk=e.object_pk,
                changes=changes,
                reason=str(extra.get("reason", "")) if isinstance(extra, dict) else "",
                refused=bool(extra.get("refused")) if isinstance(extra, dict) else False,
                remote_addr=e.remote_addr or "",
            )
        )
    return rows


def history_of(obj: object) -> list[AuditRow]:
    """Every change of one record, newest first (for "historia" panels)."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(type(obj))
    entries = list(
        LogEntry.objects.select_related("actor", "content_type")
        .filter(content_type=ct, object_pk=str(obj.pk))  # type: ignore[attr-defined]
        .exclude(action=LogEntry.Action.ACCESS)
        .order_by("-timestamp", "-pk")
    )
    return audit_rows(entries)


def _actors_query(text: str) -> QuerySet[Any]:
    """Accounts whose login, first or last name contains every word of ``text``; a number is
    an account's id (the links of earlier pages carry one)."""
    qs = get_user_model().objects.all()
    if text.strip().isdigit():
        return qs.filter(pk=int(text))
    for word in text.split()[:5]:
        cond = Q(username__icontains=word) | Q(first_name__icontains=word)
        qs = qs.filter(cond | Q(last_name__icontains=word))
    return qs


# Up to this many matching accounts are passed to the trail's query as a list of ids.
ACTOR_IDS_INLINE = 500


def _actor_ids(text: str) -> Any:
    """The accounts matching ``text`` as a list of ids (issue 19): given ``actor_id IN
    (subquery)`` the planner cannot know which accounts match and walks the whole trail
    backwards by time looking for a rare one's rows (3.1 s over 2 million entries on
    PostgreSQL); given the ids it reads them through the actor index (0.1 ms). A text matching
    more accounts than ``ACTOR_IDS_INLINE`` (one or two letters) keeps the subquery."""
    ids = list(_actors_query(text).values_list("pk", flat=True)[: ACTOR_IDS_INLINE + 1])
    if len(ids) > ACTOR_IDS_INLINE:
        return _actors_query(text).values("pk")
    return ids


def actors_matching(text: str, *, limit: int = 10) -> tuple[int, list[str]]:
    """How many accounts the audit page's user search matches, and the first ``limit`` of
    them as "Imię Nazwisko (login)" — shown so the officer sees whose events are listed."""
    qs = _actors_query(text).order_by("last_name", "first_name", "username")
    rows = list(qs.values_list("first_name", "last_name", "username")[:limit])
    count = len(rows) if len(rows) < limit else qs.count()
    return count, [f"{f'{first} {last}'.strip() or login} ({login})" for first, last, login in rows]

"""Reading the audit trail for the data protection officer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet
from django.utils import timezone

from ostoja.audit.bulk import SEARCH_TERM_KEYS, term_fingerprint

ACTION_LABELS = {
    LogEntry.Action.CREATE: "utworzenie",
    LogEntry.Action.UPDATE: "zmiana",
    LogEntry.Action.DELETE: "usunięcie",
    LogEntry.Action.ACCESS: "odczyt",
}


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
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


def _label_of(model: type | None, name: str) -> str | None:
    """The field's Polish verbose name; None for what is not a concrete field (reverse
    relations that auditlog lists on creation) — those say nothing to a reader."""
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)  # type: ignore[attr-defined]
    except Exception:
        return name
    if not getattr(field, "concrete", False) and not getattr(field, "many_to_many", False):
        return None
    return str(getattr(field, "verbose_name", name))


def _shown(value: object) -> str:
    text = str(value)
    if text in EMPTY:
        return ""
    return WORDS.get(text, text)


def _changes(e: LogEntry) -> list[tuple[str, str, str]]:
    model = e.content_type.model_class() if e.content_type else None
    out = []
    for name, values in (e.changes_dict or {}).items():
        label = _label_of(model, name)
        if label is None:
            continue
        if isinstance(values, list) and len(values) == 2:
            old, new = _shown(values[0]), _shown(values[1])
        else:
            old, new = "", _shown(values)
        if e.action == LogEntry.Action.CREATE and not new:
            continue  # on creation, empty fields are noise
        if name in ("id", "version"):
            continue
        out.append((label, old, new))
    return out


def audit_rows(entries: list[LogEntry]) -> list[AuditRow]:
    rows = []
    for e in entries:
        changes = _changes(e)
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

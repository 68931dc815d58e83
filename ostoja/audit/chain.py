"""Sealing audit rows into a hash chain and verifying it (see ``ostoja.audit.models``)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from ostoja.audit.models import GENESIS, AuditSeal

# Any constant: one advisory lock serialises sealing on PostgreSQL (SQLite writes are serial).
_LOCK_KEY = 0x05704A


def _json(value: Any) -> Any:
    """The value as the JSON column stores it (so a re-read row hashes the same)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder)) if value is not None else None


def canonical(entry: LogEntry) -> bytes:
    """The row's content in a stable form: the fields a tamperer would want to change."""
    content = {
        "id": entry.pk,
        "timestamp": entry.timestamp.isoformat() if entry.timestamp else None,
        "action": entry.action,
        "content_type": entry.content_type_id,
        "object_pk": str(entry.object_pk),
        "object_repr": str(entry.object_repr),
        "changes": _json(entry.changes),
        "actor": entry.actor_id,
        "remote_addr": entry.remote_addr,
        "additional_data": _json(entry.additional_data),
    }
    return canonical_content(content)


def canonical_content(content: dict[str, Any]) -> bytes:
    """``canonical`` of a row given as its content (the bulk writer of the synthetic city seals
    rows it never loads; the values must be as a re-read row gives them)."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()


def _chained(prev_hash: str, canonical_bytes: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical_bytes).hexdigest()


def seal_hash(prev_hash: str, entry: LogEntry) -> str:
    return _chained(prev_hash, canonical(entry))


def content_seal_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """``seal_hash`` of a row given as its content (see ``canonical_content``)."""
    return _chained(prev_hash, canonical_content(content))


def seal(entry: LogEntry) -> AuditSeal:
    """Append ``entry`` to the chain (called once, right after the row is written)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    last = AuditSeal.objects.order_by("-pk").values_list("hash", flat=True).first()
    prev = last or GENESIS
    return AuditSeal.objects.create(entry=entry, prev_hash=prev, hash=seal_hash(prev, entry))


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None  # LogEntry id of the first row whose seal does not match
    problem: str
    unsealed: int  # audit rows without a seal (written before the chain existed, or forged)

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify(*, batch: int = 2000) -> ChainReport:
    """Recompute the whole chain in order; stop at the first row that does not match."""
    prev = GENESIS
    checked = 0
    seals = AuditSeal.objects.select_related("entry").order_by("pk")
    for s in seals.iterator(chunk_size=batch):
        if s.prev_hash != prev:
            return ChainReport(checked, s.entry_id, "łańcuch przerwany (brak lub zmiana wpisu)", 0)
        if seal_hash(prev, s.entry) != s.hash:
            return ChainReport(checked, s.entry_id, "treść wpisu zmieniona po zapisie", 0)
        prev = s.hash
        checked += 1
    unsealed = LogEntry.objects.filter(seal__isnull=True).count()
    return ChainReport(checked, None, "", unsealed)

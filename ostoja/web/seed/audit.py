"""The audit rows a real history would have left (issue 19): one creation entry per seeded
record of an audited model, sealed into the hash chain, bulk-inserted with the rest.

Like django-auditlog's own creation entry: ``action`` create, ``changes`` every audited field
with a value as ``["None", value]`` (the model's registered ``exclude_fields`` left out; values
as the database was given them), the actor where the
row names its author, the time the record was made where the row has it (else the seeding
time). ``object_repr`` is the model's name and id (``str(instance)`` would read related rows).
Only the main records (``AUDITED``): writing an entry for every row would double the seed's
time (measured: +66 % CPU at scale 0.05, issue 19's limit is +20 %).
Each entry gets its seal (``ostoja.audit.chain``), continuing the chain already in the
database, so ``ostoja audit_verify`` checks the seeded trail like any other.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType

from ostoja.audit.chain import content_seal_hash
from ostoja.audit.models import GENESIS, AuditSeal
from ostoja.web.seed.writer import Table

# The records staff register one by one. Left out to keep seeding within 20 % of its time
# without them (issue 19): memberships, incomes, interviews, decision lines, timeline events,
# notes, visits, contracts; and payments, which the run writes set-based with no entry per row.
AUDITED = ("person", "household", "case", "application", "decision")
_WHEN = ("created_at", "drafted_at", "registered_at", "recorded_at")
_WHO = ("created_by_id", "drafted_by_id", "registered_by_id", "recorded_by_id")


class _Layout:
    """Which columns of a seeded table go into its creation entry, and how."""

    def __init__(self, table: Table) -> None:
        model = table.model
        excluded = set(auditlog.get_model_fields(model)["exclude_fields"])
        self.content_type = ContentType.objects.get_for_model(model).pk
        self.label = str(model._meta.verbose_name)
        self.pk_index = table.attnames.index(table.pk_attname)
        self.fields = [(i, f.name) for i, f in enumerate(table.fields) if f.name not in excluded]
        self.when = next((table.attnames.index(a) for a in _WHEN if a in table.attnames), None)
        self.who = next((table.attnames.index(a) for a in _WHO if a in table.attnames), None)


class AuditTrail:
    """Creation entries for the rows each chunk wrote, and their seals, in id order."""

    def __init__(self, tables: dict[str, Table], now: datetime) -> None:
        self.now = now
        self.entries = Table(LogEntry, now)
        self.seals = Table(AuditSeal, now)
        self.layouts = {
            name: _Layout(t)
            for name, t in tables.items()
            if name in AUDITED and auditlog.contains(t.model)
        }
        last = AuditSeal.objects.order_by("-pk").values_list("hash", flat=True).first()
        self.prev = last or GENESIS
        # Rows are built as tuples in the tables' column order (``Table.add`` per row would cost
        # as much as the rest of the seed): the columns an entry leaves out take their defaults.
        self.blank_entry = {
            a: _adapted(self.entries, a, v) for a, v in self.entries.fallback.items()
        }
        self.dump = json.dumps
        self.stamp = self.entries.adapters.get("timestamp", lambda value: value)
        seal_columns = ("id", "entry_id", "prev_hash", "hash")
        if tuple(self.seals.attnames) != seal_columns:
            raise ValueError(f"seed: audit seal columns {self.seals.attnames} != {seal_columns}")

    def record(self, name: str, rows: list[tuple[Any, ...]]) -> None:
        layout = self.layouts.get(name)
        if layout is None:
            return
        for row in rows:
            self._entry(layout, row)

    def _entry(self, layout: _Layout, row: tuple[Any, ...]) -> None:
        pk = row[layout.pk_index]
        when = row[layout.when] if layout.when is not None else None
        stamp = (_aware(when) if when is not None else self.now).astimezone(UTC)
        entry_id = self.entries.new_id()
        changes = {name: ["None", str(row[i])] for i, name in layout.fields if row[i] is not None}
        content = {  # as ostoja.audit.chain.canonical reads the row back
            "id": entry_id,
            "timestamp": stamp.isoformat(),
            "action": LogEntry.Action.CREATE,
            "content_type": layout.content_type,
            "object_pk": str(pk),
            "object_repr": f"{layout.label} {pk}",
            "changes": changes,
            "actor": row[layout.who] if layout.who is not None else None,
            "remote_addr": None,
            "additional_data": None,
        }
        values = dict(self.blank_entry)
        values.update(
            id=entry_id, content_type_id=layout.content_type, object_pk=content["object_pk"],
            object_id=pk, object_repr=content["object_repr"], action=LogEntry.Action.CREATE,
            changes=self.dump(changes), actor_id=content["actor"], timestamp=self.stamp(stamp),
        )  # fmt: skip
        self.entries.pending.append(tuple(values[a] for a in self.entries.attnames))
        digest = content_seal_hash(self.prev, content)
        self.seals.pending.append((self.seals.new_id(), entry_id, self.prev, digest))
        self.prev = digest

    def models(self) -> list[type[Any]]:
        return [LogEntry, AuditSeal]

    def flush(self) -> int:
        n = self.entries.flush()
        self.seals.flush()
        return n


def _adapted(table: Table, attname: str, value: Any) -> Any:
    adapter = table.adapters.get(attname)
    return adapter(value) if adapter is not None and value is not None else value


def _aware(value: Any) -> datetime:
    """A seeded time as the database gives it back (rows hold adapted values on SQLite)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # SQLite stores UTC without an offset
    return value

"""Fast bulk writing for the seeder: rows as dicts, ids assigned here, COPY on PostgreSQL.

Rows are plain dicts keyed by the model's attribute names (``case_id``, not ``case``). Columns a
row leaves out get the field's default, ``now`` for ``auto_now``/``auto_now_add`` fields, ``None``
when nullable, ``""`` when a blank text field — otherwise the writer fails loudly naming the
column, so a new mandatory field in another context shows up at once instead of as bad data.
No model ``save()``, no signals (no auditlog entries), no per-row queries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.db.models import NOT_PROVIDED, Max

_MISSING = object()


class Table:
    """One model's column layout, value adapters and the next free primary key."""

    def __init__(self, model: type[models.Model], now: datetime) -> None:
        self.model = model
        self.db_table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.pk_attname = model._meta.pk.attname
        self.next_id = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
        self.fallback: dict[str, Any] = {}
        self.adapters: dict[str, Any] = {}
        vendor = connection.vendor
        for f in self.fields:
            if f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.fallback[f.attname] = now
            elif f.default is not NOT_PROVIDED and not callable(f.default):
                self.fallback[f.attname] = f.default
            elif f.default is not NOT_PROVIDED:
                self.fallback[f.attname] = f.get_default()
            elif f.null:
                self.fallback[f.attname] = None
            elif isinstance(f, models.CharField | models.TextField) and f.blank:
                self.fallback[f.attname] = ""
            else:
                self.fallback[f.attname] = _MISSING
            if isinstance(f, models.JSONField):
                self.adapters[f.attname] = json.dumps
            elif vendor == "sqlite" and isinstance(f, models.DateTimeField):
                self.adapters[f.attname] = connection.ops.adapt_datetimefield_value
            elif vendor == "sqlite" and isinstance(f, models.TimeField):
                self.adapters[f.attname] = connection.ops.adapt_timefield_value
            elif vendor == "sqlite" and isinstance(f, models.DateField):
                self.adapters[f.attname] = connection.ops.adapt_datefield_value
            elif vendor == "sqlite" and isinstance(f, models.DecimalField):
                self.adapters[f.attname] = str
        self.pending: list[tuple[Any, ...]] = []
        self.flushed: list[tuple[Any, ...]] = []

    def take_ids(self, n: int) -> range:
        start = self.next_id
        self.next_id += n
        return range(start, start + n)

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add(self, row: dict[str, Any]) -> int:
        """Queue one row; returns its primary key (assigned here unless given)."""
        if self.pk_attname not in row:
            row[self.pk_attname] = self.new_id()
        values = []
        for name in self.attnames:
            value = row.get(name, _MISSING)
            if value is _MISSING:
                value = self.fallback.get(name, _MISSING)
                if value is _MISSING:
                    raise ValueError(f"seed: brak wartości dla {self.db_table}.{name}")
            adapter = self.adapters.get(name)
            if adapter is not None and value is not None:
                value = adapter(value)
            values.append(value)
        self.pending.append(tuple(values))
        return row[self.pk_attname]

    def flush(self) -> int:
        rows, self.pending = self.pending, []
        if rows:
            insert_rows(self.db_table, self.columns, rows)
        self.flushed = rows  # the audit trail's creation entries are made from them
        return len(rows)


def insert_rows(table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
            with raw.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})"  # noqa: S608 — our names
            cursor.executemany(sql, list(rows))


def reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """After explicit ids on PostgreSQL, move each id sequence past the largest id."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL; SQLite: ``ANALYZE`` too)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

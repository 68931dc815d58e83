"""A person's data export (art. 15 RODO — prawo dostępu): JSON and a readable PDF.

Collects the person's own row and every row of any model that refers to the person by a
foreign key (household memberships, incomes, applications, …), field by field with the
fields' Polish names. Documents' bytes (signed PDFs) are listed, not embedded. The export is
a read of personal data: the caller audits it (``access_record``).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.template.loader import render_to_string

SKIPPED_FIELDS = {"search_key", "version", "password"}


def _value(obj: models.Model, field: models.Field[Any, Any]) -> Any:
    value = getattr(obj, field.attname)
    if isinstance(value, bytes | memoryview):
        return f"[plik, {len(value)} B]"
    if isinstance(value, Decimal | date | datetime):
        return str(value)
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    return value


def _row(obj: models.Model) -> dict[str, Any]:
    return {
        str(f.verbose_name): _value(obj, f)
        for f in obj._meta.concrete_fields
        if f.name not in SKIPPED_FIELDS and not f.name.endswith("search")
    }


def person_data_export(*, person: models.Model, now: datetime) -> dict[str, Any]:
    """Everything held about ``person``: ``{"osoba": {...}, "sections": [...]}``."""
    sections = []
    person_model = type(person)
    for model in apps.get_models():
        if model._meta.app_label in {"auditlog", "audit", "sessions", "admin"}:
            continue
        fks = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.related_model is person_model
        ]
        for fk in fks:
            rows = [_row(o) for o in model._base_manager.filter(**{fk.name: person}).order_by("pk")]
            if rows:
                sections.append({
                    "title": f"{str(model._meta.verbose_name_plural).capitalize()} "
                             f"({fk.verbose_name})",
                    "rows": rows,
                })  # fmt: skip
    return {
        "title": "Informacja o przetwarzanych danych osobowych (art. 15 RODO)",
        "generated": now.isoformat(),
        "person": _row(person),
        "sections": sections,
    }


def export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


def export_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("ops/rodo_export.html", {"data": data})
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]

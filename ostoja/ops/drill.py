"""The restore drill's fingerprint (odcisk bazy): counts, money checksum, audit chain head.

Computed before a backup (stored in its manifest) and after a restore; equal fingerprints mean
the restore brought back every row, every grosz and an intact audit chain. Figures only — no
personal data leaves the database.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Sum


def fingerprint() -> dict[str, Any]:
    counts: dict[str, int] = {}
    money: dict[str, str] = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        label = model._meta.label_lower
        if label.startswith(("sessions.", "django_tasks_db.", "ops.")):
            continue  # sessions and the queue/heartbeat change by themselves
        manager = model._base_manager
        counts[label] = manager.count()
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DecimalField):
                total = manager.aggregate(s=Sum(f.attname))["s"] or Decimal("0")
                money[f"{label}.{f.attname}"] = str(Decimal(total).quantize(Decimal("0.01")))
    from ostoja.audit.chain import verify
    from ostoja.audit.models import AuditSeal

    report = verify()
    head = AuditSeal.objects.order_by("-pk").values_list("hash", flat=True).first()
    money_sum = hashlib.sha256(repr(sorted(money.items())).encode()).hexdigest()
    return {
        "counts": counts,
        "money": money,
        "money_checksum": money_sum,
        "audit": {"ok": report.ok, "checked": report.checked, "head": head or ""},
    }


def fingerprint_diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs, in Polish (empty: the restore is faithful)."""
    out = []
    for key in sorted(set(before["counts"]) | set(after["counts"])):
        a, b = before["counts"].get(key), after["counts"].get(key)
        if a != b:
            out.append(f"liczba wierszy {key}: {a} → {b}")
    for key in sorted(set(before["money"]) | set(after["money"])):
        a, b = before["money"].get(key), after["money"].get(key)
        if a != b:
            out.append(f"suma kwot {key}: {a} → {b}")
    if before["audit"] != after["audit"]:
        out.append(f"łańcuch dziennika: {before['audit']} → {after['audit']}")
    return out

"""The audit trail's seal: a hash chain over the audit rows, so tampering is evident.

Each audit row (``auditlog.LogEntry``) gets one seal holding ``hash = SHA-256(prev_hash +
canonical row content)``. Changing, deleting or inserting a row anywhere in the past breaks
every later hash; ``ostoja audit_verify`` recomputes the chain and names the first broken row.
The seal table is append-only like the rows themselves (triggers on both databases).
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db import models

GENESIS = "0" * 64


class AuditSeal(models.Model):
    entry = models.OneToOneField(
        LogEntry, on_delete=models.DO_NOTHING, related_name="seal", verbose_name="wpis"
    )
    prev_hash = models.CharField("skrót poprzedniego", max_length=64)
    hash = models.CharField("skrót", max_length=64, unique=True)

    class Meta:
        verbose_name = "pieczęć wpisu dziennika"
        verbose_name_plural = "pieczęcie wpisów dziennika"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.hash[:12]}…"

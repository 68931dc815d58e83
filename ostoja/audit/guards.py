"""Audit rows are append-only: the application can neither edit nor delete them.

The database itself is the second line on PostgreSQL (migration 0001 adds a trigger).
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver


class AuditImmutable(Exception):
    """Raised on any attempt to change or remove an audit entry."""


@receiver(pre_save, sender=LogEntry)
def _refuse_update(sender: type[LogEntry], instance: LogEntry, **kwargs: Any) -> None:
    if instance.pk is not None and LogEntry.objects.filter(pk=instance.pk).exists():
        raise AuditImmutable("Wpisów dziennika zdarzeń nie można zmieniać.")


@receiver(pre_delete, sender=LogEntry)
def _refuse_delete(sender: type[LogEntry], instance: LogEntry, **kwargs: Any) -> None:
    raise AuditImmutable("Wpisów dziennika zdarzeń nie można usuwać.")


@receiver(post_save, sender=LogEntry)
def _seal(sender: type[LogEntry], instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """Every new audit row joins the hash chain (ostoja.audit.chain) in the same transaction."""
    if created:
        from ostoja.audit.chain import seal

        seal(instance)

"""Audit rows of protected content hold references, never the content.

Notes, visits, contracts, plans and the timeline copy of them may belong to a protected case
(Niebieska Karta, art. 100 u.p.s.) — or become protected later, when the head marks the case.
Audit rows are append-only, so a text copied into one stays readable on the audit pages for
ever. Models registered here are logged without their free-text fields, and the row's
``object_repr`` (normally ``str(obj)``, which for some of them quotes the text) is replaced by
a reference: the model's name and primary key.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import pre_save
from django.dispatch import receiver

_REFERENCE_ONLY: set[tuple[str, str]] = set()


def register_reference_only(model: type[Model], *, content_fields: list[str]) -> None:
    """Register ``model`` with auditlog, leaving out ``content_fields`` and its text repr."""
    auditlog.register(model, exclude_fields=content_fields)
    _REFERENCE_ONLY.add((model._meta.app_label, model._meta.model_name or ""))


def reference_of(*, app_label: str, model: str, object_pk: Any) -> str | None:
    """The reference an audit row shows for a protected-content object (None: not one)."""
    if (app_label, model) not in _REFERENCE_ONLY:
        return None
    return f"{app_label}.{model} #{object_pk}"


@receiver(pre_save, sender=LogEntry)
def _reference_instead_of_text(sender: type[LogEntry], instance: LogEntry, **kwargs: Any) -> None:
    if instance.pk is not None or instance.content_type_id is None:
        return
    ct = ContentType.objects.get_for_id(instance.content_type_id)
    reference = reference_of(app_label=ct.app_label, model=ct.model, object_pk=instance.object_pk)
    if reference is not None:
        instance.object_repr = reference

"""Optimistic locking: a record two people may edit carries a ``version`` counter."""

from __future__ import annotations

from django.db import models, transaction

from ostoja.core.errors import ConflictError


class Versioned(models.Model):
    version = models.PositiveIntegerField("wersja", default=1)

    class Meta:
        abstract = True


def save_versioned(obj: Versioned, *, expected_version: int) -> None:
    """Save ``obj`` only if nobody saved the row since ``expected_version`` was read.

    The version is claimed first with one ``UPDATE … WHERE version = expected`` — two concurrent
    saves cannot both claim it on any database — and then the row is saved normally, so the
    audit trail records the before → after of every field.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("save_versioned must run inside a transaction")
    claimed = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=expected_version)
        .update(version=expected_version + 1)
    )
    if claimed != 1:
        raise ConflictError()
    obj.version = expected_version + 1
    obj.save()

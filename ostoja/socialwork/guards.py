"""Case notes are append-only: the signal refuses deletion even when a queryset or a cascade
bypasses ``CaseNote.delete`` (the database trigger is the last line on PostgreSQL)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from ostoja.socialwork.models import CaseNote, NoteImmutable


@receiver(pre_delete, sender=CaseNote)
def _refuse_note_delete(sender: type[CaseNote], instance: CaseNote, **kwargs: Any) -> None:
    raise NoteImmutable("Notatek w chronologii sprawy nie można usuwać.")

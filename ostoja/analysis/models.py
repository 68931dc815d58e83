"""Saved what-if scenarios: the changes, the day they were evaluated on and the totals — never
a client's data (the outcomes per family are recomputed on demand, not stored)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Scenario(models.Model):
    name = models.CharField("nazwa", max_length=120)
    changes = models.JSONField("zmiany parametrów")
    evaluated_on = models.DateField("stan na dzień")
    totals = models.JSONField("wyniki (zbiorczo)")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utworzył",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("utworzono", auto_now_add=True)

    class Meta:
        verbose_name = "scenariusz symulacji"
        verbose_name_plural = "scenariusze symulacji"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

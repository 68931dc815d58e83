"""The worker's heartbeat (sygnał życia procesu zadań w tle) — no personal data."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per worker process: when it last reported that it is alive."""

    worker_id = models.CharField("identyfikator procesu", max_length=64, unique=True)
    seen_at = models.DateTimeField("ostatni sygnał")

    class Meta:
        verbose_name = "sygnał życia procesu zadań"
        verbose_name_plural = "sygnały życia procesów zadań"

    def __str__(self) -> str:
        return self.worker_id

"""Operations records: the worker's heartbeat (no personal data) and the data subject's rights
(art. 18 restriction, anonymisation after retention) — persons by id only."""

from __future__ import annotations

from django.conf import settings
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


class ProcessingRestriction(models.Model):
    """Ograniczenie przetwarzania (art. 18 RODO) of one person's data.

    While active the person's record cannot be edited and the person cannot be used in a new
    decision or payment (``ostoja.ops.rodo.restriction`` guards the saves); lifting it keeps
    the row. ``person_id`` is the registry's person (ops sits above the contexts).
    """

    person_id = models.BigIntegerField("osoba", db_index=True)
    reason = models.TextField("podstawa i powód ograniczenia")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="ograniczył"
    )
    started_at = models.DateTimeField("ograniczono")
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="zniósł ograniczenie",
    )
    lifted_at = models.DateTimeField("zniesiono", null=True, blank=True)
    lift_reason = models.TextField("powód zniesienia", blank=True)

    class Meta:
        verbose_name = "ograniczenie przetwarzania"
        verbose_name_plural = "ograniczenia przetwarzania"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person_id"],
                condition=models.Q(lifted_at__isnull=True),
                name="ops_one_active_restriction",
            )
        ]

    def __str__(self) -> str:
        return f"Ograniczenie przetwarzania — osoba {self.person_id}"


class AnonymisationStatus(models.TextChoices):
    PENDING = "oczekuje", "czeka na potwierdzenie"
    DONE = "wykonana", "wykonana"
    REJECTED = "odrzucona", "odrzucona"


class Anonymisation(models.Model):
    """Anonimizacja osoby po upływie okresu przechowywania — two people: one asks, another
    (the DPO or the director, never the one who asked) confirms; only then are the person's
    identifiers replaced. The row names the person by id only."""

    person_id = models.BigIntegerField("osoba", db_index=True)
    reason = models.TextField("podstawa (upływ okresu przechowywania)")
    status = models.CharField(
        "stan",
        max_length=12,
        choices=AnonymisationStatus.choices,
        default=AnonymisationStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="wnioskował"
    )
    requested_at = models.DateTimeField("złożono")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="rozstrzygnął",
    )
    decided_at = models.DateTimeField("rozstrzygnięto", null=True, blank=True)
    fields_replaced = models.JSONField("zastąpione pola", default=list)

    class Meta:
        verbose_name = "anonimizacja osoby"
        verbose_name_plural = "anonimizacje osób"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person_id"],
                condition=models.Q(status="oczekuje"),
                name="ops_one_pending_anonymisation",
            )
        ]

    def __str__(self) -> str:
        return f"Anonimizacja — osoba {self.person_id} ({self.get_status_display()})"

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


class GeneratedFileStatus(models.TextChoices):
    QUEUED = "w_kolejce", "w kolejce"
    RUNNING = "w_toku", "w przygotowaniu"
    DONE = "gotowy", "gotowy do pobrania"
    FAILED = "blad", "nie udało się"


ACTIVE_FILE_STATUSES = (GeneratedFileStatus.QUEUED, GeneratedFileStatus.RUNNING)


class GeneratedFile(models.Model):
    """Plik przygotowany w tle (a long job run by the worker: a statutory report's export, a
    batch print). The bytes live in the database (backed up with it, like decision PDFs) with
    their SHA-256; only the requester downloads it, after a fresh check of their role and
    scope (``ostoja.ops.files``), and every download is recorded in the audit trail.

    ``params_key`` is the canonical form of ``params``: one queued or running job per person,
    kind and parameters (a repeated click returns the same job — enforced by the database).
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="zlecił"
    )
    kind = models.CharField("rodzaj", max_length=40)
    params = models.JSONField("parametry", default=dict)
    params_key = models.CharField("parametry (postać kanoniczna)", max_length=255)
    status = models.CharField(
        "stan",
        max_length=12,
        choices=GeneratedFileStatus.choices,
        default=GeneratedFileStatus.QUEUED,
    )
    error = models.TextField("przyczyna niepowodzenia", blank=True)
    filename = models.CharField("nazwa pliku", max_length=200, blank=True)
    content_type = models.CharField("typ zawartości", max_length=120, blank=True)
    data = models.BinaryField("zawartość", null=True, blank=True, editable=False)
    size = models.PositiveBigIntegerField("rozmiar (B)", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    meta = models.JSONField("zakres pliku", default=dict, blank=True)
    task_id = models.CharField("identyfikator zadania", max_length=64, blank=True)
    created_at = models.DateTimeField("zlecono")
    started_at = models.DateTimeField("rozpoczęto", null=True, blank=True)
    finished_at = models.DateTimeField("zakończono", null=True, blank=True)
    expires_at = models.DateTimeField("ważny do")

    class Meta:
        verbose_name = "plik do pobrania"
        verbose_name_plural = "pliki do pobrania"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="ops_file_owner")]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "kind", "params_key"],
                condition=models.Q(status__in=["w_kolejce", "w_toku"]),
                name="ops_one_active_file_job",
            )
        ]

    def __str__(self) -> str:
        return f"Plik {self.pk} — {self.kind} ({self.get_status_display()})"

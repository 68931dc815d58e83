"""Saved what-if scenarios: the changes, the day they were evaluated on and the totals — never
a client's data (the outcomes per family are recomputed on demand, not stored)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ostoja.core.concurrency import Versioned


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


class ReportSubmission(models.Model):
    """A statutory report recorded as submitted (to CAS, the council…) for one period; a
    correction is a new row with a higher ``correction``."""

    report = models.CharField("sprawozdanie", max_length=30)
    period = models.CharField("okres", max_length=10)
    submitted_on = models.DateField("złożono dnia")
    reference = models.CharField("potwierdzenie / numer w CAS", max_length=120, blank=True)
    correction = models.PositiveSmallIntegerField("korekta nr", default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="zapisał",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("zapisano", auto_now_add=True)

    class Meta:
        verbose_name = "złożenie sprawozdania"
        verbose_name_plural = "złożenia sprawozdań"
        ordering = ["report", "period", "correction"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "period", "correction"], name="report_submission_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.period}"


class DataExport(models.Model):
    """Every pseudonymised export made (who, when, which period, how many rows) — the record of
    a bulk read of (pseudonymised) personal data."""

    period = models.CharField("okres", max_length=10)
    rows = models.PositiveIntegerField("wierszy")
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="wyeksportował",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exported_at = models.DateTimeField("wyeksportowano", auto_now_add=True)

    class Meta:
        verbose_name = "eksport spseudonimizowany"
        verbose_name_plural = "eksporty spseudonimizowane"
        ordering = ["-exported_at", "-pk"]

    def __str__(self) -> str:
        return f"Eksport {self.period} ({self.rows})"


class AnnualReport(Versioned):
    """The director's yearly report to the City Council with the list of needs (art. 110
    ust. 9 u.p.s.): the figures are drafted from the data on demand; only the text written by
    people — the narrative and the needs — is stored here."""

    year = models.PositiveIntegerField("rok", unique=True)
    narrative = models.TextField("opis działalności (komentarz)", blank=True)
    needs = models.TextField("potrzeby w zakresie pomocy społecznej (jedna w wierszu)", blank=True)
    updated_at = models.DateTimeField("zmieniono", null=True, blank=True)

    class Meta:
        verbose_name = "sprawozdanie roczne (art. 110 ust. 9)"
        verbose_name_plural = "sprawozdania roczne (art. 110 ust. 9)"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Sprawozdanie z działalności za {self.year} r."


class ResourceAssessment(Versioned):
    """Ocena zasobów pomocy społecznej (art. 16a u.p.s.) for one year: the figures are drafted
    from the data on demand (``analysis.ozps``); only the parts people write are stored —
    the introduction, the conclusions and the recommendations."""

    year = models.PositiveIntegerField("rok", unique=True)
    introduction = models.TextField("wprowadzenie", blank=True)
    conclusions = models.TextField("wnioski końcowe", blank=True)
    recommendations = models.TextField("rekomendacje (jedna w wierszu)", blank=True)
    updated_at = models.DateTimeField("zmieniono", null=True, blank=True)

    class Meta:
        verbose_name = "ocena zasobów pomocy społecznej (art. 16a)"
        verbose_name_plural = "oceny zasobów pomocy społecznej (art. 16a)"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Ocena zasobów pomocy społecznej za {self.year} r."

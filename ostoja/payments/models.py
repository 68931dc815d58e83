"""Payments ledger: payment runs, lists, payments, bank files, statements, overpayments,
receivables, health contributions and the budget plan.

Ledger discipline: a payment on an approved list is ``locked`` — its amounts, recipient,
account and classification can never change again and it cannot be deleted (checked here, on
the model and its queryset, and again in the services). Corrections are new rows that point at
the original (a re-issue after a return, an overpayment, a receivable).

Size (issue 18): ~750 lines of model classes only; the ledger's guards (locked rows, querysets
that refuse bulk changes) are shared by the models and are easiest to audit in one module, and
the migrations refer to it.
"""

from __future__ import annotations

import builtins
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from ostoja.core.concurrency import Versioned
from ostoja.core.errors import DomainError
from ostoja.decisions.lines import FundingSource, PaymentMethod, TaskType

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
METHOD_CHOICES = [
    (PaymentMethod.TRANSFER.value, "przelew"),
    (PaymentMethod.CASH.value, "kasa"),
    (PaymentMethod.POST.value, "przekaz pocztowy"),
    (PaymentMethod.IN_KIND.value, "rzeczowa"),
]
TASK_CHOICES = [
    (TaskType.GMINA_OWN_MANDATORY.value, "gmina — zadanie własne obowiązkowe"),
    (TaskType.GMINA_OWN_OPTIONAL.value, "gmina — zadanie własne fakultatywne"),
    (TaskType.GMINA_COMMISSIONED.value, "gmina — zadanie zlecone"),
    (TaskType.POWIAT_OWN.value, "powiat — zadanie własne"),
    (TaskType.POWIAT_COMMISSIONED.value, "powiat — zadanie zlecone"),
]
FUNDING_CHOICES = [
    (FundingSource.CITY.value, "budżet miasta"),
    (FundingSource.STATE_GRANT.value, "dotacja celowa z budżetu państwa"),
]


class Budgeted(models.Model):
    """Klasyfikacja budżetowa carried by every payment and list (from the decision line)."""

    section = models.CharField("dział", max_length=3)
    chapter = models.CharField("rozdział", max_length=5)
    paragraph = models.CharField("paragraf", max_length=4)
    task_type = models.CharField("rodzaj zadania", max_length=32, choices=TASK_CHOICES)
    funding = models.CharField("źródło finansowania", max_length=32, choices=FUNDING_CHOICES)

    class Meta:
        abstract = True

    @property
    def budget_key(self) -> tuple[str, str, str, str, str]:
        return (self.section, self.chapter, self.paragraph, self.task_type, self.funding)


class PaymentRun(models.Model):
    """One execution of the monthly run (from the UI or ``ostoja payroll build``)."""

    month = models.DateField("miesiąc")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="uruchomił",
    )
    started_at = models.DateTimeField("rozpoczęto", auto_now_add=True)
    lines = models.PositiveIntegerField("linii decyzji", default=0)
    created = models.PositiveIntegerField("utworzono płatności", default=0)
    skipped = models.PositiveIntegerField("pominięto (już istniały)", default=0)
    total = models.DecimalField("kwota utworzonych", **MONEY, default=0)
    adjusted = models.PositiveIntegerField("skorygowano", default=0)
    cancelled = models.PositiveIntegerField("anulowano", default=0)
    overpayments = models.PositiveIntegerField("nadpłaty", default=0)
    # Granted lines left out of the run because their decision cannot be executed yet
    # (art. 130 KPA), each with the reason and the expected date — shown on the run page.
    held = models.JSONField("wstrzymane (niewykonalne) pozycje", default=list, blank=True)
    # Dues left out because the person's processing is restricted (art. 18 RODO): one entry per
    # (line, period) — ids, period and amount only, no personal data. A later run (the next
    # month's or a supplementary one) pays them once the restriction is lifted.
    restricted = models.JSONField(
        "pominięte — ograniczenie przetwarzania (art. 18 RODO)", default=list, blank=True
    )
    restricted_count = models.PositiveIntegerField("pominięto (art. 18 RODO)", default=0)

    class Meta:
        verbose_name = "uruchomienie listy wypłat"
        verbose_name_plural = "uruchomienia list wypłat"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Uruchomienie {self.month:%Y-%m} #{self.pk}"


class ListStatus(models.TextChoices):
    DRAFT = "robocza", "robocza"
    APPROVED = "zatwierdzona", "zatwierdzona"
    EXPORTED = "wyeksportowana", "wyeksportowana"


LIST_FROZEN = (
    "Lista wypłat jest zatwierdzona — jej sum kontrolnych, statusu i danych zatwierdzenia nie "
    "można zmienić. Zmiany wprowadza się listą uzupełniającą."
)
# Once a list is approved only these may change, and the status only approved → exported
# (``services.payment_list_export``).
LIST_MUTABLE_WHEN_APPROVED = frozenset({"status", "version"})


def _list_status_move_ok(old: str, new: Any) -> bool:
    return new == old or (old == ListStatus.APPROVED and new == ListStatus.EXPORTED)


class PaymentListQuerySet(models.QuerySet["PaymentList"]):
    """Bulk paths of approved lists are guarded like ``PaymentList.save``.

    One exception: ``update(payment_count=…, total=…)`` with exactly what the list's payments
    add up to (the seed loads approved lists in bulk and sets their totals afterwards) — a
    value that matches the ledger changes nothing a reader relies on.
    """

    def _approved(self) -> models.QuerySet[PaymentList]:
        return self.exclude(status=ListStatus.DRAFT)

    def update(self, **kwargs: Any) -> int:
        approved = list(self._approved().values("id", "status", "payment_count", "total"))
        if approved:
            fields = {k.removesuffix("_id") for k in kwargs}
            totals = {"payment_count", "total"}
            guarded = fields - LIST_MUTABLE_WHEN_APPROVED - totals
            if guarded:
                raise DomainError(LIST_FROZEN)
            if "status" in kwargs and not all(
                _list_status_move_ok(r["status"], kwargs["status"]) for r in approved
            ):
                raise DomainError(LIST_FROZEN)
            if fields & totals and not _totals_match_ledger(
                [r["id"] for r in approved], kwargs.get("payment_count"), kwargs.get("total")
            ):
                raise DomainError(LIST_FROZEN)
        return super().update(**kwargs)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        names = {self.model._meta.get_field(f).name for f in fields}
        if names - {"version"}:
            pks = [o.pk for o in objs if o.pk is not None]
            if (
                self.model._default_manager.filter(pk__in=pks)
                .exclude(status=ListStatus.DRAFT)
                .exists()
            ):
                raise DomainError(LIST_FROZEN)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self._approved().exists():
            raise DomainError("Zatwierdzonej listy wypłat nie można usunąć.")
        return super().delete()

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


def _totals_match_ledger(list_ids: list[int], count: Any, total: Any) -> bool:
    """``count``/``total`` (None: not being set) equal every list's non-cancelled payments."""
    from decimal import Decimal, InvalidOperation

    rows = {
        r["list_id"]: r
        for r in Payment.objects.filter(list_id__in=list_ids)
        .exclude(status=PaymentStatus.CANCELLED)
        .values("list_id")
        .annotate(n=models.Count("id"), s=models.Sum("amount"))
    }
    try:
        want_total = None if total is None else Decimal(str(total)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return False  # an expression or garbage: refuse
    for list_id in list_ids:
        row = rows.get(list_id, {"n": 0, "s": 0})
        if count is not None and count != row["n"]:
            return False
        if want_total is not None and want_total != Decimal(str(row["s"] or 0)).quantize(
            Decimal("0.01")
        ):
            return False
    return True


class PaymentList(Versioned, Budgeted):
    """Lista wypłat: one month, one payment method, one budget line (and a supplement number)."""

    month = models.DateField("miesiąc")
    method = models.CharField("forma wypłaty", max_length=16, choices=METHOD_CHOICES)
    sequence = models.PositiveSmallIntegerField("numer listy w miesiącu", default=1)
    # Stored and unique in the database: two lists never carry one number (the sequence counts
    # per month, method and budget line, whatever the task type or funding source).
    number = models.CharField("numer listy", max_length=80, unique=True, editable=False)
    status = models.CharField(
        "status", max_length=16, choices=ListStatus.choices, default=ListStatus.DRAFT
    )
    shared_account_reason = models.TextField(
        "uzasadnienie wspólnego rachunku różnych odbiorców", blank=True
    )
    payment_count = models.PositiveIntegerField("liczba płatności", default=0)
    total = models.DecimalField("suma kontrolna", **MONEY, default=0)
    # Payments taken off the list at approval because the person's processing was restricted
    # (art. 18 RODO), moved to a supplement draft list: ids only, one entry per payment.
    restricted = models.JSONField(
        "wstrzymane przy zatwierdzeniu (art. 18 RODO)", default=list, blank=True
    )
    execution_date = models.DateField("data wykonania", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="zatwierdził",
    )
    approved_at = models.DateTimeField("zatwierdzono", null=True, blank=True)
    created_at = models.DateTimeField("utworzono", auto_now_add=True)

    objects = PaymentListQuerySet.as_manager()

    class Meta:
        verbose_name = "lista wypłat"
        verbose_name_plural = "listy wypłat"
        ordering = ["-month", "method", "chapter", "paragraph", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "method",
                    "section",
                    "chapter",
                    "paragraph",
                    "task_type",
                    "funding",
                    "sequence",
                ],
                name="payments_list_unique_key",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and not self._state.adding:
            stored = PaymentList.objects.filter(pk=self.pk).values().first()
            if stored and stored["status"] != ListStatus.DRAFT:
                changed = [
                    f.attname
                    for f in self._meta.concrete_fields
                    if f.name not in LIST_MUTABLE_WHEN_APPROVED
                    and getattr(self, f.attname) != stored[f.attname]
                ]
                if changed or not _list_status_move_ok(stored["status"], self.status):
                    raise DomainError(LIST_FROZEN)
        if not self.number:
            self.number = self.compose_number()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if PaymentList.objects.filter(pk=self.pk).exclude(status=ListStatus.DRAFT).exists():
            raise DomainError("Zatwierdzonej listy wypłat nie można usunąć.")
        return super().delete(*args, **kwargs)

    def compose_number(self) -> str:
        return (
            f"LW/{self.month:%Y/%m}/{self.chapter}/{self.paragraph}/{self.method}/{self.sequence}"
        )

    @property
    def is_locked(self) -> bool:
        return self.status != ListStatus.DRAFT


class PaymentStatus(models.TextChoices):
    SCHEDULED = "zaplanowana", "zaplanowana"
    APPROVED = "zatwierdzona", "zatwierdzona"
    EXPORTED = "przekazana", "przekazana do banku"
    PAID = "wyplacona", "wypłacona"
    RETURNED = "zwrocona", "zwrócona"
    CANCELLED = "anulowana", "anulowana"


# Fields a payment may still change once its list is approved (it moves through the bank).
MUTABLE_WHEN_LOCKED = frozenset({"status", "settled_on", "returned_on", "note"})


class PaymentQuerySet(models.QuerySet["Payment"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(locked=True).exists():
            raise DomainError("Płatności z zatwierdzonej listy nie można usunąć.")
        return super().delete()

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        names = {self.model._meta.get_field(f).name for f in fields}
        if names - MUTABLE_WHEN_LOCKED:
            pks = [o.pk for o in objs if o.pk is not None]
            if self.model._default_manager.filter(pk__in=pks, locked=True).exists():
                raise DomainError(
                    "Płatności z zatwierdzonej listy nie można zmieniać — dodaj korektę."
                )
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def update(self, **kwargs: Any) -> int:
        guarded = set(kwargs) - MUTABLE_WHEN_LOCKED - {"locked", "list", "list_id"}
        if guarded and self.filter(locked=True).exists():
            raise DomainError("Płatności z zatwierdzonej listy nie można zmieniać — dodaj korektę.")
        if (
            "locked" in kwargs
            and kwargs["locked"] is not True
            and self.filter(locked=True).exists()
        ):
            raise DomainError("Płatności z zatwierdzonej listy nie można odblokować.")
        if ("list" in kwargs or "list_id" in kwargs) and self.filter(locked=True).exists():
            raise DomainError("Płatności z zatwierdzonej listy nie można przenieść na inną listę.")
        return super().update(**kwargs)


class Payment(Budgeted):
    """One payment of one decision line for one period (or a re-issue of a returned one)."""

    run = models.ForeignKey(
        PaymentRun, models.PROTECT, null=True, blank=True, related_name="payments"
    )
    list = models.ForeignKey(
        PaymentList,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name="lista",
    )
    reference = models.CharField("identyfikator wypłaty", max_length=40, unique=True)
    line_id = models.BigIntegerField("linia decyzji")
    decision_id = models.BigIntegerField("decyzja")
    decision_number = models.CharField("numer decyzji", max_length=80)
    case_id = models.BigIntegerField("sprawa")
    person_id = models.BigIntegerField("osoba")
    recipient_name = models.CharField("odbiorca", max_length=200)
    recipient_address = models.CharField("adres odbiorcy", max_length=300, blank=True)
    benefit = models.CharField("świadczenie", max_length=64)
    method = models.CharField("forma wypłaty", max_length=16, choices=METHOD_CHOICES)
    account_number = models.CharField("rachunek (NRB)", max_length=26, blank=True)
    period_start = models.DateField("okres od")
    period_end = models.DateField("okres do (wyłącznie)")
    days_covered = models.PositiveSmallIntegerField("dni", default=0)
    days_in_month = models.PositiveSmallIntegerField("dni w miesiącu", default=0)
    monthly_amount = models.DecimalField("kwota miesięczna", **MONEY)
    amount = models.DecimalField("kwota", **MONEY)
    due_date = models.DateField("termin wypłaty")
    health_due = models.BooleanField("składka zdrowotna należna", default=False)
    status = models.CharField(
        "status", max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.SCHEDULED
    )
    locked = models.BooleanField("zablokowana (lista zatwierdzona)", default=False)
    reissue_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reissues",
        verbose_name="ponowienie płatności",
    )
    settled_on = models.DateField("wypłacono dnia", null=True, blank=True)
    returned_on = models.DateField("zwrócono dnia", null=True, blank=True)
    note = models.CharField("uwagi", max_length=300, blank=True)
    created_at = models.DateTimeField("utworzono", auto_now_add=True)
    # Money needs two people (issue 20, finding 6): who re-issued a returned payment, and —
    # when it goes to another account than the one the bank returned — who confirmed it.
    reissued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ponowił(a)",
    )
    account_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="zmianę rachunku potwierdził(a)",
    )
    account_confirmed_at = models.DateTimeField(
        "zmianę rachunku potwierdzono", null=True, blank=True
    )

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = "płatność"
        verbose_name_plural = "płatności"
        ordering = ["id"]
        constraints = [
            # A second payment for the same line and period cannot exist — whoever runs the
            # month, however many times, in parallel or not. Re-issues point at their original.
            models.UniqueConstraint(
                fields=["line_id", "period_start"],
                condition=Q(reissue_of__isnull=True),
                name="payments_one_per_line_period",
            ),
            models.UniqueConstraint(fields=["reissue_of"], name="payments_one_reissue_each"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["period_start"]),
            models.Index(fields=["person_id"]),
            models.Index(fields=["status"]),
            # Budget execution, the month's lists and the returns window filter by the due
            # date, mostly together with the status (issue 13, item 7).
            models.Index(fields=["due_date"], name="payments_due_date_idx"),
            models.Index(fields=["status", "due_date"], name="payments_status_due_idx"),
            # The case file's payments, newest first (ostoja.web.timeline): without it every
            # case file scanned the whole payments table (issue 19; 4.6 million rows at ×10).
            models.Index(fields=["case_id", "-due_date", "-id"], name="payments_case_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.recipient_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and not self._state.adding:
            stored = Payment.objects.filter(pk=self.pk).values().first()
            if stored and stored["locked"]:
                changed = [
                    f.attname
                    for f in self._meta.concrete_fields
                    if f.name not in MUTABLE_WHEN_LOCKED
                    and getattr(self, f.attname) != stored[f.attname]
                ]
                if changed:
                    raise DomainError(
                        "Płatności z zatwierdzonej listy nie można zmieniać — dodaj korektę "
                        f"(próba zmiany: {', '.join(changed)})."
                    )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if Payment.objects.filter(pk=self.pk, locked=True).exists():
            raise DomainError("Płatności z zatwierdzonej listy nie można usunąć.")
        return super().delete(*args, **kwargs)

    def get_additional_data(self) -> dict[str, Any]:
        return {"person_id": self.person_id}

    @property
    def account_changed(self) -> bool:
        """A re-issue by transfer to an account other than the returned payment's."""
        return (
            self.reissue_of_id is not None
            and self.method == PaymentMethod.TRANSFER
            and self.account_number != self.reissue_of.account_number
        )

    @property
    def awaits_account_confirmation(self) -> bool:
        return self.account_changed and self.account_confirmed_by_id is None

    @property
    def period_last_day(self) -> date:
        """The last day paid for (``period_end`` is exclusive)."""
        return max(self.period_start, self.period_end - timedelta(days=1))

    @property
    def title_lines(self) -> list[str]:
        """Transfer title (formats.md §2.6): benefit and period, decision, our payment id."""
        label = self.benefit.replace("_", " ").upper()
        period = f"{self.period_start:%m/%Y}"
        return [f"{label} {period}", f"DEC. {self.decision_number}", f"ID WYPL {self.reference}"]


class BankExport(models.Model):
    """A bank file generated from an approved list; the bytes are the file of record."""

    list = models.ForeignKey(PaymentList, models.PROTECT, related_name="exports")
    format = models.CharField("format", max_length=16)
    profile = models.CharField("profil banku", max_length=32, blank=True)
    filename = models.CharField("nazwa pliku", max_length=120)
    content = models.BinaryField("zawartość")
    sha256 = models.CharField("skrót SHA-256", max_length=64)
    payment_count = models.PositiveIntegerField("liczba zleceń")
    total = models.DecimalField("suma kontrolna", **MONEY)
    # Approved payments not sent because the person's processing was restricted by the time of
    # the export (art. 18 RODO): cancelled on this list, replaced on a supplement draft list.
    # (``builtins.list``: ``list`` in this class body is the list's foreign key.)
    withheld = models.JSONField("wstrzymane (art. 18 RODO)", default=builtins.list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("utworzono", auto_now_add=True)

    class Meta:
        verbose_name = "plik bankowy"
        verbose_name_plural = "pliki bankowe"
        constraints = [
            models.UniqueConstraint(
                fields=["list", "format", "profile"], name="payments_export_once"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class StatementImport(models.Model):
    sha256 = models.CharField("skrót SHA-256 pliku", max_length=64, unique=True)
    filename = models.CharField("nazwa pliku", max_length=200)
    format = models.CharField("format", max_length=8)
    account = models.CharField("rachunek", max_length=34, blank=True)
    reference = models.CharField("numer wyciągu", max_length=80, blank=True)
    content = models.BinaryField("zawartość")
    line_count = models.PositiveIntegerField("pozycji", default=0)
    paid = models.PositiveIntegerField("oznaczono jako wypłacone", default=0)
    returned = models.PositiveIntegerField("zwroty", default=0)
    unmatched = models.PositiveIntegerField("nierozpoznane", default=0)
    duplicates = models.PositiveIntegerField("już zaimportowane", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("zaimportowano", auto_now_add=True)

    class Meta:
        verbose_name = "import wyciągu"
        verbose_name_plural = "importy wyciągów"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class EntryOutcome(models.TextChoices):
    PAID = "wyplacona", "potwierdzenie wypłaty"
    RETURNED = "zwrot", "zwrot przelewu"
    REVERSAL = "storno", "storno — do wyjaśnienia"
    UNMATCHED = "nierozpoznana", "nierozpoznana — do wyjaśnienia"
    IGNORED = "bez_zmian", "bez zmian (status już ustalony)"


class StatementEntry(models.Model):
    """One statement line, kept as it came (immutable) with what reconciliation did with it."""

    statement = models.ForeignKey(StatementImport, models.PROTECT, related_name="entries")
    sequence = models.PositiveIntegerField("pozycja")
    fingerprint = models.CharField("odcisk pozycji", max_length=64, unique=True)
    value_date = models.DateField("data waluty")
    direction = models.CharField("strona", max_length=1)
    reversal = models.BooleanField("storno", default=False)
    amount = models.DecimalField("kwota", **MONEY)
    title = models.CharField("tytuł", max_length=400, blank=True)
    counterparty_name = models.CharField("kontrahent", max_length=200, blank=True)
    counterparty_account = models.CharField("rachunek kontrahenta", max_length=34, blank=True)
    bank_reference = models.CharField("referencja banku", max_length=120, blank=True)
    raw = models.TextField("zapis źródłowy")
    payment = models.ForeignKey(
        Payment, models.PROTECT, null=True, blank=True, related_name="statement_entries"
    )
    outcome = models.CharField("wynik", max_length=16, choices=EntryOutcome.choices)
    matched_by = models.CharField("dopasowano po", max_length=40, blank=True)

    class Meta:
        verbose_name = "pozycja wyciągu"
        verbose_name_plural = "pozycje wyciągu"
        ordering = ["statement", "sequence"]

    def __str__(self) -> str:
        return f"{self.statement_id}/{self.sequence}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"person_id": self.payment.person_id} if self.payment_id else {}


class OverpaymentStatus(models.TextChoices):
    PROPOSED = "zaproponowana", "zaproponowana — czeka na projekt decyzji"
    DRAFTED = "projekt_decyzji", "projekt decyzji o zwrocie utworzony"
    RECEIVABLE = "naleznosc", "ujęta w należności"


class Overpayment(models.Model):
    """What was paid for days on/after a line's ``effective_to``: a proposed undue amount."""

    payment = models.OneToOneField(Payment, models.PROTECT, related_name="overpayment")
    line_id = models.BigIntegerField("linia decyzji")
    case_id = models.BigIntegerField("sprawa")
    person_id = models.BigIntegerField("osoba")
    effective_to = models.DateField("prawo ustało od")
    days = models.PositiveSmallIntegerField("dni nienależne")
    amount = models.DecimalField("kwota do zwrotu (propozycja)", **MONEY)
    status = models.CharField(
        max_length=20, choices=OverpaymentStatus.choices, default=OverpaymentStatus.PROPOSED
    )
    recovery_draft = models.CharField("projekt decyzji o zwrocie", max_length=80, blank=True)
    note = models.CharField("uwagi", max_length=300, blank=True)
    receivable = models.ForeignKey(
        "Receivable", models.PROTECT, null=True, blank=True, related_name="overpayments"
    )
    created_at = models.DateTimeField("utworzono", auto_now_add=True)

    class Meta:
        verbose_name = "nadpłata"
        verbose_name_plural = "nadpłaty"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Nadpłata {self.amount} zł ({self.payment_id})"

    def get_additional_data(self) -> dict[str, Any]:
        return {"person_id": self.person_id}


class Receivable(Versioned):
    """Należność z decyzji o zwrocie świadczenia nienależnie pobranego (art. 98, art. 104)."""

    person_id = models.BigIntegerField("osoba")
    case_id = models.BigIntegerField("sprawa", null=True, blank=True)
    debtor_name = models.CharField("dłużnik", max_length=200)
    decision_number = models.CharField("decyzja o zwrocie", max_length=80)
    # The recovery decision (``decisions.Decision`` pk) the receivable comes from; empty for a
    # receivable typed in by hand. Unique: one decision, one receivable.
    decision_id = models.BigIntegerField("decyzja o zwrocie (identyfikator)", null=True, blank=True)
    decided_on = models.DateField("data decyzji")
    due_date = models.DateField("termin zwrotu")
    principal = models.DecimalField("kwota należności", **MONEY)
    reason = models.CharField("podstawa i przyczyna", max_length=400)
    # Dział, rozdział and paragraph the receivable is booked under ("852 85202 §0830"), and where
    # that classification comes from (act, parameter period); empty when not given.
    budget = models.CharField("klasyfikacja budżetowa", max_length=60, blank=True, default="")
    budget_basis = models.TextField("podstawa klasyfikacji budżetowej", blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("utworzono", auto_now_add=True)

    class Meta:
        verbose_name = "należność"
        verbose_name_plural = "należności"
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal__gt=0), name="payments_receivable_positive"
            ),
            models.UniqueConstraint(
                fields=["decision_id"],
                condition=Q(decision_id__isnull=False),
                name="payments_receivable_one_per_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"Należność {self.decision_number}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"person_id": self.person_id}


class Instalment(models.Model):
    receivable = models.ForeignKey(Receivable, models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField("rata")
    due_date = models.DateField("termin")
    amount = models.DecimalField("kwota", **MONEY)
    decision_number = models.CharField("decyzja o rozłożeniu na raty", max_length=80, blank=True)

    class Meta:
        verbose_name = "rata"
        verbose_name_plural = "raty"
        ordering = ["receivable", "number"]
        constraints = [
            models.UniqueConstraint(fields=["receivable", "number"], name="payments_instalment_no")
        ]

    def __str__(self) -> str:
        return f"Rata {self.number}"


class Repayment(models.Model):
    receivable = models.ForeignKey(Receivable, models.PROTECT, related_name="repayments")
    paid_on = models.DateField("data wpłaty")
    amount = models.DecimalField("kwota", **MONEY)
    reference = models.CharField("dokument wpłaty", max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "spłata"
        verbose_name_plural = "spłaty"
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_repayment_positive")
        ]

    def __str__(self) -> str:
        return f"Wpłata {self.amount} zł"


class WriteOff(models.Model):
    """Umorzenie (art. 104 ust. 4 u.p.s.) — only by decision."""

    receivable = models.ForeignKey(Receivable, models.PROTECT, related_name="write_offs")
    decision_number = models.CharField("decyzja o umorzeniu", max_length=80)
    decided_on = models.DateField("data decyzji")
    amount = models.DecimalField("kwota umorzona", **MONEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "umorzenie"
        verbose_name_plural = "umorzenia"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_writeoff_positive")
        ]

    def __str__(self) -> str:
        return f"Umorzenie {self.decision_number}"


class ReceivableCorrection(models.Model):
    """Korekta należności: the amount owed changed by a later document — a correcting bill
    (rachunek korygujący) of the bill the receivable came from. Signed: negative lowers what is
    owed. Never edited; the receivable's principal stays as registered."""

    receivable = models.ForeignKey(Receivable, models.PROTECT, related_name="corrections")
    amount = models.DecimalField("kwota korekty", **MONEY)
    basis = models.CharField("dokument korygujący", max_length=200)
    corrected_on = models.DateField("data korekty")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "korekta należności"
        verbose_name_plural = "korekty należności"
        ordering = ["corrected_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0), name="payments_receivable_correction_nonzero"
            )
        ]

    def __str__(self) -> str:
        return f"Korekta {self.amount} zł"


class HealthContribution(models.Model):
    """Składka zdrowotna for a zasiłek stały recipient not insured elsewhere, for one month."""

    month = models.DateField("miesiąc")
    person_id = models.BigIntegerField("osoba")
    case_id = models.BigIntegerField("sprawa")
    recipient_name = models.CharField("ubezpieczony", max_length=200)
    basis = models.DecimalField("podstawa (zasiłek stały za miesiąc)", **MONEY)
    rate = models.DecimalField("stopa %", max_digits=5, decimal_places=2)
    amount = models.DecimalField("składka", **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "składka zdrowotna"
        verbose_name_plural = "składki zdrowotne"
        ordering = ["month", "recipient_name"]
        constraints = [
            models.UniqueConstraint(fields=["person_id", "month"], name="payments_health_once")
        ]

    def __str__(self) -> str:
        return f"Składka {self.month:%Y-%m} #{self.person_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"person_id": self.person_id}


class BudgetPlan(Versioned, Budgeted):
    """Plan finansowy na rok dla jednej pozycji klasyfikacji."""

    year = models.PositiveSmallIntegerField("rok")
    amount = models.DecimalField("plan", **MONEY)
    note = models.CharField("uwagi", max_length=200, blank=True)

    class Meta:
        verbose_name = "plan na pozycji budżetu"
        verbose_name_plural = "plan finansowy"
        ordering = ["year", "chapter", "paragraph"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "section", "chapter", "paragraph", "task_type", "funding"],
                name="payments_plan_unique_line",
            )
        ]

    def __str__(self) -> str:
        return f"Plan {self.year} {self.chapter} § {self.paragraph}"

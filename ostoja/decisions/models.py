"""Administrative decisions (art. 104 KPA, art. 106 u.p.s.), their operative lines, the frozen
signed document, justification revisions, appeals and art. 113 KPA rectifications.

Once signed, a decision's substance can no longer change: ``Decision.save`` and
``DecisionLine.save`` refuse it (and the querysets refuse bulk updates), whoever calls them.
A correction is a new decision (zmiana / uchylenie, art. 106 ust. 5 u.p.s.) or a rectification
of an obvious error (art. 113 KPA), never an edit.

Size (issue 18): ~610 lines of model classes whose immutability guards (signed decisions)
share helpers; one module keeps those guards in one place and the migrations refer to it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from ostoja.core.concurrency import Versioned
from ostoja.core.errors import ConflictError
from ostoja.decisions.catalog import BENEFIT_CHOICES
from ostoja.decisions.choices import (
    AppealOutcome,
    DecisionKind,
    DecisionStatus,
    DeliveryChannel,
    PaymentMethodChoice,
)
from ostoja.decisions.lines import FundingSource, TaskType
from ostoja.org.choices import MatterKind

SIGNED_STATUSES = (
    DecisionStatus.SIGNED,
    DecisionStatus.SENT,
    DecisionStatus.DELIVERED,
    DecisionStatus.FINAL,
    DecisionStatus.APPEALED,
    DecisionStatus.CLOSED,
)

SIGNED_IMMUTABLE = (
    "Decyzja jest podpisana — jej treści nie można zmienić. Popraw ją nową decyzją (zmiana lub "
    "uchylenie, art. 106 ust. 5 u.p.s.) albo sprostowaniem oczywistej omyłki (art. 113 KPA)."
)


class SignedDecisionImmutable(ConflictError):
    """An attempt to change a signed decision (or its lines, or its document)."""

    def __init__(self, message: str = SIGNED_IMMUTABLE) -> None:
        super().__init__(message)


UNSIGNING = (
    "Podpisana decyzja nie może wrócić do statusu sprzed podpisu — popraw ją nową decyzją "
    "(art. 106 ust. 5 u.p.s.) albo sprostowaniem (art. 113 KPA)."
)


def _is_signed_status(value: Any) -> bool:
    """``value`` is a plain status among the signed ones (expressions count as not signed)."""
    return isinstance(value, str) and value in SIGNED_STATUSES


class DecisionQuerySet(models.QuerySet["Decision"]):
    def update(self, **kwargs: Any) -> int:
        substantive = set(kwargs) & set(Decision.SUBSTANTIVE_FIELDS)
        unsigning = "status" in kwargs and not _is_signed_status(kwargs["status"])
        if (substantive or unsigning) and self.filter(status__in=SIGNED_STATUSES).exists():
            raise SignedDecisionImmutable(UNSIGNING if unsigning else SIGNED_IMMUTABLE)
        return super().update(**kwargs)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        names = {self.model._meta.get_field(f).attname for f in fields}
        guarded = names & (set(Decision.SUBSTANTIVE_FIELDS) | {"status"})
        if guarded:
            pks = [o.pk for o in objs if o.pk is not None]
            if self.model._default_manager.filter(pk__in=pks, status__in=SIGNED_STATUSES).exists():
                raise SignedDecisionImmutable()
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status__in=SIGNED_STATUSES).exists():
            raise SignedDecisionImmutable("Podpisanej decyzji nie można usunąć.")
        return super().delete()


class Decision(Versioned):
    case = models.ForeignKey(
        "cases.Case", verbose_name="sprawa", on_delete=models.PROTECT, related_name="decisions"
    )
    application = models.ForeignKey(
        "cases.Application",
        verbose_name="wniosek",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    calculation = models.ForeignKey(
        "cases.Calculation",
        verbose_name="obliczenie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    kind = models.CharField("rodzaj decyzji", max_length=30, choices=DecisionKind.choices)
    matter = models.CharField("rodzaj sprawy (zakres upoważnienia)", max_length=60)
    status = models.CharField(
        "status", max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.DRAFTED
    )
    number = models.CharField("numer decyzji", max_length=40, blank=True)
    number_year = models.PositiveIntegerField(null=True, blank=True)
    number_seq = models.PositiveIntegerField(null=True, blank=True)
    case_reference = models.CharField("znak sprawy", max_length=60)
    addressee = models.ForeignKey(
        "registry.Person",
        verbose_name="adresat (strona)",
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    addressee_name = models.CharField("adresat — imię i nazwisko", max_length=250)
    addressee_address = models.CharField("adresat — adres", max_length=300, blank=True)
    application_date = models.DateField("data wniosku", null=True, blank=True)
    trace_bases = models.JSONField("podstawy prawne z obliczenia", default=list, blank=True)
    trace = models.JSONField("ślad obliczenia", default=list, blank=True)
    justification = models.TextField("uzasadnienie", blank=True)
    immediate = models.BooleanField(
        "rygor natychmiastowej wykonalności (art. 108 KPA)", default=False
    )
    immediate_reason = models.CharField("powód nadania rygoru", max_length=300, blank=True)
    refers_to = models.ForeignKey(
        "self",
        verbose_name="dotyczy decyzji",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amended_by",
    )
    # A decision issued on paper before (or outside) Ostoja that this one changes — its number
    # and day as printed („Zmienić decyzję nr … z dnia …”); empty when ``refers_to`` is set.
    refers_to_paper = models.CharField(
        "dotyczy decyzji papierowej (numer)", max_length=60, blank=True, default=""
    )
    refers_to_paper_on = models.DateField(
        "dotyczy decyzji papierowej z dnia", null=True, blank=True
    )
    effective_from = models.DateField("skutek od dnia", null=True, blank=True)
    recovery_amount = models.DecimalField(
        "kwota należności", max_digits=12, decimal_places=2, null=True, blank=True
    )
    recovery_due = models.DateField("termin zwrotu", null=True, blank=True)
    recovery_source_lines = models.JSONField(
        "pozycje źródłowe należności", default=list, blank=True
    )
    instalments = models.JSONField("raty", default=list, blank=True)
    reason_text = models.CharField("przyczyna (odmowa, umorzenie)", max_length=500, blank=True)
    extra_recipients = models.JSONField("otrzymują także", default=list, blank=True)
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="autor projektu",
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField("projekt utworzono", auto_now_add=True)
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="sprawdził",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField("sprawdzono", null=True, blank=True)
    # Four eyes bound to content (issue 20, finding 5): everyone who wrote any part of the
    # draft is one of its makers, and a check holds the hash of the exact content it saw.
    maker_ids = models.JSONField("autorzy i redaktorzy projektu", default=list, blank=True)
    checked_hash = models.CharField("skrót sprawdzonej treści (SHA-256)", max_length=64, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="podpisał",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_name = models.CharField("podpisujący", max_length=200, blank=True)
    signer_position = models.CharField("stanowisko podpisującego", max_length=200, blank=True)
    authorisation = models.ForeignKey(
        "org.Authorisation",
        verbose_name="upoważnienie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField("podpisano", null=True, blank=True)
    # How the original was signed (art. 107 § 1 pkt 8, art. 14 KPA): by hand on paper, or
    # with a qualified electronic signature (PAdES) — see ``ostoja.decisions.signing``.
    signature_method = models.CharField(
        "sposób podpisania oryginału",
        max_length=20,
        choices=[("odreczny", "Podpis odręczny"), ("elektroniczny", "Podpis elektroniczny")],
        blank=True,
    )
    issued_on = models.DateField("data wydania", null=True, blank=True)
    # --- procedural facts after signing (these may still change) ---
    sent_on = models.DateField("wysłano", null=True, blank=True)
    delivery_channel = models.CharField(
        "sposób doręczenia", max_length=20, choices=DeliveryChannel.choices, blank=True
    )
    delivered_on = models.DateField("data doręczenia", null=True, blank=True)
    appeal_deadline = models.DateField("termin na odwołanie", null=True, blank=True)
    final_on = models.DateField("ostateczna od dnia", null=True, blank=True)
    # Art. 127a KPA: the day the organ received the party's waiver of the appeal — the decision
    # is final (and enforceable) from that day; the waiver cannot be withdrawn.
    appeal_waived_on = models.DateField(
        "zrzeczenie się odwołania — data doręczenia organowi (art. 127a KPA)",
        null=True,
        blank=True,
    )
    deadline_trace = models.JSONField("wyliczenie terminów", default=list, blank=True)
    ended_on = models.DateField(
        "przestała wywoływać skutki od",
        null=True,
        blank=True,
        help_text="Ustawiane przez rozstrzygnięcie odwołania.",
    )

    objects = DecisionQuerySet.as_manager()

    # Fields fixed by the signature; procedural facts (status, delivery, finality) stay open.
    SUBSTANTIVE_FIELDS: ClassVar[tuple[str, ...]] = (
        "case_id",
        "application_id",
        "calculation_id",
        "kind",
        "matter",
        "number",
        "number_year",
        "number_seq",
        "case_reference",
        "addressee_id",
        "addressee_name",
        "addressee_address",
        "application_date",
        "trace_bases",
        "trace",
        "justification",
        "immediate",
        "immediate_reason",
        "refers_to_id",
        "effective_from",
        "recovery_amount",
        "recovery_due",
        "recovery_source_lines",
        "instalments",
        "reason_text",
        "extra_recipients",
        "drafter_id",
        "checker_id",
        "maker_ids",
        "checked_hash",
        "signer_id",
        "signer_name",
        "signer_position",
        "authorisation_id",
        "signed_at",
        "signature_method",
        "issued_on",
    )

    class Meta:
        verbose_name = "decyzja"
        verbose_name_plural = "decyzje"
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="decision_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(immediate=False) | ~Q(immediate_reason=""),
                name="decision_immediate_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "issued_on"], name="decision_status_issued"),
            # The register sorts by (-issued_on, -id) and pages 50 rows at a time.
            models.Index(fields=["-issued_on", "-id"], name="decision_issued_desc"),
            # Issue 19: recovery decisions (art. 104 u.p.s.) waiting for a receivable — a few
            # hundred among 640k decisions at ten times Kielce; the receivables page lists them.
            models.Index(
                fields=["issued_on", "id"],
                condition=Q(kind="nienalezne"),
                name="decision_recovery_issued",
            ),
            # Issue 19: the register's date filter on drafts (not yet issued) compares the
            # moment drafted; drafts are a small part of the register, so a partial index.
            models.Index(
                fields=["drafted_at"],
                condition=Q(issued_on__isnull=True),
                name="decision_draft_drafted",
            ),
        ]

    def __str__(self) -> str:
        return f"Decyzja {self.number or '(projekt)'} — {self.get_kind_display()}"

    def get_additional_data(self) -> dict[str, int]:
        return {"person_id": self.addressee_id}

    @property
    def matter_label(self) -> str:
        return dict(MatterKind.choices).get(self.matter, self.matter)

    @property
    def is_signed(self) -> bool:
        return self.status in SIGNED_STATUSES

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = (
                type(self)
                ._default_manager.filter(pk=self.pk)
                .values(*self.SUBSTANTIVE_FIELDS, "status")
                .first()
            )
            if stored is not None and stored["status"] in SIGNED_STATUSES:
                if self.status not in SIGNED_STATUSES:
                    raise SignedDecisionImmutable(UNSIGNING)
                changed = [f for f in self.SUBSTANTIVE_FIELDS if getattr(self, f) != stored[f]]
                if changed:
                    raise SignedDecisionImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_signed:
            raise SignedDecisionImmutable("Podpisanej decyzji nie można usunąć.")
        return super().delete(*args, **kwargs)


class DecisionLineQuerySet(models.QuerySet["DecisionLine"]):
    def update(self, **kwargs: Any) -> int:
        if self.filter(decision__status__in=SIGNED_STATUSES).exists():
            raise SignedDecisionImmutable()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(decision__status__in=SIGNED_STATUSES).exists():
            raise SignedDecisionImmutable()
        return super().delete()


class DecisionLine(models.Model):
    """One operative line: a benefit granted (or refused) for a period, and how it is paid."""

    decision = models.ForeignKey(
        Decision, verbose_name="decyzja", on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField("pozycja", default=1)
    benefit = models.CharField("świadczenie", max_length=60, choices=BENEFIT_CHOICES)
    granted = models.BooleanField("przyznane", default=True)
    amount = models.DecimalField("kwota", max_digits=12, decimal_places=2)
    one_off = models.BooleanField("jednorazowo", default=False)
    period_from = models.DateField("okres od")
    period_to = models.DateField(
        "okres do (wyłącznie)", null=True, blank=True, help_text="Pierwszy dzień bez świadczenia."
    )
    payment_method = models.CharField(
        "sposób wypłaty",
        max_length=12,
        choices=PaymentMethodChoice.choices,
        default=PaymentMethodChoice.TRANSFER,
    )
    account_number = models.CharField("numer rachunku (NRB)", max_length=32, blank=True)
    payment_day = models.PositiveSmallIntegerField("dzień wypłaty", default=10)
    purpose = models.CharField("przeznaczenie", max_length=200, blank=True)
    note = models.CharField("uwagi", max_length=300, blank=True)
    # The calculation the drafter chose for this operative point (art. 104 KPA: each requested
    # form of help is decided on its own figures; a comparison calculation is never implied).
    calculation = models.ForeignKey(
        "cases.Calculation",
        verbose_name="obliczenie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_lines",
    )
    health_insured_elsewhere = models.BooleanField(
        "ubezpieczenie zdrowotne z innego tytułu", default=True
    )
    budget_section = models.CharField("dział", max_length=3, default="852")
    budget_chapter = models.CharField("rozdział", max_length=5)
    budget_paragraph = models.CharField("paragraf", max_length=4)
    task_type = models.CharField(
        "rodzaj zadania", max_length=40, choices=[(t.value, t.value) for t in TaskType]
    )
    funding = models.CharField(
        "źródło finansowania", max_length=40, choices=[(f.value, f.value) for f in FundingSource]
    )

    objects = DecisionLineQuerySet.as_manager()

    class Meta:
        verbose_name = "pozycja decyzji"
        verbose_name_plural = "pozycje decyzji"
        ordering = ["decision", "position", "pk"]
        indexes = [
            # The register's benefit filter is an EXISTS per decision (issue 19): with the
            # benefit in the index it is answered from the index alone — at ten times Kielce
            # the filtered register's count probes ~11,000 decisions (~10 ms of its ~60 ms).
            models.Index(fields=["decision", "benefit"], name="decision_line_benefit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__isnull=True) | Q(period_to__gt=models.F("period_from")),
                name="decision_line_period",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="decision_line_amount"),
            models.CheckConstraint(
                condition=Q(payment_day__gte=1) & Q(payment_day__lte=28),
                name="decision_line_payment_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_benefit_display()} {self.amount} zł"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if Decision.objects.filter(pk=self.decision_id, status__in=SIGNED_STATUSES).exists():
            raise SignedDecisionImmutable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if Decision.objects.filter(pk=self.decision_id, status__in=SIGNED_STATUSES).exists():
            raise SignedDecisionImmutable()
        return super().delete(*args, **kwargs)

    def get_additional_data(self) -> dict[str, int]:
        return {"person_id": self.decision.addressee_id}


FROZEN_CHANGE = "Podpisany dokument jest zamrożony — nie można go zmienić."
FROZEN_DELETE = "Podpisanego dokumentu nie można usunąć."


class FrozenQuerySet(models.QuerySet[Any]):
    """Bulk paths of a frozen record: every change or removal is refused.

    On PostgreSQL a ``BEFORE UPDATE OR DELETE`` trigger (migration 0002) refuses raw SQL too.
    """

    def update(self, **kwargs: Any) -> int:
        raise SignedDecisionImmutable(FROZEN_CHANGE)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise SignedDecisionImmutable(FROZEN_CHANGE)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise SignedDecisionImmutable(FROZEN_DELETE)

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class FrozenRecord(models.Model):
    """A row written once and never changed or removed (signed documents)."""

    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and type(self)._default_manager.filter(pk=self.pk).exists():
            raise SignedDecisionImmutable(FROZEN_CHANGE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise SignedDecisionImmutable(FROZEN_DELETE)


class DecisionDocument(FrozenRecord):
    """The signed decision exactly as issued: PDF bytes, their SHA-256, the HTML and the inputs."""

    decision = models.OneToOneField(
        Decision, verbose_name="decyzja", on_delete=models.PROTECT, related_name="document"
    )
    pdf = models.BinaryField("PDF")
    sha256 = models.CharField("SHA-256", max_length=64)
    html = models.TextField("treść HTML")
    snapshot = models.JSONField("dane wejściowe, wyniki i wersje parametrów")
    signature_method = models.CharField("sposób podpisania", max_length=20, blank=True)
    # Paper: who signed the paper original by hand (name, position, authorisation).
    # Electronic: the subject of the certificate the PAdES signature validated with.
    signed_by = models.CharField("kto podpisał oryginał", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dokument decyzji"
        verbose_name_plural = "dokumenty decyzji"

    def __str__(self) -> str:
        return f"PDF decyzji {self.decision_id} ({self.sha256[:12]}…)"


class JustificationRevision(models.Model):
    """Every version of a decision's justification, drafted or edited (kept, never overwritten)."""

    decision = models.ForeignKey(
        Decision, verbose_name="decyzja", on_delete=models.CASCADE, related_name="revisions"
    )
    text = models.TextField("uzasadnienie")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="autor", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField("źródło", max_length=20, default="edycja")  # "projekt" | "edycja"
    created_at = models.DateTimeField("kiedy", auto_now_add=True)

    class Meta:
        verbose_name = "wersja uzasadnienia"
        verbose_name_plural = "wersje uzasadnienia"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Uzasadnienie decyzji {self.decision_id} ({self.created_at:%Y-%m-%d %H:%M})"


class DecisionTransition(models.Model):
    """One move of the workflow: who, when, from → to, with an optional note."""

    decision = models.ForeignKey(
        Decision, verbose_name="decyzja", on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField("czynność", max_length=20)
    from_status = models.CharField("ze statusu", max_length=20, blank=True)
    to_status = models.CharField("do statusu", max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="kto", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("kiedy", auto_now_add=True)
    note = models.CharField("uwagi", max_length=500, blank=True)

    class Meta:
        verbose_name = "czynność w decyzji"
        verbose_name_plural = "czynności w decyzjach"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class Appeal(models.Model):
    """Odwołanie (art. 127–140 KPA): lodged through the centre, forwarded to the SKO in 7 days."""

    decision = models.ForeignKey(
        Decision, verbose_name="decyzja", on_delete=models.PROTECT, related_name="appeals"
    )
    lodged_on = models.DateField("data wniesienia")
    forward_due = models.DateField("termin przekazania do SKO (art. 133 KPA)")
    forwarded_on = models.DateField("przekazano do SKO", null=True, blank=True)
    self_corrected = models.BooleanField("uwzględnione w trybie art. 132 KPA", default=False)
    outcome = models.CharField(
        "rozstrzygnięcie", max_length=20, choices=AppealOutcome.choices, blank=True
    )
    outcome_on = models.DateField("data rozstrzygnięcia", null=True, blank=True)
    sko_reference = models.CharField("sygnatura SKO", max_length=60, blank=True)
    note = models.TextField("uwagi", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="zarejestrował",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "odwołanie"
        verbose_name_plural = "odwołania"
        ordering = ["-lodged_on", "-pk"]

    def __str__(self) -> str:
        return f"Odwołanie od decyzji {self.decision.number} z {self.lodged_on}"

    def get_additional_data(self) -> dict[str, int]:
        return {"person_id": self.decision.addressee_id}


class Rectification(FrozenRecord):
    """Postanowienie o sprostowaniu oczywistej omyłki (art. 113 § 1 KPA), with its own PDF."""

    decision = models.ForeignKey(
        Decision, verbose_name="decyzja", on_delete=models.PROTECT, related_name="rectifications"
    )
    text = models.TextField("treść sprostowania")
    issued_on = models.DateField("data")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="podpisał",
        on_delete=models.PROTECT,
        related_name="+",
    )
    authorisation = models.ForeignKey(
        "org.Authorisation",
        verbose_name="upoważnienie",
        on_delete=models.PROTECT,
        related_name="+",
    )
    pdf = models.BinaryField("PDF")
    sha256 = models.CharField("SHA-256", max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sprostowanie (art. 113 KPA)"
        verbose_name_plural = "sprostowania (art. 113 KPA)"
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"Sprostowanie decyzji {self.decision.number} z {self.issued_on}"


class NumberCounter(models.Model):
    """Decision numbers per unit symbol and year, allocated when signing (gapless)."""

    unit_symbol = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "licznik numerów decyzji"
        verbose_name_plural = "liczniki numerów decyzji"
        constraints = [
            models.UniqueConstraint(fields=["unit_symbol", "year"], name="decision_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_symbol}/{self.year}: {self.last_number}"

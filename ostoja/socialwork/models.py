"""Social work (praca socjalna): the case chronology, visits, social contracts (art. 108 u.p.s.),
assistance plans, protected-record access and case assignments (leave cover).

Case notes are append-only: a correction is a new note pointing at the old one. The guard is in
three places — the model (``save``/``delete``), the queryset (``delete``/``update``) with a
``pre_delete`` signal, and on PostgreSQL a trigger (migration 0002).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from ostoja.core.concurrency import Versioned
from ostoja.socialwork.policy import (
    ASSIGNMENT_KIND_LABELS,
    CONTRACT_CONTENT_FIELDS,
    CONTRACT_KIND_LABELS,
    CONTRACT_STATUS_LABELS,
    NOTE_CATEGORY_CHOICES,
    PLAN_KIND_LABELS,
    PLAN_STATUS_LABELS,
    VISIT_STATUS_LABELS,
    AssignmentKind,
    ContractKind,
    ContractStatus,
    PlanKind,
    PlanStatus,
    VisitStatus,
)

USER = settings.AUTH_USER_MODEL


class NoteImmutable(Exception):
    """Raised on any attempt to change or remove a case note (they are append-only)."""


class ContractFrozen(Exception):
    """Raised on any attempt to change the content of a signed social contract."""


class AppendOnlyQuerySet(models.QuerySet):
    def delete(self) -> Any:
        raise NoteImmutable("Notatek w chronologii sprawy nie można usuwać.")

    def update(self, **kwargs: Any) -> Any:
        raise NoteImmutable("Notatek w chronologii sprawy nie można zmieniać.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> Any:
        raise NoteImmutable("Notatek w chronologii sprawy nie można zmieniać.")


class CaseNote(models.Model):
    """One entry of the case chronology (notatka), written once and never changed."""

    case = models.ForeignKey(
        "cases.Case", verbose_name="sprawa", on_delete=models.PROTECT, related_name="sw_notes"
    )
    category = models.CharField("kategoria", max_length=20, choices=NOTE_CATEGORY_CHOICES)
    occurred_on = models.DateField("data zdarzenia")
    created_at = models.DateTimeField("data wpisu", editable=False)
    author = models.ForeignKey(
        USER, verbose_name="autor", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("treść")
    corrects = models.OneToOneField(
        "self", verbose_name="koryguje notatkę", null=True, blank=True,
        on_delete=models.PROTECT, related_name="correction",
    )  # fmt: skip
    correction_reason = models.CharField("powód korekty", max_length=300, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "notatka w chronologii"
        verbose_name_plural = "notatki w chronologii"
        ordering = ["-occurred_on", "-created_at", "-pk"]
        base_manager_name = "objects"
        indexes = [models.Index(fields=["case", "-occurred_on"], name="sw_note_case_date")]

    def __str__(self) -> str:
        return f"Notatka ({self.get_category_display()}) z {self.occurred_on:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise NoteImmutable("Notatek w chronologii sprawy nie można zmieniać — dodaj korektę.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise NoteImmutable("Notatek w chronologii sprawy nie można usuwać.")

    def get_additional_data(self) -> dict[str, int]:
        return {"case_id": self.case_id}


class Visit(Versioned):
    """A planned field visit (wizyta w środowisku); its outcome is recorded as a note."""

    case = models.ForeignKey(
        "cases.Case", verbose_name="sprawa", on_delete=models.PROTECT, related_name="sw_visits"
    )
    worker = models.ForeignKey(
        USER, verbose_name="pracownik", on_delete=models.PROTECT, related_name="sw_visits"
    )
    planned_on = models.DateField("planowana data")
    planned_time = models.TimeField("godzina", null=True, blank=True)
    purpose = models.CharField("cel wizyty", max_length=300)
    status = models.CharField(
        "stan", max_length=12, choices=[(s.value, VISIT_STATUS_LABELS[s]) for s in VisitStatus],
        default=VisitStatus.PLANNED,
    )  # fmt: skip
    outcome_note = models.OneToOneField(
        CaseNote, verbose_name="notatka z wizyty", null=True, blank=True,
        on_delete=models.PROTECT, related_name="visit",
    )  # fmt: skip
    cancel_reason = models.CharField("powód odwołania", max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "wizyta"
        verbose_name_plural = "wizyty"
        ordering = ["planned_on", "planned_time", "pk"]
        indexes = [models.Index(fields=["worker", "status", "planned_on"], name="sw_visit_desk")]

    def __str__(self) -> str:
        return f"Wizyta {self.planned_on:%Y-%m-%d}: {self.purpose}"

    def get_additional_data(self) -> dict[str, int]:
        return {"case_id": self.case_id}


class SocialContract(Versioned):
    """Kontrakt socjalny (art. 108 u.p.s.; wzór — rozp. MPiPS z 8 XI 2010, Dz.U. nr 218 poz. 1439).

    Drafted, then signed by both parties; from then on its content is frozen and changes are
    annexes. Reviews, breaches and the final evaluation are recorded beside it.
    """

    case = models.ForeignKey(
        "cases.Case", verbose_name="sprawa", on_delete=models.PROTECT, related_name="sw_contracts"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name="osoba zawierająca kontrakt", on_delete=models.PROTECT,
        related_name="sw_contracts",
    )  # fmt: skip
    kind = models.CharField(
        "rodzaj kontraktu", max_length=1,
        choices=[(k.value, CONTRACT_KIND_LABELS[k]) for k in ContractKind],
        default=ContractKind.DIFFICULT_SITUATION,
    )  # fmt: skip
    situation = models.TextField("ocena sytuacji osoby/rodziny", blank=True)
    causes = models.TextField("przyczyny trudnej sytuacji życiowej", blank=True)
    strengths = models.TextField("mocne strony, zasoby i możliwości", blank=True)
    limitations = models.TextField("ograniczenia i bariery", blank=True)
    main_goal = models.TextField("cel główny", blank=True)
    specific_goals = models.TextField("cele szczegółowe", blank=True)
    expected_effects = models.TextField("przewidywane efekty", blank=True)
    other_terms = models.TextField("inne ustalenia", blank=True)
    valid_from = models.DateField("okres obowiązywania od", null=True, blank=True)
    valid_to = models.DateField("okres obowiązywania do", null=True, blank=True)
    status = models.CharField(
        "stan", max_length=12,
        choices=[(s.value, CONTRACT_STATUS_LABELS[s]) for s in ContractStatus],
        default=ContractStatus.DRAFT,
    )  # fmt: skip
    worker = models.ForeignKey(
        USER, verbose_name="pracownik socjalny (strona)", on_delete=models.PROTECT,
        related_name="sw_contracts",
    )  # fmt: skip
    worker_signed_on = models.DateField(
        "podpis pracownika socjalnego — data", null=True, blank=True
    )
    person_signed_on = models.DateField("podpis osoby — data", null=True, blank=True)
    person_signed_name = models.CharField("podpisała osoba", max_length=200, blank=True)
    signature_recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consequences_explained = models.BooleanField(
        "pouczono o skutkach niedotrzymania kontraktu (art. 11 ust. 2 u.p.s.)", default=False
    )
    evaluation = models.TextField("ocena realizacji kontraktu", blank=True)
    ended_on = models.DateField("data zakończenia", null=True, blank=True)
    end_reason = models.TextField("powód rozwiązania", blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kontrakt socjalny"
        verbose_name_plural = "kontrakty socjalne"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Kontrakt socjalny nr {self.pk} — {self.case.household}"

    def get_additional_data(self) -> dict[str, int]:
        return {"person_id": self.person_id, "case_id": self.case_id}

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = (
                type(self).objects.filter(pk=self.pk).values(*CONTRACT_CONTENT_FIELDS, "status")
            )
            row = stored.first()
            if row and row["status"] != ContractStatus.DRAFT:
                changed = [f for f in CONTRACT_CONTENT_FIELDS if getattr(self, f) != row[f]]
                if changed:
                    raise ContractFrozen(
                        "Treść podpisanego kontraktu socjalnego jest zamknięta — zmiany "
                        "wprowadza się aneksem."
                    )
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == ContractStatus.DRAFT

    @property
    def is_signed(self) -> bool:
        return self.status != ContractStatus.DRAFT


class ContractAnnex(models.Model):
    """Aneks: a signed change of a signed contract (never an edit of the original)."""

    contract = models.ForeignKey(
        SocialContract, verbose_name="kontrakt", on_delete=models.PROTECT, related_name="annexes"
    )
    number = models.PositiveIntegerField("numer aneksu")
    changes = models.TextField("treść zmian")
    new_valid_to = models.DateField("nowy termin obowiązywania", null=True, blank=True)
    worker_signed_on = models.DateField("podpis pracownika socjalnego — data")
    person_signed_on = models.DateField("podpis osoby — data")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "aneks do kontraktu socjalnego"
        verbose_name_plural = "aneksy do kontraktów socjalnych"
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="sw_annex_number_once")
        ]

    def __str__(self) -> str:
        return f"Aneks nr {self.number} do kontraktu nr {self.contract_id}"


class ActionParty(models.TextChoices):
    PERSON = "osoba", "osoba/rodzina"
    WORKER = "pracownik", "pracownik socjalny/ośrodek"
    OTHER = "inny", "inna instytucja"


class ContractAction(models.Model):
    """One undertaking of a party with its deadline (część II of the model form)."""

    contract = models.ForeignKey(
        SocialContract, verbose_name="kontrakt", on_delete=models.PROTECT, related_name="actions"
    )
    annex = models.ForeignKey(
        ContractAnnex, verbose_name="dodane aneksem", null=True, blank=True,
        on_delete=models.PROTECT, related_name="actions",
    )  # fmt: skip
    party = models.CharField("strona", max_length=10, choices=ActionParty.choices)
    description = models.TextField("działanie")
    due_on = models.DateField("termin realizacji", null=True, blank=True)
    position = models.PositiveIntegerField("kolejność", default=0)

    class Meta:
        verbose_name = "działanie w kontrakcie"
        verbose_name_plural = "działania w kontrakcie"
        ordering = ["contract", "position", "pk"]

    def __str__(self) -> str:
        return self.description[:60]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.annex_id is None:
            status = SocialContract.objects.filter(pk=self.contract_id).values_list(
                "status", flat=True
            )
            if status and status[0] != ContractStatus.DRAFT:
                raise ContractFrozen("Działań podpisanego kontraktu nie można zmieniać.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.contract.status != ContractStatus.DRAFT:
            raise ContractFrozen("Działań podpisanego kontraktu nie można usuwać.")
        return super().delete(*args, **kwargs)


class ContractReview(models.Model):
    """A review date of the contract and, once held, its findings (monitoring)."""

    contract = models.ForeignKey(
        SocialContract, verbose_name="kontrakt", on_delete=models.PROTECT, related_name="reviews"
    )
    due_on = models.DateField("termin przeglądu")
    held_on = models.DateField("data przeglądu", null=True, blank=True)
    findings = models.TextField("ustalenia", blank=True)
    held_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "przegląd kontraktu"
        verbose_name_plural = "przeglądy kontraktu"
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["held_on", "due_on"], name="sw_review_due")]

    def __str__(self) -> str:
        return f"Przegląd {self.due_on:%Y-%m-%d}"


class ContractBreach(models.Model):
    """Nieprzestrzeganie postanowień kontraktu — flagged for whoever drafts the next decision
    (art. 11 ust. 2 u.p.s.)."""

    contract = models.ForeignKey(
        SocialContract, verbose_name="kontrakt", on_delete=models.PROTECT, related_name="breaches"
    )
    occurred_on = models.DateField("data naruszenia")
    description = models.TextField("opis naruszenia")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "naruszenie kontraktu"
        verbose_name_plural = "naruszenia kontraktów"
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"Naruszenie kontraktu nr {self.contract_id} z {self.occurred_on:%Y-%m-%d}"


class AssistancePlan(Versioned):
    """A plan of help for a family beyond a contract, incl. individual programmes
    (e.g. indywidualny program wychodzenia z bezdomności, art. 49 u.p.s.)."""

    case = models.ForeignKey(
        "cases.Case", verbose_name="sprawa", on_delete=models.PROTECT, related_name="sw_plans"
    )
    kind = models.CharField(
        "rodzaj", max_length=20, choices=[(k.value, PLAN_KIND_LABELS[k]) for k in PlanKind],
        default=PlanKind.SUPPORT,
    )  # fmt: skip
    title = models.CharField("tytuł", max_length=200)
    goals = models.TextField("cele")
    valid_from = models.DateField("od dnia")
    valid_to = models.DateField("do dnia", null=True, blank=True)
    next_review_on = models.DateField("następny przegląd", null=True, blank=True)
    status = models.CharField(
        "stan", max_length=14, choices=[(s.value, PLAN_STATUS_LABELS[s]) for s in PlanStatus],
        default=PlanStatus.ACTIVE,
    )  # fmt: skip
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "plan pomocy"
        verbose_name_plural = "plany pomocy"
        ordering = ["-valid_from", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, int]:
        return {"case_id": self.case_id}


class PlanAction(models.Model):
    plan = models.ForeignKey(
        AssistancePlan, verbose_name="plan", on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField("działanie")
    responsible = models.CharField("kto", max_length=200)
    due_on = models.DateField("termin", null=True, blank=True)

    class Meta:
        verbose_name = "działanie planu"
        verbose_name_plural = "działania planu"
        ordering = ["plan", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


class PlanReview(models.Model):
    plan = models.ForeignKey(
        AssistancePlan, verbose_name="plan", on_delete=models.PROTECT, related_name="reviews"
    )
    held_on = models.DateField("data przeglądu")
    findings = models.TextField("ocena postępów")
    held_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "przegląd planu"
        verbose_name_plural = "przeglądy planów"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Przegląd planu {self.plan_id} z {self.held_on:%Y-%m-%d}"


class ProtectionChange(models.Model):
    """Who marked a case protected (or lifted it), when and why — the history of the flag."""

    case = models.ForeignKey(
        "cases.Case", verbose_name="sprawa", on_delete=models.PROTECT, related_name="sw_protection"
    )
    protected = models.BooleanField("chroniona")
    reason = models.TextField("powód")
    changed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "zmiana ochrony sprawy"
        verbose_name_plural = "zmiany ochrony spraw"
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return ("Objęcie ochroną" if self.protected else "Zdjęcie ochrony") + f" ({self.case_id})"


class BreakGlassGrant(models.Model):
    """Access to a protected case's notes given on a stated reason, for a limited time."""

    case = models.ForeignKey(
        "cases.Case", verbose_name="sprawa", on_delete=models.PROTECT, related_name="sw_grants"
    )
    user = models.ForeignKey(
        USER, verbose_name="pracownik", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("powód")
    granted_at = models.DateTimeField("od")
    expires_at = models.DateTimeField("do")
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "dostęp nadzwyczajny"
        verbose_name_plural = "dostępy nadzwyczajne"
        ordering = ["-granted_at", "-pk"]
        indexes = [models.Index(fields=["case", "user", "expires_at"], name="sw_grant_lookup")]

    def __str__(self) -> str:
        return f"Dostęp nadzwyczajny do sprawy {self.case_id}"

    def get_additional_data(self) -> dict[str, int]:
        return {"case_id": self.case_id}


class CaseAssignment(models.Model):
    """A hand-over of a case: permanent (new worker) or cover for a period (zastępstwo)."""

    case = models.ForeignKey(
        "cases.Case", verbose_name="sprawa", on_delete=models.PROTECT, related_name="sw_assignments"
    )
    worker = models.ForeignKey(
        USER, verbose_name="pracownik przejmujący", on_delete=models.PROTECT,
        related_name="sw_assignments",
    )  # fmt: skip
    previous_worker = models.ForeignKey(
        USER, verbose_name="pracownik dotychczasowy", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    kind = models.CharField(
        "rodzaj", max_length=12,
        choices=[(k.value, ASSIGNMENT_KIND_LABELS[k]) for k in AssignmentKind],
    )  # fmt: skip
    starts_on = models.DateField("od dnia")
    ends_on = models.DateField("do dnia (włącznie)", null=True, blank=True)
    reason = models.CharField("powód (np. urlop)", max_length=300)
    assigned_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "przydział sprawy"
        verbose_name_plural = "przydziały spraw"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="sw_assignment_period",
            )
        ]

    def __str__(self) -> str:
        return f"Przydział sprawy {self.case_id}: {self.get_kind_display()}"

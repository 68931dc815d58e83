"""Services at home and in kind, and the powiat's help (issue 15).

- care services (usługi opiekuńcze, art. 50 u.p.s.): providers and their contracts, carers,
  orders from a decision, the month's hours and the client's fee, the provider's invoice check;
- service events (pomoc w naturze i usługi bez decyzji, art. 106 ust. 2);
- leaving care (pomoc dla osób usamodzielnianych, art. 88) and refugees' integration
  programmes (indywidualny program integracji, art. 91–93) — powiat tasks.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from ostoja.care.policy import (
    SCOPE_LABELS,
    CareKind,
    CorrectionStatus,
    EmergencyBasis,
    EventKind,
    FuneralRecovery,
    InstitutionKind,
    MonthStatus,
    ProgrammeStatus,
    ProviderKind,
)
from ostoja.core.concurrency import Versioned
from ostoja.law.benefits.powiat import LEAVING_CARE_KINDS

USER = settings.AUTH_USER_MODEL
MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
HOURS: dict[str, Any] = {"max_digits": 6, "decimal_places": 2}


class Provider(Versioned):
    """Wykonawca usług: a company, an NGO, the centre itself, or a neighbour (usługi sąsiedzkie)."""

    name = models.CharField("nazwa wykonawcy", max_length=200)
    kind = models.CharField("rodzaj wykonawcy", max_length=10, choices=ProviderKind.choices)
    nip = models.CharField("NIP", max_length=10, blank=True)
    # Neighbour services (art. 50 ust. 2a–2c): the checks the organiser records.
    not_family_declared = models.BooleanField(
        "oświadczenie: nie jest członkiem rodziny", default=False
    )
    fitness_declared_on = models.DateField(
        "oświadczenie o zdolności do pracy", null=True, blank=True
    )
    first_aid_training_on = models.DateField("szkolenie z pierwszej pomocy", null=True, blank=True)
    lives_nearby = models.BooleanField("mieszka w najbliższym sąsiedztwie", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "wykonawca usług"
        verbose_name_plural = "wykonawcy usług"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProviderContract(models.Model):
    """Umowa z wykonawcą: hourly rate for a kind of service, valid ``valid_from``–``valid_to``
    (half-open: ``valid_to`` is the first day it no longer applies)."""

    provider = models.ForeignKey(Provider, models.PROTECT, related_name="contracts")
    number = models.CharField("numer umowy", max_length=60)
    service_kind = models.CharField("rodzaj usług", max_length=10, choices=CareKind.choices)
    hourly_rate = models.DecimalField("cena za godzinę", **MONEY)
    valid_from = models.DateField("obowiązuje od")
    valid_to = models.DateField("obowiązuje do (wyłącznie)", null=True, blank=True)

    class Meta:
        verbose_name = "umowa z wykonawcą"
        verbose_name_plural = "umowy z wykonawcami"
        ordering = ["provider", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="care_contract_number"),
            models.CheckConstraint(condition=Q(hourly_rate__gt=0), name="care_contract_rate_pos"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="care_contract_period",
            ),
        ]

    def __str__(self) -> str:
        return f"Umowa {self.number}"


class Carer(models.Model):
    """Opiekunka / opiekun of a provider."""

    provider = models.ForeignKey(Provider, models.PROTECT, related_name="carers")
    first_name = models.CharField("imię", max_length=80)
    last_name = models.CharField("nazwisko", max_length=120)
    qualification = models.CharField("kwalifikacje", max_length=200, blank=True)

    class Meta:
        verbose_name = "opiekun"
        verbose_name_plural = "opiekunowie"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CareOrder(Versioned):
    """Zlecenie usług z decyzji: scope, hours, period and place (art. 50 ust. 4 u.p.s.)."""

    case = models.ForeignKey("cases.Case", models.PROTECT, related_name="+", verbose_name="sprawa")
    unit = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name="jednostka")
    person = models.ForeignKey(
        "registry.Person", models.PROTECT, related_name="+", verbose_name="osoba"
    )
    decision = models.ForeignKey(
        "decisions.Decision", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Blank: the decision is drafted in Ostoja from the order (``decision``, linked then).
    decision_number = models.CharField("numer decyzji", max_length=60, blank=True)
    # A paper decision (issued before Ostoja or outside it, known only by its number): the day
    # it became final or immediately enforceable (art. 130 KPA) and who typed that day in.
    paper_enforceable_from = models.DateField(
        "decyzja ostateczna lub wykonalna od", null=True, blank=True
    )
    paper_enforceable_by = models.ForeignKey(
        USER,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="datę wykonalności wpisał(a)",
    )
    service_kind = models.CharField("rodzaj usług", max_length=10, choices=CareKind.choices)
    scope = models.JSONField("zakres usług", default=list)
    hours_per_day = models.DecimalField("godzin dziennie", **HOURS)
    days_per_week = models.PositiveSmallIntegerField("dni w tygodniu")
    hours_per_month = models.DecimalField("godzin w miesiącu (limit)", **HOURS)
    period_from = models.DateField("okres od")
    period_until = models.DateField("okres do (włącznie)")
    place = models.CharField("miejsce świadczenia", max_length=300)
    living_alone = models.BooleanField("osoba samotna (limit 8 h dziennie)", default=False)
    provider = models.ForeignKey(Provider, models.PROTECT, related_name="orders")
    contract = models.ForeignKey(ProviderContract, models.PROTECT, related_name="orders")
    fee_rate = models.DecimalField("odpłatność (% ceny za godzinę)", max_digits=6, decimal_places=2)
    fee_basis = models.CharField("podstawa odpłatności", max_length=300)
    # Zwolnienie z opłaty na wniosek (art. 50 ust. 6 u.p.s.): kind, percent, requested_on,
    # reason, rate_before, basis; ``fee_rate`` is the rate after it. Empty: no exemption.
    fee_exemption = models.JSONField("zwolnienie z opłaty", default=dict, blank=True)
    budget_line = models.CharField("klasyfikacja budżetowa", max_length=120)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "zlecenie usług opiekuńczych"
        verbose_name_plural = "zlecenia usług opiekuńczych"
        ordering = ["-period_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_until__gte=models.F("period_from")), name="care_order_period"
            ),
            models.CheckConstraint(condition=Q(hours_per_month__gt=0), name="care_order_hours_pos"),
            models.CheckConstraint(
                condition=Q(fee_rate__gte=0) & Q(fee_rate__lte=100), name="care_order_fee_rate"
            ),
            models.CheckConstraint(  # a paper decision's day is always signed by who typed it
                condition=Q(paper_enforceable_from__isnull=True)
                | (Q(paper_enforceable_by__isnull=False) & ~Q(decision_number="")),
                name="care_order_paper_day_by",
            ),
        ]

    def __str__(self) -> str:
        return f"Zlecenie usług {self.decision_ref}"

    @property
    def number_known(self) -> str:
        """The decision's number: the linked decision's once signed, else the typed one
        (blank while the decision drafted in Ostoja is unsigned)."""
        decision = self.decision if self.decision_id is not None else None
        if decision is not None and decision.number:
            return str(decision.number)
        return self.decision_number

    @property
    def decision_ref(self) -> str:
        """The number as staff read it on the pages."""
        return self.number_known or "(decyzja w przygotowaniu)"

    def get_additional_data(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "case_id": self.case_id}


class CareFeeChange(models.Model):
    """Zmiana decyzji o usługach od miesiąca (art. 50, art. 106 ust. 5 u.p.s.): the client's
    income changed or the client asked for an exemption (zwolnienie na wniosek) — a new fee —
    and/or the services' extent or scope changed (more or fewer hours, other tasks) after the
    order started. The order and its signed decision stay as they are; the new terms are set
    by a changing decision (``decision``, decyzja zmieniająca) and apply to the months from
    ``effective_from`` once that decision is enforceable (art. 130 KPA). Never edited: a later
    change is a new row. A discarded draft takes its row with it (it never became law).

    The row holds the terms its decision states in full — ``fee_rate`` and ``fee_exemption``
    (the earlier fee when only the extent changed, ``income`` then empty) and the extent and
    scope (the earlier ones when only the fee changed; ``extent_changed`` says whether they
    changed) — so that a later change quashed or revoked never takes from it what its own
    decision grants. Rows drafted before the extent was recorded have it empty: the extent in
    force before them stays."""

    order = models.ForeignKey(CareOrder, models.PROTECT, related_name="fee_changes")
    decision = models.ForeignKey(
        "decisions.Decision", models.CASCADE, related_name="+", verbose_name="decyzja zmieniająca"
    )
    effective_from = models.DateField("od miesiąca (pierwszy dzień)")
    income = models.DecimalField("dochód", null=True, blank=True, **MONEY)
    single = models.BooleanField("osoba samotnie gospodarująca", default=False)
    rate_before = models.DecimalField("stawka dotychczasowa (%)", max_digits=6, decimal_places=2)
    fee_rate = models.DecimalField("nowa stawka (%)", max_digits=6, decimal_places=2)
    fee_basis = models.CharField("podstawa odpłatności", max_length=300)
    # The exemption on request, as on ``CareOrder.fee_exemption``; empty: none.
    fee_exemption = models.JSONField("zwolnienie z opłaty", default=dict, blank=True)
    # The extent and scope from the change (wymiar, zakres), when it sets them.
    hours_per_day = models.DecimalField("godzin dziennie", null=True, blank=True, **HOURS)
    days_per_week = models.PositiveSmallIntegerField("dni w tygodniu", null=True, blank=True)
    hours_per_month = models.DecimalField(
        "godzin w miesiącu (limit)", null=True, blank=True, **HOURS
    )
    scope = models.JSONField("zakres usług", default=list, blank=True)
    # Why the extent changed (the facts the changing decision's reasons state, art. 107 § 3
    # KPA), and the day of the client's request for it, if she asked.
    extent_reason = models.TextField("okoliczności zmiany wymiaru lub zakresu", blank=True)
    extent_changed = models.BooleanField("zmiana wymiaru lub zakresu", default=False)
    requested_on = models.DateField("wniosek Strony o zmianę z dnia", null=True, blank=True)
    trace = models.JSONField("ślad obliczenia", default=list)
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "zmiana decyzji o usługach"
        verbose_name_plural = "zmiany decyzji o usługach"
        ordering = ["order", "effective_from", "pk"]
        # No unique (order, month): a change quashed on appeal may be followed by a new one
        # from the same month; two drafts at once queue on the order's row lock, and a second
        # change while one waits, or from a month a change in effect covers, is refused.
        constraints = [
            models.CheckConstraint(
                condition=Q(fee_rate__gte=0) & Q(fee_rate__lte=100), name="care_fee_change_rate"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_month__isnull=True) | Q(hours_per_month__gt=0),
                name="care_fee_change_hours_pos",
            ),
        ]

    def __str__(self) -> str:
        return f"Zmiana decyzji o usługach od {self.effective_from:%m.%Y}"

    @property
    def scope_text(self) -> str:
        """The scope the change sets, as the page lists it („zakupy, pomoc w higienie”)."""
        return ", ".join(SCOPE_LABELS.get(s, s).lower() for s in self.scope)

    def get_additional_data(self) -> dict[str, Any]:
        return {"order_id": self.order_id}


class PaperDayCorrection(models.Model):
    """Sprostowanie dnia, w którym decyzja papierowa stała się ostateczna lub wykonalna
    (art. 130 KPA), of an order (``CareOrder.paper_enforceable_from``): one worker proposes the
    corrected day with the reason and the paper evidence, ANOTHER worker with the manage right in
    the order's unit confirms it. ``order_version`` is the order's version the proposal was made
    against — a proposal for an order changed since is stale and cannot be confirmed. Rows are
    never deleted: they are the day's history shown on the order page."""

    order = models.ForeignKey(CareOrder, models.PROTECT, related_name="day_corrections")
    old_day = models.DateField("dotychczasowy dzień wykonalności")
    new_day = models.DateField("poprawiony dzień wykonalności")
    reason = models.TextField("uzasadnienie")
    evidence = models.CharField("dowód (dokument papierowy)", max_length=200)
    order_version = models.PositiveIntegerField("wersja zlecenia")
    status = models.CharField(
        "stan", max_length=12, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        USER, models.PROTECT, related_name="+", verbose_name="zaproponował(a)"
    )
    proposed_at = models.DateTimeField("zaproponowano")
    decided_by = models.ForeignKey(
        USER,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="rozstrzygnął(-ęła)",
    )
    decided_at = models.DateTimeField("rozstrzygnięto", null=True, blank=True)

    class Meta:
        verbose_name = "sprostowanie dnia wykonalności decyzji"
        verbose_name_plural = "sprostowania dnia wykonalności decyzji"
        ordering = ["order", "proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status=CorrectionStatus.PENDING),
                name="care_day_correction_one_pending",
            ),
            models.CheckConstraint(
                condition=~Q(new_day=models.F("old_day")), name="care_day_correction_changes"
            ),
            models.CheckConstraint(  # four eyes: the proposer never confirms
                condition=~Q(status=CorrectionStatus.CONFIRMED)
                | (Q(decided_by__isnull=False) & ~Q(decided_by=models.F("proposed_by"))),
                name="care_day_correction_two_people",
            ),
        ]

    def __str__(self) -> str:
        return f"Sprostowanie {self.old_day:%d.%m.%Y} → {self.new_day:%d.%m.%Y}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"order_id": self.order_id}


class CareMonth(Versioned):
    """One month of an order: hours delivered (karta pracy) and the settlement; the client's
    monthly bill. Unique per order and month — reporting twice corrects, never duplicates."""

    order = models.ForeignKey(CareOrder, models.PROTECT, related_name="months")
    month = models.DateField("miesiąc (pierwszy dzień)")
    carer = models.ForeignKey(Carer, models.PROTECT, null=True, blank=True, related_name="+")
    hours_ordered = models.DecimalField("godziny przyznane", **HOURS)
    hours_delivered = models.DecimalField("godziny zrealizowane", **HOURS)
    excess_hours = models.DecimalField("godziny ponad decyzję", default=0, **HOURS)
    hourly_price = models.DecimalField("cena za godzinę", **MONEY)
    fee_rate = models.DecimalField("stawka odpłatności (%)", max_digits=6, decimal_places=2)
    client_fee = models.DecimalField("opłata klienta", **MONEY)
    provider_due = models.DecimalField("należność wykonawcy", **MONEY)
    trace = models.JSONField("ślad obliczenia", default=list)
    status = models.CharField(
        "stan", max_length=10, choices=MonthStatus.choices, default=MonthStatus.REPORTED
    )
    billed_on = models.DateField("rachunek wystawiono", null=True, blank=True)
    due_on = models.DateField("termin płatności", null=True, blank=True)
    paid_on = models.DateField("zapłacono", null=True, blank=True)
    # The bill's addressee as on the day it was issued (name, then address): a reprint shows
    # the document as issued, whatever changed in the register since.
    bill_addressee = models.TextField("adresat rachunku", blank=True, default="")
    receivable_id = models.BigIntegerField("należność (identyfikator)", null=True, blank=True)
    reported_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("zgłoszono")

    class Meta:
        verbose_name = "miesiąc usług"
        verbose_name_plural = "miesiące usług"
        ordering = ["order", "month"]
        constraints = [
            models.UniqueConstraint(fields=["order", "month"], name="care_month_once"),
            models.CheckConstraint(condition=Q(hours_delivered__gte=0), name="care_month_hours"),
        ]

    def get_additional_data(self) -> dict[str, Any]:
        return {"order_id": self.order_id}

    def __str__(self) -> str:
        return f"Usługi za {self.month:%m.%Y}"


class CareMonthPayment(models.Model):
    """A client's payment for a month of care services (wpłata za rachunek), as recorded by a
    person with the billing right. Never changed or deleted: what the client has paid for the
    month is the sum of these rows — a correcting bill raising a paid month's fee leaves the
    rest to pay (dopłata), lowering it below what was paid leaves a refund (zwrot)."""

    month = models.ForeignKey("CareMonth", models.PROTECT, related_name="payments")
    paid_on = models.DateField("data wpłaty")
    amount = models.DecimalField("kwota wpłaty", **MONEY)
    # empty only for payments recorded before the rows existed (migration care 0007)
    recorded_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField("zapisano", auto_now_add=True)

    class Meta:
        verbose_name = "wpłata za miesiąc usług"
        verbose_name_plural = "wpłaty za miesiące usług"
        ordering = ["month", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="care_month_payment_positive")
        ]

    def __str__(self) -> str:
        return f"Wpłata {self.amount} zł za {self.month_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"care_month_id": self.month_id}


class CareMonthRefund(models.Model):
    """A refund paid back to the client (zwrot nadpłaty) of what a correcting bill left
    returnable for the month, as recorded by finance once the transfer or cash slip was made —
    with its document. Never changed or deleted; the month's refund still due is the
    corrections' ``refund_due`` summed less these rows (issue 15)."""

    month = models.ForeignKey("CareMonth", models.PROTECT, related_name="refunds")
    paid_on = models.DateField("data zwrotu")
    amount = models.DecimalField("kwota zwrotu", **MONEY)
    reference = models.CharField("dokument zwrotu", max_length=120)
    recorded_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("zapisano", auto_now_add=True)

    class Meta:
        verbose_name = "zwrot dla klienta za miesiąc usług"
        verbose_name_plural = "zwroty dla klientów za miesiące usług"
        ordering = ["month", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="care_month_refund_positive")
        ]

    def __str__(self) -> str:
        return f"Zwrot {self.amount} zł za {self.month_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"care_month_id": self.month_id}


class CareMonthRevision(models.Model):
    """A superseded report of a month (korekta zgłoszenia godzin przed wystawieniem rachunku):
    when a reported, not yet billed month is reported again, the report it replaces is kept
    here as it was — its version, hours, settlement, who reported it and who replaced it. Rows
    are never changed or deleted: they are the month's history shown on the order page."""

    month = models.ForeignKey(CareMonth, models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField("wersja zgłoszenia")
    carer = models.ForeignKey(Carer, models.PROTECT, null=True, blank=True, related_name="+")
    hours_ordered = models.DecimalField("godziny przyznane", **HOURS)
    hours_delivered = models.DecimalField("godziny zrealizowane", **HOURS)
    excess_hours = models.DecimalField("godziny ponad decyzję", **HOURS)
    hourly_price = models.DecimalField("cena za godzinę", **MONEY)
    fee_rate = models.DecimalField("stawka odpłatności (%)", max_digits=6, decimal_places=2)
    client_fee = models.DecimalField("opłata klienta", **MONEY)
    provider_due = models.DecimalField("należność wykonawcy", **MONEY)
    trace = models.JSONField("ślad obliczenia", default=list)
    reported_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("zgłoszono")
    replaced_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    replaced_at = models.DateTimeField("zastąpiono")

    class Meta:
        verbose_name = "poprzednie zgłoszenie miesiąca"
        verbose_name_plural = "poprzednie zgłoszenia miesięcy"
        ordering = ["month", "version"]
        constraints = [
            models.UniqueConstraint(fields=["month", "version"], name="care_month_revision_once")
        ]

    def __str__(self) -> str:
        return f"Zgłoszenie {self.version} za {self.month_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"care_month_id": self.month_id}


class CareMonthCorrection(models.Model):
    """Korekta godzin miesiąca już rozliczonego rachunkiem — rachunek korygujący. The billed
    month (``CareMonth``) is never edited: one worker proposes the corrected hours with the
    reason, the settlement is recomputed at the month's own price and fee rate, and ANOTHER
    person with the billing right issues the correcting bill (confirms) — the differences to
    the client's fee and the provider's due amount are this row's. ``month_version`` is the
    month's version the proposal was made against (a month changed since: stale)."""

    month = models.ForeignKey(CareMonth, models.PROTECT, related_name="corrections")
    month_version = models.PositiveIntegerField("wersja miesiąca")
    hours_before = models.DecimalField("godziny dotychczas", **HOURS)
    hours_delivered = models.DecimalField("godziny zrealizowane (po korekcie)", **HOURS)
    excess_hours = models.DecimalField("godziny ponad decyzję (po korekcie)", **HOURS)
    client_fee = models.DecimalField("opłata klienta (po korekcie)", **MONEY)
    provider_due = models.DecimalField("należność wykonawcy (po korekcie)", **MONEY)
    paid_hours_difference = models.DecimalField("różnica godzin płatnych", **HOURS)
    client_fee_difference = models.DecimalField("różnica opłaty klienta", **MONEY)
    provider_due_difference = models.DecimalField("różnica należności wykonawcy", **MONEY)
    trace = models.JSONField("ślad obliczenia", default=list)
    reason = models.TextField("przyczyna korekty")
    status = models.CharField(
        "stan", max_length=12, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    proposed_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField("zaproponowano")
    decided_by = models.ForeignKey(USER, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("rozstrzygnięto", null=True, blank=True)
    billed_on = models.DateField("rachunek korygujący wystawiono", null=True, blank=True)
    # What the correcting bill did to money already owed or paid: the receivable's correction
    # (payments.ReceivableCorrection) when the bill had become a receivable, and the amount to
    # return to the client when they had paid more than the corrected fee.
    receivable_correction_id = models.BigIntegerField(
        "korekta należności (identyfikator)", null=True, blank=True
    )
    # signed: negative when a raised fee shrinks what earlier corrections made returnable
    refund_due = models.DecimalField("do zwrotu klientowi", default=0, **MONEY)
    # A fee raised on a month the client had already paid: the rest they now owe (dopłata)
    # and by when — the month is open again until it is paid or becomes a receivable.
    surcharge = models.DecimalField("dopłata klienta", default=0, **MONEY)
    surcharge_due_on = models.DateField("termin dopłaty", null=True, blank=True)
    # the correcting bill's addressee as on the day it was issued (name, then address)
    bill_addressee = models.TextField("adresat rachunku korygującego", blank=True, default="")

    class Meta:
        verbose_name = "korekta rozliczonego miesiąca (rachunek korygujący)"
        verbose_name_plural = "korekty rozliczonych miesięcy (rachunki korygujące)"
        ordering = ["month", "proposed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["month"],
                condition=Q(status=CorrectionStatus.PENDING),
                name="care_month_correction_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(hours_delivered__gte=0), name="care_month_correction_hours"
            ),
            models.CheckConstraint(  # four eyes: the proposer never issues the correcting bill
                condition=~Q(status=CorrectionStatus.CONFIRMED)
                | (
                    Q(decided_by__isnull=False, billed_on__isnull=False)
                    & ~Q(decided_by=models.F("proposed_by"))
                ),
                name="care_month_correction_two_people",
            ),
        ]

    def __str__(self) -> str:
        return f"Korekta miesiąca {self.month_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"care_month_id": self.month_id}

    @property
    def refund_reduction(self) -> Decimal:
        """How much less is to be returned to the client after this correcting bill (0: none)."""
        return -self.refund_due if self.refund_due < 0 else Decimal("0")


class ProviderInvoice(models.Model):
    """Faktura wykonawcy za miesiąc, sprawdzona z godzinami zgłoszonymi w kartach pracy."""

    provider = models.ForeignKey(Provider, models.PROTECT, related_name="invoices")
    number = models.CharField("numer faktury", max_length=60)
    month = models.DateField("miesiąc (pierwszy dzień)")
    hours_invoiced = models.DecimalField("godziny na fakturze", **HOURS)
    amount_invoiced = models.DecimalField("kwota faktury", **MONEY)
    hours_expected = models.DecimalField("godziny wg kart pracy", **HOURS)
    amount_expected = models.DecimalField("kwota wg kart pracy", **MONEY)
    matches = models.BooleanField("zgodna")
    findings = models.JSONField("rozbieżności", default=list)
    checked_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    checked_on = models.DateField("sprawdzono")

    class Meta:
        verbose_name = "faktura wykonawcy"
        verbose_name_plural = "faktury wykonawców"
        ordering = ["-month", "provider"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="care_invoice_number")
        ]

    def __str__(self) -> str:
        return f"Faktura {self.number}"


class ServiceEvent(models.Model):
    """One piece of help in kind or a service, with or without a decision (art. 106)."""

    kind = models.CharField("rodzaj", max_length=12, choices=EventKind.choices)
    person = models.ForeignKey(
        "registry.Person", models.PROTECT, related_name="+", verbose_name="osoba"
    )
    case = models.ForeignKey(
        "cases.Case", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="sprawa"
    )
    unit = models.ForeignKey("org.Unit", models.PROTECT, related_name="+", verbose_name="jednostka")
    worker = models.ForeignKey(USER, models.PROTECT, related_name="+", verbose_name="pracownik")
    occurred_on = models.DateField("data")
    with_decision = models.BooleanField("z decyzją")
    decision_number = models.CharField("numer decyzji", max_length=60, blank=True)
    emergency_basis = models.CharField(
        "pomoc bez decyzji — podstawa", max_length=10, choices=EmergencyBasis.choices, blank=True
    )
    basis = models.CharField("podstawa prawna", max_length=200)
    quantity = models.PositiveIntegerField("liczba (posiłki, noce, sesje)", default=1)
    amount = models.DecimalField("koszt", null=True, blank=True, **MONEY)
    budget_line = models.CharField("klasyfikacja budżetowa", max_length=120)
    details = models.JSONField("szczegóły", default=dict, blank=True)
    # Crisis intervention: a stay in the crisis centre (≤ 3 months).
    stay_until = models.DateField("pobyt do", null=True, blank=True)
    # Funeral: recovery of costs (art. 96 ust. 3).
    recovery_route = models.CharField(
        "zwrot kosztów z", max_length=12, choices=FuneralRecovery.choices, blank=True
    )
    recovered_amount = models.DecimalField("odzyskano", default=0, **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "zdarzenie pomocy"
        verbose_name_plural = "zdarzenia pomocy"
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["occurred_on", "kind"], name="care_event_day_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(with_decision=False) | ~Q(decision_number=""),
                name="care_event_decision_number",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="care_event_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d.%m.%Y}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"person_id": self.person_id}


class LeavingCareProgramme(Versioned):
    """Indywidualny program usamodzielnienia (art. 88 u.p.s.) with its guardian."""

    person = models.ForeignKey(
        "registry.Person", models.PROTECT, related_name="+", verbose_name="osoba"
    )
    case = models.ForeignKey("cases.Case", models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey("org.Unit", models.PROTECT, related_name="+")
    institution_kind = models.CharField("placówka", max_length=24, choices=InstitutionKind.choices)
    institution_name = models.CharField("nazwa placówki", max_length=200)
    left_on = models.DateField("data opuszczenia placówki")
    stay_months = models.PositiveSmallIntegerField("okres pobytu (miesiące)")
    guardian_name = models.CharField("opiekun usamodzielnienia", max_length=200)
    goals = models.TextField("cele i działania programu")
    agreed_on = models.DateField("program uzgodniono")
    status = models.CharField(
        "stan", max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "program usamodzielnienia"
        verbose_name_plural = "programy usamodzielnienia"
        ordering = ["-agreed_on", "-pk"]

    def get_additional_data(self) -> dict[str, Any]:
        return {"person_id": self.person_id}

    def __str__(self) -> str:
        return f"Program usamodzielnienia {self.pk}"


class LeavingCareHelp(models.Model):
    """One form of leaving-care help computed by the law core (amount and trace)."""

    programme = models.ForeignKey(LeavingCareProgramme, models.PROTECT, related_name="helps")
    kind = models.CharField(
        "rodzaj pomocy", max_length=24, choices=list(LEAVING_CARE_KINDS.items())
    )
    computed_on = models.DateField("na dzień")
    amount = models.DecimalField("kwota", **MONEY)
    trace = models.JSONField("ślad obliczenia", default=list)
    decision_number = models.CharField("numer decyzji", max_length=60, blank=True)
    # The decision granting this help (art. 88 u.p.s.): drafted from the computed amount and
    # paid by the monthly run once it is enforceable (art. 130 KPA).
    decision = models.ForeignKey(
        "decisions.Decision", models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "pomoc dla osoby usamodzielnianej"
        verbose_name_plural = "pomoc dla osób usamodzielnianych"
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="care_leaving_help_once")
        ]

    def __str__(self) -> str:
        return f"Pomoc {self.kind}"


class IntegrationProgramme(Versioned):
    """Indywidualny program integracji cudzoziemca (art. 91–93 u.p.s.) — a commissioned
    powiat task funded from the state budget."""

    person = models.ForeignKey(
        "registry.Person", models.PROTECT, related_name="+", verbose_name="osoba"
    )
    case = models.ForeignKey("cases.Case", models.PROTECT, null=True, blank=True, related_name="+")
    unit = models.ForeignKey("org.Unit", models.PROTECT, related_name="+")
    family_size = models.PositiveSmallIntegerField("liczba osób w rodzinie")
    starts_on = models.DateField("początek programu")
    obligations = models.TextField("zobowiązania cudzoziemca")
    monthly_amounts = models.JSONField("kwoty miesięczne na osobę", default=list)
    status = models.CharField(
        "stan", max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    ended_on = models.DateField("zakończono", null=True, blank=True)
    end_reason = models.CharField("przyczyna zakończenia", max_length=300, blank=True)
    budget_line = models.CharField(
        "klasyfikacja budżetowa", max_length=120, default="852-85231 (zadanie zlecone powiatu)"
    )
    created_by = models.ForeignKey(USER, models.PROTECT, related_name="+")
    # The decision granting the programme's cash benefit (art. 91–92 u.p.s.).
    decision = models.ForeignKey(
        "decisions.Decision", models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "program integracji"
        verbose_name_plural = "programy integracji"
        ordering = ["-starts_on", "-pk"]

    def get_additional_data(self) -> dict[str, Any]:
        return {"person_id": self.person_id}

    def __str__(self) -> str:
        return f"Program integracji {self.pk}"


class IntegrationReview(models.Model):
    programme = models.ForeignKey(IntegrationProgramme, models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField("data oceny")
    obligations_met = models.BooleanField("zobowiązania wypełniane")
    findings = models.TextField("ustalenia")
    reviewer = models.ForeignKey(USER, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "ocena programu integracji"
        verbose_name_plural = "oceny programów integracji"
        ordering = ["reviewed_on"]

    def __str__(self) -> str:
        return f"Ocena {self.reviewed_on:%d.%m.%Y}"

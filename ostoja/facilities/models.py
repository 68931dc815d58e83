"""Models of social infrastructure (infrastruktura socjalna): facilities (placówki), places
(miejsca), stays (pobyty) with their movements, referrals (skierowania), waiting lists (listy
oczekujących), the average monthly cost per resident (średni miesięczny koszt utrzymania),
the monthly DPS charges per payer (należności za pobyt) and the nights of the night shelter and
the warming room (noclegownia, ogrzewalnia).

Occupancy never exceeds places: a stay or a night holds one place slot (``Place``) and the
database refuses two open stays in one slot (partial unique index) and two guests in one slot on
one night. Two workers admitting into the last place at once pick the same free slot, so one of
the two inserts fails. Rules live in ``policy.py`` and ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ostoja.core.concurrency import Versioned
from ostoja.facilities.policy import (
    ABSENCE_KINDS,
    CHARGE_PAYERS,
    END_REASONS,
    FACILITY_KINDS,
    FACILITY_SUBTYPES,
    MOVEMENTS,
    OPERATOR_KINDS,
    PLACE_KINDS,
    REFERRAL_STATUSES,
    RELATIVE_BASIS_KINDS,
    WAITING_STATUSES,
)

_MONEY = {"max_digits": 12, "decimal_places": 2}


def _choices(d: dict[str, str]) -> list[tuple[str, str]]:
    return list(d.items())


class Facility(Versioned):
    """A facility of social infrastructure (placówka): DPS, ŚDS, shelter, flat, centre…"""

    name = models.CharField("nazwa", max_length=200)
    kind = models.CharField("rodzaj placówki", max_length=40, choices=_choices(FACILITY_KINDS))
    subtypes = models.JSONField(
        "typy (art. 56, 56a u.p.s.; typ ŚDS)",
        default=list,
        blank=True,
        help_text="Kody typów, np. DPS łączący typy dozwolone w art. 56a.",
    )
    operator_kind = models.CharField(
        "prowadzący", max_length=20, choices=_choices(OPERATOR_KINDS), default="miasto"
    )
    operator_name = models.CharField("nazwa prowadzącego", max_length=200)
    agreement = models.CharField(
        "umowa ze zleceniobiorcą", max_length=200, blank=True, help_text="Numer i data umowy."
    )
    address = models.CharField("adres", max_length=200)
    register_entry = models.CharField("wpis do rejestru wojewody", max_length=120, blank=True)
    phone = models.CharField("telefon", max_length=80, blank=True)
    email = models.CharField("e-mail", max_length=120, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="komórka MOPR odpowiedzialna",
        on_delete=models.PROTECT,
        related_name="+",
    )
    city_places = models.PositiveIntegerField(
        "miejsca opłacane przez miasto",
        null=True,
        blank=True,
        help_text="U partnera: ile miejsc kupuje miasto (puste — wszystkie).",
    )
    valid_from = models.DateField("działa od")
    valid_to = models.DateField("działa do (wyłącznie)", null=True, blank=True)

    class Meta:
        verbose_name = "placówka"
        verbose_name_plural = "placówki"
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="facility_valid_period",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """One place slot (miejsce) of a facility; the count of live slots is the facility's places."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="places")
    kind = models.CharField("rodzaj miejsca", max_length=30, choices=_choices(PLACE_KINDS))
    number = models.PositiveIntegerField("numer")
    valid_from = models.DateField("od")
    valid_to = models.DateField("do (wyłącznie)", null=True, blank=True)

    class Meta:
        verbose_name = "miejsce"
        verbose_name_plural = "miejsca"
        ordering = ["facility", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "kind", "number"], name="place_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="place_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} — miejsce {self.number}"


class AverageCost(models.Model):
    """Average monthly cost per resident (średni miesięczny koszt utrzymania, art. 60 ust. 2
    u.p.s. for DPS; the yearly cost per place for other facilities), set by an order of the
    Prezydent (as starosta) and valid from the month after publication. Half-open period."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="costs")
    amount = models.DecimalField("kwota miesięcznie", **_MONEY)
    planned_amount = models.DecimalField(
        "koszt miejsca wg planu finansowego", null=True, blank=True, **_MONEY
    )
    valid_from = models.DateField("obowiązuje od")
    valid_to = models.DateField("obowiązuje do (wyłącznie)", null=True, blank=True)
    act_reference = models.CharField("podstawa (zarządzenie, dziennik urzędowy)", max_length=250)

    class Meta:
        verbose_name = "średni miesięczny koszt utrzymania"
        verbose_name_plural = "średnie miesięczne koszty utrzymania"
        ordering = ["facility", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cost_positive"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="cost_valid_period",
            ),
            models.UniqueConstraint(fields=["facility", "valid_from"], name="cost_one_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.facility}: {self.amount} zł od {self.valid_from}"


class Referral(Versioned):
    """A referral (skierowanie) of a person to a kind of facility: for DPS the gmina's referral
    decision (art. 59 ust. 1) and the powiat's placement decision (art. 59 ust. 1–2), with the
    documents of § 8 of the DPS regulation; for other facilities a decision or a service event,
    as art. 106 ust. 2 requires."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="facility_referrals"
    )
    facility_kind = models.CharField(
        "rodzaj placówki", max_length=40, choices=_choices(FACILITY_KINDS)
    )
    subtype = models.CharField(
        "typ", max_length=40, blank=True, choices=_choices(FACILITY_SUBTYPES)
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="komórka kierująca", on_delete=models.PROTECT, related_name="+"
    )
    referring_authority = models.CharField(
        "organ kierujący (gmina)", max_length=200, default="Prezydent Miasta Kielce"
    )
    referral_decision = models.ForeignKey(
        "decisions.Decision",
        verbose_name="decyzja o skierowaniu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referral_number = models.CharField("znak decyzji o skierowaniu", max_length=80, blank=True)
    referral_date = models.DateField("data skierowania")
    placement_authority = models.CharField("organ umieszczający", max_length=200, blank=True)
    placement_number = models.CharField("znak decyzji o umieszczeniu", max_length=80, blank=True)
    placement_date = models.DateField("data decyzji o umieszczeniu", null=True, blank=True)
    # The city's own placement decision (Prezydent as starosta, art. 59 ust. 2) issued through
    # the decisions workflow; a placement by another powiat is recorded by number only.
    placement_decision = models.ForeignKey(
        "decisions.Decision",
        verbose_name="decyzja o umieszczeniu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    placement_facility = models.ForeignKey(
        Facility,
        verbose_name="dom wskazany w decyzji o umieszczeniu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    documents = models.JSONField("dokumenty (§ 8 rozporządzenia w sprawie DPS)", default=dict)
    status = models.CharField(
        "stan", max_length=20, choices=_choices(REFERRAL_STATUSES), default="zlozone"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("utworzono")

    class Meta:
        verbose_name = "skierowanie"
        verbose_name_plural = "skierowania"
        ordering = ["-referral_date", "-pk"]

    def __str__(self) -> str:
        return f"Skierowanie nr {self.pk}"


class WaitingListEntry(models.Model):
    """A place on a facility's waiting list (lista oczekujących, art. 59 ust. 3 u.p.s.).

    Ordered by ``entered_on`` (then id); ``priority`` moves an entry ahead only with a recorded
    reason. ``moved_from`` links an entry made on the person's request under art. 54 ust. 2a.
    """

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="entries")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="queue")
    entered_on = models.DateField("wpisano na listę")
    priority = models.BooleanField("poza kolejnością", default=False)
    priority_reason = models.CharField("uzasadnienie pierwszeństwa", max_length=300, blank=True)
    status = models.CharField(
        "stan", max_length=20, choices=_choices(WAITING_STATUSES), default="oczekuje"
    )
    closed_on = models.DateField("zamknięto", null=True, blank=True)
    close_reason = models.CharField("powód zamknięcia", max_length=300, blank=True)
    moved_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "wpis na listę oczekujących"
        verbose_name_plural = "lista oczekujących"
        ordering = ["facility", "-priority", "entered_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "facility"],
                condition=Q(status="oczekuje"),
                name="waiting_once_per_facility",
            ),
            models.CheckConstraint(
                condition=Q(priority=False) | ~Q(priority_reason=""),
                name="waiting_priority_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Lista oczekujących: {self.facility}, wpis z {self.entered_on}"


class Stay(models.Model):
    """A stay (pobyt) of a person in one place of a facility: admission (przyjęcie) on
    ``started_on``, end (wypis, zgon, przeniesienie) on ``ended_on`` (exclusive). History kept:
    a transfer ends this stay and starts another linked by ``transferred_from``."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="facility_stays"
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="stays")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="stays")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="stays"
    )
    legal_basis = models.CharField("podstawa pobytu", max_length=300)
    decision = models.ForeignKey(
        "decisions.Decision",
        verbose_name="decyzja",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    programme = models.CharField(
        "indywidualny program wychodzenia z bezdomności", max_length=300, blank=True
    )
    started_on = models.DateField("przyjęto")
    ended_on = models.DateField("zakończono (wyłącznie)", null=True, blank=True)
    end_reason = models.CharField(
        "powód zakończenia", max_length=20, blank=True, choices=_choices(END_REASONS)
    )
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "pobyt"
        verbose_name_plural = "pobyty"
        ordering = ["-started_on", "-pk"]
        constraints = [
            # The heart of "occupancy never exceeds places": one open stay per place slot.
            models.UniqueConstraint(
                fields=["place"], condition=Q(ended_on__isnull=True), name="stay_one_open_per_place"
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="stay_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=F("started_on")),
                name="stay_period",
            ),
        ]

    def __str__(self) -> str:
        return f"Pobyt w {self.facility} od {self.started_on}"


class Movement(models.Model):
    """A movement in a stay's history (ruch): admission, transfer, absence, return, end."""

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField("ruch", max_length=30, choices=_choices(MOVEMENTS))
    on = models.DateField("dnia")
    note = models.CharField("uwagi", max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("zapisano")

    class Meta:
        verbose_name = "ruch"
        verbose_name_plural = "ruchy"
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class Absence(models.Model):
    """A temporary absence (czasowa nieobecność) of a resident: the place stays reserved."""

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="absences")
    kind = models.CharField("rodzaj", max_length=20, choices=_choices(ABSENCE_KINDS))
    started_on = models.DateField("od")
    ended_on = models.DateField("do (wyłącznie)", null=True, blank=True)

    class Meta:
        verbose_name = "nieobecność"
        verbose_name_plural = "nieobecności"
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=F("started_on")),
                name="absence_period",
            )
        ]

    def __str__(self) -> str:
        return f"Nieobecność od {self.started_on}"


class FeeArrangement(models.Model):
    """The fee shares of one DPS stay (art. 61 u.p.s.) as computed by the law core, valid from a
    month: the inputs and the result with its trace are kept as issued. A change of income or of
    the average cost is a new arrangement (and a new decision), never an edit."""

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="fees")
    valid_from = models.DateField("obowiązuje od")
    monthly_cost = models.DecimalField("średni miesięczny koszt", **_MONEY)
    resident_amount = models.DecimalField("mieszkaniec", **_MONEY)
    relatives = models.JSONField("krewni (art. 61 ust. 1 pkt 2, umowy art. 103 ust. 2)")
    city_amount = models.DecimalField("gmina", **_MONEY)
    inputs = models.JSONField("dane wejściowe")
    trace = models.JSONField("przebieg obliczenia")
    # A discarded draft (the only decision that can be deleted) frees the arrangement for a new
    # draft; a signed decision is never deleted.
    fee_decision = models.ForeignKey(
        "decisions.Decision",
        verbose_name="decyzja ustalająca opłatę",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("utworzono")

    class Meta:
        verbose_name = "ustalenie opłaty za DPS"
        verbose_name_plural = "ustalenia opłat za DPS"
        ordering = ["stay", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["stay", "valid_from"], name="fee_one_per_start")
        ]

    def __str__(self) -> str:
        return f"Opłata za DPS od {self.valid_from}"


class RelativeFeeBasis(models.Model):
    """What binds a relative to pay the share of a DPS fee computed for them (art. 61 ust. 1
    pkt 2 u.p.s.): the written agreement with the head of the centre (umowa, art. 103 ust. 2)
    or, when the relative would not sign, a final decision setting it. Recorded after the
    arrangement — which is never edited — for the relative at ``relative`` (1-based, as in the
    arrangement's list and the charges' ``krewny-N``); one per relative and arrangement. Without
    it the relative's unpaid share is not pursued as a receivable."""

    fee = models.ForeignKey(FeeArrangement, on_delete=models.PROTECT, related_name="bases")
    relative = models.PositiveSmallIntegerField("krewny (numer w ustaleniu opłaty)")
    kind = models.CharField("podstawa", max_length=20, choices=_choices(RELATIVE_BASIS_KINDS))
    number = models.CharField("numer", max_length=40)
    signed_on = models.DateField("data zawarcia umowy lub ostateczności decyzji")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("zapisano")

    class Meta:
        verbose_name = "umowa lub decyzja krewnego (art. 103 ust. 2)"
        verbose_name_plural = "umowy i decyzje krewnych (art. 103 ust. 2)"
        ordering = ["fee", "relative"]
        constraints = [
            models.UniqueConstraint(fields=["fee", "relative"], name="relative_basis_once"),
            models.CheckConstraint(condition=Q(relative__gte=1), name="relative_basis_index"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} nr {self.number} z {self.signed_on:%d.%m.%Y}"

    @property
    def short(self) -> str:
        """As a receivable's basis says it (at most 80 characters there)."""
        if self.kind == "umowa":
            return f"umowa nr {self.number} z {self.signed_on:%d.%m.%Y}"
        return f"decyzja nr {self.number}, ostateczna od {self.signed_on:%d.%m.%Y}"

    @property
    def text(self) -> str:
        """As the stay page says it."""
        if self.kind == "umowa":
            return f"{self.short} (art. 103 ust. 2 u.p.s.)"
        return self.short


class Charge(models.Model):
    """A monthly charge (należność) for a DPS stay from one payer: the resident, a relative or
    the city (gmina, paid to the home). One per stay, month and payer: repeating the monthly run
    never duplicates money."""

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="charges")
    fee = models.ForeignKey(FeeArrangement, on_delete=models.PROTECT, related_name="charges")
    month = models.DateField("miesiąc (pierwszy dzień)")
    payer_kind = models.CharField("płatnik", max_length=20, choices=_choices(CHARGE_PAYERS))
    payer_key = models.CharField("oznaczenie płatnika", max_length=40)
    payer_label = models.CharField("płatnik (opis)", max_length=200)
    amount = models.DecimalField("kwota", **_MONEY)
    paid = models.DecimalField("wpłacono", default=0, **_MONEY)
    budget = models.CharField("klasyfikacja budżetowa", max_length=60)
    created_at = models.DateTimeField("utworzono")
    # The receivable (``payments.Receivable`` pk) registered when the payer did not pay the
    # month's charge; unique — one receivable per charge (i.e. per stay, month and payer).
    receivable_id = models.BigIntegerField(
        "należność w rejestrze należności", null=True, blank=True
    )

    class Meta:
        verbose_name = "należność za pobyt"
        verbose_name_plural = "należności za pobyt"
        ordering = ["month", "stay", "payer_kind", "payer_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["stay", "month", "payer_key"], name="charge_once_per_payer_month"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="charge_non_negative"),
            models.CheckConstraint(condition=Q(paid__gte=0), name="charge_paid_non_negative"),
            models.UniqueConstraint(
                fields=["receivable_id"],
                condition=Q(receivable_id__isnull=False),
                name="charge_one_receivable",
            ),
        ]

    def __str__(self) -> str:
        return f"Należność {self.month:%m.%Y}: {self.payer_label}"

    @property
    def relative_index(self) -> int:
        """The relative's number in the arrangement (``krewny-N`` → N), 1-based."""
        return int(self.payer_key.rsplit("-", 1)[1])


class Night(models.Model):
    """One night (nocleg) in a night shelter or a warming room (art. 48a ust. 2–3 u.p.s.),
    given without a decision (art. 106 ust. 2). A guest may be unnamed (an anonymous label)."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="nights")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="nights")
    night = models.DateField("noc z dnia")
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    guest_label = models.CharField("osoba (bez danych w rejestrze)", max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "nocleg"
        verbose_name_plural = "noclegi"
        ordering = ["night", "place"]
        constraints = [
            models.UniqueConstraint(fields=["place", "night"], name="night_one_guest_per_place"),
            models.UniqueConstraint(
                fields=["facility", "night", "person"],
                condition=Q(person__isnull=False),
                name="night_person_once",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(guest_label=""), name="night_has_guest"
            ),
        ]

    def __str__(self) -> str:
        return f"Nocleg {self.night} — {self.facility}"

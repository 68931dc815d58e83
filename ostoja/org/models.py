"""The centre's organisation: units, staff, authorisations, the instance's identity."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from ostoja.core.concurrency import Versioned
from ostoja.org.choices import RelationKind, UnitKind


class Unit(Versioned):
    """A unit of the centre (komórka organizacyjna): department, team, care district…"""

    code = models.SlugField("kod", max_length=40, unique=True)
    name = models.CharField("nazwa", max_length=200)
    short_name = models.CharField("nazwa skrócona", max_length=60, blank=True)
    kind = models.CharField("rodzaj", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="jednostka nadrzędna",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    case_symbol = models.CharField(
        "symbol komórki (znak sprawy)",
        max_length=20,
        blank=True,
        help_text="Symbol komórki w znaku sprawy, np. RO-1.",
    )
    address = models.CharField("adres", max_length=200, blank=True)
    phone = models.CharField("telefon", max_length=60, blank=True)
    valid_from = models.DateField("działa od")
    valid_to = models.DateField(
        "działa do (wyłącznie)", null=True, blank=True, help_text="Pierwszy dzień bez jednostki."
    )

    class Meta:
        verbose_name = "jednostka"
        verbose_name_plural = "jednostki"
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_period",
            )
        ]

    def __str__(self) -> str:
        return self.name


class StaffMember(Versioned):
    """A staff account's place in the organisation (roles are the user's groups)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="jednostka", on_delete=models.PROTECT, related_name="staff"
    )
    position = models.CharField("stanowisko", max_length=120)
    phone = models.CharField("telefon służbowy", max_length=40, blank=True)

    class Meta:
        verbose_name = "pracownik"
        verbose_name_plural = "pracownicy"

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Authorisation(models.Model):
    """Upoważnienie: the right to issue decisions in the name of the Prezydent Miasta Kielce.

    art. 110 ust. 8 u.p.s. with art. 268a KPA. Never deleted: it expires (``valid_until``) or is
    revoked (``revoked_on``), and both stay in the register.
    """

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="upoważniony",
        on_delete=models.PROTECT,
        related_name="authorisations",
    )
    number = models.CharField("numer upoważnienia", max_length=60, unique=True)
    scope = models.JSONField("zakres spraw", default=list)
    valid_from = models.DateField("ważne od")
    valid_until = models.DateField(
        "ważne do (włącznie)", null=True, blank=True, help_text="Puste — bezterminowo."
    )
    granted_by = models.CharField("udzielający", max_length=200)
    granted_on = models.DateField("data udzielenia")
    legal_basis = models.CharField(
        "podstawa prawna",
        max_length=200,
        default="art. 110 ust. 8 ustawy o pomocy społecznej w zw. z art. 268a KPA",
    )
    revoked_on = models.DateField("odwołane z dniem", null=True, blank=True)
    revoked_reason = models.CharField("powód odwołania", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "upoważnienie"
        verbose_name_plural = "upoważnienia"
        ordering = ["-valid_from", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="authorisation_valid_period",
            )
        ]

    def __str__(self) -> str:
        return f"Upoważnienie nr {self.number}"


class RelationDeclaration(models.Model):
    """A staff member's declared relation with a person (oświadczenie o powiązaniu, art. 24 KPA).

    The person is named by PESEL (or, without one, by name and birth date), not by a link to the
    registry: a staff member must be able to declare a relative who is not (yet) a client, and
    declaring must not reveal whether someone is a client. The exclusion check matches these
    against the parties of a case. Never deleted: a declaration made by mistake is withdrawn
    with a reason, and both stay on record.
    """

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pracownik",
        on_delete=models.PROTECT,
        related_name="relation_declarations",
    )
    pesel = models.CharField("PESEL osoby", max_length=11, blank=True)
    first_name = models.CharField("imię osoby", max_length=80)
    last_name = models.CharField("nazwisko osoby", max_length=120)
    birth_date = models.DateField("data urodzenia osoby", null=True, blank=True)
    kind = models.CharField("rodzaj powiązania", max_length=30, choices=RelationKind.choices)
    since = models.DateField("powiązanie od dnia")
    declared_at = models.DateTimeField("złożono")
    withdrawn_on = models.DateField("wycofano z dniem", null=True, blank=True)
    withdrawn_reason = models.CharField("powód wycofania", max_length=300, blank=True)

    class Meta:
        verbose_name = "oświadczenie o powiązaniu ze stroną"
        verbose_name_plural = "oświadczenia o powiązaniach ze stronami"
        ordering = ["staff_id", "last_name", "first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(pesel="") | Q(birth_date__isnull=False),
                name="relation_person_identified",
            ),
            models.CheckConstraint(
                condition=Q(pesel="") | Q(pesel__regex=r"^[0-9]{11}$"),
                name="relation_pesel_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.first_name} {self.last_name}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class InstanceSettings(Versioned):
    """The centre's identity on letters and decisions; one row (pk=1), edited by the admin."""

    name = models.CharField("nazwa ośrodka", max_length=200)
    short_name = models.CharField("nazwa skrócona", max_length=40)
    street_address = models.CharField("ulica i numer", max_length=120)
    postal_code = models.CharField("kod pocztowy", max_length=6)
    city = models.CharField("miejscowość", max_length=80)
    nip = models.CharField("NIP", max_length=13, blank=True)
    regon = models.CharField("REGON", max_length=14, blank=True)
    teryt = models.CharField("TERYT gminy", max_length=7)
    bank_account = models.CharField("rachunek bankowy (NRB)", max_length=32, blank=True)
    phone = models.CharField("telefon", max_length=60, blank=True)
    email = models.EmailField("e-mail", blank=True)
    epuap = models.CharField("skrytka ePUAP", max_length=80, blank=True)
    director_name = models.CharField("dyrektor — imię i nazwisko", max_length=120)
    director_title = models.CharField("dyrektor — stanowisko", max_length=120, default="Dyrektor")
    authority = models.CharField("organ wydający decyzje", max_length=120)
    appeal_body = models.CharField("organ odwoławczy", max_length=200)
    appeal_body_address = models.CharField("adres organu odwoławczego", max_length=200, blank=True)

    class Meta:
        verbose_name = "ustawienia ośrodka"
        verbose_name_plural = "ustawienia ośrodka"

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A bearer token for integrations; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("początek tokenu", max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField("ostatnie użycie", null=True, blank=True)
    # Empty: the token lives OSTOJA_API_TOKEN_DAYS from ``created_at`` (see ``expires_on``).
    expires_at = models.DateTimeField("ważny do", null=True, blank=True)
    revoked_at = models.DateTimeField("unieważniony", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="unieważnił",
    )

    class Meta:
        verbose_name = "token API"
        verbose_name_plural = "tokeny API"

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @property
    def expires_on(self) -> datetime:
        """The end of the token's life: explicit, or the configured lifetime from creation."""
        if self.expires_at is not None:
            return self.expires_at
        return self.created_at + timedelta(days=settings.OSTOJA_API_TOKEN_DAYS)

    def is_usable(self, *, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_on and self.user.is_active


class RoleChangeStatus(models.TextChoices):
    PENDING = "oczekuje", "czeka na potwierdzenie"
    CONFIRMED = "potwierdzona", "potwierdzona"
    REJECTED = "odrzucona", "odrzucona"


class RoleChange(models.Model):
    """Zmiana ról pracownika (nadanie lub odebranie roli) — the two-person rule.

    An administrator asks; a second administrator or the director confirms (never the one who
    asked, never the person concerned). Until then the account keeps its roles. Issue 20: the
    administrator could grant itself a client-facing role.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="role_changes",
        verbose_name="pracownik",
    )
    roles_before = models.JSONField("role przed zmianą", default=list)
    roles_after = models.JSONField("role po zmianie", default=list)
    # A move to another unit and the reactivation of a deactivated account widen access as a
    # role grant does, so they wait for the second person too (review after issue 20).
    unit_before = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="jednostka przed zmianą",
    )
    unit_after = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="jednostka po zmianie",
    )
    reactivate = models.BooleanField("przywrócenie dostępu do konta", default=False)
    status = models.CharField(
        "stan", max_length=20, choices=RoleChangeStatus.choices, default=RoleChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="wnioskujący",
    )
    requested_at = models.DateTimeField("złożono")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="rozstrzygnął",
    )
    decided_at = models.DateTimeField("rozstrzygnięto", null=True, blank=True)

    class Meta:
        verbose_name = "zmiana ról pracownika"
        verbose_name_plural = "zmiany ról pracowników"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="oczekuje"),
                name="org_one_pending_role_change",
            )
        ]

    def __str__(self) -> str:
        return f"Zmiana ról {self.user} ({self.get_status_display()})"

    @property
    def moves_unit(self) -> bool:
        return self.unit_after_id is not None and self.unit_after_id != self.unit_before_id

"""Clients of the centre: persons, households (rodzina, art. 6 u.p.s.), incomes, streets.

Thin models: fields and constraints. Rules live in ``services.py``; reads in ``selectors.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from ostoja.core.concurrency import Versioned
from ostoja.law.codes import DISABILITY_DEGREES, INCOME_KINDS, RESIDENCE_TITLES, ROLES, SEXES

KIELCE = "Kielce"


class Street(models.Model):
    """A street of Kielce from the GUS TERYT ULIC register (SYM_UL within SIMC 0945930)."""

    sym_ul = models.CharField("identyfikator ULIC (SYM_UL)", max_length=5, unique=True)
    cecha = models.CharField("rodzaj", max_length=10, blank=True)
    name_1 = models.CharField("nazwa główna", max_length=120)
    name_2 = models.CharField("nazwa dodatkowa", max_length=120, blank=True)
    full_name = models.CharField("pełna nazwa", max_length=250)
    postal_codes = models.CharField(
        "kody pocztowe (nieurzędowe)", max_length=200, blank=True, help_text="Rozdzielone „|”."
    )
    stan_na = models.DateField("stan na", null=True, blank=True)
    active = models.BooleanField("obowiązuje", default=True)
    search_key = models.CharField(max_length=250, db_index=True, editable=False)

    class Meta:
        verbose_name = "ulica"
        verbose_name_plural = "ulice"
        ordering = ["name_1", "name_2", "sym_ul"]

    def __str__(self) -> str:
        return self.full_name or self.name_1


class StreetDistrict(models.Model):
    """Street → care district (rejon opiekuńczy); optionally only a range of house numbers."""

    street = models.ForeignKey(
        Street, verbose_name="ulica", on_delete=models.CASCADE, related_name="districts"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="rejon opiekuńczy", on_delete=models.PROTECT, related_name="+"
    )
    number_from = models.PositiveIntegerField("od numeru", null=True, blank=True)
    number_to = models.PositiveIntegerField("do numeru (włącznie)", null=True, blank=True)

    class Meta:
        verbose_name = "przypisanie ulicy do rejonu"
        verbose_name_plural = "przypisania ulic do rejonów"
        ordering = ["street__name_1", "number_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["street"],
                condition=Q(number_from__isnull=True, number_to__isnull=True),
                name="street_district_whole_street_once",
            ),
            models.CheckConstraint(
                condition=Q(number_from__isnull=True)
                | Q(number_to__isnull=True)
                | Q(number_to__gte=models.F("number_from")),
                name="street_district_range_order",
            ),
        ]

    def __str__(self) -> str:
        if self.number_from is None and self.number_to is None:
            return f"{self.street} → {self.unit}"
        return f"{self.street} {self.number_from or ''}–{self.number_to or ''} → {self.unit}"


class Person(Versioned):
    """A client or a member of a client's household."""

    first_name = models.CharField("imię", max_length=80)
    second_name = models.CharField("drugie imię", max_length=80, blank=True)
    last_name = models.CharField("nazwisko", max_length=120)
    search_key = models.CharField(
        "klucz wyszukiwania", max_length=250, db_index=True, editable=False
    )
    pesel = models.CharField("PESEL", max_length=11, null=True, blank=True, unique=True)
    birth_date = models.DateField("data urodzenia")
    sex = models.CharField("płeć", max_length=1, choices=list(SEXES.items()))
    id_document_type = models.CharField("rodzaj dokumentu tożsamości", max_length=40, blank=True)
    id_document_number = models.CharField("numer dokumentu", max_length=40, blank=True)
    citizenship = models.CharField("obywatelstwo", max_length=60, default="polskie")
    residence_title = models.CharField(
        "tytuł pobytu (art. 5 u.p.s.)",
        max_length=40,
        choices=list(RESIDENCE_TITLES.items()),
        default="obywatel_pl",
    )
    # registered address (adres zameldowania)
    reg_street = models.ForeignKey(
        Street,
        verbose_name="ulica (zameldowanie)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reg_street_text = models.CharField(
        "ulica poza Kielcami (zameldowanie)", max_length=120, blank=True
    )
    reg_house = models.CharField("nr domu (zameldowanie)", max_length=12, blank=True)
    reg_flat = models.CharField("nr lokalu (zameldowanie)", max_length=12, blank=True)
    reg_postal_code = models.CharField("kod pocztowy (zameldowanie)", max_length=6, blank=True)
    reg_city = models.CharField("miejscowość (zameldowanie)", max_length=80, blank=True)
    # actual address (adres zamieszkania)
    homeless = models.BooleanField("osoba bezdomna (bez adresu zamieszkania)", default=False)
    act_place = models.CharField(
        "miejsce pobytu osoby bezdomnej",
        max_length=200,
        blank=True,
        help_text="Np. noclegownia przy ul. Mielczarskiego 51, altana przy ul. …",
    )
    act_street = models.ForeignKey(
        Street,
        verbose_name="ulica",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    act_street_text = models.CharField("ulica poza Kielcami", max_length=120, blank=True)
    act_house = models.CharField("nr domu", max_length=12, blank=True)
    act_flat = models.CharField("nr lokalu", max_length=12, blank=True)
    act_postal_code = models.CharField("kod pocztowy", max_length=6, blank=True)
    act_city = models.CharField("miejscowość", max_length=80, default=KIELCE, blank=True)
    outside_kielce = models.BooleanField("adres zamieszkania poza Kielcami", default=False)
    address_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    phone = models.CharField("telefon", max_length=40, blank=True)
    email = models.EmailField("e-mail", blank=True)
    disability_degree = models.CharField(
        "stopień niepełnosprawności",
        max_length=12,
        blank=True,
        choices=list(DISABILITY_DEGREES.items()),
    )
    disability_valid_until = models.DateField(
        "orzeczenie ważne do", null=True, blank=True, help_text="Puste — bezterminowo."
    )
    incapacity_for_work = models.BooleanField(
        "całkowita niezdolność do pracy (orzeczenie)", default=False
    )
    insured_elsewhere = models.BooleanField(
        "ubezpieczenie zdrowotne z innego tytułu", default=False
    )
    date_of_death = models.DateField("data zgonu", null=True, blank=True)
    registered_by_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="zarejestrowana przez",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="scalona z",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_duplicates",
    )
    merged_at = models.DateTimeField("data scalenia", null=True, blank=True)
    created_at = models.DateTimeField("utworzono", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "osoba"
        verbose_name_plural = "osoby"
        ordering = ["search_key", "pk"]
        indexes = [models.Index(fields=["search_key", "birth_date"], name="person_name_birth")]
        constraints = [
            models.CheckConstraint(
                condition=Q(pesel__isnull=True) | Q(pesel__regex=r"^[0-9]{11}$"),
                name="person_pesel_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.second_name, self.last_name) if p)

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def get_additional_data(self) -> dict[str, int]:
        return {"person_id": self.pk}

    @property
    def address_display(self) -> str:
        if self.homeless:
            return f"bezdomna — {self.act_place}" if self.act_place else "bezdomna"
        return format_address(
            street=str(self.act_street) if self.act_street_id else self.act_street_text,
            house=self.act_house,
            flat=self.act_flat,
            postal_code=self.act_postal_code,
            city=self.act_city,
        )

    @property
    def registered_address_display(self) -> str:
        return format_address(
            street=str(self.reg_street) if self.reg_street_id else self.reg_street_text,
            house=self.reg_house,
            flat=self.reg_flat,
            postal_code=self.reg_postal_code,
            city=self.reg_city,
        )


def format_address(*, street: str, house: str, flat: str, postal_code: str, city: str) -> str:
    line = street or ""
    if house:
        line = f"{line} {house}".strip()
        if flat:
            line += f"/{flat}"
    place = " ".join(p for p in (postal_code, city) if p)
    return ", ".join(p for p in (line, place) if p)


class Household(Versioned):
    """Rodzina (art. 6 pkt 14 u.p.s.) or a person keeping house alone; members are dated."""

    name = models.CharField("nazwa", max_length=160, help_text="Np. „Rodzina Nowaków”.")
    note = models.TextField("uwagi", blank=True)
    registered_by_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="zarejestrowana przez",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("utworzono", auto_now_add=True)

    class Meta:
        verbose_name = "gospodarstwo domowe (rodzina)"
        verbose_name_plural = "gospodarstwa domowe (rodziny)"
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class HouseholdMembership(models.Model):
    """A person's membership of a household in ``[valid_from, valid_to)`` — never overwritten:
    a change ends the row (``valid_to``) and starts a new one."""

    household = models.ForeignKey(
        Household, verbose_name="rodzina", on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name="osoba", on_delete=models.PROTECT, related_name="memberships"
    )
    relation = models.CharField(
        "stosunek do wnioskodawcy", max_length=20, choices=list(ROLES.items())
    )
    valid_from = models.DateField("od dnia")
    valid_to = models.DateField(
        "do dnia (wyłącznie)", null=True, blank=True, help_text="Pierwszy dzień poza rodziną."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "członkostwo w rodzinie"
        verbose_name_plural = "członkostwa w rodzinach"
        ordering = ["valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="membership_valid_period",
            ),
            # At most one open membership per person (the service checks closed overlaps too).
            models.UniqueConstraint(
                fields=["person"], condition=Q(valid_to__isnull=True), name="membership_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} w {self.household}"

    def get_additional_data(self) -> dict[str, int]:
        return {"person_id": self.person_id}


class Income(models.Model):
    """One income item of a person for a month (art. 8 ust. 3 u.p.s.), as the law core reads it."""

    person = models.ForeignKey(
        Person, verbose_name="osoba", on_delete=models.PROTECT, related_name="incomes"
    )
    month = models.DateField("miesiąc", help_text="Pierwszy dzień miesiąca.")
    kind = models.CharField("rodzaj dochodu", max_length=40, choices=list(INCOME_KINDS.items()))
    amount = models.DecimalField(
        "kwota netto", max_digits=12, decimal_places=2, null=True, blank=True
    )
    gross = models.DecimalField("brutto", max_digits=12, decimal_places=2, null=True, blank=True)
    tax = models.DecimalField("podatek", max_digits=12, decimal_places=2, null=True, blank=True)
    social = models.DecimalField(
        "składki społeczne", max_digits=12, decimal_places=2, null=True, blank=True
    )
    health = models.DecimalField(
        "składka zdrowotna", max_digits=12, decimal_places=2, null=True, blank=True
    )
    revenue = models.DecimalField(
        "przychód", max_digits=12, decimal_places=2, null=True, blank=True
    )
    costs = models.DecimalField("koszty", max_digits=12, decimal_places=2, null=True, blank=True)
    hectares = models.DecimalField(
        "hektary przeliczeniowe", max_digits=10, decimal_places=4, null=True, blank=True
    )
    # Issue 22: a one-off income paid in ``month`` (art. 8 ust. 11 u.p.s.) or an income received
    # at once for the months ``period_from``–``period_to`` (art. 8 ust. 12); first days of months.
    one_off = models.BooleanField("dochód jednorazowy", default=False)
    period_from = models.DateField("za okres od", null=True, blank=True)
    period_to = models.DateField("za okres do", null=True, blank=True)
    proof = models.CharField("dokument potwierdzający", max_length=200, blank=True)
    created_at = models.DateTimeField("wprowadzono", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "dochód"
        verbose_name_plural = "dochody"
        ordering = ["-month", "kind", "pk"]
        indexes = [models.Index(fields=["person", "month"], name="income_person_month")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="income_amount_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(gross__isnull=True) | Q(gross__gte=0), name="income_gross_nonneg"
            ),
            models.CheckConstraint(
                condition=Q(revenue__isnull=True) | Q(revenue__gte=0),
                name="income_revenue_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(hectares__isnull=True) | Q(hectares__gte=0),
                name="income_hectares_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%Y-%m}"

    def get_additional_data(self) -> dict[str, int]:
        return {"person_id": self.person_id}

    def as_law_item(self) -> dict[str, Any]:
        """The item as the law core's request document expects it (decimal strings)."""
        item: dict[str, Any] = {"kind": self.kind}
        for field in ("amount", "gross", "tax", "social", "health", "revenue", "costs", "hectares"):
            value = getattr(self, field)
            if value is not None:
                item[field] = str(value)
        if self.one_off:
            item["one_off"] = True
            item["received"] = f"{self.month:%Y-%m}"
        if self.period_from is not None:
            item["period_from"] = f"{self.period_from:%Y-%m}"
            item["period_to"] = f"{(self.period_to or self.period_from):%Y-%m}"
        return item

"""Models of cooperation (*współpraca*): partners, commissioned tasks and grants, referrals with
feedback, programmes, self-help groups and volunteers. Thin: fields and constraints; the rules
live in ``services.py`` and the law core (``ostoja.law.food_aid``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ostoja.core.concurrency import Versioned

MONEY = {"max_digits": 12, "decimal_places": 2}


class LegalForm(models.TextChoices):
    ASSOCIATION = "stowarzyszenie", "Stowarzyszenie"
    FOUNDATION = "fundacja", "Fundacja"
    CHURCH = "koscielna", "Kościelna osoba prawna lub jednostka organizacyjna"
    SOCIAL_COOPERATIVE = "spoldzielnia_socjalna", "Spółdzielnia socjalna"
    EMPLOYER = "pracodawca", "Pracodawca"
    PUBLIC_UNIT = "jednostka_publiczna", "Jednostka sektora publicznego"
    OTHER = "inna", "Inna organizacja"


class PartnerRole(models.TextChoices):
    """Roles of a partner towards the centre (reporting.md §4.7)."""

    SERVICE_PROVIDER = "uslugodawca", "Realizator usług"
    FOOD_AID = "pomoc_zywnosciowa", "Organizacja partnerska pomocy żywnościowej (OPL/OPR)"
    COMMUNITY_WORK = "prace_spoleczne", "Organizator prac społecznie użytecznych"
    CIS_KIS = "cis_kis", "Centrum lub klub integracji społecznej (CIS/KIS)"
    VOLUNTEERS = "wolontariusze", "Źródło wolontariuszy"
    EMPLOYER = "pracodawca", "Pracodawca"
    COUNSELLING = "poradnictwo", "Poradnictwo specjalistyczne"


class Partner(Versioned):
    """A cooperation partner (*partner współpracy*): NGO (art. 3 ust. 2 u.d.p.p.), church body
    (art. 3 ust. 3 u.d.p.p.), social cooperative, employer or public unit."""

    name = models.CharField("nazwa", max_length=250)
    short_name = models.CharField("nazwa skrócona", max_length=80, blank=True)
    legal_form = models.CharField("forma prawna", max_length=30, choices=LegalForm.choices)
    krs = models.CharField("numer KRS", max_length=10, blank=True)
    regon = models.CharField("REGON", max_length=14, blank=True)
    nip = models.CharField("NIP", max_length=10, blank=True)
    public_benefit_status = models.BooleanField(
        "status organizacji pożytku publicznego", default=False
    )
    roles = models.JSONField("role", default=list)
    address = models.CharField("adres", max_length=250, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefon", max_length=40, blank=True)
    notes = models.TextField("uwagi", blank=True)
    active_from = models.DateField("współpraca od")
    active_to = models.DateField("współpraca do (wyłącznie)", null=True, blank=True)
    created_at = models.DateTimeField("utworzono")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = "partner"
        verbose_name_plural = "partnerzy"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["krs"], condition=~Q(krs=""), name="partners_partner_unique_krs"
            ),
            models.UniqueConstraint(
                fields=["nip"], condition=~Q(nip=""), name="partners_partner_unique_nip"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def role_labels(self) -> list[str]:
        labels = dict(PartnerRole.choices)
        return [labels.get(r, r) for r in self.roles]


class Contact(models.Model):
    """A contact person at a partner (*osoba do kontaktu*)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("imię i nazwisko", max_length=160)
    function = models.CharField("funkcja", max_length=120, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefon", max_length=40, blank=True)

    class Meta:
        verbose_name = "osoba do kontaktu"
        verbose_name_plural = "osoby do kontaktu"

    def __str__(self) -> str:
        return self.name


class CooperationAgreement(models.Model):
    """An agreement with a partner (*porozumienie / umowa o współpracy*), valid in a half-open
    period ``[valid_from, valid_to)``."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="agreements")
    number = models.CharField("numer", max_length=60)
    subject = models.CharField("przedmiot", max_length=250)
    valid_from = models.DateField("obowiązuje od")
    valid_to = models.DateField("obowiązuje do (wyłącznie)", null=True, blank=True)
    signed_on = models.DateField("data zawarcia")

    class Meta:
        verbose_name = "porozumienie o współpracy"
        verbose_name_plural = "porozumienia o współpracy"
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="partners_agreement_period",
            )
        ]

    def __str__(self) -> str:
        return self.number


class PartnerUser(models.Model):
    """An account of a partner's employee (*konto partnera*): sees only referrals addressed to
    its partner, without PESEL and case history."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_link"
    )
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="users")
    # The two-person rule (as for staff roles, ``org.RoleChange``): an administrator asks for
    # the account, a second administrator or the director confirms it; until then it is inactive.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
        blank=True, verbose_name="wnioskował",
    )  # fmt: skip
    requested_at = models.DateTimeField("data wniosku", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
        blank=True, verbose_name="potwierdził",
    )  # fmt: skip
    confirmed_at = models.DateTimeField("data potwierdzenia", null=True, blank=True)

    class Meta:
        verbose_name = "konto partnera"
        verbose_name_plural = "konta partnerów"

    def __str__(self) -> str:
        return f"{self.user} — {self.partner}"


# ------------------------------------------------------------------ commissioned tasks, grants


class CallMode(models.TextChoices):
    ENTRUST = "powierzenie", "Powierzenie (art. 11 ust. 1 pkt 1 u.d.p.p.)"
    SUPPORT = "wsparcie", "Wspieranie (art. 11 ust. 1 pkt 2 u.d.p.p.)"
    SMALL_GRANT = "art19a", "Mały grant — tryb pozakonkursowy (art. 19a u.d.p.p.)"


class CallStatus(models.TextChoices):
    PUBLISHED = "ogloszony", "Ogłoszony"
    DECIDED = "rozstrzygniety", "Rozstrzygnięty"


class Call(models.Model):
    """An open contest (*otwarty konkurs ofert*, art. 13 u.d.p.p.) or a small-grant publication
    (art. 19a u.d.p.p.) for a task commissioned under art. 25 u.p.s."""

    number = models.CharField("numer", max_length=60, unique=True)
    title = models.CharField("zadanie publiczne", max_length=250)
    mode = models.CharField("tryb", max_length=20, choices=CallMode.choices)
    budget = models.DecimalField("wysokość środków publicznych", **MONEY)
    chapter = models.CharField("rozdział klasyfikacji budżetowej", max_length=5)
    paragraph = models.CharField("paragraf", max_length=4, default="2360")
    published_on = models.DateField("data ogłoszenia")
    offers_until = models.DateField("termin składania ofert")
    task_from = models.DateField("realizacja od")
    task_to = models.DateField("realizacja do (włącznie)")
    status = models.CharField(
        "stan", max_length=20, choices=CallStatus.choices, default=CallStatus.PUBLISHED
    )
    decided_on = models.DateField("data rozstrzygnięcia", null=True, blank=True)

    class Meta:
        verbose_name = "konkurs ofert"
        verbose_name_plural = "konkursy ofert"
        ordering = ["-published_on"]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class Offer(models.Model):
    """A partner's offer in a call, with its assessment (*ocena formalna i merytoryczna*)."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="offers")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="offers")
    submitted_on = models.DateField("data złożenia")
    requested = models.DecimalField("wnioskowana kwota dotacji", **MONEY)
    own_contribution = models.DecimalField("wkład własny", default=0, **MONEY)
    score = models.DecimalField("ocena (punkty)", max_digits=5, decimal_places=1, null=True)
    assessed_on = models.DateField("data oceny", null=True, blank=True)
    selected = models.BooleanField("wybrana", default=False)
    awarded = models.DecimalField("przyznana kwota", null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = "oferta"
        verbose_name_plural = "oferty"
        constraints = [
            models.UniqueConstraint(fields=["call", "partner"], name="partners_offer_once"),
            models.CheckConstraint(condition=Q(requested__gt=0), name="partners_offer_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.call.number}"


class GrantStatus(models.TextChoices):
    SIGNED = "zawarta", "Umowa zawarta"
    SETTLED = "rozliczona", "Rozliczona"


class GrantAgreement(Versioned):
    """The grant agreement (*umowa o wsparcie/powierzenie realizacji zadania publicznego*)."""

    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="agreement")
    number = models.CharField("numer umowy", max_length=60, unique=True)
    amount = models.DecimalField("kwota dotacji", **MONEY)
    signed_on = models.DateField("data zawarcia")
    report_due = models.DateField("termin sprawozdania końcowego")
    status = models.CharField(
        "stan", max_length=20, choices=GrantStatus.choices, default=GrantStatus.SIGNED
    )
    spent = models.DecimalField("wydatkowano z dotacji", null=True, blank=True, **MONEY)
    to_return = models.DecimalField("do zwrotu", null=True, blank=True, **MONEY)
    returned_on = models.DateField("data zwrotu", null=True, blank=True)
    settled_on = models.DateField("data rozliczenia", null=True, blank=True)

    class Meta:
        verbose_name = "umowa dotacji"
        verbose_name_plural = "umowy dotacji"
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="partners_grant_positive"),
            models.CheckConstraint(
                condition=Q(to_return__isnull=True) | Q(to_return__gte=0),
                name="partners_grant_return_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Instalment(models.Model):
    """A tranche of the grant (*transza dotacji*) paid from the budget line."""

    agreement = models.ForeignKey(
        GrantAgreement, on_delete=models.PROTECT, related_name="instalments"
    )
    number = models.PositiveSmallIntegerField("numer transzy")
    amount = models.DecimalField("kwota", **MONEY)
    due_on = models.DateField("termin przekazania")
    paid_on = models.DateField("przekazano", null=True, blank=True)

    class Meta:
        verbose_name = "transza"
        verbose_name_plural = "transze"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="partners_instalment_no"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="partners_instalment_pos"),
        ]

    def __str__(self) -> str:
        return f"transza {self.number}"


class ReportKind(models.TextChoices):
    PARTIAL = "czesciowe", "Sprawozdanie częściowe"
    FINAL = "koncowe", "Sprawozdanie końcowe"


class GrantReport(models.Model):
    """The partner's report (*sprawozdanie z wykonania zadania publicznego*)."""

    agreement = models.ForeignKey(GrantAgreement, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField("rodzaj", max_length=20, choices=ReportKind.choices)
    received_on = models.DateField("data wpływu")
    spent = models.DecimalField("wydatki z dotacji wg sprawozdania", **MONEY)
    results = models.TextField("osiągnięte rezultaty")
    beneficiaries = models.PositiveIntegerField("liczba odbiorców", default=0)
    accepted_on = models.DateField("zatwierdzono", null=True, blank=True)

    class Meta:
        verbose_name = "sprawozdanie"
        verbose_name_plural = "sprawozdania"
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%d.%m.%Y}"


# ------------------------------------------------------------------ referrals


class ReferralService(models.TextChoices):
    FOOD_AID = "pomoc_zywnosciowa", "Pomoc żywnościowa (FEPŻ)"
    CIS = "cis", "Centrum integracji społecznej"
    KIS = "kis", "Klub integracji społecznej"
    COMMUNITY_WORK = "prace_spoleczne", "Prace społecznie użyteczne"
    EMPLOYER = "pracodawca", "Oferta pracodawcy"
    COUNSELLING = "poradnictwo", "Poradnictwo specjalistyczne"
    SHELTER = "schronienie", "Schronienie"
    SENIOR_CLUB = "klub_seniora", "Klub seniora"


class ReferralStatus(models.TextChoices):
    ISSUED = "wydane", "Wydane — czeka na odpowiedź partnera"
    ACCEPTED = "przyjete", "Przyjęte przez partnera"
    REFUSED = "odmowa", "Partner odmówił"
    COMPLETED = "zakonczone", "Zakończone"
    DROPPED = "przerwane", "Przerwane"


class Referral(Versioned):
    """A client's referral to a partner (*skierowanie*) with the partner's answer and outcome.

    Not an administrative decision: the referral is a document of the OPS; its answer and
    outcome come back on the family's case file timeline."""

    number = models.CharField("numer", max_length=40, unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals")
    service = models.CharField("forma wsparcia", max_length=30, choices=ReferralService.choices)
    reason = models.CharField("powód (art. 7 u.p.s.)", max_length=250)
    issued_on = models.DateField("data wystawienia")
    valid_from = models.DateField("ważne od")
    valid_to = models.DateField("ważne do (wyłącznie)")
    hours_planned = models.PositiveIntegerField("planowana liczba godzin", null=True, blank=True)
    household_size = models.PositiveSmallIntegerField("liczba osób w gospodarstwie", default=1)
    monthly_income = models.DecimalField(
        "dochód gospodarstwa (miesięcznie)", null=True, blank=True, **MONEY
    )
    eligibility_trace = models.JSONField("uzasadnienie progu", default=list, blank=True)
    status = models.CharField(
        "stan", max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.ISSUED
    )
    answered_on = models.DateField("data odpowiedzi partnera", null=True, blank=True)
    answer_note = models.CharField("odpowiedź partnera", max_length=500, blank=True)
    outcome_on = models.DateField("data wyniku", null=True, blank=True)
    outcome = models.CharField("wynik", max_length=500, blank=True)
    hours_done = models.PositiveIntegerField("przepracowane godziny", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "skierowanie"
        verbose_name_plural = "skierowania"
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gt=models.F("valid_from")), name="partners_referral_period"
            )
        ]

    def get_additional_data(self) -> dict[str, int]:
        return {"case_id": self.case_id}

    def __str__(self) -> str:
        return self.number


# ------------------------------------------------------------------ programmes, self-help


class ProgrammeKind(models.TextChoices):
    NATIONAL = "rzadowy", "Program rządowy"
    LOCAL = "lokalny", "Program lokalny"
    EU = "ue", "Projekt unijny"
    SELF_HELP = "samopomoc", "Grupa samopomocowa"
    SENIOR_CLUB = "klub_seniora", "Klub seniora"


class Programme(Versioned):
    """A programme edition or project (*program / projekt*), a self-help group or a senior club.

    ``need_reference`` links a need identified in the analysis (OZPS, strategy indicator code,
    art. 16a u.p.s.) that gave rise to it; ``target`` and ``baseline`` measure its results."""

    name = models.CharField("nazwa", max_length=250)
    kind = models.CharField("rodzaj", max_length=20, choices=ProgrammeKind.choices)
    edition_year = models.PositiveSmallIntegerField("edycja (rok)")
    funding_source = models.CharField("źródło finansowania", max_length=250)
    budget = models.DecimalField("budżet", default=0, **MONEY)
    grant_percent = models.DecimalField(
        "udział dotacji (%)", max_digits=5, decimal_places=2, default=0
    )
    min_age = models.PositiveSmallIntegerField("wiek co najmniej", null=True, blank=True)
    requires_disability = models.BooleanField(
        "wymaga orzeczenia o niepełnosprawności", default=False
    )
    hours_limit = models.PositiveIntegerField("limit godzin na osobę w roku", null=True, blank=True)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="programmes"
    )
    valid_from = models.DateField("od")
    valid_to = models.DateField("do (wyłącznie)")
    need_reference = models.CharField("potrzeba z analizy (wskaźnik)", max_length=120, blank=True)
    indicator = models.CharField("miernik rezultatu", max_length=250, blank=True)
    baseline = models.DecimalField("wartość wyjściowa", null=True, blank=True, **MONEY)
    target = models.DecimalField("wartość docelowa", null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = "program"
        verbose_name_plural = "programy"
        ordering = ["-edition_year", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.edition_year})"


class Participant(models.Model):
    """Enrolment in a programme (*uczestnik*, karta zgłoszenia)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    enrolled_on = models.DateField("data przyjęcia")
    left_on = models.DateField("data zakończenia udziału", null=True, blank=True)
    has_disability_certificate = models.BooleanField(
        "orzeczenie o niepełnosprawności", default=False
    )
    result_achieved = models.BooleanField("rezultat osiągnięty", default=False)

    class Meta:
        verbose_name = "uczestnik programu"
        verbose_name_plural = "uczestnicy programu"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "person"], name="partners_participant_once"
            )
        ]

    def __str__(self) -> str:
        return f"uczestnik #{self.pk}"


class ServiceDelivery(models.Model):
    """One service delivered in a programme (*rejestr usług*): date, hours, provider, cost."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="services")
    delivered_on = models.DateField("data")
    hours = models.DecimalField("godziny", max_digits=5, decimal_places=2)
    activity = models.CharField("rodzaj usługi", max_length=160)
    cost = models.DecimalField("koszt", default=0, **MONEY)
    volunteer = models.ForeignKey(
        "Volunteer", on_delete=models.PROTECT, null=True, blank=True, related_name="services"
    )

    class Meta:
        verbose_name = "usługa"
        verbose_name_plural = "usługi"
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="partners_service_hours_pos")
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.delivered_on:%d.%m.%Y}"


class Volunteer(models.Model):
    """A volunteer (*wolontariusz*, art. 42–46 u.d.p.p.) with the agreement (*porozumienie*)."""

    name = models.CharField("imię i nazwisko", max_length=160)
    source = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="volunteers"
    )
    agreement_number = models.CharField("numer porozumienia", max_length=60)
    agreement_from = models.DateField("porozumienie od")
    agreement_to = models.DateField("porozumienie do (wyłącznie)", null=True, blank=True)
    scope = models.CharField("zakres świadczeń", max_length=250)

    class Meta:
        verbose_name = "wolontariusz"
        verbose_name_plural = "wolontariusze"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

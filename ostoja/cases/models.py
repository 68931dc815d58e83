"""Case files (teczka rodziny), applications (wnioski), community interviews (RWŚ),
calculation snapshots and the case timeline that other contexts write to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ostoja.core.concurrency import Versioned
from ostoja.law.codes import BENEFITS


class Channel(models.TextChoices):
    IN_PERSON = "osobiscie", "osobiście"
    POST = "poczta", "poczta"
    EPUAP = "epuap", "ePUAP / e-Doręczenia"
    EMPATIA = "empatia", "Emp@tia"
    EX_OFFICIO = "z_urzedu", "z urzędu"


class ApplicationStatus(models.TextChoices):
    REGISTERED = "zarejestrowany", "zarejestrowany"
    INTERVIEW_PLANNED = "wywiad_zaplanowany", "wywiad zaplanowany"
    INTERVIEW_DONE = "wywiad_przeprowadzony", "wywiad przeprowadzony"
    READY = "gotowy_do_decyzji", "gotowy do decyzji"
    CLOSED = "zakonczony", "zakończony"
    FORWARDED = "przekazany", "przekazany wg właściwości (art. 101 u.p.s.)"
    LEFT = "pozostawiony_bez_rozpoznania", "pozostawiony bez rozpoznania"


OPEN_STATUSES = (
    ApplicationStatus.REGISTERED,
    ApplicationStatus.INTERVIEW_PLANNED,
    ApplicationStatus.INTERVIEW_DONE,
    ApplicationStatus.READY,
)

# Art. 7 u.p.s. (t.j. Dz.U. 2023 poz. 901; pkt 10 uchylony) — a multi-valued code list.
ART7_REASONS: dict[str, str] = {
    "1": "ubóstwo",
    "2": "sieroctwo",
    "3": "bezdomność",
    "4": "bezrobocie",
    "5": "niepełnosprawność",
    "6": "długotrwała lub ciężka choroba",
    "7": "przemoc domowa",
    "7a": "potrzeba ochrony ofiar handlu ludźmi",
    "8": "potrzeba ochrony macierzyństwa lub wielodzietności",
    "9": "bezradność w sprawach opiekuńczo-wychowawczych i prowadzenia gospodarstwa domowego",
    "11": "trudności w integracji cudzoziemców",
    "12": "trudności w przystosowaniu do życia po zwolnieniu z zakładu karnego",
    "13": "alkoholizm lub narkomania",
    "14": "zdarzenie losowe i sytuacja kryzysowa",
    "15": "klęska żywiołowa lub ekologiczna",
    "inne": "inne okoliczności",
}

# Forms of help a person may ask for (art. 36 u.p.s.); benefit codes match the law core.
HELP_FORMS: dict[str, str] = {
    "zasilek_staly": "zasiłek stały",
    "zasilek_okresowy": "zasiłek okresowy",
    "zasilek_celowy": "zasiłek celowy",
    "specjalny_zasilek_celowy": "specjalny zasiłek celowy",
    "zasilek_celowy_zdarzenie_losowe": "zasiłek celowy — zdarzenie losowe",
    "posilek": "posiłek",
    "uslugi_opiekuncze": "usługi opiekuńcze",
    "specjalistyczne_uslugi_opiekuncze_zaburzenia": "specjalistyczne usługi opiekuńcze",
    "oplata_dps": "skierowanie do domu pomocy społecznej",
    "schronienie": "schronienie",
    "praca_socjalna": "praca socjalna",
    "poradnictwo": "poradnictwo specjalistyczne",
    "inne": "inna forma pomocy",
}


class FilingClass(models.Model):
    """A class of the centre's filing list (JRWA) — loaded as data, never hard-coded."""

    symbol = models.CharField("symbol klasyfikacyjny", max_length=10, unique=True)
    heading = models.CharField("hasło klasyfikacyjne", max_length=250)
    category = models.CharField("kategoria archiwalna", max_length=10, default="B10")
    other_category = models.CharField("kategoria w innych komórkach", max_length=10, blank=True)
    for_applications = models.BooleanField("dla wniosków o pomoc", default=False)
    valid_from = models.DateField("obowiązuje od")
    valid_to = models.DateField("obowiązuje do (wyłącznie)", null=True, blank=True)

    class Meta:
        verbose_name = "klasa wykazu akt (JRWA)"
        verbose_name_plural = "wykaz akt (JRWA)"
        ordering = ["symbol"]

    def __str__(self) -> str:
        return f"{self.symbol} {self.heading}"


class ReferenceCounter(models.Model):
    """The last case number used per unit, JRWA class and year (spis spraw); locked on use."""

    unit_symbol = models.CharField(max_length=20)
    filing_symbol = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "licznik spisu spraw"
        verbose_name_plural = "liczniki spisów spraw"
        constraints = [
            models.UniqueConstraint(
                fields=["unit_symbol", "filing_symbol", "year"], name="reference_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_symbol}.{self.filing_symbol}.{self.year}: {self.last_number}"


class Case(Versioned):
    """The family's file (teczka): one per household, held by a care district."""

    household = models.OneToOneField(
        "registry.Household",
        verbose_name="rodzina",
        on_delete=models.PROTECT,
        related_name="case",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="jednostka (rejon)", on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pracownik socjalny",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    protected = models.BooleanField("sprawa chroniona", default=False)
    ongoing_help = models.BooleanField(
        "świadczenia ciągłe (aktualizacja wywiadu co 6 mies.)", default=False
    )
    opened_on = models.DateField("data założenia")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sprawa rodziny"
        verbose_name_plural = "sprawy rodzin"
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"Sprawa: {self.household}"

    def get_additional_data(self) -> dict[str, int]:
        return {"household_id": self.household_id}


class Application(Versioned):
    """A wniosek (or a start ex officio) with its case reference (znak sprawy)."""

    case = models.ForeignKey(
        Case, verbose_name="sprawa", on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        "registry.Person",
        verbose_name="wnioskodawca",
        on_delete=models.PROTECT,
        related_name="applications",
    )
    reference = models.CharField("znak sprawy", max_length=60, unique=True)
    reference_number = models.PositiveIntegerField("numer w spisie spraw")
    reference_year = models.PositiveIntegerField("rok")
    filing_symbol = models.CharField("klasa JRWA", max_length=10)
    unit_symbol = models.CharField("symbol komórki", max_length=20)
    received_on = models.DateField("data wpływu")
    channel = models.CharField("sposób złożenia", max_length=12, choices=Channel.choices)
    forms = models.JSONField("wnioskowane formy pomocy", default=list)
    reasons = models.JSONField("powody (art. 7 u.p.s.)", default=list)
    reasons_other = models.CharField("inne okoliczności", max_length=300, blank=True)
    urgent = models.BooleanField("sprawa pilna (wywiad w 2 dni robocze)", default=False)
    income_lost = models.BooleanField("utrata dochodu (art. 8 ust. 3)", default=False)
    description = models.TextField("treść wniosku / uwagi", blank=True)
    status = models.CharField(
        "status",
        max_length=32,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.REGISTERED,
    )
    interview_due = models.DateField("termin wywiadu")
    decision_due = models.DateField("termin załatwienia sprawy")
    forwarded_to = models.CharField("przekazano do", max_length=250, blank=True)
    forwarded_on = models.DateField("data przekazania", null=True, blank=True)
    closed_on = models.DateField("data zakończenia", null=True, blank=True)
    status_note = models.CharField("uzasadnienie zmiany statusu", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "wniosek"
        verbose_name_plural = "wnioski"
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit_symbol", "filing_symbol", "reference_year", "reference_number"],
                name="application_reference_number_unique",
            )
        ]
        # Open applications are a small fraction of all: the desk counts and lists them by
        # status (index-only with the case id).
        indexes = [models.Index(fields=["status", "case"], name="application_status_case")]

    def __str__(self) -> str:
        return self.reference

    def get_additional_data(self) -> dict[str, int]:
        return {"person_id": self.applicant_id}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class InterviewStatus(models.TextChoices):
    DRAFT = "szkic", "w trakcie (szkic)"
    COMPLETED = "zakonczony", "przeprowadzony"


class Interview(Versioned):
    """Rodzinny wywiad środowiskowy (art. 106 ust. 4, art. 107 u.p.s.; rozp. MRiPS z 8 IV 2021).

    Sections of the questionnaire are stored as JSON per part; completion freezes it, and an
    update (aktualizacja) is a new interview pointing at the previous one.
    """

    case = models.ForeignKey(
        Case, verbose_name="sprawa", on_delete=models.PROTECT, related_name="interviews"
    )
    application = models.ForeignKey(
        Application,
        verbose_name="wniosek",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    previous = models.OneToOneField(
        "self",
        verbose_name="aktualizacja wywiadu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="update",
    )
    status = models.CharField(
        "stan", max_length=12, choices=InterviewStatus.choices, default=InterviewStatus.DRAFT
    )
    planned_on = models.DateField("planowana data", null=True, blank=True)
    conducted_on = models.DateField("data przeprowadzenia", null=True, blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pracownik socjalny",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sections = models.JSONField("części kwestionariusza", default=dict)
    reasons = models.JSONField("powody (art. 7 u.p.s.)", default=list)
    proposed_benefit = models.CharField("proponowane świadczenie", max_length=60, blank=True)
    proposed_amount = models.DecimalField(
        "proponowana kwota", max_digits=12, decimal_places=2, null=True, blank=True
    )
    completed_at = models.DateTimeField("zakończono", null=True, blank=True)
    update_due = models.DateField("aktualizacja do", null=True, blank=True)
    saved_at = models.DateTimeField("ostatni zapis", auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rodzinny wywiad środowiskowy"
        verbose_name_plural = "rodzinne wywiady środowiskowe"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The desk's reminders of interviews to update (issue 19): completed interviews in
            # order of their update date, so that the first hundred without an update are
            # found by walking this index — at ten times Kielce a benefits clerk's desk (all
            # districts) read ~590,000 interviews to sort them (0.52 s → 10 ms).
            models.Index(
                fields=["update_due"],
                condition=models.Q(status="zakonczony"),
                name="interview_completed_due",
            )
        ]
        constraints = [
            # one interview in progress per case (a second start continues it)
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="szkic"),
                name="cases_interview_one_draft_per_case",
            )
        ]

    def __str__(self) -> str:
        kind = "Aktualizacja wywiadu" if self.previous_id else "Wywiad środowiskowy"
        return f"{kind} — {self.case.household}"

    def get_additional_data(self) -> dict[str, int]:
        return {"household_id": self.case.household_id}

    @property
    def is_completed(self) -> bool:
        return self.status == InterviewStatus.COMPLETED

    @property
    def proposed_benefit_label(self) -> str:
        """The proposed benefit's Polish name (the field stores the law core's code)."""
        return BENEFITS.get(self.proposed_benefit, self.proposed_benefit)


class Calculation(models.Model):
    """A frozen snapshot of one law-core calculation: request, result and parameters in force."""

    case = models.ForeignKey(
        Case, verbose_name="sprawa", on_delete=models.PROTECT, related_name="calculations"
    )
    application = models.ForeignKey(
        Application,
        verbose_name="wniosek",
        on_delete=models.PROTECT,
        related_name="calculations",
    )
    benefit = models.CharField("świadczenie", max_length=60)
    request = models.JSONField("dane wejściowe")
    result = models.JSONField("wynik")
    eligible = models.BooleanField("spełnia warunki")
    amount = models.DecimalField("kwota", max_digits=12, decimal_places=2, null=True, blank=True)
    parameters_valid_from = models.DateField("parametry obowiązujące od")
    created_at = models.DateTimeField("obliczono", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "obliczenie"
        verbose_name_plural = "obliczenia"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Obliczenie {self.benefit} ({self.application})"

    @property
    def benefit_label(self) -> str:
        return BENEFITS.get(self.benefit, self.benefit)


class TimelineEvent(models.Model):
    """One entry of the family's timeline written by any context (decisions, payments…)."""

    case = models.ForeignKey(
        Case, verbose_name="sprawa", on_delete=models.PROTECT, related_name="events"
    )
    occurred_at = models.DateTimeField("kiedy")
    kind = models.CharField("rodzaj", max_length=40)
    title = models.CharField("tytuł", max_length=250)
    detail = models.TextField("szczegóły", blank=True)
    source_app = models.CharField("kontekst", max_length=40, blank=True)
    source_id = models.CharField("identyfikator źródła", max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    protected = models.BooleanField("chronione", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "zdarzenie w sprawie"
        verbose_name_plural = "zdarzenia w sprawie"
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["case", "-occurred_at"], name="timeline_case_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_app", "source_id", "kind"],
                condition=~Q(source_id=""),
                name="timeline_source_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class LetterKind(models.TextChoices):
    """Letters generated from a case (pisma w sprawie), each under its KPA provision."""

    SUPPLEMENT = (
        "wezwanie_uzupelnienie",
        "Wezwanie do uzupełnienia braków wniosku (art. 50 § 1 i art. 64 § 2 KPA)",
    )
    DELAY = (
        "zawiadomienie_zwloka",
        "Zawiadomienie o niezałatwieniu sprawy w terminie (art. 36 KPA)",
    )
    FILE_REVIEW = (
        "zawiadomienie_art10",
        "Zawiadomienie o prawie do zapoznania się z aktami przed decyzją (art. 10 § 1 KPA)",
    )
    APPEAL_FORWARD = (
        "przekazanie_odwolania",
        "Przekazanie odwołania wraz z aktami do SKO (art. 133 KPA)",
    )


class CaseLetter(models.Model):
    """A letter sent in a case, frozen as issued: its PDF, hash and the data it was made from.

    Never edited; a correction is a new letter."""

    case = models.ForeignKey(
        Case, verbose_name="sprawa", on_delete=models.PROTECT, related_name="letters"
    )
    application = models.ForeignKey(
        Application,
        verbose_name="wniosek",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    kind = models.CharField("rodzaj pisma", max_length=30, choices=LetterKind.choices)
    issued_on = models.DateField("data pisma")
    addressee = models.CharField("adresat", max_length=300)
    data = models.JSONField("treść (dane pisma)", default=dict)
    html = models.TextField("treść HTML")
    pdf = models.BinaryField("PDF")
    sha256 = models.CharField("skrót SHA-256", max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pismo w sprawie"
        verbose_name_plural = "pisma w sprawie"
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} z {self.issued_on:%d.%m.%Y}"

    def get_additional_data(self) -> dict[str, int]:
        return {"case_id": self.case_id}

"""Code lists of the organisation context."""

from __future__ import annotations

from django.db import models


class UnitKind(models.TextChoices):
    MANAGEMENT = "dyrekcja", "Dyrekcja"
    DEPARTMENT = "dzial", "Dział"
    TEAM = "zespol", "Zespół"
    CARE_DISTRICT = "rejon", "Rejon opiekuńczy"
    FACILITY = "placowka", "Placówka"
    POST = "stanowisko", "Samodzielne stanowisko"


class MatterKind(models.TextChoices):
    """Kinds of matters an authorisation (upoważnienie) may cover (art. 110 u.p.s.)."""

    PERMANENT_ALLOWANCE = "zasilek_staly", "Zasiłek stały"
    PERIODIC_ALLOWANCE = "zasilek_okresowy", "Zasiłek okresowy"
    PURPOSE_ALLOWANCE = "zasilek_celowy", "Zasiłek celowy"
    SPECIAL_PURPOSE_ALLOWANCE = "specjalny_zasilek_celowy", "Specjalny zasiłek celowy"
    RANDOM_EVENT_ALLOWANCE = "zasilek_celowy_zdarzenie_losowe", "Zasiłek celowy — zdarzenie losowe"
    MEALS = "posilek", "Posiłek (program „Posiłek w szkole i w domu”)"
    CARE_SERVICES = "uslugi_opiekuncze", "Usługi opiekuńcze"
    SPECIALISED_CARE_SERVICES = (
        "specjalistyczne_uslugi_opiekuncze",
        "Specjalistyczne usługi opiekuńcze",
    )
    CARE_HOME = "dps", "Dom pomocy społecznej (skierowanie, odpłatność)"
    SHELTER = "schronienie", "Schronienie"
    # Stays in support centres and training / supported flats (art. 51–53 u.p.s.) and their
    # fees (art. 97 ust. 1): not shelter (art. 48a), so an authorisation names them apart.
    SUPPORT_AND_HOUSING = (
        "osrodki_wsparcia_mieszkania",
        "Ośrodki wsparcia, mieszkania treningowe i wspomagane",
    )
    FUNERAL = "pogrzeb", "Sprawienie pogrzebu"
    UNDUE_BENEFITS = "nienalezne_swiadczenia", "Nienależnie pobrane świadczenia"
    WRITE_OFF = "umorzenie_naleznosci", "Umorzenie, odroczenie, raty należności"
    SOCIAL_CONTRACT = "kontrakt_socjalny", "Kontrakt socjalny"
    # Powiat tasks MOPR Kielce performs as a city with powiat rights (art. 88–93 u.p.s.).
    LEAVING_CARE = "usamodzielnienie", "Pomoc dla osób usamodzielnianych"
    INTEGRATION = "integracja_cudzoziemcow", "Pomoc cudzoziemcom w integracji"


class RelationKind(models.TextChoices):
    """Grounds for excluding a staff member from a case (wyłączenie pracownika, art. 24 KPA).

    The relation lasts after the marriage, adoption, guardianship or curatorship ends
    (art. 24 § 2 KPA), so a declaration has a start date and no end date.
    """

    SPOUSE = "malzonek", "Małżonek (art. 24 § 1 pkt 2 KPA)"
    RELATIVE = "krewny", "Krewny do drugiego stopnia (art. 24 § 1 pkt 2 KPA)"
    IN_LAW = "powinowaty", "Powinowaty do drugiego stopnia (art. 24 § 1 pkt 2 KPA)"
    GUARDIANSHIP = (
        "przysposobienie_opieka",
        "Przysposobienie, opieka lub kuratela (art. 24 § 1 pkt 3 KPA)",
    )
    LEGAL_TIE = (
        "stosunek_prawny",
        "Stosunek prawny, przez który wynik sprawy wpływa na moje prawa lub obowiązki "
        "(art. 24 § 1 pkt 1 KPA)",
    )
    SUPERIOR = "przelozony", "Osoba nadrzędna wobec mnie służbowo (art. 24 § 1 pkt 7 KPA)"
    OTHER = (
        "inne",
        "Inna okoliczność budząca wątpliwość co do mojej bezstronności (art. 24 § 3 KPA)",
    )

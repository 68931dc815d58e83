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
    FUNERAL = "pogrzeb", "Sprawienie pogrzebu"
    UNDUE_BENEFITS = "nienalezne_swiadczenia", "Nienależnie pobrane świadczenia"
    WRITE_OFF = "umorzenie_naleznosci", "Umorzenie, odroczenie, raty należności"
    SOCIAL_CONTRACT = "kontrakt_socjalny", "Kontrakt socjalny"

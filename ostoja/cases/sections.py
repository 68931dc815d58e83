"""The parts of the family community interview questionnaire (kwestionariusz rodzinnego
wywiadu środowiskowego, rozp. MRiPS z 8 IV 2021, Dz.U. 2021 poz. 893) as forms.

Each part is saved separately (autosave while typing, or its own Save button) into
``Interview.sections[<part>]`` as JSON. ⚠ The regulation's exact part numbering was not
verified (law.md §5.5); the content follows its scope.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from ostoja.cases.models import ART7_REASONS
from ostoja.core.errors import ValidationFailed
from ostoja.law.codes import BENEFITS

TEXT = {"rows": 3}


def _area(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
    )


class IdentificationSection(forms.Form):
    miejsce = forms.ChoiceField(
        label="Miejsce przeprowadzenia wywiadu",
        required=False,
        choices=[
            ("", "—"),
            ("mieszkanie", "miejsce zamieszkania osoby"),
            ("pobyt", "miejsce pobytu osoby (np. bezdomnej)"),
            ("inne", "inne miejsce uzgodnione z osobą"),
        ],
    )
    tryb = forms.ChoiceField(
        label="Podstawa przeprowadzenia",
        required=False,
        choices=[("", "—"), ("wniosek", "na wniosek"), ("z_urzedu", "z urzędu")],
    )
    obecni = forms.CharField(label="Osoby obecne przy wywiadzie", required=False, max_length=500)
    uwagi = _area("Uwagi do danych identyfikacyjnych")


class FamilySection(forms.Form):
    opis = _area(
        "Sytuacja rodzinna",
        "Skład rodziny pochodzi z rejestru — tu opis relacji, więzi i osób spoza gospodarstwa.",
    )
    samotnie = forms.BooleanField(label="Osoba samotnie gospodarująca", required=False)
    opieka = _area("Opieka nad dziećmi i osobami zależnymi")


class HealthSection(forms.Form):
    stan_zdrowia = _area("Stan zdrowia członków rodziny")
    niepelnosprawnosc = _area("Niepełnosprawność, niezdolność do pracy, orzeczenia")
    uzaleznienia = _area("Uzależnienia (art. 7 pkt 13 u.p.s.)")


class HousingSection(forms.Form):
    rodzaj = forms.ChoiceField(
        label="Tytuł do lokalu",
        required=False,
        choices=[
            ("", "—"),
            ("wlasnosc", "własność / spółdzielcze własnościowe"),
            ("komunalny", "najem lokalu komunalnego"),
            ("socjalny", "lokal socjalny"),
            ("najem", "najem prywatny"),
            ("uzyczenie", "użyczenie, u rodziny"),
            ("placowka", "placówka (schronisko, noclegownia)"),
            ("brak", "brak (bezdomność)"),
        ],
    )
    izby = forms.IntegerField(label="Liczba izb", required=False, min_value=0, max_value=50)
    oplaty = forms.DecimalField(
        label="Miesięczne opłaty mieszkaniowe (zł)",
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
    )
    zadluzenie = forms.BooleanField(label="Zadłużenie z tytułu opłat", required=False)
    warunki = _area("Warunki mieszkaniowe i wyposażenie")


class IncomeSection(forms.Form):
    uwagi = _area(
        "Uwagi o dochodach",
        "Dochody członków rodziny pobierane są z rejestru (miesiąc dochodu wg art. 8 ust. 3); "
        "tam też dochody jednorazowe i za okres (art. 8 ust. 11–12) oraz świadczenia "
        "niewliczane z innych ustaw.",
    )
    majatek = _area("Stan majątkowy (oświadczenie o stanie majątkowym)")


class WorkSection(forms.Form):
    sytuacja = _area("Sytuacja zawodowa członków rodziny")
    pup = forms.BooleanField(label="Zarejestrowani w powiatowym urzędzie pracy", required=False)
    wyksztalcenie = _area("Wykształcenie, nauka dzieci")


class DifficultiesSection(forms.Form):
    powody = forms.MultipleChoiceField(
        label="Powody trudnej sytuacji (art. 7 u.p.s.)",
        required=False,
        choices=list(ART7_REASONS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    opis = _area("Opis trudności i ich przyczyn")


class AnalysisSection(forms.Form):
    ocena = _area("Ocena sytuacji przez pracownika socjalnego (analiza)")
    plan = _area("Plan pomocy — działania, cele, zaangażowanie osoby")
    proponowane_swiadczenie = forms.ChoiceField(
        label="Proponowane świadczenie",
        required=False,
        choices=[("", "—"), *BENEFITS.items()],
    )
    proponowana_kwota = forms.DecimalField(
        label="Proponowana kwota (zł)",
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
    )
    okres = forms.CharField(label="Proponowany okres", required=False, max_length=200)


SECTIONS: list[tuple[str, str, type[forms.Form]]] = [
    ("identyfikacja", "Dane identyfikacyjne", IdentificationSection),
    ("rodzina", "Rodzina i jej członkowie", FamilySection),
    ("zdrowie", "Stan zdrowia", HealthSection),
    ("mieszkanie", "Sytuacja mieszkaniowa", HousingSection),
    ("dochody", "Dochody i majątek", IncomeSection),
    ("praca", "Praca i wykształcenie", WorkSection),
    ("trudnosci", "Trudności i ich przyczyny (art. 7)", DifficultiesSection),
    ("analiza", "Analiza i proponowany plan pomocy", AnalysisSection),
]
SECTION_NAMES = [name for name, _, _ in SECTIONS]
SECTION_FORMS = {name: form for name, _, form in SECTIONS}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return value


def clean_section(section: str, data: Any) -> dict[str, Any]:
    form = SECTION_FORMS[section](data=data, prefix=section)
    if not form.is_valid():
        raise ValidationFailed(
            {k if k != "__all__" else section: list(v) for k, v in form.errors.items()}
        )
    return {k: _jsonable(v) for k, v in form.cleaned_data.items()}


def section_form(section: str, interview: Any, data: Any = None) -> forms.Form:
    initial = dict((interview.sections or {}).get(section, {}))
    if section == "trudnosci" and not initial.get("powody"):
        # The art. 7 reasons given in the application (and kept from the previous interview)
        # are pre-filled: the worker confirms or corrects them, never retypes them.
        initial["powody"] = list(interview.reasons or [])
    return SECTION_FORMS[section](data=data, initial=initial, prefix=section)

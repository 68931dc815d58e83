"""Forms of social infrastructure: parsing only; the rules are in ``services``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from ostoja.core.forms import FeeExemptionFields
from ostoja.facilities import policy as p
from ostoja.law.codes import DPS_RELATIONS

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _opt(d: dict[str, str]) -> list[tuple[str, str]]:
    return [("", "— wybierz —"), *d.items()]


class ReferralForm(forms.Form):
    pesel = forms.CharField(label="PESEL osoby", max_length=11, min_length=11)
    facility_kind = forms.ChoiceField(
        label="Rodzaj placówki", choices=_opt(p.FACILITY_KINDS), initial="dps"
    )
    subtype = forms.ChoiceField(
        label="Typ domu (art. 56 u.p.s.)", choices=_opt(p.FACILITY_SUBTYPES), required=False
    )
    referral_date = forms.DateField(label="Data wniosku", widget=_DATE)
    referring_authority = forms.CharField(
        label="Organ kierujący (gmina)", initial="Prezydent Miasta Kielce", max_length=200
    )


class SyncForm(forms.Form):
    """Taking over the signed decision: only the version the page was read at. Its refusals
    (nothing signed yet, a stale page) are not about a field: they stand in the summary on
    top of the page."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DocumentsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in p.DOCUMENTS.items():
            self.fields[f"doc_{code}"] = forms.BooleanField(label=label, required=False)


class DecideForm(forms.Form):
    """A referral decision of ANOTHER gmina, recorded by its number (Kielce: the workflow)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    authority = forms.CharField(
        label="Organ (inna gmina), który wydał decyzję o skierowaniu", max_length=200
    )
    number = forms.CharField(label="Znak decyzji o skierowaniu", max_length=80)
    on = forms.DateField(label="Data decyzji", widget=_DATE)


class PlaceForm(forms.Form):
    """A placement decision of ANOTHER powiat, recorded by its number (Kielce: the workflow)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    placement_authority = forms.CharField(
        label="Organ (inny powiat), który wydał decyzję o umieszczeniu", max_length=200
    )
    placement_number = forms.CharField(label="Znak decyzji o umieszczeniu", max_length=80)
    on = forms.DateField(label="Data decyzji", widget=_DATE)


class DpsDecisionDraftForm(forms.Form):
    """Draft a DPS decision in the decisions workflow (art. 59 u.p.s.): check by a second
    person, signature, delivery and finality happen on the decision's page."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    facility = forms.TypedChoiceField(
        label="Dom pomocy społecznej", coerce=int, required=False, empty_value=None
    )
    case_reference = forms.CharField(
        label="Znak sprawy",
        max_length=60,
        required=False,
        help_text="Puste — znak ostatniego wniosku w sprawie rodziny.",
    )
    immediate_reason = forms.CharField(
        label="Powód rygoru natychmiastowej wykonalności (art. 108 § 1 KPA)",
        max_length=300,
        required=False,
        help_text="Puste — decyzja wykonalna, gdy stanie się ostateczna.",
    )

    def __init__(self, *args: Any, facilities: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if facilities is None:
            del self.fields["facility"]
            del self.fields["immediate_reason"]
        else:
            self.fields["facility"].required = True
            cast(forms.ChoiceField, self.fields["facility"]).choices = [
                ("", "— wybierz —"),
                *((x.pk, x.name) for x in facilities),
            ]


class FacilityChoiceForm(forms.Form):
    facility = forms.TypedChoiceField(label="Placówka", coerce=int)
    on = forms.DateField(label="Dnia", widget=_DATE)
    priority_reason = forms.CharField(
        label="Uzasadnienie przyjęcia poza kolejnością (puste — w kolejności)",
        required=False,
        max_length=300,
    )

    def __init__(self, *args: Any, facilities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["facility"]).choices = [
            (f.pk, f.name) for f in facilities
        ]


class RelativeBasisForm(forms.Form):
    """The agreement (art. 103 ust. 2 u.p.s.) or final decision binding one relative to pay
    their share; one per relative's row on the stay page (its own prefix)."""

    kind = forms.ChoiceField(label="Podstawa", choices=_opt(p.RELATIVE_BASIS_KINDS))
    number = forms.CharField(label="Numer umowy lub decyzji", max_length=40)
    signed_on = forms.DateField(
        label="Data zawarcia umowy lub dzień, w którym decyzja stała się ostateczna",
        widget=_DATE,
    )


class FeeForm(forms.Form):
    valid_from = forms.DateField(label="Opłata obowiązuje od", widget=_DATE)
    resident_income = forms.DecimalField(
        label="Dochód mieszkańca (zł miesięcznie)", max_digits=12, decimal_places=2, min_value=0
    )

    RELATIVES = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, self.RELATIVES + 1):
            self.fields[f"r{i}_name"] = forms.CharField(
                label=f"Krewny {i}: imię i nazwisko", required=False, max_length=120
            )
            self.fields[f"r{i}_relation"] = forms.ChoiceField(
                label=f"Krewny {i}: stopień pokrewieństwa",
                choices=_opt(DPS_RELATIONS),
                required=False,
            )
            self.fields[f"r{i}_size"] = forms.IntegerField(
                label=f"Krewny {i}: liczba osób w gospodarstwie", required=False, min_value=1
            )
            self.fields[f"r{i}_income"] = forms.DecimalField(
                label=f"Krewny {i}: dochód gospodarstwa (zł)",
                required=False,
                max_digits=12,
                decimal_places=2,
                min_value=0,
            )
            self.fields[f"r{i}_agreed"] = forms.DecimalField(
                label=f"Krewny {i}: kwota z umowy (art. 103 ust. 2)",
                required=False,
                max_digits=12,
                decimal_places=2,
                min_value=0,
            )
            self.fields[f"r{i}_exemption"] = forms.ChoiceField(
                label=f"Krewny {i}: zwolnienie (art. 64–64b)",
                choices=[("", "brak"), ("art_64", "art. 64"), ("art_64a", "art. 64a"),
                         ("art_64b", "art. 64b")],
                required=False,
            )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(1, self.RELATIVES + 1):
            if data.get(f"r{i}_name") or data.get(f"r{i}_relation"):
                for part, label in (("relation", "stopień pokrewieństwa"),
                                    ("size", "liczbę osób"), ("income", "dochód")):  # fmt: skip
                    if data.get(f"r{i}_{part}") in (None, ""):
                        self.add_error(f"r{i}_{part}", f"Podaj {label} krewnego {i}.")
        return data


class MovementForm(forms.Form):
    movement = forms.ChoiceField(
        label="Ruch",
        choices=[
            ("nieobecnosc", "Początek czasowej nieobecności"),
            ("powrot", "Powrót z nieobecności"),
            ("wypis", "Wypis"),
            ("zgon", "Zgon"),
            ("przeniesienie", "Przeniesienie do innej placówki"),
        ],
    )
    on = forms.DateField(label="Dnia", widget=_DATE)
    absence_kind = forms.ChoiceField(
        label="Rodzaj nieobecności", choices=_opt(p.ABSENCE_KINDS), required=False
    )
    target = forms.TypedChoiceField(
        label="Placówka docelowa (przeniesienie)", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, targets: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = [
            ("", "—"),
            *((f.pk, f.name) for f in targets),
        ]


class ChargesForm(forms.Form):
    month = forms.DateField(label="Miesiąc (dowolny dzień miesiąca)", widget=_DATE)


class NightForm(forms.Form):
    night = forms.DateField(label="Noc z dnia", widget=_DATE)
    pesel = forms.CharField(label="PESEL osoby (jeśli znany)", required=False, max_length=11)
    guest_label = forms.CharField(
        label="Opis osoby bez danych w rejestrze", required=False, max_length=120
    )


class CostForm(forms.Form):
    amount = forms.DecimalField(
        label="Średni miesięczny koszt utrzymania (zł)", max_digits=12, decimal_places=2
    )
    planned_amount = forms.DecimalField(
        label="Koszt miejsca według planu (zł)", max_digits=12, decimal_places=2, required=False
    )
    valid_from = forms.DateField(
        label="Obowiązuje od (pierwszy dzień miesiąca po ogłoszeniu)", widget=_DATE
    )
    act_reference = forms.CharField(
        label="Zarządzenie i dziennik urzędowy (art. 60 ust. 2 u.p.s.)", max_length=250
    )


class FacilityEditForm(forms.Form):
    """The register entry of a facility (its kind and responsible unit stay as registered)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label="Nazwa", max_length=200)
    subtypes = forms.MultipleChoiceField(
        label="Typy (art. 56 i 56a u.p.s.; typ ŚDS)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    operator_kind = forms.ChoiceField(label="Prowadzący", choices=list(p.OPERATOR_KINDS.items()))
    operator_name = forms.CharField(label="Nazwa prowadzącego", max_length=200)
    agreement = forms.CharField(
        label="Umowa ze zleceniobiorcą", max_length=200, required=False,
        help_text="Numer i data umowy — dla placówki prowadzonej na zlecenie miasta.",
    )  # fmt: skip
    address = forms.CharField(label="Adres", max_length=200)
    register_entry = forms.CharField(
        label="Wpis do rejestru wojewody", max_length=120, required=False
    )
    phone = forms.CharField(label="Telefon", max_length=80, required=False)
    email = forms.CharField(label="Adres e-mail", max_length=120, required=False)
    city_places = forms.IntegerField(
        label="Miejsca opłacane przez miasto", min_value=0, required=False,
        help_text="U partnera: ile miejsc kupuje miasto (puste — wszystkie).",
    )  # fmt: skip
    valid_to = forms.DateField(
        label="Działa do (dzień zakończenia działalności)", required=False, widget=_DATE
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = p.DPS_TYPES if kind == "dps" else p.SDS_TYPES if kind == "sds" else {}
        if types:
            cast(forms.ChoiceField, self.fields["subtypes"]).choices = list(types.items())
        else:
            del self.fields["subtypes"]


class PlacesForm(forms.Form):
    """The number of places of each kind from a day (a place taken cannot be closed)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label="Od dnia", widget=_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in p.PLACE_KINDS.items():
            self.fields[f"places_{code}"] = forms.IntegerField(
                label=f"Liczba miejsc: {label}", min_value=0, required=False
            )

    def counts(self) -> dict[str, int]:
        d = self.cleaned_data
        return {k: d[f"places_{k}"] for k in p.PLACE_KINDS if d.get(f"places_{k}") is not None}


class Art97FeeForm(FeeExemptionFields):
    """The fee for a shelter or a training / supported flat (art. 97 u.p.s.)."""

    valid_from = forms.DateField(label="Opłata obowiązuje od", widget=_DATE)
    household_income = forms.DecimalField(
        label="Dochód gospodarstwa domowego (zł miesięcznie)",
        max_digits=12,
        decimal_places=2,
        min_value=0,
    )
    household_size = forms.IntegerField(
        label="Liczba osób w gospodarstwie domowym", min_value=1, initial=1
    )
    # Zwolnienie na wniosek (art. 97 ust. 5 u.p.s.; § 2 ust. 3 uchwały VI/106/2015): optional,
    # the partial part of an exemption (``core.forms.FeeExemptionFields``).
    exemption_amount = forms.DecimalField(
        label="Kwota zwolnienia częściowego (zł miesięcznie)",
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )

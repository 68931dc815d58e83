"""Forms of the registry pages (parsing only — the rules are in services/validation)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from ostoja.core.collation import polish
from ostoja.core.forms import UploadField
from ostoja.law.codes import DISABILITY_DEGREES, INCOME_KINDS, RESIDENCE_TITLES, ROLES
from ostoja.org.models import Unit
from ostoja.registry.models import Person, Street
from ostoja.registry.services import PERSON_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class StreetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Street) -> str:
        codes = obj.postal_codes.replace("|", ", ")
        return f"{obj.full_name} ({codes})" if codes else obj.full_name


class StreetSelect(forms.Select):
    """The street select ships only the chosen street (issue 17): the list of 725 streets is
    loaded on demand by the search box above it (``registry:street_options``), so the "Nowa
    osoba" page no longer carries two full copies of it. The field still validates against
    every active street."""

    def optgroups(self, name: str, value: list[str], attrs: dict | None = None) -> list:
        chosen = [v for v in value if v not in ("", None)]
        options = [self.create_option(name, "", "— najpierw wyszukaj ulicę —", not chosen, 0)]
        streets = Street.objects.filter(pk__in=[v for v in chosen if str(v).isdigit()])
        for index, street in enumerate(streets, start=1):
            codes = street.postal_codes.replace("|", ", ")
            label = f"{street.full_name} ({codes})" if codes else street.full_name
            options.append(self.create_option(name, str(street.pk), label, True, index))
        return [(None, options, 0)]


def street_field(label: str, required: bool = False) -> StreetChoiceField:
    return StreetChoiceField(
        label=label,
        required=required,
        queryset=Street.objects.filter(active=True).order_by(polish("name_1"), polish("name_2")),
        empty_label="— wybierz ulicę —",
        widget=StreetSelect,
        help_text="Wykaz ulic Kielc (TERYT ULIC): wpisz fragment nazwy w polu wyszukiwania "
        "powyżej — jedna pasująca ulica zostanie wybrana, a kod pocztowy uzupełniony.",
    )


class PersonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    first_name = forms.CharField(label="Imię", max_length=80)
    second_name = forms.CharField(label="Drugie imię", max_length=80, required=False)
    last_name = forms.CharField(label="Nazwisko", max_length=120)
    pesel = forms.CharField(
        label="PESEL",
        max_length=11,
        required=False,
        help_text="Gdy osoba nie ma numeru PESEL — podaj dokument tożsamości.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # Filled from a valid PESEL (in the browser as it is typed, and again on the server).
    birth_date = forms.DateField(
        label="Data urodzenia",
        widget=DATE,
        required=False,
        help_text="Uzupełnia się z numeru PESEL.",
    )
    sex = forms.ChoiceField(
        label="Płeć",
        choices=[("", "—"), ("K", "kobieta"), ("M", "mężczyzna")],
        required=False,
        help_text="Uzupełnia się z numeru PESEL.",
    )
    id_document_type = forms.ChoiceField(
        label="Rodzaj dokumentu tożsamości",
        required=False,
        choices=[
            ("", "—"),
            ("dowod", "dowód osobisty"),
            ("paszport", "paszport"),
            ("karta_pobytu", "karta pobytu"),
            ("inny", "inny dokument"),
        ],
    )
    id_document_number = forms.CharField(label="Numer dokumentu", max_length=40, required=False)
    citizenship = forms.CharField(label="Obywatelstwo", max_length=60, initial="polskie")
    residence_title = forms.ChoiceField(
        label="Tytuł pobytu (art. 5 u.p.s.)",
        choices=list(RESIDENCE_TITLES.items()),
        initial="obywatel_pl",
    )
    homeless = forms.BooleanField(label="Osoba bezdomna — bez adresu zamieszkania", required=False)
    act_place = forms.CharField(
        label="Miejsce pobytu osoby bezdomnej",
        max_length=200,
        required=False,
        help_text="Np. noclegownia przy ul. Mielczarskiego 51.",
    )
    act_street = street_field("Ulica (adres zamieszkania)")
    act_house = forms.CharField(label="Nr domu", max_length=12, required=False)
    act_flat = forms.CharField(label="Nr lokalu", max_length=12, required=False)
    act_postal_code = forms.CharField(label="Kod pocztowy", max_length=6, required=False)
    act_city = forms.CharField(label="Miejscowość", max_length=80, initial="Kielce", required=False)
    act_street_text = forms.CharField(
        label="Ulica (tylko adres poza Kielcami)", max_length=120, required=False
    )
    confirm_outside = forms.BooleanField(
        label="Potwierdzam adres poza Kielcami (wniosek do przekazania — art. 101 u.p.s.)",
        required=False,
    )
    reg_street = street_field("Ulica (adres zameldowania, jeśli inny)")
    reg_house = forms.CharField(label="Nr domu (zameldowanie)", max_length=12, required=False)
    reg_flat = forms.CharField(label="Nr lokalu (zameldowanie)", max_length=12, required=False)
    reg_postal_code = forms.CharField(
        label="Kod pocztowy (zameldowanie)", max_length=6, required=False
    )
    reg_city = forms.CharField(
        label="Miejscowość (zameldowanie)",
        max_length=80,
        required=False,
        help_text="Osoba bezdomna: miejscowość ostatniego zameldowania na pobyt stały — "
        "ona wyznacza gminę właściwą (art. 101 ust. 2 u.p.s.).",
    )
    reg_street_text = forms.CharField(
        label="Ulica zameldowania poza Kielcami", max_length=120, required=False
    )
    phone = forms.CharField(label="Telefon", max_length=40, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    disability_degree = forms.ChoiceField(
        label="Stopień niepełnosprawności",
        required=False,
        choices=[("", "brak orzeczenia"), *DISABILITY_DEGREES.items()],
    )
    disability_valid_until = forms.DateField(
        label="Orzeczenie ważne do",
        required=False,
        widget=DATE,
        help_text="Puste — orzeczenie bezterminowe.",
    )
    incapacity_for_work = forms.BooleanField(
        label="Całkowita niezdolność do pracy (orzeczenie)", required=False
    )
    insured_elsewhere = forms.BooleanField(
        label="Ubezpieczenie zdrowotne z innego tytułu", required=False
    )
    date_of_death = forms.DateField(label="Data zgonu", required=False, widget=DATE)

    GROUPS = [
        (
            "Dane osobowe",
            [
                "first_name",
                "second_name",
                "last_name",
                "pesel",
                "birth_date",
                "sex",
                "id_document_type",
                "id_document_number",
                "citizenship",
                "residence_title",
            ],
        ),
        (
            "Adres zamieszkania",
            [
                "homeless",
                "act_place",
                "act_street",
                "act_house",
                "act_flat",
                "act_postal_code",
                "act_city",
                "act_street_text",
                "confirm_outside",
            ],
        ),
        (
            "Adres zameldowania",
            [
                "reg_street",
                "reg_house",
                "reg_flat",
                "reg_postal_code",
                "reg_city",
                "reg_street_text",
            ],
        ),
        ("Kontakt", ["phone", "email"]),
        (
            "Zdrowie i zdolność do pracy",
            [
                "disability_degree",
                "disability_valid_until",
                "incapacity_for_work",
                "insured_elsewhere",
                "date_of_death",
            ],
        ),
    ]

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]

    def data_for_service(self) -> dict[str, object]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data

    @staticmethod
    def initial_for(person: Person) -> dict[str, object]:
        initial = {f: getattr(person, f) for f in PERSON_FIELDS}
        initial["act_street"] = person.act_street_id
        initial["reg_street"] = person.reg_street_id
        initial["version"] = person.version
        initial["confirm_outside"] = person.outside_kielce
        initial["pesel"] = person.pesel or ""
        return initial


class HouseholdPersonForm(PersonForm):
    """A new person registered from the household page: joins that household at once."""

    household_version = forms.IntegerField(
        widget=forms.HiddenInput(attrs={"id": "version-rodziny"})
    )
    relation = forms.ChoiceField(
        label="Stosunek do wnioskodawcy",
        choices=[(k, v) for k, v in ROLES.items() if k != "wnioskodawca"],
    )
    valid_from = forms.DateField(label="Członek rodziny od", widget=DATE)

    GROUPS = [("Członek rodziny", ["relation", "valid_from"]), *PersonForm.GROUPS]

    def data_for_service(self) -> dict[str, object]:
        data = super().data_for_service()
        for key in ("household_version", "relation", "valid_from"):
            data.pop(key, None)
        return data


ADDRESS_FIELDS = (
    "act_street", "act_street_text", "act_house", "act_flat", "act_postal_code", "act_city",
    "homeless", "act_place",
)  # fmt: skip


class HouseholdCreateForm(forms.Form):
    name = forms.CharField(
        label="Nazwa rodziny",
        max_length=160,
        required=False,
        help_text="Puste — „Rodzina <nazwisko wnioskodawcy>”.",
    )
    valid_from = forms.DateField(label="Wspólne gospodarowanie od", widget=DATE)


class HouseholdForm(forms.Form):
    # Own ids: the household page carries several forms with a hidden "version".
    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"id": "version-rodzina"}))
    name = forms.CharField(label="Nazwa rodziny", max_length=160)
    note = forms.CharField(label="Uwagi", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MemberAddForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"id": "version-czlonek"}))
    person = forms.CharField(
        label="Osoba (PESEL albo numer osoby w systemie)",
        max_length=20,
        help_text="Osobę spoza rejestru najpierw zarejestruj („Nowa osoba”).",
    )
    relation = forms.ChoiceField(
        label="Stosunek do wnioskodawcy",
        choices=[(k, v) for k, v in ROLES.items() if k != "wnioskodawca"],
    )
    valid_from = forms.DateField(label="Członek rodziny od", widget=DATE)


class MemberEndForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    membership = forms.IntegerField(widget=forms.HiddenInput)
    valid_to = forms.DateField(
        label="Pierwszy dzień poza rodziną",
        widget=DATE,
        help_text="Członkostwo nie jest usuwane — zostaje w historii rodziny.",
    )


class IncomeForm(forms.Form):
    month = forms.DateField(
        label="Miesiąc",
        widget=MONTH,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text="Miesiąc, którego dochód dotyczy (art. 8 ust. 3 u.p.s.).",
    )
    kind = forms.ChoiceField(label="Rodzaj dochodu", choices=[("", "—"), *INCOME_KINDS.items()])
    amount = forms.CharField(
        label="Kwota netto (zł)",
        required=False,
        help_text="Dla wynagrodzenia: netto albo poniżej brutto z potrąceniami.",
    )
    gross = forms.CharField(label="Wynagrodzenie brutto (zł)", required=False)
    tax = forms.CharField(label="Podatek (zł)", required=False)
    social = forms.CharField(label="Składki społeczne (zł)", required=False)
    health = forms.CharField(label="Składka zdrowotna (zł)", required=False)
    revenue = forms.CharField(label="Przychód z działalności (zł)", required=False)
    costs = forms.CharField(label="Koszty (zł)", required=False)
    hectares = forms.CharField(label="Hektary przeliczeniowe", required=False)
    one_off = forms.BooleanField(
        label="Dochód jednorazowy wypłacony w tym miesiącu (art. 8 ust. 11)",
        required=False,
        help_text="Powyżej pięciokrotności kryterium rozliczany w 12 częściach.",
    )
    period_from = forms.DateField(
        label="Dochód za okres — od miesiąca (art. 8 ust. 12)",
        widget=MONTH,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        required=False,
        help_text="Dochód wypłacony jednorazowo za kilka miesięcy (np. wyrównanie).",
    )
    period_to = forms.DateField(
        label="Dochód za okres — do miesiąca",
        widget=MONTH,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        required=False,
    )
    proof = forms.CharField(
        label="Dokument potwierdzający",
        max_length=200,
        required=False,
        help_text="Np. zaświadczenie z ZUS, odcinek emerytury, oświadczenie.",
    )


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(label="Numer osoby (duplikatu) do scalenia", min_value=1)
    confirm = forms.BooleanField(
        label="Potwierdzam: to ta sama osoba; duplikat zostanie oznaczony jako scalony",
    )


class StreetDistrictForm(forms.Form):
    street = forms.IntegerField(widget=forms.HiddenInput)
    unit = forms.ModelChoiceField(label="Rejon opiekuńczy", queryset=None, empty_label="—")
    number_from = forms.IntegerField(label="Od numeru", required=False, min_value=1)
    number_to = forms.IntegerField(label="Do numeru (włącznie)", required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = Unit.objects.filter(
            kind="rejon"
        ).order_by("code")


class StreetImportForm(forms.Form):
    file = UploadField(label="Plik ULIC z GUS (CSV)")


class PersonImportForm(forms.Form):
    file = UploadField(label="Plik CSV z osobami i rodzinami")
    dry_run = forms.BooleanField(
        label="Tylko sprawdź (nic nie zapisuj)", required=False, initial=True
    )

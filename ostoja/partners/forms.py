"""Forms of cooperation (Polish labels; the rules live in services and the law core)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms

from ostoja.partners.models import LegalForm, PartnerRole, ReferralService, ReportKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerForm(forms.Form):
    name = forms.CharField(label="Nazwa", max_length=250)
    short_name = forms.CharField(label="Nazwa skrócona", max_length=80, required=False)
    legal_form = forms.ChoiceField(label="Forma prawna", choices=LegalForm.choices)
    krs = forms.CharField(label="Numer KRS", max_length=20, required=False,
                          help_text="10 cyfr, np. 0000123456.")  # fmt: skip
    regon = forms.CharField(label="REGON", max_length=20, required=False,
                            help_text="9 lub 14 cyfr.")  # fmt: skip
    nip = forms.CharField(label="NIP", max_length=20, required=False,
                          help_text="10 cyfr; kreski są pomijane.")  # fmt: skip
    public_benefit_status = forms.BooleanField(
        label="Organizacja pożytku publicznego", required=False
    )
    roles = forms.MultipleChoiceField(
        label="Role wobec ośrodka", choices=PartnerRole.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    address = forms.CharField(label="Adres", max_length=250, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    phone = forms.CharField(label="Telefon", max_length=40, required=False)
    active_from = forms.DateField(label="Współpraca od", widget=DATE)


class ReferralForm(forms.Form):
    person = forms.TypedChoiceField(label="Osoba kierowana", coerce=int, choices=())
    service = forms.ChoiceField(label="Forma wsparcia", choices=ReferralService.choices)
    partner = forms.TypedChoiceField(label="Partner", coerce=int, choices=())
    reason = forms.CharField(label="Powód (art. 7 u.p.s.)", max_length=250)
    valid_from = forms.DateField(label="Ważne od", widget=DATE)
    valid_to = forms.DateField(label="Ważne do (wyłącznie)", widget=DATE)
    household_size = forms.IntegerField(label="Liczba osób w gospodarstwie", min_value=1, initial=1)
    monthly_income = forms.DecimalField(
        label="Dochód gospodarstwa (zł miesięcznie)", required=False, max_digits=12,
        decimal_places=2, min_value=0,
        help_text="Wymagany przy pomocy żywnościowej (próg programu FEPŻ).",
    )  # fmt: skip
    hours_planned = forms.IntegerField(
        label="Planowana liczba godzin", required=False, min_value=1,
        help_text="Przy pracach społecznie użytecznych.",
    )  # fmt: skip

    def __init__(self, *args: object, persons: list[tuple[int, str]],
                 partners: list[tuple[int, str]], **kwargs: object) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].choices = persons  # type: ignore[attr-defined]
        self.fields["partner"].choices = partners  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    ACTIONS = [("accept", "Przyjmujemy"), ("refuse", "Odmawiamy"),
               ("complete", "Zakończone"), ("drop", "Przerwane")]  # fmt: skip
    action = forms.ChoiceField(label="Odpowiedź", choices=ACTIONS, widget=forms.RadioSelect)
    note = forms.CharField(label="Uwagi / wynik", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    hours_done = forms.IntegerField(label="Przepracowane godziny", min_value=0, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PartnerEditForm(PartnerForm):
    active_to = forms.DateField(label="Współpraca do (wyłącznie)", widget=DATE, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ContactForm(forms.Form):
    name = forms.CharField(label="Imię i nazwisko", max_length=160)
    function = forms.CharField(label="Funkcja", max_length=120, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    phone = forms.CharField(label="Telefon", max_length=40, required=False)


class AgreementForm(forms.Form):
    number = forms.CharField(label="Numer porozumienia", max_length=60)
    subject = forms.CharField(label="Przedmiot", max_length=250)
    signed_on = forms.DateField(label="Data zawarcia", widget=DATE)
    valid_from = forms.DateField(label="Obowiązuje od", widget=DATE)
    valid_to = forms.DateField(label="Obowiązuje do (wyłącznie)", widget=DATE, required=False)


# ------------------------------------------------------------------ grant steps (staff)


class GrantSignForm(forms.Form):
    """The grant agreement with its schedule: one line per instalment, "kwota; termin"."""

    number = forms.CharField(label="Numer umowy", max_length=60)
    signed_on = forms.DateField(label="Data zawarcia umowy", widget=DATE)
    instalments = forms.CharField(
        label="Harmonogram transz",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Każda transza w osobnym wierszu: kwota; termin przekazania, "
        "np. „6000,00; 01.03.2026”. Suma transz musi równać się przyznanej dotacji.",
    )

    def clean_instalments(self) -> list[tuple[Decimal, date]]:
        rows: list[tuple[Decimal, date]] = []
        for no, line in enumerate(self.cleaned_data["instalments"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 2:
                raise forms.ValidationError(
                    f"Wiersz {no}: podaj kwotę i termin rozdzielone średnikiem."
                )
            try:
                amount = Decimal(parts[0].replace(" ", "").replace(",", "."))
            except InvalidOperation as exc:
                raise forms.ValidationError(f"Wiersz {no}: błędna kwota „{parts[0]}”.") from exc
            if not amount.is_finite():
                raise forms.ValidationError(f"Wiersz {no}: błędna kwota „{parts[0]}”.")
            if amount != amount.quantize(Decimal("0.01")):
                raise forms.ValidationError(
                    f"Wiersz {no}: kwota może mieć najwyżej 2 miejsca po przecinku."
                )
            try:
                day, month, year = (int(x) for x in parts[1].split("."))
                due = date(year, month, day)
            except ValueError as exc:
                raise forms.ValidationError(
                    f"Wiersz {no}: błędny termin „{parts[1]}” — wpisz datę jako DD.MM.RRRR."
                ) from exc
            rows.append((amount, due))
        if not rows:
            raise forms.ValidationError("Podaj co najmniej jedną transzę.")
        return rows


class InstalmentPayForm(forms.Form):
    instalment = forms.TypedChoiceField(label="Transza", coerce=int, choices=())
    paid_on = forms.DateField(label="Data przekazania transzy", widget=DATE)

    def __init__(self, *args: object, instalments: list[tuple[int, str]],
                 **kwargs: object) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["instalment"].choices = instalments  # type: ignore[attr-defined]


class GrantReportForm(forms.Form):
    kind = forms.ChoiceField(label="Rodzaj sprawozdania", choices=ReportKind.choices)
    received_on = forms.DateField(label="Data wpływu", widget=DATE)
    spent = forms.DecimalField(
        label="Wydatki z dotacji wg sprawozdania (zł)", max_digits=12, decimal_places=2
    )
    beneficiaries = forms.IntegerField(label="Liczba odbiorców", min_value=0, initial=0)
    results = forms.CharField(
        label="Osiągnięte rezultaty", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class GrantSettleForm(forms.Form):
    settled_on = forms.DateField(label="Data rozliczenia", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


class GrantReturnForm(forms.Form):
    returned_on = forms.DateField(label="Data wpływu zwrotu na rachunek ośrodka", widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput)


# ------------------------------------------------------------------ programme enrolment


class EnrolForm(forms.Form):
    person = forms.TypedChoiceField(label="Osoba", coerce=int, choices=())
    programme = forms.TypedChoiceField(label="Program", coerce=int, choices=())
    enrolled_on = forms.DateField(label="Data przyjęcia do programu", widget=DATE)
    has_disability_certificate = forms.BooleanField(
        label="Osoba ma orzeczenie o niepełnosprawności", required=False
    )

    def __init__(self, *args: object, persons: list[tuple[int, str]],
                 programmes: list[tuple[int, str]], **kwargs: object) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].choices = persons  # type: ignore[attr-defined]
        self.fields["programme"].choices = programmes  # type: ignore[attr-defined]


class LeaveForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    left_on = forms.DateField(label="Data zakończenia udziału", widget=DATE)
    result_achieved = forms.BooleanField(label="Rezultat osiągnięty", required=False)


# ------------------------------------------------------------------ break-glass, accounts


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Powód otwarcia sprawy chronionej", max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Powód zostanie zapisany w dzienniku i pokazany kierownikowi.",
    )  # fmt: skip


class PartnerAccountForm(forms.Form):
    partner = forms.TypedChoiceField(label="Partner z rejestru", coerce=int, choices=())
    username = forms.CharField(label="Login", max_length=150)
    first_name = forms.CharField(label="Imię", max_length=150)
    last_name = forms.CharField(label="Nazwisko", max_length=150)
    email = forms.EmailField(label="E-mail")

    def __init__(self, *args: object, partners: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["partner"].choices = partners  # type: ignore[attr-defined]

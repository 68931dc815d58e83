"""Forms of cooperation (Polish labels; the rules live in services and the law core)."""

from __future__ import annotations

from django import forms

from ostoja.partners.models import LegalForm, PartnerRole, ReferralService

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

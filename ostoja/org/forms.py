"""Forms of the organisation pages: field parsing only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from ostoja.org.choices import MatterKind, RelationKind
from ostoja.org.models import InstanceSettings, Unit
from ostoja.org.roles import ROLE_CHOICES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class UnitForm(VersionedForm):
    code = forms.SlugField(label="Kod", max_length=40)
    name = forms.CharField(label="Nazwa", max_length=200)
    short_name = forms.CharField(label="Nazwa skrócona", max_length=60, required=False)
    kind = Unit._meta.get_field("kind").formfield(label="Rodzaj")
    parent = forms.ModelChoiceField(
        label="Jednostka nadrzędna", queryset=Unit.objects.all(), required=False
    )
    case_symbol = forms.CharField(
        label="Symbol komórki (znak sprawy)", max_length=20, required=False
    )
    address = forms.CharField(label="Adres", max_length=200, required=False)
    phone = forms.CharField(label="Telefon", max_length=60, required=False)
    valid_from = forms.DateField(label="Działa od", widget=DATE)
    valid_to = forms.DateField(
        label="Działa do (wyłącznie)", widget=DATE, required=False,
        help_text="Pierwszy dzień, w którym jednostka już nie działa.",
    )  # fmt: skip


class StaffForm(VersionedForm):
    first_name = forms.CharField(label="Imię", max_length=150)
    last_name = forms.CharField(label="Nazwisko", max_length=150)
    email = forms.EmailField(label="E-mail służbowy", required=False)
    unit = forms.ModelChoiceField(label="Jednostka", queryset=Unit.objects.all())
    position = forms.CharField(label="Stanowisko", max_length=120)
    phone = forms.CharField(label="Telefon służbowy", max_length=40, required=False)
    roles = forms.MultipleChoiceField(
        label="Role", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label="Konto aktywne", required=False, initial=True)
    new_password = forms.CharField(
        label="Nowe hasło", widget=forms.PasswordInput, required=False,
        help_text="Wypełnij tylko, aby nadać nowe hasło (np. gdy pracownik je zapomniał).",
    )  # fmt: skip


class StaffCreateForm(StaffForm):
    username = forms.RegexField(
        label="Login", max_length=150, regex=r"^[a-z0-9._-]+$",
        help_text="Małe litery, cyfry, kropka, myślnik.",
        error_messages={"invalid": "Login może zawierać tylko małe litery, cyfry, . _ -"},
    )  # fmt: skip
    password = forms.CharField(
        label="Hasło początkowe", widget=forms.PasswordInput, min_length=12,
        help_text="Co najmniej 12 znaków; pracownik zmieni je po pierwszym logowaniu.",
    )  # fmt: skip
    field_order = ["username", "password"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("version")
        self.fields.pop("is_active")
        self.fields.pop("new_password")


class AuthorisationForm(forms.Form):
    holder = forms.ModelChoiceField(
        label="Upoważniony pracownik",
        queryset=get_user_model()
        .objects.filter(is_active=True, staff__isnull=False)
        .order_by("last_name", "first_name"),
    )
    number = forms.CharField(label="Numer upoważnienia", max_length=60)
    scope = forms.MultipleChoiceField(
        label="Zakres spraw", choices=MatterKind.choices, widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(label="Ważne od", widget=DATE)
    valid_until = forms.DateField(
        label="Ważne do (włącznie)", widget=DATE, required=False,
        help_text="Puste — bezterminowo (do odwołania).",
    )  # fmt: skip
    granted_by = forms.CharField(
        label="Udzielający", max_length=200, initial="Prezydent Miasta Kielce"
    )
    granted_on = forms.DateField(label="Data udzielenia", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].label_from_instance = lambda u: (  # type: ignore[attr-defined]
            f"{u.get_full_name() or u.username} ({u.username})"
        )


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(label="Odwołane z dniem", widget=DATE)
    revoked_reason = forms.CharField(label="Powód odwołania", max_length=300)


class InstanceSettingsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = InstanceSettings
        fields = [
            "name", "short_name", "street_address", "postal_code", "city", "nip", "regon",
            "teryt", "bank_account", "phone", "email", "epuap", "director_name",
            "director_title", "authority", "appeal_body", "appeal_body_address",
        ]  # fmt: skip


class RelationForm(forms.Form):
    """Oświadczenie pracownika o powiązaniu z osobą (art. 24 § 1 KPA)."""

    kind = forms.ChoiceField(label="Rodzaj powiązania", choices=RelationKind.choices)
    first_name = forms.CharField(label="Imię osoby", max_length=80)
    last_name = forms.CharField(label="Nazwisko osoby", max_length=120)
    pesel = forms.CharField(
        label="PESEL osoby", max_length=13, required=False,
        help_text="Jeśli osoba nie ma numeru PESEL, podaj datę urodzenia.",
    )  # fmt: skip
    birth_date = forms.DateField(label="Data urodzenia osoby", widget=DATE, required=False)
    since = forms.DateField(label="Powiązanie od dnia", widget=DATE)


class RelationWithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Powód wycofania", max_length=300, help_text="Np. pomyłka w numerze PESEL."
    )

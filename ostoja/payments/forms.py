from __future__ import annotations

from typing import Any

from django import forms

from ostoja.core.forms import UploadField
from ostoja.decisions.lines import PaymentMethod
from ostoja.law.periods import YearMonth, parse_year_month

# ISO format so the browser's date widget shows the current value (pl locale would give d.m.Y).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RunForm(forms.Form):
    month = forms.RegexField(
        label="Miesiąc (RRRR-MM)",
        regex=r"^\d{4}-\d{2}$",
        max_length=7,
        error_messages={
            "invalid": "Podaj miesiąc w formacie RRRR-MM.",
            "required": "Podaj miesiąc w formacie RRRR-MM.",
        },
    )

    def clean_month(self) -> YearMonth:
        try:
            return parse_year_month(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError(
                "Nie ma takiego miesiąca — podaj miesiąc w formacie RRRR-MM, np. 2026-11."
            ) from None


class ApproveForm(forms.Form):
    execution_date = forms.DateField(label="Data wykonania (wypłaty)", widget=DATE)
    shared_account_reason = forms.CharField(
        label="Uzasadnienie wspólnego rachunku różnych odbiorców",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Wymagane tylko, gdy lista ostrzega o wspólnym rachunku.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class StatementForm(forms.Form):
    file = UploadField(label="Plik wyciągu (MT940 .sta/.txt albo CSV)")


class ReissueForm(forms.Form):
    method = forms.ChoiceField(
        label="Forma ponownej wypłaty",
        choices=[
            (PaymentMethod.TRANSFER.value, "przelew na nowy rachunek"),
            (PaymentMethod.CASH.value, "gotówka w kasie"),
            (PaymentMethod.POST.value, "przekaz pocztowy"),
        ],
    )
    account_number = forms.CharField(label="Nowy rachunek (NRB)", max_length=40, required=False)


class ReceivableForm(forms.Form):
    person_id = forms.IntegerField(label="Identyfikator osoby", min_value=1)
    case_id = forms.IntegerField(label="Identyfikator sprawy", min_value=1, required=False)
    debtor_name = forms.CharField(label="Dłużnik (imię i nazwisko)", max_length=200)
    decision_number = forms.CharField(label="Numer decyzji o zwrocie", max_length=80)
    decided_on = forms.DateField(label="Data decyzji", widget=DATE)
    due_date = forms.DateField(label="Termin zwrotu", widget=DATE)
    principal = forms.DecimalField(label="Kwota należności (zł)", max_digits=12, decimal_places=2)
    reason = forms.CharField(label="Podstawa i przyczyna", max_length=400)
    instalments = forms.IntegerField(label="Liczba rat", min_value=1, max_value=120, initial=1)
    instalment_decision = forms.CharField(
        label="Decyzja o rozłożeniu na raty", max_length=80, required=False
    )


class RepaymentForm(forms.Form):
    paid_on = forms.DateField(label="Data wpłaty", widget=DATE)
    amount = forms.DecimalField(label="Kwota (zł)", max_digits=12, decimal_places=2)
    reference = forms.CharField(label="Dokument wpłaty", max_length=120, required=False)


class WriteOffForm(forms.Form):
    decision_number = forms.CharField(label="Numer decyzji o umorzeniu", max_length=80)
    decided_on = forms.DateField(label="Data decyzji", widget=DATE)
    amount = forms.DecimalField(label="Kwota umorzona (zł)", max_digits=12, decimal_places=2)


class PlanForm(forms.Form):
    chapter = forms.CharField(label="Rozdział", max_length=5)
    paragraph = forms.CharField(label="Paragraf", max_length=4, initial="3110")
    task_type = forms.ChoiceField(label="Rodzaj zadania")
    funding = forms.ChoiceField(label="Źródło finansowania")
    amount = forms.DecimalField(label="Plan na rok (zł)", max_digits=12, decimal_places=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ostoja.payments.budget import FUNDING_LABELS, TASK_LABELS

        self.fields["task_type"].choices = [(k.value, v) for k, v in TASK_LABELS.items()]  # type: ignore[attr-defined]
        self.fields["funding"].choices = [(k.value, v) for k, v in FUNDING_LABELS.items()]  # type: ignore[attr-defined]

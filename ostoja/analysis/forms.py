"""Forms of the analysis pages (the fields a person types; the rules live in ``services``)."""

from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SubmissionForm(forms.Form):
    """One calendar row's "submitted" record: which report and period (hidden, from the row),
    the day it was submitted and the confirmation (e.g. the CAS number)."""

    report = forms.CharField(label="Sprawozdanie", widget=forms.HiddenInput, max_length=20)
    period = forms.CharField(label="Okres", widget=forms.HiddenInput, max_length=10)
    submitted_on = forms.DateField(
        label="Data złożenia",
        widget=DATE,
        error_messages={
            "required": "Podaj datę złożenia (RRRR-MM-DD).",
            "invalid": "Podaj datę złożenia (RRRR-MM-DD).",
        },
    )
    reference = forms.CharField(label="Potwierdzenie", required=False, max_length=120)

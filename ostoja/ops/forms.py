"""Forms of the DPO's data-subject-rights pages: field parsing only (rules: ops.rodo.rights)."""

from __future__ import annotations

from django import forms


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Podstawa i powód",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Np. „Wniosek osoby z 3.12.2026 — kwestionuje prawidłowość danych (art. 18 "
        "ust. 1 lit. a RODO)”.",
    )

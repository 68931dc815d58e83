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


class FileRequestForm(forms.Form):
    """A file to prepare in the background (its kind's rules: ``ostoja.ops.files``)."""

    kind = forms.ChoiceField(
        label="Rodzaj pliku",
        choices=[
            ("mrpips03", "Sprawozdanie MRPiPS-03"),
            ("decyzje_dnia", "Decyzje dnia (PDF)"),
            ("rodo_eksport", "Dane osoby — art. 15 RODO"),
            ("lista_wyplat", "Lista wypłat — wydruk (PDF)"),
        ],
    )
    okres = forms.CharField(
        label="Okres sprawozdania", required=False, help_text="RRRR-H1 (półrocze) albo RRRR (rok)."
    )
    format = forms.ChoiceField(
        label="Format",
        required=False,
        choices=[
            ("", "—"),
            ("xlsx", "XLSX"),
            ("pdf", "PDF"),
            ("cas", "Plik do CAS (XML)"),
            ("json", "Plik maszynowy (JSON)"),
        ],
    )
    dzien = forms.CharField(
        label="Dzień podpisania decyzji", required=False, help_text="RRRR-MM-DD"
    )
    osoba = forms.CharField(label="Numer osoby", required=False)
    lista = forms.CharField(label="Numer listy wypłat", required=False)

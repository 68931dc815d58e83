from __future__ import annotations

from auditlog.models import LogEntry
from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    # A text searched on the server (``selectors.actors_matching``), not a select: a select
    # shipped every account (about 7,000 at ten times Kielce) with each page.
    actor = forms.CharField(
        label="Użytkownik",
        required=False,
        max_length=100,
        help_text="Login, imię lub nazwisko pracownika (lub ich fragment) — zdarzenia wszystkich "
        "pasujących kont.",
    )
    subject = forms.CharField(
        label="Osoba lub rekord",
        required=False,
        max_length=100,
        help_text="Fragment nazwy rekordu, numer osoby w systemie albo wyszukiwany PESEL lub "
        "nazwisko (znajduje też, kto tego szukał).",
    )
    date_from = forms.DateField(label="Od dnia", required=False, widget=DATE)
    date_to = forms.DateField(label="Do dnia (włącznie)", required=False, widget=DATE)
    action = forms.TypedChoiceField(
        label="Rodzaj zdarzenia",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "— wszystkie —"),
            (LogEntry.Action.CREATE, "utworzenie"),
            (LogEntry.Action.UPDATE, "zmiana"),
            (LogEntry.Action.DELETE, "usunięcie"),
            (LogEntry.Action.ACCESS, "odczyt"),
        ],
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        data["actor"] = " ".join(str(data.get("actor") or "").split())
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "Data końcowa nie może być wcześniejsza niż początkowa.")
        return data

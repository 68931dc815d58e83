from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django import forms
from django.contrib.auth import get_user_model

from ostoja.core.forms import FastSelect

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    # Issue 19: every account (7,000 at ten times Kielce) as plain (id, label) values — no model
    # instances — rendered without a template per option; the cleaned value is the user's id.
    actor = forms.TypedChoiceField(
        label="Użytkownik",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        widget=FastSelect,
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = (
            get_user_model()
            .objects.order_by("last_name", "username")
            .values_list("pk", "first_name", "last_name", "username")
        )
        self.fields["actor"].choices = [  # type: ignore[attr-defined]
            ("", "— wszyscy —"),
            *(
                (pk, f"{(f'{first} {last}'.strip() or username)} ({username})")
                for pk, first, last, username in users
            ),
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "Data końcowa nie może być wcześniejsza niż początkowa.")
        return data

"""Forms of the cases pages (parsing only — rules are in services)."""

from __future__ import annotations

from datetime import date

from django import forms

from ostoja.cases.models import ART7_REASONS, HELP_FORMS, ApplicationStatus, Channel, LetterKind
from ostoja.cases.selectors import INTERVIEW_LATE, INTERVIEW_ON_TIME, INTERVIEW_OPEN, OPEN
from ostoja.core.forms import FastSelect
from ostoja.law.codes import BENEFITS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.Form):
    applicant = forms.TypedChoiceField(label="Wnioskodawca", coerce=int, choices=[])
    received_on = forms.DateField(label="Data wpływu", widget=DATE)
    channel = forms.ChoiceField(label="Sposób złożenia", choices=Channel.choices)
    help_forms = forms.MultipleChoiceField(
        label="Wnioskowane formy pomocy",
        choices=list(HELP_FORMS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    reasons = forms.MultipleChoiceField(
        label="Powody (art. 7 u.p.s.)",
        choices=list(ART7_REASONS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reasons_other = forms.CharField(label="Inne okoliczności", max_length=300, required=False)
    urgent = forms.BooleanField(
        label="Sprawa pilna — wywiad najpóźniej w 2 dni robocze", required=False
    )
    income_lost = forms.BooleanField(
        label="Utrata dochodu — dochód z miesiąca złożenia wniosku (art. 8 ust. 3)", required=False
    )
    description = forms.CharField(
        label="Treść wniosku / uwagi", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ForwardForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    target = forms.CharField(
        label="Ośrodek właściwy",
        max_length=250,
        help_text="Np. Gminny Ośrodek Pomocy Społecznej w Masłowie, ul. Spacerowa 2.",
    )
    forwarded_on = forms.DateField(label="Data przekazania", widget=DATE)


class LeaveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Powód pozostawienia bez rozpoznania", max_length=500)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class InterviewStartForm(forms.Form):
    application = forms.TypedChoiceField(label="Wniosek", coerce=int, choices=[], required=False)
    planned_on = forms.DateField(label="Planowana data wywiadu", widget=DATE, required=False)


class InterviewCompleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"id": "version-zakonczenie"}))
    conducted_on = forms.DateField(label="Data przeprowadzenia wywiadu", widget=DATE)


class CalculationForm(forms.Form):
    application = forms.TypedChoiceField(label="Wniosek", coerce=int, choices=[])
    benefit = forms.ChoiceField(label="Świadczenie", choices=list(BENEFITS.items()))
    requested_amount = forms.DecimalField(
        label="Wnioskowana kwota (zasiłek celowy)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    entitlement_from = forms.DateField(
        label="Prawo od (część miesiąca)", required=False, widget=DATE
    )
    # Issue 22: the situations the law core now expresses.
    decision_date = forms.DateField(
        label="Data decyzji (kryteria z dnia decyzji, gdy inna niż data wniosku)",
        required=False,
        widget=DATE,
    )
    contract_work_start = forms.DateField(
        label="Zasiłek okresowy: podjęcie pracy w ramach kontraktu socjalnego",
        required=False,
        widget=DATE,
    )
    contract_amount = forms.DecimalField(
        label="Zasiłek okresowy: kwota z dotychczasowej decyzji",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    funeral_costs = forms.DecimalField(
        label="Pogrzeb: udokumentowane koszty (art. 40 ust. 1a)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    funeral_zus_grant_due = forms.BooleanField(
        label="Pogrzeb: po zmarłym przysługuje zasiłek pogrzebowy", required=False
    )
    funeral_extraordinary_costs = forms.DecimalField(
        label="Pogrzeb: koszty nadzwyczajne niepokryte z zasiłku pogrzebowego",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )

    def request_options(self) -> dict[str, object]:
        """The optional request fields of issue 22 as the law core's document expects them."""
        c = self.cleaned_data
        out: dict[str, object] = {}
        for name in ("decision_date", "contract_work_start"):
            if c.get(name):
                out[name] = c[name].isoformat()
        if c.get("contract_amount") is not None:
            out["contract_amount"] = f"{c['contract_amount']:.2f}"
        if c.get("funeral_costs") is not None:
            funeral: dict[str, object] = {
                "costs": f"{c['funeral_costs']:.2f}",
                "zus_grant_due": bool(c.get("funeral_zus_grant_due")),
            }
            if c.get("funeral_extraordinary_costs") is not None:
                funeral["extraordinary_costs"] = f"{c['funeral_extraordinary_costs']:.2f}"
            out["funeral"] = funeral
        return out


class AssignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    worker = forms.TypedChoiceField(
        label="Pracownik socjalny",
        coerce=int,
        choices=[],
        required=False,
        # Issue 19: every social worker of the unit (hundreds at ×10) on each case file.
        widget=FastSelect,
    )


class LetterForm(forms.Form):
    """A letter in the case; fields not used by the chosen kind are ignored."""

    kind = forms.ChoiceField(
        label="Rodzaj pisma",
        choices=[
            (k.value, k.label)
            for k in LetterKind
            if k != LetterKind.APPEAL_FORWARD  # made from the decision's appeal (art. 133)
        ],
    )
    missing = forms.CharField(
        label="Czego brakuje we wniosku (wezwanie do uzupełnienia)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label="Przyczyna zwłoki (zawiadomienie art. 36 KPA)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    days = forms.IntegerField(
        label="Za ile dni nowy termin / termin na zapoznanie się z aktami",
        required=False,
        min_value=1,
        max_value=60,
        help_text="Nowy termin załatwienia sprawy liczy system (art. 57 KPA).",
    )


class ApplicationFilterForm(forms.Form):
    """The applications list's filters (GET, in the URL: no personal data among them)."""

    od = forms.DateField(
        label="Wpływ od", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    do = forms.DateField(
        label="Wpływ do (włącznie)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    jednostka = forms.TypedChoiceField(
        label="Jednostka", required=False, coerce=int, empty_value=None, choices=[]
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "— wszystkie —"),
            (OPEN, "— otwarte (w toku) —"),
            *ApplicationStatus.choices,
        ],
    )
    wywiad = forms.ChoiceField(
        label="Wywiad a termin (art. 106 ust. 4 u.p.s.)",
        required=False,
        choices=[
            ("", "— wszystkie —"),
            (INTERVIEW_ON_TIME, "przeprowadzony w terminie"),
            (INTERVIEW_LATE, "przeprowadzony po terminie"),
            (INTERVIEW_OPEN, "jeszcze nieprzeprowadzony (wniosek w toku)"),
        ],
    )
    powod = forms.ChoiceField(
        label="Powód (art. 7 u.p.s.)",
        required=False,
        choices=[("", "— wszystkie —"), *ART7_REASONS.items()],
    )
    pracownik = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self, *args: object, units: list[tuple[int, str]] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["jednostka"].choices = [("", "— wszystkie —"), *(units or [])]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("od"), data.get("do")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("do", "Data „do” nie może być wcześniejsza niż data „od”.")
        return data

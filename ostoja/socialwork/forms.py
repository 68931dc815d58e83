"""Forms of social work (labels and help in Polish; rules live in policy/services)."""

from __future__ import annotations

from django import forms

from ostoja.socialwork.models import ActionParty
from ostoja.socialwork.policy import (
    ASSIGNMENT_KIND_LABELS,
    CONTRACT_KIND_LABELS,
    NOTE_CATEGORY_CHOICES,
    PLAN_KIND_LABELS,
    AssignmentKind,
    ContractKind,
    ContractStatus,
    PlanKind,
    PlanStatus,
    is_adult,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The same words as the service's refusals (policy.signature_errors), whichever layer refuses.
WORKER_SIGNED = {
    "required": "Podaj datę podpisu pracownika socjalnego.",
    "invalid": "Podaj datę podpisu pracownika socjalnego w postaci RRRR-MM-DD.",
}
PERSON_SIGNED = {
    "required": "Podaj datę podpisu osoby zawierającej kontrakt.",
    "invalid": "Podaj datę podpisu osoby w postaci RRRR-MM-DD.",
}


class NoteForm(forms.Form):
    category = forms.ChoiceField(label="Kategoria", choices=NOTE_CATEGORY_CHOICES)
    occurred_on = forms.DateField(label="Data zdarzenia", widget=DATE)
    text = forms.CharField(label="Treść notatki", widget=forms.Textarea(attrs={"rows": 5}))


class CorrectionForm(NoteForm):
    correction_reason = forms.CharField(
        label="Powód korekty", max_length=300, help_text="Pierwotna notatka zostaje bez zmian."
    )


class VisitPlanForm(forms.Form):
    planned_on = forms.DateField(label="Data wizyty", widget=DATE)
    planned_time = forms.TimeField(
        label="Godzina", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    purpose = forms.CharField(label="Cel wizyty", max_length=300)
    worker = forms.TypedChoiceField(label="Pracownik", coerce=int)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [(w.pk, w.get_full_name() or w.username) for w in workers]


class VisitRecordForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    occurred_on = forms.DateField(label="Data wizyty", widget=DATE)
    text = forms.CharField(
        label="Przebieg i ustalenia", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Zapisanie tworzy notatkę w chronologii i zamyka wizytę.",
    )  # fmt: skip


class VisitCancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    cancel_reason = forms.CharField(label="Powód odwołania", max_length=300)


class ContractForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    person = forms.TypedChoiceField(label="Osoba zawierająca kontrakt", coerce=int)
    kind = forms.ChoiceField(
        label="Rodzaj kontraktu", choices=[(k.value, CONTRACT_KIND_LABELS[k]) for k in ContractKind]
    )
    situation = forms.CharField(
        label="Ocena sytuacji osoby/rodziny", widget=forms.Textarea(attrs={"rows": 4})
    )
    causes = forms.CharField(
        label="Przyczyny trudnej sytuacji życiowej",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    strengths = forms.CharField(
        label="Mocne strony, zasoby i możliwości",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    limitations = forms.CharField(
        label="Ograniczenia i bariery", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    main_goal = forms.CharField(label="Cel główny", widget=forms.Textarea(attrs={"rows": 2}))
    specific_goals = forms.CharField(
        label="Cele szczegółowe", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_effects = forms.CharField(
        label="Przewidywane efekty", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    other_terms = forms.CharField(
        label="Inne ustalenia", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    valid_from = forms.DateField(label="Okres obowiązywania od", widget=DATE)
    valid_to = forms.DateField(label="Okres obowiązywania do", widget=DATE)

    def __init__(self, *args, persons=(), adult_age: int = 18, **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = {p.pk: p for p in persons}
        self.adult_age = adult_age
        choices = [(p.pk, p.full_name) for p in persons]
        self.fields["person"].choices = choices  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        person = self.persons.get(data.get("person"))
        on = data.get("valid_from")
        # Art. 108 u.p.s. with art. 10 § 1 k.c.: only an adult contracts for the family.
        adult = person is None or on is None or is_adult(person.birth_date, on, self.adult_age)
        if not adult:
            self.add_error(
                "person",
                f"Kontrakt zawiera osoba pełnoletnia — {person.full_name} nie ma ukończonych "
                f"{self.adult_age} lat w dniu {on:%d.%m.%Y}.",
            )
        return data


class ActionRowForm(forms.Form):
    """One action of the contract: who, what, by when (a row of a formset, issue 17)."""

    party = forms.ChoiceField(label="Kto realizuje", choices=ActionParty.choices)
    description = forms.CharField(label="Działanie", required=False, max_length=500)
    due_on = forms.DateField(label="Termin", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        n = _row_number(self.prefix)
        self.fields["party"].label = f"Kto realizuje działanie {n}"
        self.fields["description"].label = f"Działanie {n}"
        self.fields["due_on"].label = f"Termin działania {n}"

    def clean(self):
        data = super().clean()
        if data.get("due_on") and not data.get("description"):
            self.add_error("description", "Podaj opis działania albo usuń jego termin.")
        return data


class ReviewDateForm(forms.Form):
    due_on = forms.DateField(label="Termin przeglądu", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].label = f"Termin przeglądu {_row_number(self.prefix)}"


def _row_number(prefix: str | None) -> int:
    """Rows are numbered from 1 in their labels, so each field has its own accessible name."""
    tail = (prefix or "").rsplit("-", 1)[-1]
    return int(tail) + 1 if tail.isdigit() else 1


class PlanActionRowForm(forms.Form):
    """One action of an assistance plan: what, who, by when (a row, like the contract's)."""

    description = forms.CharField(label="Działanie", required=False, max_length=500)
    responsible = forms.CharField(label="Kto", required=False, max_length=200)
    due_on = forms.DateField(label="Termin", required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        n = _row_number(self.prefix)
        self.fields["description"].label = f"Działanie {n}"
        self.fields["responsible"].label = f"Kto realizuje działanie {n}"
        self.fields["responsible"].help_text = "Puste: osoba/rodzina." if n == 1 else ""
        self.fields["due_on"].label = f"Termin działania {n}"

    def clean(self):
        data = super().clean()
        if (data.get("due_on") or data.get("responsible")) and not data.get("description"):
            self.add_error("description", "Podaj opis działania albo wyczyść pozostałe pola.")
        return data


ActionFormSet = forms.formset_factory(ActionRowForm, extra=2, max_num=40)
PlanActionFormSet = forms.formset_factory(PlanActionRowForm, extra=2, max_num=40)
ReviewDateFormSet = forms.formset_factory(ReviewDateForm, extra=1, max_num=20)


class SignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    worker_signed_on = forms.DateField(
        label="Data podpisu pracownika socjalnego", widget=DATE, error_messages=WORKER_SIGNED
    )
    person_signed_on = forms.DateField(
        label="Data podpisu osoby", widget=DATE, error_messages=PERSON_SIGNED
    )
    consequences_explained = forms.BooleanField(
        label="Osoba została pouczona o skutkach niedotrzymania kontraktu (art. 11 ust. 2 u.p.s.)",
        required=False,
    )


class ReviewForm(forms.Form):
    review = forms.TypedChoiceField(label="Termin przeglądu", coerce=int)
    held_on = forms.DateField(label="Data przeglądu", widget=DATE)
    findings = forms.CharField(label="Ustalenia", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, reviews=(), **kwargs):
        """``reviews``: the contract's open reviews — only they can be chosen, so a review of
        another contract is refused at the field."""
        super().__init__(*args, **kwargs)
        self.reviews = {r.pk: r for r in reviews}
        self.fields["review"].choices = [(r.pk, f"{r.due_on:%d.%m.%Y}") for r in reviews]


class ReviewPlanForm(forms.Form):
    due_on = forms.DateField(label="Termin kolejnego przeglądu", widget=DATE)


class BreachForm(forms.Form):
    occurred_on = forms.DateField(label="Data naruszenia", widget=DATE)
    description = forms.CharField(label="Opis naruszenia", widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label="Zakończenie",
        choices=[
            (ContractStatus.COMPLETED.value, "zrealizowany"),
            (ContractStatus.TERMINATED.value, "rozwiązany przed terminem"),
        ],
    )
    ended_on = forms.DateField(label="Data zakończenia", widget=DATE)
    evaluation = forms.CharField(
        label="Ocena realizacji kontraktu", widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label="Powód rozwiązania (przy rozwiązaniu)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnnexForm(forms.Form):
    """Aneks (art. 108 u.p.s.): what changes, and both signatures; its new actions are the
    rows of an :data:`ActionFormSet`, like the contract's own (issue 17)."""

    changes = forms.CharField(label="Treść zmian", widget=forms.Textarea(attrs={"rows": 3}))
    new_valid_to = forms.DateField(label="Nowy termin obowiązywania", required=False, widget=DATE)
    worker_signed_on = forms.DateField(
        label="Data podpisu pracownika socjalnego", widget=DATE, error_messages=WORKER_SIGNED
    )
    person_signed_on = forms.DateField(
        label="Data podpisu osoby", widget=DATE, error_messages=PERSON_SIGNED
    )
    # The contract's version when the page was read: two annexes typed at once from the same
    # page — the second is refused with the conflict message, not a server error.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanForm(forms.Form):
    kind = forms.ChoiceField(
        label="Rodzaj", choices=[(k.value, PLAN_KIND_LABELS[k]) for k in PlanKind]
    )
    title = forms.CharField(label="Tytuł", max_length=200)
    goals = forms.CharField(label="Cele", widget=forms.Textarea(attrs={"rows": 4}))
    valid_from = forms.DateField(label="Od dnia", widget=DATE)
    valid_to = forms.DateField(label="Do dnia", required=False, widget=DATE)
    next_review_on = forms.DateField(label="Pierwszy przegląd", required=False, widget=DATE)


class PlanReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    held_on = forms.DateField(label="Data przeglądu", widget=DATE)
    findings = forms.CharField(label="Ocena postępów", widget=forms.Textarea(attrs={"rows": 3}))
    next_review_on = forms.DateField(label="Następny przegląd", required=False, widget=DATE)
    close_as = forms.ChoiceField(
        label="Stan planu po przeglądzie",
        choices=[
            ("", "w realizacji"),
            (PlanStatus.ACHIEVED.value, "zrealizowany — zakończ"),
            (PlanStatus.ENDED.value, "zakończony bez realizacji"),
        ],
        required=False,
    )


class ProtectForm(forms.Form):
    reason = forms.CharField(
        label="Powód", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Np. procedura „Niebieska Karta”. Zapisywany w dzienniku zdarzeń.",
    )  # fmt: skip


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Powód otwarcia sprawy chronionej", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Dostęp na 60 minut. Powód trafia do dziennika zdarzeń i jest widoczny "
        "dla kierownika.",
    )  # fmt: skip


class ReassignForm(forms.Form):
    worker = forms.TypedChoiceField(label="Pracownik przejmujący", coerce=int)
    kind = forms.ChoiceField(
        label="Rodzaj", choices=[(k.value, ASSIGNMENT_KIND_LABELS[k]) for k in AssignmentKind]
    )
    starts_on = forms.DateField(label="Od dnia", widget=DATE)
    ends_on = forms.DateField(label="Do dnia (zastępstwo)", required=False, widget=DATE)
    reason = forms.CharField(label="Powód", max_length=300)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [(w.pk, w.get_full_name() or w.username) for w in workers]

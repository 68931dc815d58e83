"""Forms of the decision desk (labels and messages in Polish)."""

from __future__ import annotations

from typing import cast

from django import forms

from ostoja.core.forms import FastSelect
from ostoja.decisions.catalog import BENEFIT_CHOICES
from ostoja.decisions.choices import (
    DRAFT_PAYMENT_METHODS,
    AppealOutcome,
    DecisionKind,
    DecisionStatus,
    DeliveryChannel,
    PaymentMethodChoice,
)
from ostoja.decisions.selectors.register import ISSUED, LATE, ON_TIME
from ostoja.decisions.signing import METHODS as SIGNATURE_METHODS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label="Szukaj (numer, znak sprawy, adresat)", required=False)
    kind = forms.ChoiceField(
        label="Rodzaj", required=False, choices=[("", "— wszystkie —"), *DecisionKind.choices]
    )
    benefit = forms.ChoiceField(
        label="Świadczenie", required=False, choices=[("", "— wszystkie —"), *BENEFIT_CHOICES]
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "— wszystkie —"),
            (ISSUED, "— wydane (podpisane, bez projektów) —"),
            *DecisionStatus.choices,
        ],
    )
    worker = forms.TypedChoiceField(
        label="Pracownik",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        widget=FastSelect,  # issue 19: hundreds of staff, rendered without a template each
    )
    date_from = forms.DateField(label="Wydane od", required=False, widget=DATE)
    date_to = forms.DateField(label="Wydane do", required=False, widget=DATE)
    terminowosc = forms.ChoiceField(
        label="Termin załatwienia (art. 35 KPA)",
        required=False,
        choices=[
            ("", "— wszystkie —"),
            (ON_TIME, "wydane w terminie"),
            (LATE, "wydane po terminie"),
        ],
    )

    def __init__(
        self, *args: object, workers: list[tuple[int, str]] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ChoiceField, self.fields["worker"]).choices = [
            ("", "— wszyscy —"),
            *(workers or []),
        ]


class DraftForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    justification = forms.CharField(
        label="Uzasadnienie faktyczne i prawne",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Projekt przygotowano z wyliczenia i wywiadu; każda zmiana jest zapisywana.",
    )
    immediate = forms.BooleanField(
        label="Nadać rygor natychmiastowej wykonalności (art. 108 § 1 KPA)", required=False
    )
    immediate_reason = forms.CharField(
        label="Powód nadania rygoru",
        required=False,
        max_length=300,
        help_text="Np. ochrona zdrowia lub życia, zapobieżenie poważnej szkodzie.",
    )


class LineForm(forms.Form):
    benefit = forms.ChoiceField(label="Świadczenie", choices=BENEFIT_CHOICES)
    granted = forms.BooleanField(label="Przyznane", required=False)
    amount = forms.DecimalField(label="Kwota (zł)", max_digits=12, decimal_places=2, min_value=0)
    period_from = forms.DateField(label="Okres od", widget=DATE)
    period_to = forms.DateField(
        label="Okres do (wyłącznie)",
        required=False,
        widget=DATE,
        help_text="Pierwszy dzień bez świadczenia; puste — bezterminowo.",
    )
    one_off = forms.BooleanField(label="Jednorazowo", required=False)
    payment_method = forms.ChoiceField(label="Sposób wypłaty", choices=PaymentMethodChoice.choices)
    account_number = forms.CharField(label="Numer rachunku (NRB)", required=False, max_length=32)
    payment_day = forms.IntegerField(label="Dzień wypłaty", min_value=1, max_value=28)
    purpose = forms.CharField(label="Przeznaczenie", required=False, max_length=200)


LineFormSet = forms.formset_factory(LineForm, extra=0, can_delete=False)


class SignForm(forms.Form):
    authorisation = forms.TypedChoiceField(label="Upoważnienie", coerce=int, choices=[])
    signature_method = forms.ChoiceField(
        label="Sposób podpisania oryginału",
        choices=list(SIGNATURE_METHODS.items()),
        initial="odreczny",
        help_text="Podpis odręczny — oryginał papierowy (poczta, odbiór osobisty). Podpis "
        "elektroniczny — plik PDF z kwalifikowanym podpisem (e-Doręczenia).",
    )


class SendForm(forms.Form):
    channel = forms.ChoiceField(
        label="Sposób wysyłki",
        choices=[c for c in DeliveryChannel.choices if c[0] != DeliveryChannel.IN_PERSON],
    )


class DeliverForm(forms.Form):
    channel = forms.ChoiceField(label="Sposób doręczenia", choices=DeliveryChannel.choices)
    delivered_on = forms.DateField(label="Data doręczenia", widget=DATE)


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Uwagi", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class AppealForm(forms.Form):
    lodged_on = forms.DateField(label="Data wniesienia odwołania", widget=DATE)
    note = forms.CharField(label="Uwagi", required=False, max_length=500)


class WaiveForm(forms.Form):
    received_on = forms.DateField(
        label="Data doręczenia oświadczenia o zrzeczeniu się odwołania", widget=DATE
    )
    note = forms.CharField(label="Uwagi", required=False, max_length=300)


class AppealOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Rozstrzygnięcie SKO",
        choices=[c for c in AppealOutcome.choices if c[0] != AppealOutcome.SELF_CORRECTED],
    )
    outcome_on = forms.DateField(label="Data rozstrzygnięcia", widget=DATE)
    sko_reference = forms.CharField(label="Sygnatura SKO", required=False, max_length=60)


class AmendForm(forms.Form):
    kind = forms.ChoiceField(
        label="Rodzaj",
        choices=[
            (k.value, k.label)
            for k in (DecisionKind.CHANGE, DecisionKind.REVOCATION, DecisionKind.EXPIRY)
        ],
    )
    effective_from = forms.DateField(
        label="Skutek od dnia", widget=DATE, help_text="Zmiana działa tylko na przyszłość."
    )
    reason = forms.CharField(label="Przyczyna", max_length=500)


class RectifyForm(forms.Form):
    text = forms.CharField(
        label="Treść sprostowania (art. 113 § 1 KPA)",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Np. „w pkt 1 sentencji w miejsce «ul. Źródłowej 12» winno być «ul. Źródłowej "
        "21»”.",
    )


class DraftFromApplicationForm(forms.Form):
    # The calculations ticked, one per form of help; the service checks they belong to the
    # application (the choices are only for the refused form's redisplay).
    calculations = forms.TypedMultipleChoiceField(
        label="Obliczenia", coerce=int, required=False, choices=[]
    )
    separate = forms.BooleanField(label="Osobna decyzja dla każdej formy", required=False)
    account_number = forms.CharField(label="Numer rachunku (NRB)", required=False, max_length=32)
    amount_reason = forms.CharField(
        label="Dlaczego ta kwota (uzasadnienie wysokości)", required=False, max_length=1000
    )
    period_reason = forms.CharField(label="Dlaczego ten okres", required=False, max_length=1000)
    payment_method = forms.ChoiceField(
        label="Sposób wypłaty",
        required=False,
        choices=DRAFT_PAYMENT_METHODS,
    )


class AnyOfMultipleChoice(forms.MultipleChoiceField):
    """Ticked codes passed on as they are: the service checks them against the application
    with its own Polish message (the choices only redisplay the form)."""

    def valid_value(self, value: object) -> bool:
        return True


class DiscontinueForm(forms.Form):
    """Umorzenie postępowania (art. 105 KPA) for the forms of help ticked; the reason is
    checked by the service (its Polish message at the field). ``benefits`` choices are the
    application's undecided forms, set by the view."""

    benefits = AnyOfMultipleChoice(label="Formy pomocy do umorzenia", required=False)
    reason = forms.CharField(label="Przyczyna umorzenia", required=False, max_length=500)

"""Forms of the care pages (Polish labels); rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms

from ostoja.care.policy import (
    SCOPE_ITEMS,
    CareKind,
    EmergencyBasis,
    EventKind,
    FuneralRecovery,
    InstitutionKind,
)
from ostoja.core.forms import FeeExemptionFields
from ostoja.law.benefits.powiat import LEAVING_CARE_KINDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what type=date reads
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


PAPER_DAY_LABEL = "Decyzja papierowa ostateczna lub wykonalna od"
PAPER_DAY_HELP = (
    "Tylko dla decyzji wydanej poza Ostoją (papierowej): dzień, w którym stała się ostateczna "
    "albo otrzymała rygor natychmiastowej wykonalności (art. 130 KPA). Godzin za wcześniejsze "
    "miesiące się nie rozlicza."
)


class PaperDayForm(forms.Form):
    """The day a paper decision became enforceable, for an order typed before it was asked."""

    paper_enforceable_from = forms.DateField(
        label=PAPER_DAY_LABEL, widget=DATE, help_text=PAPER_DAY_HELP
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DayCorrectionForm(forms.Form):
    """A proposed correction of a typed paper decision's day (confirmed by another person)."""

    new_day = forms.DateField(
        label="Poprawiony dzień: decyzja ostateczna lub wykonalna od",
        widget=DATE,
        help_text="Sprostowanie wchodzi w życie dopiero po zatwierdzeniu przez inną osobę z "
        "uprawnieniem w tej jednostce. Miesięcy już rozliczonych się nie zmienia.",
    )
    reason = forms.CharField(
        label="Uzasadnienie", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    evidence = forms.CharField(
        label="Dowód (dokument papierowy)",
        max_length=200,
        help_text="Np. decyzja z adnotacją o ostateczności, zwrotne potwierdzenie odbioru.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DayDecisionForm(forms.Form):
    """Confirm or reject (withdraw) a pending correction; refusals show on this form."""

    correction = forms.IntegerField(widget=forms.HiddenInput)


class MonthCorrectionForm(forms.Form):
    """Corrected hours of a billed month: a correcting bill, issued by another person."""

    hours_delivered = forms.DecimalField(
        label="Godziny zrealizowane po korekcie (karta pracy)",
        min_value=0,
        decimal_places=2,
        help_text="Rachunku już wystawionego się nie zmienia: korektę zatwierdza i rachunek "
        "korygujący wystawia inna osoba z uprawnieniem do rachunków.",
    )
    reason = forms.CharField(
        label="Przyczyna korekty", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    month = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MonthReceivableForm(forms.Form):
    """Turning one overdue bill into a receivable: only the version the page was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MonthActionForm(forms.Form):
    """Billing a reported month or recording its payment: only the version the order's page
    was read at (a second click from a stale page is refused, nothing saved)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MonthPaymentForm(MonthActionForm):
    """A client's payment for a billed month: how much and when (issue 15). Both may be left
    out — the row's one-click button records all that is left to pay, today."""

    amount = forms.DecimalField(
        label="Kwota wpłaty (zł)", max_digits=12, decimal_places=2, required=False
    )
    paid_on = forms.DateField(label="Data wpłaty", widget=DATE, required=False)


class MonthRefundForm(MonthActionForm):
    """A refund paid back to the client for a month (finance, issue 15): how much, when, and the
    document of the transfer or cash slip."""

    amount = forms.DecimalField(label="Kwota zwrotu (zł)", max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label="Data zwrotu", widget=DATE)
    reference = forms.CharField(
        label="Dokument zwrotu",
        max_length=120,
        help_text="Numer przelewu albo dowodu wypłaty z kasy (KW).",
    )


class MonthField(forms.DateField):
    """A month typed as RRRR-MM (the browser's month picker)."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]
    widget = MONTH


def _extent_fields() -> tuple[forms.Field, ...]:
    """The extent and scope a care decision sets (art. 50 ust. 4 u.p.s.), as the order form and
    the change form ask for them (fresh fields for each form class)."""
    return (
        forms.MultipleChoiceField(
            label="Zakres usług", choices=SCOPE_ITEMS, widget=forms.CheckboxSelectMultiple
        ),
        forms.DecimalField(label="Godzin dziennie", min_value=0, decimal_places=2),
        forms.IntegerField(label="Dni w tygodniu", min_value=1, max_value=7),
        forms.DecimalField(label="Godzin w miesiącu (limit)", min_value=0, decimal_places=2),
    )


class CareOrderForm(FeeExemptionFields):
    case = forms.TypedChoiceField(label="Sprawa (rodzina)", coerce=int)
    decision_number = forms.CharField(
        label="Numer decyzji",
        max_length=60,
        required=False,
        help_text=(
            "Numer decyzji z rejestru Ostoi albo wydanej na papierze. Pozostaw puste, jeśli "
            "decyzję przygotujesz w Ostoi na stronie zlecenia."
        ),
    )
    paper_enforceable_from = forms.DateField(
        label=PAPER_DAY_LABEL,
        required=False,
        widget=DATE,
        help_text=PAPER_DAY_HELP,
    )
    service_kind = forms.ChoiceField(label="Rodzaj usług", choices=CareKind.choices)
    scope, hours_per_day, days_per_week, hours_per_month = _extent_fields()
    period_from = forms.DateField(label="Okres od", widget=DATE)
    period_until = forms.DateField(label="Okres do (włącznie)", widget=DATE)
    place = forms.CharField(label="Miejsce świadczenia usług", max_length=300)
    living_alone = forms.BooleanField(label="Osoba samotna (limit 8 h dziennie)", required=False)
    contract = forms.TypedChoiceField(label="Wykonawca i umowa", coerce=int)
    income = forms.DecimalField(
        label="Dochód (osoby samotnej albo na osobę w rodzinie), zł",
        min_value=0,
        decimal_places=2,
        help_text="Z ostatniego wywiadu; stawkę odpłatności wylicza tabela opłat.",
    )
    single = forms.BooleanField(label="Osoba samotnie gospodarująca", required=False)
    # Zwolnienie z opłaty na wniosek (art. 50 ust. 6 u.p.s.): optional, checked with the other
    # fields by the service (``core.exemption.exemption_of``).
    exemption_percent = forms.DecimalField(
        label="Zwolnienie częściowe: procent opłaty objęty zwolnieniem",
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text="Np. 50 — klient płaci połowę stawki z tabeli.",
    )

    def __init__(self, *args: Any, cases: Any, contracts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(c.pk, f"{c.household.name} (nr {c.pk})") for c in cases]
        self.fields["contract"].choices = [
            (c.pk, f"{c.provider.name} — umowa {c.number}, {c.hourly_rate} zł/h") for c in contracts
        ]


class OrderChangeForm(FeeExemptionFields):
    """Zmiana decyzji o usługach od miesiąca (decyzja zmieniająca, art. 106 ust. 5 u.p.s.): the
    extent and scope (prefilled with those in force; art. 50 ust. 4), the client's income now
    for a new fee and an exemption on request (art. 50 ust. 6)."""

    effective_from = MonthField(
        label="Zmiana od miesiąca",
        help_text="Zmiana działa na przyszłość: najwcześniej od bieżącego miesiąca.",
    )
    scope, hours_per_day, days_per_week, hours_per_month = _extent_fields()
    extent_reason = forms.CharField(
        label="Okoliczności uzasadniające zmianę wymiaru lub zakresu (do uzasadnienia decyzji)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Wymagane, gdy zmieniasz wymiar lub zakres — np. wynik aktualizacji wywiadu.",
    )
    requested_on = forms.DateField(
        label="Wniosek Strony o zmianę z dnia",
        required=False,
        widget=DATE,
        help_text="Jeżeli zmiany chce klient; puste — zmiana z urzędu (art. 106 ust. 5 u.p.s.).",
    )
    paper_issued_on = forms.DateField(
        label="Data wydania zmienianej decyzji papierowej",
        required=False,
        widget=DATE,
        help_text="Decyzja zmieniająca wskazuje decyzję papierową numerem i datą wydania.",
    )
    income = forms.DecimalField(
        label="Dochód obecnie (osoby samotnej albo na osobę w rodzinie), zł",
        min_value=0,
        decimal_places=2,
        required=False,
        help_text="Podaj, gdy zmienia się odpłatność — stawkę z tabeli wylicza system; puste: "
        "odpłatność bez zmian.",
    )
    single = forms.BooleanField(label="Osoba samotnie gospodarująca", required=False)
    exemption_percent = forms.DecimalField(
        label="Zwolnienie częściowe: procent opłaty objęty zwolnieniem",
        required=False,
        max_digits=5,
        decimal_places=2,
    )

    def __init__(self, *args: Any, paper_date_asked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not paper_date_asked:  # a decision in the register, or the date known already
            del self.fields["paper_issued_on"]


class MonthReportForm(forms.Form):
    month = MonthField(label="Miesiąc")
    hours_delivered = forms.DecimalField(
        label="Godziny zrealizowane (karta pracy)", min_value=0, decimal_places=2
    )
    carer = forms.TypedChoiceField(label="Opiekun", coerce=int, required=False, empty_value=None)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, carers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carer"].choices = [("", "—")] + [(c.pk, str(c)) for c in carers]


class InvoiceForm(forms.Form):
    provider = forms.TypedChoiceField(label="Wykonawca", coerce=int)
    number = forms.CharField(label="Numer faktury", max_length=60)
    month = MonthField(label="Miesiąc usług")
    hours_invoiced = forms.DecimalField(label="Godziny na fakturze", min_value=0, decimal_places=2)
    amount_invoiced = forms.DecimalField(label="Kwota faktury, zł", min_value=0, decimal_places=2)

    def __init__(self, *args: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p.pk, p.name) for p in providers]


class ServiceEventForm(forms.Form):
    kind = forms.ChoiceField(label="Rodzaj pomocy", choices=EventKind.choices)
    case = forms.TypedChoiceField(label="Sprawa (rodzina)", coerce=int)
    occurred_on = forms.DateField(label="Data", widget=DATE)
    decision_number = forms.CharField(
        label="Numer decyzji",
        max_length=60,
        required=False,
        help_text="Tylko gdy ustawa wymaga decyzji (art. 106 ust. 1 u.p.s.).",
    )
    emergency_basis = forms.ChoiceField(
        label="Pomoc bez decyzji — podstawa", choices=EmergencyBasis.choices, required=False
    )
    quantity = forms.IntegerField(label="Liczba (posiłki, noce, sesje)", min_value=1, initial=1)
    amount = forms.DecimalField(label="Koszt, zł", min_value=0, decimal_places=2, required=False)
    description = forms.CharField(
        label="Szczegóły (trasa biletu, zmarły, rodzaj porady)", max_length=300, required=False
    )
    stay_until = forms.DateField(
        label="Pobyt w ośrodku interwencji kryzysowej do", widget=DATE, required=False
    )
    income = forms.DecimalField(
        label="Dochód (posiłek z decyzją: próg 200% kryterium), zł",
        min_value=0,
        decimal_places=2,
        required=False,
    )
    single = forms.BooleanField(label="Osoba samotnie gospodarująca", required=False)
    recovery_route = forms.ChoiceField(
        label="Zwrot kosztów pogrzebu z", choices=FuneralRecovery.choices, required=False
    )

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(c.pk, f"{c.household.name} (nr {c.pk})") for c in cases]


class LeavingCareForm(forms.Form):
    case = forms.TypedChoiceField(label="Sprawa (osoba usamodzielniana)", coerce=int)
    institution_kind = forms.ChoiceField(label="Rodzaj placówki", choices=InstitutionKind.choices)
    institution_name = forms.CharField(label="Nazwa placówki", max_length=200)
    left_on = forms.DateField(label="Data opuszczenia placówki", widget=DATE)
    stay_months = forms.IntegerField(label="Okres pobytu (miesiące)", min_value=0, max_value=400)
    guardian_name = forms.CharField(label="Opiekun usamodzielnienia", max_length=200)
    goals = forms.CharField(label="Cele i działania programu", widget=forms.Textarea)
    agreed_on = forms.DateField(label="Data uzgodnienia programu", widget=DATE)

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(c.pk, f"{c.household.name} (nr {c.pk})") for c in cases]


class LeavingCareHelpForm(forms.Form):
    kind = forms.ChoiceField(label="Rodzaj pomocy", choices=list(LEAVING_CARE_KINDS.items()))
    age = forms.IntegerField(label="Wiek osoby usamodzielnianej (lata)", min_value=16, max_value=40)


class IntegrationForm(forms.Form):
    case = forms.TypedChoiceField(label="Sprawa (cudzoziemiec)", coerce=int)
    family_size = forms.IntegerField(label="Liczba osób w rodzinie", min_value=1, max_value=20)
    starts_on = forms.DateField(label="Początek programu", widget=DATE)
    obligations = forms.CharField(label="Zobowiązania cudzoziemca", widget=forms.Textarea)

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [(c.pk, f"{c.household.name} (nr {c.pk})") for c in cases]


class IntegrationReviewForm(forms.Form):
    reviewed_on = forms.DateField(label="Data oceny", widget=DATE)
    obligations_met = forms.BooleanField(label="Zobowiązania są wypełniane", required=False)
    findings = forms.CharField(label="Ustalenia", widget=forms.Textarea)


class IntegrationEndForm(forms.Form):
    ended_on = forms.DateField(label="Data zakończenia", widget=DATE)
    end_reason = forms.CharField(label="Przyczyna zakończenia", max_length=300)
    broken = forms.BooleanField(
        label="Program przerwany (zobowiązania niewypełniane)", required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CareDecisionForm(forms.Form):
    """Drafting the decision behind an order, a form of leaving-care help or an integration
    programme: how it is paid and whether it is immediately enforceable (art. 108 § 1 KPA)."""

    account_number = forms.CharField(
        label="Numer rachunku bankowego (26 cyfr)", max_length=40, required=False
    )
    education_until = forms.DateField(
        label="Nauka trwa do (pomoc na kontynuowanie nauki)", required=False, widget=DATE
    )
    immediate = forms.BooleanField(label="Rygor natychmiastowej wykonalności", required=False)
    immediate_reason = forms.CharField(
        label="Powód rygoru natychmiastowej wykonalności", max_length=300, required=False
    )
    help = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Which fields each page shows: an order's services are in kind (no account), only help
    # for continuing education has an end of schooling.
    DROP = {
        "order": ("account_number", "education_until", "help"),
        "integration": ("education_until", "help"),
        "leaving": ("education_until",),
        "education": (),
    }

    def __init__(self, *args: Any, page: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.DROP.get(page, ()):
            del self.fields[name]

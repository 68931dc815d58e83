"""Writes of the care context. Each user action is one transaction, validated (Polish messages
naming the field), audited (django-auditlog on every model), and written to the family's
timeline. Time is an input: ``on``/``now`` are required keywords."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum

from ostoja.care import selectors
from ostoja.care.models import (
    CareMonth,
    CareOrder,
    Carer,
    IntegrationProgramme,
    IntegrationReview,
    LeavingCareHelp,
    LeavingCareProgramme,
    Provider,
    ProviderContract,
    ProviderInvoice,
    ServiceEvent,
)
from ostoja.care.policy import (
    CARE_BUDGET_LINE,
    CARE_FEE_TABLE,
    EVENT_BASIS,
    EVENT_BUDGET_LINE,
    SCOPE_LABELS,
    CareKind,
    EmergencyBasis,
    EventKind,
    FuneralRecovery,
    MonthStatus,
    ProgrammeStatus,
    ProviderKind,
    decision_required,
)
from ostoja.cases import services as cases_services
from ostoja.cases.models import Case
from ostoja.core.concurrency import save_versioned
from ostoja.core.dates import noon, shift_months
from ostoja.core.errors import ConflictError, DomainError, NotPermitted, ValidationFailed
from ostoja.law.benefits.posilek_program import meal_threshold
from ostoja.law.benefits.powiat import (
    LEAVING_CARE_KINDS,
    integration_benefit,
    leaving_care_amount,
)
from ostoja.law.benefits.uslugi_rozliczenie import care_fee_rate, care_month_settlement
from ostoja.law.money import pln
from ostoja.law.store import default_store

SOURCE = "care"
TIMELINE_KIND = "uslugi"
# The client's bill states a payment date this many days after it is issued (the centre's
# practice; a council resolution may not set it — services.md §0).
BILL_PAYMENT_DAYS = 14
ZERO = Decimal("0")


def _need(actor: Any, perm: str, case: Any = None) -> None:
    """The role (``perm``) and, for a family's record, the scope (unit subtree or assignment)."""
    if not actor.has_perm(perm):
        raise NotPermitted("Brak uprawnień do tej operacji.")
    if case is not None and not selectors.case_in_scope(user=actor, case=case):
        raise NotPermitted("Ta sprawa należy do innej jednostki.")


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed({field: [message]})


def _timeline(case: Case | None, title: str, detail: str, on: date, actor: Any, src: str) -> None:
    if case is None:
        return
    cases_services.timeline_record(
        case=case,
        kind=TIMELINE_KIND,
        title=title,
        detail="" if case.protected else detail,
        occurred_at=noon(on),
        actor=actor,
        source=(SOURCE, src),
    )


def _member_of(case: Case | None, person: Any) -> None:
    if case is not None and not case.household.memberships.filter(person=person).exists():
        raise _fail("person", "Osoba nie należy do rodziny tej sprawy.")


def first_of_month(day: date) -> date:
    return day.replace(day=1)


# ------------------------------------------------------------------ providers


@transaction.atomic
def provider_create(
    *,
    name: str,
    kind: str,
    nip: str = "",
    not_family_declared: bool = False,
    fitness_declared_on: date | None = None,
    first_aid_training_on: date | None = None,
    lives_nearby: bool = False,
    actor: Any,
) -> Provider:
    """Register a provider. A neighbour (usługi sąsiedzkie, art. 50 ust. 2a–2c u.p.s.) must not
    be family, must have declared fitness and live nearby; first-aid training may follow."""
    _need(actor, "care.manage")
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Podaj nazwę wykonawcy."]
    if kind not in ProviderKind.values:
        errors["kind"] = ["Wybierz rodzaj wykonawcy."]
    if kind == ProviderKind.NEIGHBOUR:
        if not not_family_declared:
            errors["not_family_declared"] = [
                "Usługi sąsiedzkie: osoba nie może być członkiem rodziny ani krewnym "
                "zobowiązanym (art. 50 ust. 2b u.p.s.)."
            ]
        if fitness_declared_on is None:
            errors["fitness_declared_on"] = ["Podaj datę oświadczenia o zdolności do pracy."]
        if not lives_nearby:
            errors["lives_nearby"] = ["Usługi sąsiedzkie świadczy osoba z najbliższego sąsiedztwa."]
    if errors:
        raise ValidationFailed(errors)
    return Provider.objects.create(
        name=name.strip(),
        kind=kind,
        nip=nip,
        not_family_declared=not_family_declared,
        fitness_declared_on=fitness_declared_on,
        first_aid_training_on=first_aid_training_on,
        lives_nearby=lives_nearby,
    )


@transaction.atomic
def contract_add(
    *,
    provider: Provider,
    number: str,
    service_kind: str,
    hourly_rate: Decimal,
    valid_from: date,
    valid_to: date | None,
    actor: Any,
) -> ProviderContract:
    """A contract with an hourly rate and its half-open validity; two contracts of one
    provider for one kind of service may not overlap."""
    _need(actor, "care.manage")
    errors: dict[str, list[str]] = {}
    if not number.strip():
        errors["number"] = ["Podaj numer umowy."]
    if hourly_rate is None or hourly_rate <= 0:
        errors["hourly_rate"] = ["Cena za godzinę musi być większa od zera."]
    if valid_to is not None and valid_to <= valid_from:
        errors["valid_to"] = ["Koniec obowiązywania musi być po jego początku."]
    if service_kind not in CareKind.values:
        errors["service_kind"] = ["Wybierz rodzaj usług."]
    if errors:
        raise ValidationFailed(errors)
    for other in ProviderContract.objects.filter(provider=provider, service_kind=service_kind):
        if (other.valid_to is None or other.valid_to > valid_from) and (
            valid_to is None or valid_to > other.valid_from
        ):
            raise _fail("valid_from", f"Okres nakłada się na umowę {other.number}.")
    try:
        with transaction.atomic():
            return ProviderContract.objects.create(
                provider=provider,
                number=number.strip(),
                service_kind=service_kind,
                hourly_rate=hourly_rate,
                valid_from=valid_from,
                valid_to=valid_to,
            )
    except IntegrityError as exc:
        raise ConflictError(f"Umowa {number} tego wykonawcy już istnieje.") from exc


@transaction.atomic
def carer_add(
    *, provider: Provider, first_name: str, last_name: str, qualification: str = "", actor: Any
) -> Carer:
    _need(actor, "care.manage")
    if not first_name.strip() or not last_name.strip():
        raise _fail("last_name", "Podaj imię i nazwisko opiekuna.")
    return Carer.objects.create(
        provider=provider,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        qualification=qualification,
    )


def contract_in_force(*, contract: ProviderContract, on: date) -> bool:
    return contract.valid_from <= on and (contract.valid_to is None or on < contract.valid_to)


# ------------------------------------------------------------------ care orders


@transaction.atomic
def care_order_create(
    *,
    case: Case,
    person: Any,
    decision_number: str,
    service_kind: str,
    scope: list[str],
    hours_per_day: Decimal,
    days_per_week: int,
    hours_per_month: Decimal,
    period_from: date,
    period_until: date,
    place: str,
    living_alone: bool,
    contract: ProviderContract,
    income: Decimal,
    single: bool,
    actor: Any,
    on: date,
    decision: Any = None,
) -> CareOrder:
    """Record the order of a care-services decision (art. 50 u.p.s.): scope, hours, period,
    place and provider. The fee rate comes from the law core's fee table for the client's
    income (art. 50 ust. 6 Kielce table; ust. 7 national SUO table); the Kielce hours limit
    (6 h a day, 8 h for a person living alone) is checked."""
    _need(actor, "care.manage", case)
    errors: dict[str, list[str]] = {}
    if not decision_number.strip():
        errors["decision_number"] = ["Podaj numer decyzji przyznającej usługi."]
    if service_kind not in CareKind.values:
        errors["service_kind"] = ["Wybierz rodzaj usług."]
    bad_scope = [s for s in scope if s not in SCOPE_LABELS]
    if not scope or bad_scope:
        errors["scope"] = ["Zaznacz zakres usług z listy."]
    if hours_per_day is None or hours_per_day <= 0:
        errors["hours_per_day"] = ["Liczba godzin dziennie musi być większa od zera."]
    if not 1 <= days_per_week <= 7:
        errors["days_per_week"] = ["Liczba dni w tygodniu: od 1 do 7."]
    if hours_per_month is None or hours_per_month <= 0:
        errors["hours_per_month"] = ["Miesięczny limit godzin musi być większy od zera."]
    if period_until < period_from:
        errors["period_until"] = ["Koniec okresu nie może poprzedzać jego początku."]
    if not place.strip():
        errors["place"] = ["Podaj miejsce świadczenia usług."]
    if income is None or income < 0:
        errors["income"] = ["Podaj dochód (nie może być ujemny)."]
    if errors:
        raise ValidationFailed(errors)
    if service_kind in (CareKind.UO, CareKind.SUO, CareKind.NEIGHBOUR):
        limits = default_store().get("kielce_uslugi_limity", period_from)
        cap = limits["max_hours_per_day_alone"] if living_alone else limits["max_hours_per_day"]
        if hours_per_day > cap:
            raise _fail(
                "hours_per_day",
                f"Najwyżej {cap} h dziennie ({limits.source}).",
            )
    if hours_per_month > hours_per_day * days_per_week * 5:
        raise _fail(
            "hours_per_month",
            "Miesięczny limit godzin przekracza godziny dzienne × dni w tygodniu × 5 tygodni.",
        )
    if contract.service_kind != service_kind:
        raise _fail("contract", "Umowa wykonawcy dotyczy innego rodzaju usług.")
    if not contract_in_force(contract=contract, on=period_from):
        raise _fail("contract", "Umowa wykonawcy nie obowiązuje w pierwszym dniu okresu usług.")
    _member_of(case, person)
    provider = contract.provider
    if (service_kind == CareKind.NEIGHBOUR) != (provider.kind == ProviderKind.NEIGHBOUR):
        raise _fail(
            "contract",
            "Usługi sąsiedzkie świadczy osoba z sąsiedztwa, a inne usługi — wykonawca usług.",
        )
    fee = care_fee_rate(
        table_name=CARE_FEE_TABLE[CareKind(service_kind)], income=income, single=single, on=on
    )
    order = CareOrder.objects.create(
        case=case,
        unit_id=case.unit_id,
        person=person,
        decision=decision,
        decision_number=decision_number.strip(),
        service_kind=service_kind,
        scope=list(scope),
        hours_per_day=hours_per_day,
        days_per_week=days_per_week,
        hours_per_month=hours_per_month,
        period_from=period_from,
        period_until=period_until,
        place=place.strip(),
        living_alone=living_alone,
        provider=provider,
        contract=contract,
        fee_rate=fee.rate,
        fee_basis=fee.basis[:300],
        budget_line=CARE_BUDGET_LINE[CareKind(service_kind)],
        created_by=actor,
    )
    _timeline(
        case,
        f"Zlecenie usług: {order.get_service_kind_display()}",
        f"Decyzja {order.decision_number}; {hours_per_month} h/mies.; wykonawca {provider.name}; "
        f"odpłatność {fee.rate}% ceny za godzinę.",
        on,
        actor,
        f"order-{order.pk}",
    )
    return order


def _months_between(start: date, end: date) -> list[date]:
    out, cur = [], first_of_month(start)
    while cur <= end:
        out.append(cur)
        cur = shift_months(cur, 1)
    return out


@transaction.atomic
def care_month_report(
    *,
    order: CareOrder,
    month: date,
    hours_delivered: Decimal,
    actor: Any,
    now: datetime,
    carer: Carer | None = None,
    expected_version: int | None = None,
) -> CareMonth:
    """Record the hours delivered in ``month`` (the provider's timesheet) and settle it: the
    client's fee and the provider's due amount (law core, art. 50). Reporting the same month
    again is a correction: it needs the version read (optimistic locking) and is refused once
    the month is billed — a billed month is never changed."""
    _need(actor, "care.manage", order.case)
    month = first_of_month(month)
    if month not in _months_between(order.period_from, order.period_until):
        raise _fail("month", "Miesiąc poza okresem usług z decyzji.")
    if hours_delivered is None or hours_delivered < 0:
        raise _fail("hours_delivered", "Liczba zrealizowanych godzin nie może być ujemna.")
    if carer is not None and carer.provider_id != order.provider_id:
        raise _fail("carer", "Opiekun nie pracuje u wykonawcy tego zlecenia.")
    contract = order.contract
    if not contract_in_force(contract=contract, on=max(month, order.period_from)):
        raise _fail("month", "Umowa z wykonawcą nie obowiązuje w tym miesiącu.")
    s = care_month_settlement(
        hours_ordered=order.hours_per_month,
        hours_delivered=hours_delivered,
        hourly_price=contract.hourly_rate,
        fee_rate=order.fee_rate,
    )
    values = {
        "carer": carer,
        "hours_ordered": order.hours_per_month,
        "hours_delivered": hours_delivered,
        "excess_hours": s.excess_hours,
        "hourly_price": contract.hourly_rate,
        "fee_rate": order.fee_rate,
        "client_fee": s.client_fee,
        "provider_due": s.provider_due,
        "trace": [st.as_dict() for st in s.trace],
        "reported_by": actor,
        "reported_at": now,
    }
    existing = CareMonth.objects.select_for_update().filter(order=order, month=month).first()
    if existing is None:
        try:
            with transaction.atomic():
                row = CareMonth.objects.create(order=order, month=month, **values)
        except IntegrityError as exc:
            raise ConflictError() from exc
    else:
        if existing.status != MonthStatus.REPORTED:
            raise ConflictError(
                "Za ten miesiąc wystawiono już rachunek — godzin nie można zmienić."
            )
        if expected_version is None:
            raise ConflictError(
                "Za ten miesiąc zgłoszono już godziny — użyj „Popraw” przy tym miesiącu."
            )
        for k, v in values.items():
            setattr(existing, k, v)
        save_versioned(existing, expected_version=expected_version)
        row = existing
    return row


@transaction.atomic
def care_month_bill(*, month: CareMonth, actor: Any, on: date, expected_version: int) -> CareMonth:
    """Issue the client's monthly fee bill (rachunek za usługi) for a reported month."""
    _need(actor, "care.bill", month.order.case)
    if month.status != MonthStatus.REPORTED:
        raise ConflictError("Rachunek za ten miesiąc został już wystawiony.")
    if on < month.month:
        raise _fail("billed_on", "Rachunku nie można wystawić przed miesiącem usług.")
    month.status = MonthStatus.BILLED if month.client_fee > 0 else MonthStatus.PAID
    month.billed_on = on
    month.due_on = on + timedelta(days=BILL_PAYMENT_DAYS)
    if month.client_fee == 0:
        month.paid_on = on
    save_versioned(month, expected_version=expected_version)
    label = month.month.strftime("%m.%Y")
    _timeline(
        month.order.case,
        f"Rachunek za usługi opiekuńcze za {label}",
        f"{month.hours_delivered} h; opłata {pln(month.client_fee)}; "
        f"termin {month.due_on:%d.%m.%Y}.",
        on,
        actor,
        f"bill-{month.pk}",
    )
    return month


@transaction.atomic
def care_month_paid(*, month: CareMonth, actor: Any, on: date, expected_version: int) -> CareMonth:
    _need(actor, "care.bill", month.order.case)
    if month.status != MonthStatus.BILLED:
        raise ConflictError("Wpłatę można zapisać tylko dla wystawionego, nieopłaconego rachunku.")
    month.status = MonthStatus.PAID
    month.paid_on = on
    save_versioned(month, expected_version=expected_version)
    return month


@transaction.atomic
def care_month_to_receivable(
    *, month: CareMonth, actor: Any, on: date, expected_version: int
) -> CareMonth:
    """An unpaid bill after its payment date becomes a receivable in payments (once)."""
    from ostoja.payments import services as payments_services

    if month.receivable_id is not None or month.status == MonthStatus.UNPAID:
        raise ConflictError("Należność z tego rachunku jest już zarejestrowana.")
    if month.status != MonthStatus.BILLED or month.due_on is None:
        raise ConflictError("Należność powstaje tylko z wystawionego, nieopłaconego rachunku.")
    if on <= month.due_on:
        raise _fail("on", f"Termin płatności mija {month.due_on:%d.%m.%Y}.")
    order = month.order
    person = order.person
    rec = payments_services.receivable_register(
        person_id=person.pk,
        case_id=order.case_id,
        debtor_name=f"{person.first_name} {person.last_name}",
        decision_number=order.decision_number,
        decided_on=month.billed_on or on,
        due_date=month.due_on,
        principal=month.client_fee,
        reason=(
            f"Nieopłacony rachunek za usługi opiekuńcze za {month.month:%m.%Y} "
            "(art. 50 ust. 6 u.p.s.)"
        ),
        actor=actor,
    )
    month.status = MonthStatus.UNPAID
    month.receivable_id = rec.pk
    save_versioned(month, expected_version=expected_version)
    return month


@dataclass(frozen=True)
class InvoiceCheck:
    hours_expected: Decimal
    amount_expected: Decimal
    findings: list[str]


def invoice_expectation(*, provider: Provider, month: date) -> InvoiceCheck:
    rows = CareMonth.objects.filter(order__provider=provider, month=first_of_month(month))
    agg = rows.aggregate(h=Sum("hours_delivered"), x=Sum("excess_hours"), a=Sum("provider_due"))
    hours = (agg["h"] or ZERO) - (agg["x"] or ZERO)
    return InvoiceCheck(hours, agg["a"] or Decimal("0.00"), [])


@transaction.atomic
def provider_invoice_check(
    *,
    provider: Provider,
    number: str,
    month: date,
    hours_invoiced: Decimal,
    amount_invoiced: Decimal,
    actor: Any,
    on: date,
) -> ProviderInvoice:
    """Check a provider's invoice against the month's timesheets: hours and amount must match
    the hours delivered within the decisions' ceilings at the contract rate (services.md §5.4)."""
    _need(actor, "care.check_invoices")
    if not number.strip():
        raise _fail("number", "Podaj numer faktury.")
    if hours_invoiced is None or hours_invoiced < 0:
        raise _fail("hours_invoiced", "Liczba godzin na fakturze nie może być ujemna.")
    if amount_invoiced is None or amount_invoiced < 0:
        raise _fail("amount_invoiced", "Kwota faktury nie może być ujemna.")
    month = first_of_month(month)
    exp = invoice_expectation(provider=provider, month=month)
    findings: list[str] = []
    if exp.hours_expected == 0 and exp.amount_expected == 0:
        findings.append("Brak zgłoszonych godzin tego wykonawcy za ten miesiąc.")
    if hours_invoiced != exp.hours_expected:
        findings.append(
            f"Godziny: na fakturze {hours_invoiced} h, w kartach pracy {exp.hours_expected} h."
        )
    if amount_invoiced != exp.amount_expected:
        findings.append(
            f"Kwota: na fakturze {pln(amount_invoiced)}, wg kart pracy {pln(exp.amount_expected)}."
        )
    excess = CareMonth.objects.filter(
        order__provider=provider, month=month, excess_hours__gt=0
    ).aggregate(x=Sum("excess_hours"))["x"]
    if excess:
        findings.append(f"Godziny ponad decyzje ({excess} h) nie są płatne.")
    try:
        with transaction.atomic():
            return ProviderInvoice.objects.create(
                provider=provider,
                number=number.strip(),
                month=month,
                hours_invoiced=hours_invoiced,
                amount_invoiced=amount_invoiced,
                hours_expected=exp.hours_expected,
                amount_expected=exp.amount_expected,
                matches=hours_invoiced == exp.hours_expected
                and amount_invoiced == exp.amount_expected
                and exp.amount_expected > 0,
                findings=findings,
                checked_by=actor,
                checked_on=on,
            )
    except IntegrityError as exc:
        raise ConflictError(f"Faktura {number} tego wykonawcy została już sprawdzona.") from exc


# ------------------------------------------------------------------ service events


@transaction.atomic
def service_event_record(
    *,
    kind: str,
    person: Any,
    unit: Any,
    occurred_on: date,
    actor: Any,
    on: date,
    case: Case | None = None,
    decision_number: str = "",
    emergency_basis: str = "",
    quantity: int = 1,
    amount: Decimal | None = None,
    details: dict[str, Any] | None = None,
    stay_until: date | None = None,
    recovery_route: str = "",
    income: Decimal | None = None,
    single: bool = True,
) -> ServiceEvent:
    """Record help in kind or a service for a person, by a worker, on a date — with a decision
    where the Act requires one (art. 106 ust. 1), without one where it does not (art. 106 ust. 2;
    art. 48b ust. 5 for emergency meals and clothing)."""
    _need(actor, "care.manage", case)
    errors: dict[str, list[str]] = {}
    if kind not in EventKind.values:
        raise _fail("kind", "Wybierz rodzaj pomocy.")
    if emergency_basis not in EmergencyBasis.values:
        errors["emergency_basis"] = ["Wybierz podstawę pomocy bez decyzji z listy."]
    if occurred_on > on:
        errors["occurred_on"] = ["Data zdarzenia nie może być z przyszłości."]
    if quantity < 1:
        errors["quantity"] = ["Liczba musi być co najmniej 1."]
    if amount is not None and amount < 0:
        errors["amount"] = ["Koszt nie może być ujemny."]
    needs = decision_required(kind, emergency_basis)
    if needs and not decision_number.strip():
        errors["decision_number"] = [
            "Ta pomoc wymaga decyzji administracyjnej (art. 106 ust. 1 u.p.s.) — podaj jej numer "
            "albo podstawę pomocy doraźnej."
        ]
    if not needs and decision_number.strip() and kind != EventKind.CREDIT_TICKET:
        errors["decision_number"] = [
            "Ta pomoc jest udzielana bez decyzji (art. 106 ust. 2 u.p.s.) — nie podawaj numeru."
        ]
    details = dict(details or {})
    if kind == EventKind.FUNERAL:
        if amount is None or amount <= 0:
            errors["amount"] = ["Podaj koszt pogrzebu."]
        if not str(details.get("deceased", "")).strip():
            errors["details"] = ["Podaj zmarłego (imię, nazwisko, data zgonu)."]
        if recovery_route not in FuneralRecovery.values:
            errors["recovery_route"] = ["Wybierz drogę zwrotu kosztów."]
    elif recovery_route:
        errors["recovery_route"] = ["Zwrot kosztów dotyczy tylko sprawienia pogrzebu."]
    if kind == EventKind.MEAL and needs and income is not None:
        limit = meal_threshold(on=occurred_on, single=single)
        if income > limit.threshold:
            errors["income"] = [
                f"Dochód {pln(income)} przekracza {limit.text} — posiłek w programie nie "
                f"przysługuje nieodpłatnie ({limit.source})."
            ]
        details["prog_dochodowy"] = limit.text
    if kind == EventKind.CREDIT_TICKET and not str(details.get("route", "")).strip():
        errors["details"] = ["Podaj trasę przejazdu biletu kredytowanego."]
    if kind == EventKind.CRISIS and stay_until is not None:
        rule = default_store().get("interwencja_kryzysowa_schronienie", occurred_on)
        limit = shift_months(occurred_on, rule["max_months"])
        if stay_until < occurred_on:
            errors["stay_until"] = ["Koniec pobytu nie może poprzedzać jego początku."]
        elif stay_until > limit:
            errors["stay_until"] = [
                f"Pobyt w ośrodku interwencji kryzysowej — najwyżej {rule['max_months']} "
                f"miesiące, tj. do {limit:%d.%m.%Y} ({rule.source})."
            ]
    elif stay_until is not None:
        errors["stay_until"] = ["Okres pobytu dotyczy interwencji kryzysowej."]
    if errors:
        raise ValidationFailed(errors)
    _member_of(case, person)
    event = ServiceEvent.objects.create(
        kind=kind,
        person=person,
        case=case,
        unit=unit,
        worker=actor,
        occurred_on=occurred_on,
        with_decision=bool(decision_number.strip()),
        decision_number=decision_number.strip(),
        emergency_basis=emergency_basis,
        basis=EVENT_BASIS[EventKind(kind)],
        quantity=quantity,
        amount=amount,
        budget_line=EVENT_BUDGET_LINE[EventKind(kind)],
        details=details,
        stay_until=stay_until,
        recovery_route=recovery_route,
    )
    _timeline(
        case,
        event.get_kind_display(),
        ("z decyzją " + event.decision_number) if event.with_decision else "bez decyzji",
        occurred_on,
        actor,
        f"event-{event.pk}",
    )
    return event


@transaction.atomic
def funeral_recovery_record(*, event: ServiceEvent, amount: Decimal, actor: Any) -> ServiceEvent:
    """Costs of a funeral recovered (art. 96 ust. 3): never more than the cost."""
    _need(actor, "care.manage", event.case)
    if event.kind != EventKind.FUNERAL:
        raise DomainError("Zwrot kosztów dotyczy tylko sprawienia pogrzebu.")
    if amount is None or amount <= 0:
        raise _fail("amount", "Kwota zwrotu musi być większa od zera.")
    event = ServiceEvent.objects.select_for_update().get(pk=event.pk)
    if event.recovered_amount + amount > (event.amount or ZERO):
        raise _fail("amount", "Zwrot przekroczyłby koszt pogrzebu.")
    event.recovered_amount += amount
    event.save(update_fields=["recovered_amount"])
    return event


# ------------------------------------------------------------------ leaving care (powiat)


@transaction.atomic
def leaving_care_programme_create(
    *,
    person: Any,
    unit: Any,
    institution_kind: str,
    institution_name: str,
    left_on: date,
    stay_months: int,
    guardian_name: str,
    goals: str,
    agreed_on: date,
    actor: Any,
    case: Case | None = None,
) -> LeavingCareProgramme:
    """Indywidualny program usamodzielnienia with its guardian (art. 88 u.p.s.)."""
    _need(actor, "care.manage", case)
    errors: dict[str, list[str]] = {}
    if not guardian_name.strip():
        errors["guardian_name"] = ["Podaj opiekuna usamodzielnienia."]
    if not goals.strip():
        errors["goals"] = ["Opisz cele i działania programu."]
    if not institution_name.strip():
        errors["institution_name"] = ["Podaj nazwę placówki."]
    if stay_months < 0:
        errors["stay_months"] = ["Okres pobytu nie może być ujemny."]
    if errors:
        raise ValidationFailed(errors)
    prog = LeavingCareProgramme.objects.create(
        person=person,
        case=case,
        unit=unit,
        institution_kind=institution_kind,
        institution_name=institution_name.strip(),
        left_on=left_on,
        stay_months=stay_months,
        guardian_name=guardian_name.strip(),
        goals=goals.strip(),
        agreed_on=agreed_on,
        created_by=actor,
    )
    _timeline(case, "Program usamodzielnienia", "", agreed_on, actor, f"leaving-{prog.pk}")
    return prog


@transaction.atomic
def leaving_care_help_compute(
    *, programme: LeavingCareProgramme, kind: str, age: int, on: date, actor: Any
) -> LeavingCareHelp:
    """Compute one form of help (art. 88 u.p.s.) with the law core; once per kind."""
    _need(actor, "care.manage", programme.case)
    if kind not in LEAVING_CARE_KINDS:
        raise _fail("kind", "Wybierz rodzaj pomocy.")
    r = leaving_care_amount(kind=kind, on=on, stay_months=programme.stay_months, age=age)
    if not r.eligible:
        raise _fail("kind", r.reasons[0])
    try:
        with transaction.atomic():
            return LeavingCareHelp.objects.create(
                programme=programme,
                kind=kind,
                computed_on=on,
                amount=r.amount,
                trace=[s.as_dict() for s in r.trace],
            )
    except IntegrityError as exc:
        raise ConflictError("Ta forma pomocy została już wyliczona w tym programie.") from exc


# ------------------------------------------------------------------ integration (powiat)


@transaction.atomic
def integration_programme_create(
    *,
    person: Any,
    unit: Any,
    family_size: int,
    starts_on: date,
    obligations: str,
    actor: Any,
    case: Case | None = None,
) -> IntegrationProgramme:
    """Individual integration programme (art. 92 u.p.s.): 12 months, the monthly benefit per
    person for each month computed by the law core."""
    _need(actor, "care.manage", case)
    if family_size < 1:
        raise _fail("family_size", "Liczba osób w rodzinie musi być dodatnia.")
    if not obligations.strip():
        raise _fail("obligations", "Opisz zobowiązania uzgodnione z cudzoziemcem.")
    amounts = []
    for m in range(1, 13):
        r = integration_benefit(
            on=shift_months(starts_on, m - 1), family_size=family_size, programme_month=m
        )
        amounts.append({"month": m, "amount": str(r.amount)})
    prog = IntegrationProgramme.objects.create(
        person=person,
        case=case,
        unit=unit,
        family_size=family_size,
        starts_on=starts_on,
        obligations=obligations.strip(),
        monthly_amounts=amounts,
        created_by=actor,
    )
    _timeline(case, "Indywidualny program integracji", "", starts_on, actor, f"integr-{prog.pk}")
    return prog


@transaction.atomic
def integration_review_add(
    *,
    programme: IntegrationProgramme,
    reviewed_on: date,
    obligations_met: bool,
    findings: str,
    actor: Any,
) -> IntegrationReview:
    _need(actor, "care.manage", programme.case)
    if not findings.strip():
        raise _fail("findings", "Opisz ustalenia oceny.")
    if reviewed_on < programme.starts_on:
        raise _fail("reviewed_on", "Ocena nie może poprzedzać początku programu.")
    return IntegrationReview.objects.create(
        programme=programme,
        reviewed_on=reviewed_on,
        obligations_met=obligations_met,
        findings=findings.strip(),
        reviewer=actor,
    )


@transaction.atomic
def integration_programme_end(
    *,
    programme: IntegrationProgramme,
    ended_on: date,
    reason: str,
    broken: bool,
    actor: Any,
    expected_version: int,
) -> IntegrationProgramme:
    _need(actor, "care.manage", programme.case)
    if programme.status != ProgrammeStatus.ACTIVE:
        raise ConflictError("Program został już zakończony.")
    if not reason.strip():
        raise _fail("end_reason", "Podaj przyczynę zakończenia.")
    programme.status = ProgrammeStatus.BROKEN if broken else ProgrammeStatus.ENDED
    programme.ended_on = ended_on
    programme.end_reason = reason.strip()
    save_versioned(programme, expected_version=expected_version)
    return programme

"""Kielce demo data of the care context (idempotent; runs after social work), every date
derived from ``now``: a provider with a contract and carers, a care order with last month's
hours billed, paid in part, and the provider's invoice checked, a funeral with the ZUS grant
recovered, crisis-intervention events (one with a stay in the crisis centre), counselling,
school meals reported by a head teacher, a leaving-care programme, a refugees' integration
programme, and an order decided in Ostoja whose hours are being raised from next month by a
changing decision (a draft waiting for its check and signature).
All names are synthetic."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from ostoja.care import selectors
from ostoja.care import services as svc
from ostoja.care.models import CareOrder, Provider
from ostoja.cases.models import Case
from ostoja.core.dates import local_date, noon, shift_months
from ostoja.decisions import services as decisions
from ostoja.decisions.choices import DecisionKind
from ostoja.registry import selectors as registry_selectors

PROVIDER = "Stowarzyszenie „Dobra Opieka” w Kielcach (dane demonstracyjne)"


@transaction.atomic
def load_demo(*, now: datetime) -> None:
    User = get_user_model()
    worker = User.objects.filter(username="socjalny").first()
    head = User.objects.filter(username="kierownik").first()
    if worker is None or head is None or Provider.objects.filter(name=PROVIDER).exists():
        return
    cases = list(
        Case.objects.filter(unit__code="ro1").select_related("household", "unit").order_by("pk")[:4]
    )
    on = local_date(now)
    people = []
    for case in cases:
        members = registry_selectors.members_on(household=case.household, on=on)
        if members:
            people.append((case, members[0].person))
    if not people:
        return

    provider = svc.provider_create(name=PROVIDER, kind="ngo", nip="", actor=worker)
    contract = svc.contract_add(
        provider=provider,
        number="UO/DEMO/1",
        service_kind="uo",
        hourly_rate=Decimal("32.50"),
        valid_from=on - timedelta(days=400),
        valid_to=None,
        actor=worker,
    )
    carer = svc.carer_add(
        provider=provider,
        first_name="Barbara",
        last_name="Opiekuńska",
        qualification="opiekunka środowiskowa",
        actor=worker,
    )
    last_month = shift_months(on.replace(day=1), -1)

    case, person = people[0]
    order = svc.care_order_create(
        case=case,
        person=person,
        decision_number="DPS-UO.8310.1.DEMO",
        service_kind="uo",
        scope=["zakupy", "sprzatanie", "higiena", "kontakty"],
        hours_per_day=Decimal("2"),
        days_per_week=5,
        hours_per_month=Decimal("40"),
        period_from=last_month,
        period_until=shift_months(last_month, 12) - timedelta(days=1),
        place="Kielce, miejsce zamieszkania klienta",
        living_alone=True,
        contract=contract,
        income=Decimal("1300.00"),
        single=True,
        actor=worker,
        on=last_month,
        paper_enforceable_from=last_month,  # a paper decision, final before the period
    )
    month = svc.care_month_report(
        order=order, month=last_month, hours_delivered=Decimal("38"), carer=carer,
        actor=worker, now=now,
    )  # fmt: skip
    month = svc.care_month_bill(month=month, actor=head, on=on, expected_version=month.version)
    # the client paid part of the bill at the cash desk: the month stays open for the rest
    # (the fee depends on the criterion in force on the demo's day — never pay more than it)
    part = min(Decimal("50.00"), month.client_fee)
    if part > 0:
        svc.care_month_paid(
            month=month, actor=head, on=on, expected_version=month.version,
            amount=part, paid_on=on,
        )  # fmt: skip
    svc.provider_invoice_check(
        provider=provider, number="FV/DEMO/1", month=last_month, hours_invoiced=Decimal("38"),
        amount_invoiced=month.provider_due, actor=head, on=on,
    )  # fmt: skip

    if len(people) > 2:
        # a client partly exempted from the fee on her request (art. 50 ust. 6 u.p.s.)
        case3, person3 = people[2]
        svc.care_order_create(
            case=case3, person=person3, decision_number="DPS-UO.8310.2.DEMO",
            service_kind="uo", scope=["zakupy", "posilki"], hours_per_day=Decimal("1"),
            days_per_week=5, hours_per_month=Decimal("20"), period_from=last_month,
            period_until=shift_months(last_month, 6) - timedelta(days=1),
            place="Kielce, miejsce zamieszkania klienta", living_alone=True, contract=contract,
            income=Decimal("2500.00"), single=True, actor=worker, on=last_month,
            paper_enforceable_from=last_month, exemption="czesciowe",
            exemption_percent=Decimal("50"), exemption_requested_on=last_month,
            exemption_reason="stałe wydatki na leki (dane demonstracyjne)",
        )  # fmt: skip

    _order_with_a_change(contract=contract, worker=worker, head=head, on=on)

    case2, person2 = people[min(1, len(people) - 1)]
    funeral = svc.service_event_record(
        kind="pogrzeb", person=person2, case=case2, unit=case2.unit,
        occurred_on=on - timedelta(days=12),
        amount=Decimal("4200.00"), details={"deceased": "Osoba zmarła (dane demonstracyjne)"},
        recovery_route="zus", actor=worker, on=on,
    )  # fmt: skip
    svc.funeral_recovery_record(event=funeral, amount=Decimal("4000.00"), actor=worker)
    svc.service_event_record(
        kind="interwencja", person=person2, case=case2, unit=case2.unit,
        occurred_on=on - timedelta(days=9), stay_until=shift_months(on - timedelta(days=9), 2),
        details={"crisis": "przemoc domowa — pobyt w ośrodku interwencji kryzysowej"},
        actor=worker, on=on,
    )  # fmt: skip
    svc.service_event_record(
        kind="interwencja", person=person, case=case, unit=case.unit,
        occurred_on=on - timedelta(days=3), actor=worker, on=on,
    )  # fmt: skip
    svc.service_event_record(
        kind="poradnictwo", person=person2, case=case2, unit=case2.unit,
        occurred_on=on - timedelta(days=2), details={"description": "poradnictwo psychologiczne"},
        actor=worker, on=on,
    )  # fmt: skip
    svc.service_event_record(
        kind="posilek", person=person, case=case, unit=case.unit, occurred_on=on,
        emergency_basis="szkola", quantity=20, amount=Decimal("160.00"), actor=worker, on=on,
    )  # fmt: skip

    case3, person3 = people[-1]
    programme = svc.leaving_care_programme_create(
        person=person3, case=case3, unit=case3.unit, institution_kind="mow",
        institution_name="Młodzieżowy Ośrodek Wychowawczy (dane demonstracyjne)",
        left_on=on - timedelta(days=40), stay_months=30, guardian_name="Anna Wójcik",
        goals="Znalezienie mieszkania, ukończenie szkoły branżowej, podjęcie pracy.",
        agreed_on=on - timedelta(days=30), actor=worker,
    )  # fmt: skip
    svc.leaving_care_help_compute(
        programme=programme, kind="usamodzielnienie", age=19, on=on, actor=worker
    )
    svc.leaving_care_help_compute(
        programme=programme, kind="kontynuowanie_nauki", age=19, on=on, actor=worker
    )
    svc.integration_programme_create(
        person=person3, case=case3, unit=case3.unit, family_size=2,
        starts_on=on.replace(day=1),
        obligations="Nauka języka polskiego, rejestracja w urzędzie pracy, kontakt z pracownikiem.",
        actor=worker,
    )  # fmt: skip


def _order_with_a_change(*, contract: Any, worker: Any, head: Any, on: date) -> None:
    """An order whose decision was drafted in Ostoja after the application and interview
    (rygor natychmiastowej wykonalności, handed to the client the next day), and the changing
    decision raising its hours from next month at the client's request — drafted today, for
    the head to check and the director to sign (art. 50 ust. 4, art. 106 ust. 5 u.p.s.)."""
    director = get_user_model().objects.filter(username="dyrektor").first()
    client = _client_ready_for_a_decision(on=on)
    if director is None or client is None:
        return
    case, person, ready = client
    # decided a few days after the application and interview, handed over the next day
    decided = min(ready + timedelta(days=2), on - timedelta(days=1))
    order = svc.care_order_create(
        case=case, person=person, decision_number="", service_kind="uo",
        scope=["zakupy", "sprzatanie"], hours_per_day=Decimal("2"), days_per_week=5,
        hours_per_month=Decimal("40"), period_from=decided,
        period_until=shift_months(decided.replace(day=1), 12) - timedelta(days=1),
        place="Kielce, miejsce zamieszkania klienta", living_alone=True, contract=contract,
        income=Decimal("1300.00"), single=True, actor=worker, on=decided,
    )  # fmt: skip
    d = svc.care_order_decision_draft(
        order=order, actor=worker, on=decided, expected_version=order.version,
        immediate=True, immediate_reason="osoba samotna po wyjściu ze szpitala wymaga pomocy od "
        "zaraz",
    )  # fmt: skip
    d = decisions.decision_check(decision=d, actor=head, now=noon(decided))
    d = decisions.decision_sign(decision=d, actor=director, on=decided, now=noon(decided))
    delivered = decided + timedelta(days=1)
    decisions.decision_deliver(decision=d, actor=worker, delivered_on=delivered,
                               channel="osobiscie", today=delivered)  # fmt: skip
    order.refresh_from_db()
    svc.care_order_change_draft(
        order=order, effective_from=shift_months(on.replace(day=1), 1), actor=worker, on=on,
        hours_per_day=Decimal("3"), hours_per_month=Decimal("60"),
        scope=["zakupy", "sprzatanie", "higiena"], requested_on=on,
        extent_reason="Po pobycie w szpitalu klient potrzebuje pomocy w higienie osobistej "
        "(aktualizacja wywiadu; dane demonstracyjne)",
    )  # fmt: skip


def _client_ready_for_a_decision(*, on: date) -> tuple[Case, Any, date] | None:
    """A case of ro1 with an application and the community interview a decision granting
    services needs (art. 106 ust. 4 u.p.s.), a member of its household with no care order
    yet, and the day after both (the earliest day to decide on)."""
    from ostoja.cases import selectors as case_selectors
    from ostoja.decisions.preconditions import interview_missing

    line = [{"benefit": "uslugi_opiekuncze"}]
    cases = Case.objects.filter(unit__code="ro1").select_related("household", "unit")
    served = set(CareOrder.objects.values_list("person_id", flat=True))
    for case in cases.order_by("pk")[:40]:
        application = selectors.case_application(case=case)
        if application is None or interview_missing(
            case=case, application=application, kind=DecisionKind.GRANT, lines=line,
            calculation=None,
        ):  # fmt: skip
            continue
        done = [i.conducted_on for i in case_selectors.interviews_of(case=case)
                if i.is_completed and i.conducted_on is not None]  # fmt: skip
        ready = max([application.received_on, *done]) + timedelta(days=1)
        for member in registry_selectors.members_on(household=case.household, on=on):
            if member.person_id not in served:
                return case, member.person, ready
    return None

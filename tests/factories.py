"""A small Ostoja world for the security suite, built through the services on any date.

``build_world(on=...)`` creates what tests/security needs — units ro1/ro2, the demo-like staff
accounts, authorisations valid around ``on``, three ro1 families (a final and paid decision, a
signed one, a draft on a protected case), social work (notes, visits, a signed contract, a plan)
and an approved payment list for the month before ``on`` — with every date derived from ``on``.
Nothing here reads the clock: each step is done on its own day (an interview is completed on
the day it was conducted, a decision checked and signed on the day it is dated, at 10:00 Warsaw
time) and ``on`` is the day the world stands on. Tests that then use the world through views,
which do read the clock, freeze it at ``on`` with ``world_clock``.

Reference data (units, the role groups, the centre's settings) is created through the org
services too; only the TERYT street list and the filing list come from their loaders, as in the
demo (``reference_data_ensure``). Unlike ``ostoja.web.demo.load_demo`` this world is small and
deterministic, so a test that needs "the ro1 decision" gets one fixed record, not the first of
whatever the demo happened to draw on the day.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from dateutil.relativedelta import relativedelta

WARSAW = ZoneInfo("Europe/Warsaw")
# A password that passes the validators of settings.AUTH_PASSWORD_VALIDATORS; tests log in with
# force_login, so nobody types it.
PASSWORD = "Ostoja-fabryka-testowa-2026"
# A synthetic beneficiary account (valid NRB, formats.md §1.4), as in the demo decisions.
NRB_A = "61109010140000071219812874"

# The staff of the demo (``ostoja.org.demo.DEMO_USERS``) plus the ro2 district worker, whose
# records are the ro2 side of the horizontal tests.
EXTRA_STAFF = ["socjalny2"]
UNIT_CODES = ["dyrekcja", "dpsr", "ro1", "ro2", "finanse", "organizacja", "iod"]


@dataclass
class World:
    """Handles to the records the security tests look up (re-read them by pk in each test)."""

    on: date
    units: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    authorisations: list[Any] = field(default_factory=list)
    # ro1, family A: final decision, paid; the main social-work case
    household: Any = None
    person: Any = None
    income: Any = None
    case: Any = None
    application: Any = None
    interview: Any = None
    calculation: Any = None
    decision: Any = None
    # ro1, family B: a signed (not yet sent) decision with rygor natychmiastowej wykonalności
    signed_case: Any = None
    signed_decision: Any = None
    # ro1, family C: a draft decision on a protected case (Niebieska Karta)
    protected_case: Any = None
    draft_decision: Any = None
    note: Any = None
    visit: Any = None
    contract: Any = None
    plan: Any = None
    # ro2
    ro2_person: Any = None
    ro2_case: Any = None
    # payments for the month before ``on``
    payment_run: Any = None
    payment_lists: list[Any] = field(default_factory=list)


def at(day: date, hour: int = 10) -> datetime:
    """The moment a step dated ``day`` was done (Warsaw time)."""
    return datetime.combine(day, time(hour, 0), tzinfo=WARSAW)


@contextlib.contextmanager
def world_clock(on: date, at_time: time = time(10, 0)) -> Iterator[datetime]:
    """Freeze the clock at ``on`` ``at_time`` Warsaw time (ticking), for building and using a world."""
    moment = datetime.combine(on, at_time, tzinfo=WARSAW)
    with time_machine.travel(moment, tick=True):
        yield moment


def build_world(*, on: date) -> World:
    """Build the world as it stands on ``on`` (a second call in the same database fails: the
    usernames and units already exist)."""
    from django.db import transaction

    world = World(on=on)
    with transaction.atomic():
        _organisation(world)
        _family_a(world)
        _family_b(world)
        _family_c(world)
        _social_work(world)
        _ro2(world)
        _payments(world)
    return world


# ------------------------------------------------------------------ organisation


def _organisation(w: World) -> None:
    from ostoja.org import services as org
    from ostoja.org.choices import MatterKind
    from ostoja.org.demo import ALL_CASH, DEMO_USERS, DISTRICT_WORKERS, UNITS
    from ostoja.org.services import SETTINGS_FIELDS
    from ostoja.payments.testing import ORDERING_NRB
    from ostoja.web.demo import reference_data_ensure

    reference_data_ensure()
    org.roles_ensure()
    settings = org.instance_settings_ensure()
    data = {f: getattr(settings, f) for f in SETTINGS_FIELDS}
    org.instance_settings_update(
        data={**data, "bank_account": ORDERING_NRB}, expected_version=settings.version
    )

    since = w.on - relativedelta(years=5)  # units exist long before anything in the world
    for code, name, kind, parent, symbol, address in UNITS:
        if code not in UNIT_CODES:
            continue
        w.units[code] = org.unit_create(
            data={
                "code": code,
                "name": name,
                "kind": kind,
                "parent": w.units.get(parent) if parent else None,
                "case_symbol": symbol,
                "address": address,
                "valid_from": since,
            }
        )
    staff = DEMO_USERS + [row for row in DISTRICT_WORKERS if row[0] in EXTRA_STAFF]
    for username, first, last, role, unit_code, position in staff:
        member = org.staff_create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@ostoja.invalid",
            unit=w.units[unit_code],
            position=position,
            roles=[role.value],
            password=PASSWORD,
            now=at(since),
        )
        w.users[username] = member.user

    def grant(number: str, holder: str, scope: list[str], start: date, end: date | None) -> None:
        w.authorisations.append(
            org.authorisation_grant(
                holder=w.users[holder],
                number=number,
                scope=scope,
                valid_from=start,
                valid_until=end,
                granted_by="Prezydent Miasta Kielce",
                granted_on=start,
            )
        )

    # Valid around ``on``: a year back (the oldest decision is signed 60 days before ``on``)
    # and a year ahead (tests sign on ``on``); the director's has no end, as in the demo.
    year = relativedelta(years=1)
    grant(
        f"DYR/1/{(w.on - 2 * year).year}",
        "dyrektor",
        list(MatterKind.values),
        w.on - 2 * year,
        None,
    )
    grant(
        f"DYR/7/{(w.on - year).year}",
        "kierownik",
        [m.value for m in ALL_CASH] + [MatterKind.CARE_SERVICES.value],
        w.on - year,
        w.on + year,
    )


# ------------------------------------------------------------------ registry and cases


def _street() -> Any:
    """A current Kielce street (TERYT reference data) not assigned to a district, so a case
    opens in the registering worker's unit."""
    from ostoja.registry.models import Street

    street = Street.objects.filter(active=True, districts__isnull=True).order_by("sym_ul").first()
    assert street is not None, "the TERYT street list is loaded by a migration"
    return street


def _person(
    w: World,
    *,
    user: Any,
    first: str,
    last: str,
    sex: str,
    age: relativedelta,
    serial: int,
    house: str,
    day: date,
    **extra: Any,
) -> Any:
    """A Kielce resident registered on ``day``, aged ``age`` on ``on``."""
    from ostoja.registry import services
    from ostoja.registry.demo import make_pesel

    street = _street()
    birth = w.on - age
    return services.person_create(
        data={
            "first_name": first,
            "last_name": last,
            "pesel": make_pesel(birth, serial, sex),
            "birth_date": birth,
            "sex": sex,
            "act_street": street,
            "act_house": house,
            "act_flat": "3",
            "act_postal_code": street.postal_codes.split("|")[0] if street.postal_codes else "",
            "act_city": "Kielce",
            **extra,
        },
        user=user,
        on=day,
    )


def _incomes(person: Any, user: Any, items: list[dict[str, Any]], *, day: date) -> list[Any]:
    """The same incomes, recorded on ``day``, for each of the four months before ``day``'s
    month: the income month (art. 8 ust. 3 u.p.s.) of the family's application is among them."""
    from ostoja.law.periods import YearMonth
    from ostoja.registry import services

    month = YearMonth.of(day).first_day
    out = []
    for back in range(1, 5):
        for item in items:
            out.append(
                services.income_add(
                    person=person,
                    data={
                        "month": month - relativedelta(months=back),
                        "proof": "zaświadczenie",
                        **item,
                    },
                    user=user,
                    on=day,
                )
            )
    return out


def _household(w: World, user: Any, members: list[tuple[Any, str]], name: str) -> Any:
    from ostoja.registry import services

    since = w.on - relativedelta(years=3)
    household = services.household_create(
        name=name, applicant=members[0][0], valid_from=since, user=user
    )
    for person, relation in members[1:]:
        household.refresh_from_db(fields=["version"])
        services.membership_add(
            household=household,
            person=person,
            relation=relation,
            valid_from=max(person.birth_date, since),
            expected_version=household.version,
        )
    household.refresh_from_db()
    return household


def _application(
    household: Any,
    applicant: Any,
    user: Any,
    *,
    received: date,
    benefit: str,
    reasons: list[str],
    conducted: date | None,
    requested_amount: Decimal | None = None,
) -> tuple[Any, Any, Any]:
    """An application received (and registered) on ``received``; with ``conducted`` also the
    interview completed that day and the law core's calculation. Returns (application,
    interview, calculation)."""
    from django.http import QueryDict

    from ostoja.cases import services

    application = services.application_register(
        household=household,
        applicant=applicant,
        received_on=received,
        channel="osobiscie",
        forms=[benefit],
        reasons=reasons,
        user=user,
        on=received,
        description="Wniosek o pomoc (dane testowe).",
    )
    if conducted is None:
        return application, None, None
    worker = application.case.worker
    interview = services.interview_start(
        case=application.case,
        application=application,
        user=worker,
        planned_on=received + timedelta(days=1),
        now=at(received),
    )
    sections: dict[str, dict[str, Any]] = {
        "identyfikacja": {
            "identyfikacja-miejsce": "mieszkanie",
            "identyfikacja-tryb": "wniosek",
            "identyfikacja-obecni": "wnioskodawca",
        },
        "rodzina": {"rodzina-opis": "Rodzina wspólnie gospodarująca.", "rodzina-samotnie": ""},
        "mieszkanie": {
            "mieszkanie-rodzaj": "komunalny",
            "mieszkanie-izby": "2",
            "mieszkanie-oplaty": "620.00",
            "mieszkanie-warunki": "Ogrzewane.",
        },
        "trudnosci": {"trudnosci-powody": reasons, "trudnosci-opis": "Niski dochód."},
        "analiza": {
            "analiza-ocena": "Rodzina nie zaspokaja samodzielnie potrzeb.",
            "analiza-plan": "Pomoc finansowa i praca socjalna.",
            "analiza-proponowane_swiadczenie": benefit,
        },
    }
    for name, values in sections.items():
        qd = QueryDict(mutable=True)
        for key, value in values.items():
            if isinstance(value, list):
                qd.setlist(key, value)
            else:
                qd[key] = value
        interview = services.interview_save_section(
            interview=interview, section=name, data=qd, expected_version=interview.version
        )
    interview = services.interview_complete(
        interview=interview,
        conducted_on=conducted,
        expected_version=interview.version,
        user=worker,
        on=conducted,
        now=at(conducted),
    )
    calculation = services.calculation_run(
        application=application,
        benefit=benefit,
        user=worker,
        requested_amount=requested_amount,
        now=at(conducted),
    )
    application.refresh_from_db()
    return application, interview, calculation


def _check_and_sign(w: World, decision: Any, *, signed_on: date) -> Any:
    from ostoja.decisions import services

    head = w.users["kierownik"]
    services.decision_check(decision=decision, actor=head, now=at(signed_on, 9))
    return services.decision_sign(decision=decision, actor=head, on=signed_on, now=at(signed_on))


def _family_a(w: World) -> None:
    """A couple with a child on zasiłek okresowy: signed 60 days ago, delivered, final, paid
    (final well before last month ends, so last month's run pays it — art. 130 KPA)."""
    from ostoja.decisions import services

    worker = w.users["socjalny"]
    registered = w.on - timedelta(days=70)  # the day the family applied
    father = _person(
        w,
        user=worker,
        first="Tomasz",
        last="Wróblewski",
        sex="M",
        age=relativedelta(years=41, months=3, days=5),
        serial=11,
        house="12",
        day=registered,
    )
    mother = _person(
        w,
        user=worker,
        first="Ewelina",
        last="Wróblewska",
        sex="K",
        age=relativedelta(years=38, months=7, days=2),
        serial=12,
        house="12",
        day=registered,
    )
    child = _person(
        w,
        user=worker,
        first="Kacper",
        last="Wróblewski",
        sex="M",
        age=relativedelta(years=9, months=1, days=9),
        serial=13,
        house="12",
        day=registered,
    )
    incomes = _incomes(
        father, worker, [{"kind": "wynagrodzenie", "amount": "1200.00"}], day=registered
    )
    w.household = _household(
        w,
        worker,
        [(father, "wnioskodawca"), (mother, "malzonek"), (child, "dziecko")],
        "Rodzina Wróblewskich",
    )
    w.person, w.income = father, incomes[0]
    w.application, w.interview, w.calculation = _application(
        w.household,
        father,
        worker,
        received=registered,
        benefit="zasilek_okresowy",
        reasons=["1", "4"],
        conducted=w.on - timedelta(days=66),
    )
    w.case = w.application.case
    draft = services.decision_draft_from_application(
        application=w.application, actor=worker, account_number=NRB_A
    )
    signed = _check_and_sign(w, draft, signed_on=w.on - timedelta(days=60))
    delivered_on = signed.issued_on + timedelta(days=2)
    delivered = services.decision_deliver(
        decision=signed,
        actor=worker,
        channel="zpo",
        delivered_on=delivered_on,
        today=delivered_on,  # the return receipt is recorded the day it comes back
    )
    # 14 days for an appeal (art. 129 § 2 KPA), moved off holidays: final well before ``on``.
    w.decision = services.decision_finalise(decision=delivered, actor=worker, on=w.on)


def _family_b(w: World) -> None:
    """An elderly woman alone on zasiłek stały: signed 3 days ago with rygor natychmiastowej
    wykonalności (art. 108 KPA), not yet sent."""
    from ostoja.decisions import services

    worker = w.users["socjalny"]
    registered = w.on - timedelta(days=20)  # the day the family applied
    woman = _person(
        w,
        user=worker,
        first="Halina",
        last="Grabowska",
        sex="K",
        age=relativedelta(years=76, months=2, days=11),
        serial=21,
        house="7",
        day=registered,
        insured_elsewhere=True,
    )
    _incomes(woman, worker, [{"kind": "emerytura", "amount": "950.00"}], day=registered)
    household = _household(w, worker, [(woman, "wnioskodawca")], "Halina Grabowska")
    application, _, _ = _application(
        household,
        woman,
        worker,
        received=registered,
        benefit="zasilek_staly",
        reasons=["5", "6"],
        conducted=w.on - timedelta(days=17),
    )
    w.signed_case = application.case
    draft = services.decision_draft_from_application(
        application=application,
        actor=worker,
        payment_method="kasa",
        immediate=True,
        immediate_reason="zapewnienie środków na bieżące utrzymanie (ochrona zdrowia strony)",
    )
    w.signed_decision = _check_and_sign(w, draft, signed_on=w.on - timedelta(days=3))


def _family_c(w: World) -> None:
    """A mother with a daughter applying for zasiłek celowy: a draft decision; the case is
    protected (procedura „Niebieska Karta”) in ``_social_work``."""
    from ostoja.decisions import services

    worker = w.users["socjalny"]
    registered = w.on - timedelta(days=12)  # the day the family applied
    mother = _person(
        w,
        user=worker,
        first="Monika",
        last="Sobczyńska",
        sex="K",
        age=relativedelta(years=33, months=4, days=20),
        serial=31,
        house="21",
        day=registered,
    )
    daughter = _person(
        w,
        user=worker,
        first="Zuzanna",
        last="Sobczyńska",
        sex="K",
        age=relativedelta(years=6, months=8, days=1),
        serial=32,
        house="21",
        day=registered,
    )
    _incomes(mother, worker, [{"kind": "renta", "amount": "700.00"}], day=registered)
    household = _household(
        w, worker, [(mother, "wnioskodawca"), (daughter, "dziecko")], "Rodzina Sobczyńskich"
    )
    application, _, _ = _application(
        household,
        mother,
        worker,
        received=registered,
        benefit="zasilek_celowy",
        reasons=["1", "9"],
        conducted=w.on - timedelta(days=8),
        requested_amount=Decimal("450.00"),
    )
    w.protected_case = application.case
    w.draft_decision = services.decision_draft_from_application(
        application=application, actor=worker, account_number=NRB_A
    )


# ------------------------------------------------------------------ social work


def _social_work(w: World) -> None:
    from ostoja.socialwork import services as svc
    from ostoja.socialwork.policy import NoteCategory, PlanKind

    worker, head, on = w.users["socjalny"], w.users["kierownik"], w.on
    day = timedelta(days=1)
    first = svc.note_add(
        case=w.case,
        user=worker,
        category=NoteCategory.CONVERSATION,
        occurred_on=on - 21 * day,
        text="Rozmowa w ośrodku: utrata pracy w marcu, zaległości czynszowe.",
        now=at(on - 21 * day),
    )
    w.note = first
    svc.note_add(
        case=w.case,
        user=worker,
        category=NoteCategory.CONVERSATION,
        occurred_on=on - 21 * day,
        text="Rozmowa w ośrodku: utrata pracy w lutym (nie w marcu).",
        now=at(on - 20 * day),
        corrects=first,
        correction_reason="Błędny miesiąc utraty pracy.",
    )
    w.visit = svc.visit_plan(
        case=w.case,
        worker=worker,
        planned_on=on - 14 * day,
        purpose="Wywiad — ocena sytuacji mieszkaniowej",
        user=worker,
        today=on - 14 * day,
    )
    svc.visit_record(
        visit=w.visit,
        occurred_on=on - 14 * day,
        user=worker,
        now=at(on - 14 * day, 15),
        expected_version=w.visit.version,
        text="Mieszkanie ogrzewane; rodzina współpracuje.",
    )
    svc.visit_plan(
        case=w.case,
        worker=worker,
        planned_on=on,
        purpose="Wizyta monitorująca",
        user=worker,
        today=on,
    )
    contract = svc.contract_draft(
        case=w.case,
        person=w.person,
        user=worker,
        data={
            "kind": "B",
            "situation": "Osoba bezrobotna, zaległości czynszowe.",
            "main_goal": "Podjęcie zatrudnienia i uregulowanie zaległości.",
            "valid_from": on - 10 * day,
            "valid_to": on + 80 * day,
        },
        actions_person=f"Rejestracja w Powiatowym Urzędzie Pracy | {on + 7 * day}",
        actions_worker="Pomoc w przygotowaniu wniosku do MZB",
        review_dates=f"{on + 40 * day}",
    )
    w.contract = svc.contract_sign(
        contract=contract,
        worker_signed_on=on - 10 * day,
        person_signed_on=on - 10 * day,
        consequences_explained=True,
        user=worker,
        today=on - 10 * day,
        expected_version=contract.version,
    )
    w.plan = svc.plan_create(
        case=w.signed_case,
        user=worker,
        kind=PlanKind.SUPPORT,
        title="Plan pomocy — opieka nad seniorem",
        goals="Usługi opiekuńcze, lekarz rodzinny.",
        valid_from=on - 30 * day,
        valid_to=on + 150 * day,
        next_review_on=on + 30 * day,
        actions=f"Złożenie wniosku o usługi opiekuńcze — rodzina | {on + 7 * day}",
    )
    svc.note_add(
        case=w.protected_case,
        user=worker,
        category=NoteCategory.CONSULTATION,
        occurred_on=on - 4 * day,
        text="Konsultacja z zespołem interdyscyplinarnym.",
        now=at(on - 4 * day),
    )
    svc.case_protect(
        case=w.protected_case,
        protected=True,
        user=head,
        now=at(on - 4 * day, 11),
        reason="Procedura „Niebieska Karta” — ochrona danych osoby doznającej przemocy.",
    )


# ------------------------------------------------------------------ ro2 and payments


def _ro2(w: World) -> None:
    worker = w.users["socjalny2"]
    registered = w.on - timedelta(days=5)  # the day the family applied
    person = _person(
        w,
        user=worker,
        first="Zbigniew",
        last="Adamczyk",
        sex="M",
        age=relativedelta(years=52, months=5, days=3),
        serial=41,
        house="30",
        day=registered,
    )
    _incomes(
        person, worker, [{"kind": "zasilek_dla_bezrobotnych", "amount": "400.00"}], day=registered
    )
    household = _household(w, worker, [(person, "wnioskodawca")], "Zbigniew Adamczyk")
    application, _, _ = _application(
        household,
        person,
        worker,
        received=registered,
        benefit="zasilek_okresowy",
        reasons=["1", "4"],
        conducted=None,
    )
    w.ro2_person, w.ro2_case = person, application.case


def _payments(w: World) -> None:
    """The run for the month before ``on``, made on ``on`` (a scheduled task: no actor) and paid
    as arrears: finance approves its lists the same morning for execution that day."""
    from ostoja.law.periods import YearMonth
    from ostoja.payments import services, sources
    from ostoja.payments.models import ListStatus, PaymentList, PaymentRun

    month = YearMonth.of(w.on).shift(-1)
    lines = sources.payable_lines(period_start=month.first_day, period_end=month.shift(1).first_day)
    assert lines, "the final decision of family A pays for the month before ``on``"
    result = services.payroll_build(month=month, lines=lines, actor=None, now=at(w.on, 8))
    w.payment_run = PaymentRun.objects.get(pk=result.run_id)
    for pl in PaymentList.objects.filter(
        month=month.first_day, status=ListStatus.DRAFT, payment_count__gt=0
    ).order_by("pk"):
        w.payment_lists.append(
            services.payment_list_approve(
                list_id=pl.pk,
                actor=w.users["ksiegowosc"],
                execution_date=w.on,
                expected_version=pl.version,
                now=at(w.on, 9),
            )
        )

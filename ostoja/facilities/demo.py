"""Kielce demo data of social infrastructure (idempotent; runs after the socialwork demo).

Kielce's real facilities from the domain notes (``kielce.md`` §4): the city's DPS, the ŚDS,
the homelessness facilities and MOPR's flats, with their operators, addresses and the places
the sources give. Where a source gives no capacity the demo uses a small figure and says so in
the register-entry field; the average monthly cost of each DPS is a demo figure near the
regional benchmark (Kielce's orders for 2025/2026 were not found — ``kielce.md`` §3.5).

Residents, a waiting list, fee shares, charges and nights are dated relative to ``now``, so the
demo works on any day. A second run writes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction

from ostoja.core.dates import local_date, noon
from ostoja.facilities import policy as p
from ostoja.facilities import services as svc
from ostoja.facilities.models import Facility, Referral
from ostoja.org.models import Unit

NO_DATA = "liczba miejsc przykładowa — brak danych w źródłach"
COST_ACT = (
    "Zarządzenie Prezydenta Miasta Kielce w sprawie średniego miesięcznego kosztu utrzymania "
    "mieszkańca (art. 60 ust. 2 u.p.s.) — kwota przykładowa (demo)"
)

# name, kind, subtypes, operator kind, operator, agreement, address, phone, unit, places,
# place kind, city places, register note, monthly cost
FACILITIES: list[tuple[Any, ...]] = [
    ("Dom Pomocy Społecznej im. Jana Pawła II", "dps", ["somatycznie_chorzy"], "miasto",
     "Miasto Kielce", "", "ul. Jagiellońska 76, 25-132 Kielce", "41 36 76 319", "dpsr", 214,
     "stale", None, "", "7100.00"),
    ("Dom Pomocy Społecznej im. Florentyny Malskiej", "dps", ["podeszly_wiek"], "miasto",
     "Miasto Kielce", "", "ul. Tarnowska, Kielce", "", "dpsr", 100, "stale", None, "",
     "6900.00"),
    ("Dom Pomocy Społecznej im. prof. Antoniego Kępińskiego", "dps", ["psychicznie_chorzy"],
     "miasto", "Miasto Kielce", "", "Kielce (adres do uzupełnienia)", "", "dpsr", 4, "stale",
     None, NO_DATA, "7300.00"),
    ("Dom Pomocy Społecznej Polskiego Związku Niewidomych", "dps",
     ["niepelnosprawni_fizycznie"], "inny", "Polski Związek Niewidomych", "",
     "ul. Złota, Kielce", "", "dpsr", 10, "stale", None, NO_DATA, "7000.00"),
    ("Środowiskowy Dom Samopomocy typu C", "sds", ["sds_c"], "partner",
     "Stowarzyszenie „Nadzieja Rodzinie”", "umowa na zadanie zlecone (demo)",
     "ul. Mielczarskiego 45, Kielce", "", "adaptacja", 40, "dzienne", None, "", None),
    ("Środowiskowy Dom Samopomocy przy ul. Kołłątaja", "sds", [], "miasto",
     "MOPR w Kielcach", "", "ul. Kołłątaja 4, Kielce", "", "adaptacja", 20, "dzienne", None,
     NO_DATA, None),
    ("Ośrodek Interwencyjno-Terapeutyczny — ogrzewalnia", "ogrzewalnia", [], "miasto",
     "MOPR w Kielcach", "", "ul. Żniwna 4, 25-419 Kielce", "41 311 11 17", "bezdomnosc", 30,
     "nocne", None, "", None),
    ("Noclegownia Towarzystwa Pomocy św. Brata Alberta", "noclegownia", [], "partner",
     "Towarzystwo Pomocy im. św. Brata Alberta, Koło Kieleckie", "umowa (demo)",
     "ul. Żeromskiego 36a, Kielce", "", "bezdomnosc", 20, "nocne", None, "", None),
    ("Schronisko dla mężczyzn Towarzystwa Pomocy św. Brata Alberta", "schronisko", [],
     "partner", "Towarzystwo Pomocy im. św. Brata Alberta, Koło Kieleckie", "umowa (demo)",
     "ul. Żeromskiego 36a, Kielce", "", "bezdomnosc", 42, "stale", None, "", None),
    ("Przytulisko im. Jana Pawła II (schronisko dla mężczyzn)", "schronisko", [], "partner",
     "Fundacja Gospodarcza św. Brata Alberta", "umowa (demo)", "ul. Sienna 5, Kielce", "",
     "bezdomnosc", 80, "stale", 30, "", None),
    ("Schronisko dla kobiet Caritas", "schronisko", [], "partner",
     "Caritas Diecezji Kieleckiej", "umowa (demo)", "ul. Urzędnicza 7b, Kielce", "",
     "bezdomnosc", 25, "stale", None, "", None),
    ("OIT — punkt interwencji kryzysowej", "oik", [], "miasto", "MOPR w Kielcach", "",
     "ul. Żniwna 4, 25-419 Kielce", "41 311 11 17", "bezdomnosc", 24, "interwencyjne", None,
     "", None),
    ("Mieszkania treningowe dla osób bezdomnych (OIT)", "mieszkanie_treningowe", [], "miasto",
     "MOPR w Kielcach", "", "ul. Żniwna 4, 25-419 Kielce", "", "bezdomnosc", 4, "stale", None,
     "", None),
    ("Mieszkania treningowe dla usamodzielnianych", "mieszkanie_treningowe", [], "miasto",
     "MOPR w Kielcach", "", "ul. Sandomierska 126 i ul. Marszałkowska 12, Kielce", "", "dpsr",
     9, "stale", None, "", None),
    ("Mieszkanie treningowe dla matek z dziećmi", "mieszkanie_treningowe", [], "miasto",
     "MOPR w Kielcach", "", "ul. Sienkiewicza 23/1, Kielce", "", "dpsr", 3, "stale", None,
     NO_DATA, None),
    ("Mieszkania wspomagane dla seniorów", "mieszkanie_wspomagane", [], "miasto",
     "MOPR w Kielcach", "", "ul. Jagiellońska 76, 25-132 Kielce", "", "dpsr", 9, "stale",
     None, "", None),
]  # fmt: skip

PEOPLE = [
    ("Helena", "Wiśniewska", "K", 84), ("Stanisław", "Kwiatkowski", "M", 79),
    ("Janina", "Lis", "K", 88), ("Zbigniew", "Mroczek", "M", 61),
    ("Tadeusz", "Piątek", "M", 58), ("Wiesława", "Sowa", "K", 73),
    ("Henryk", "Wolski", "M", 66), ("Kazimierz", "Duda", "M", 70),
]  # fmt: skip


@transaction.atomic
def load_demo(*, now: datetime) -> None:
    if Facility.objects.exists():
        return
    User = get_user_model()
    clerk = User.objects.filter(username="swiadczenia").first()
    worker = User.objects.filter(username="socjalny").first()
    worker2 = User.objects.filter(username="socjalny2").first()
    if clerk is None or worker is None:
        return
    on = local_date(now)
    start = date(on.year - 10, 1, 1)
    units = {u.code: u for u in Unit.objects.all()}
    made: dict[str, Facility] = {}
    for (name, kind, subtypes, op_kind, operator, agreement, address, phone, unit, places,
         place_kind, city_places, note, cost) in FACILITIES:  # fmt: skip
        if unit not in units:
            continue
        f = svc.facility_create(
            data={"name": name, "kind": kind, "subtypes": subtypes, "operator_kind": op_kind,
                  "operator_name": operator, "agreement": agreement, "address": address,
                  "phone": phone, "unit": units[unit], "city_places": city_places,
                  "register_entry": note, "valid_from": start},
            on=start,
        )  # fmt: skip
        svc.places_set(facility=f, kind=place_kind, count=places, on=start)
        if cost:
            svc.cost_set(facility=f, amount=Decimal(cost), valid_from=start, act_reference=COST_ACT)
        made[kind + ":" + name] = f
    # The second person lives on a street of the worker's care district (their case is there,
    # where the district's head checks the decisions); the others on the first street.
    people = [_person(worker, i, first, last, sex, age, on,
                      street=_street_of(worker) if i == 1 else None)
              for i, (first, last, sex, age) in enumerate(PEOPLE)]  # fmt: skip
    dps = [f for k, f in made.items() if k.startswith("dps:")]
    if len(dps) < 3:
        return
    jp2, _malska, kepinski = dps[0], dps[1], dps[2]
    n = noon(on)
    # Residents of the DPS im. Jana Pawła II and of the (full) DPS im. Kępińskiego. The second
    # went through the city's own decisions (referral → placement → admission) when the
    # organisation has the accounts that check and sign them.
    _resident(jp2, people[0], on - timedelta(days=420), worker, clerk, n, "somatycznie_chorzy")
    director = User.objects.filter(username="dyrektor").first()
    if director is None or not _resident_through_workflow(
        jp2, people[1], on - timedelta(days=125), worker, director
    ):
        _resident(jp2, people[1], on - timedelta(days=95), worker, clerk, n, "somatycznie_chorzy")
    for i, person in enumerate(people[2:6]):
        _resident(kepinski, person, on - timedelta(days=700 - 100 * i), worker, clerk, n,
                  "psychicznie_chorzy")  # fmt: skip
    first_stay = jp2.stays.order_by("started_on").first()
    if first_stay is not None:
        fee = svc.fee_set(
            stay=first_stay, valid_from=first_stay.started_on, resident_income=Decimal("2150.00"),
            relatives=[svc.RelativeIn("Ewa Wiśniewska-Nowak", "corka", 3, Decimal("11200.00")),
                       svc.RelativeIn("Marek Wiśniewski", "syn", 1, Decimal("2900.00"))],
            actor=clerk, now=n,
        )  # fmt: skip
        # The daughter pays her share under an agreement (art. 103 ust. 2); the son's income
        # is below 300 % of the criterion — he owes nothing and signs nothing.
        svc.relative_basis_record(
            fee=fee, relative=1, kind="umowa", number=f"DPS.4011.1.{first_stay.started_on.year}",
            signed_on=min(first_stay.started_on + timedelta(days=14), on), actor=clerk, now=n,
        )  # fmt: skip
        for back in (2, 1):
            svc.charges_build(month=on.replace(day=1) - relativedelta(months=back), now=n)
    # A waiting list for the full DPS im. Kępińskiego (three months and more — art. 54 ust. 2a).
    for person, days, user in ((people[6], 130, worker), (people[7], 40, worker2 or worker)):
        unit = getattr(getattr(user, "staff", None), "unit", units.get("ro1"))
        r = _referral(person, on - timedelta(days=days + 20), user, unit, n, "psychicznie_chorzy")
        svc.waiting_list_add(referral=r, facility=kepinski, on=on - timedelta(days=days))
    _nights(made, on, clerk)


def _street_of(user: Any) -> Any:
    """A street wholly in ``user``'s care district (None: no such street in the register)."""
    from ostoja.registry.models import StreetDistrict

    unit_id = getattr(getattr(user, "staff", None), "unit_id", None)
    row = (
        StreetDistrict.objects.filter(unit_id=cast(int, unit_id), number_from__isnull=True,
                                      number_to__isnull=True)
        .select_related("street").order_by("pk").first()
    )  # fmt: skip
    return row.street if row is not None else None


def _person(
    user: Any, i: int, first: str, last: str, sex: str, age: int, on: date, street: Any = None
) -> Any:
    from ostoja.registry import services as registry
    from ostoja.registry.demo import make_pesel
    from ostoja.registry.models import Street

    birth = date(on.year - age, 1 + i % 12, 1 + (3 * i) % 27)
    street = street or Street.objects.order_by("pk").first()
    return registry.person_create(
        data={"first_name": first, "last_name": last, "pesel": make_pesel(birth, 700 + i, sex),
              "birth_date": birth, "sex": sex, "act_street": street, "act_house": str(10 + i),
              "act_city": "Kielce"},
        user=user,
        on=on,
    )  # fmt: skip


def _referral(person: Any, on: date, user: Any, unit: Any, now: datetime, subtype: str) -> Any:
    r = svc.referral_create(
        person=person, facility_kind="dps", subtype=subtype, unit=unit, referral_date=on,
        actor=user, now=now, documents=dict.fromkeys(p.DOCUMENTS, True),
    )  # fmt: skip
    # The demo residents came with decisions of neighbouring authorities, recorded by number;
    # a Kielce decision is drafted, checked and signed in the decisions workflow instead.
    r = svc.referral_decide(referral=r, number=f"GOPS.8220.{r.pk}.{on.year}", on=on,
                            authority="Wójt Gminy Masłów", expected_version=r.version)  # fmt: skip
    return svc.referral_place(
        referral=r, authority="Starosta Kielecki", number=f"SO.8221.{r.pk}.{on.year}",
        on=on + timedelta(days=10), expected_version=r.version,
    )  # fmt: skip


def _resident(
    home: Facility, person: Any, on: date, worker: Any, clerk: Any, now: datetime, subtype: str
) -> None:
    unit = getattr(getattr(worker, "staff", None), "unit", None)
    r = _referral(person, on - timedelta(days=30), worker, unit, now, subtype)
    svc.stay_admit(person=person, facility=home, on=on, actor=clerk, now=now, referral=r)


def _nights(made: dict[str, Facility], on: date, actor: Any) -> None:
    """Two weeks of nights before ``on``: the warming room only in its winter months."""
    for key, f in made.items():
        if not key.startswith(("ogrzewalnia:", "noclegownia:")):
            continue
        for back in range(1, 15):
            night = on - timedelta(days=back)
            if f.kind == "ogrzewalnia" and night.month not in p.WINTER_MONTHS:
                continue
            guests = 8 + (back * 7) % 11
            for g in range(guests):
                label = f"Osoba nr {g + 1} (bez danych w rejestrze)"
                svc.night_record(facility=f, night=night, actor=actor, guest_label=label)


def _resident_through_workflow(
    home: Facility, person: Any, applied: date, user: Any, director: Any
) -> bool:
    """A Kielce resident referred and placed by the city's own decisions (art. 59 ust. 1–2
    u.p.s.): case and community interview, the referral decision and the placement decision
    each drafted by the case's worker, checked by a second person in the case's scope (four
    eyes), signed by the director, delivered and final (art. 130 KPA), then admission on the
    day the placement decision became final. False (nothing written) when the organisation
    has nobody to draft or check in the case's district."""
    from django.http import QueryDict

    from ostoja.cases import services as cases
    from ostoja.decisions import services as decisions
    from ostoja.registry import services as registry

    sid = transaction.savepoint()
    household = registry.household_create(
        name=f"{person.first_name} {person.last_name}", applicant=person, valid_from=applied,
        user=user, single=True,
    )  # fmt: skip
    case = cases.case_open(household=household, applicant=person, user=user, on=applied)
    # The case is in the district of the address: its worker drafts, a head there checks.
    users = list(get_user_model().objects.filter(is_active=True).order_by("pk"))
    worker = next((u for u in [case.worker, user, *users]
                   if u is not None and u.has_perm("decisions.draft", case)), None)  # fmt: skip
    head = next((u for u in users if u not in (worker, director)
                 and u.has_perm("decisions.check", case)), None)  # fmt: skip
    if worker is None or head is None or not director.has_perm("decisions.view_decision", case):
        transaction.savepoint_rollback(sid)
        return False
    interview = cases.interview_start(case=case, application=None, user=worker, now=noon(applied))
    for name, values in {
        "rodzina": {"rodzina-opis": "Osoba samotna, dzieci za granicą.", "rodzina-samotnie": ""},
        "analiza": {"analiza-ocena": "Wymaga całodobowej opieki; usługi opiekuńcze w domu nie "
                    "wystarczają (art. 54 ust. 1 u.p.s.).", "analiza-plan": "Skierowanie do DPS."},
    }.items():  # fmt: skip
        qd = QueryDict(mutable=True)
        qd.update(values)
        interview = cases.interview_save_section(
            interview=interview, section=name, data=qd, expected_version=interview.version
        )
    cases.interview_complete(interview=interview, conducted_on=applied,
                             expected_version=interview.version, user=worker, on=applied,
                             now=noon(applied))  # fmt: skip
    referral = svc.referral_create(
        person=person, facility_kind="dps", subtype="somatycznie_chorzy", unit=case.unit,
        referral_date=applied, actor=worker, now=noon(applied),
        documents=dict.fromkeys(p.DOCUMENTS, True),
    )  # fmt: skip
    reference = f"{case.unit.case_symbol or 'MOPR'}.8220.{referral.pk}.{applied.year}"

    def issue(step: str, on: date, facility: Facility | None = None) -> Any:
        r = Referral.objects.get(pk=referral.pk)
        d = svc.referral_decision_draft(
            referral=r, step=step, actor=worker, on=on, facility=facility,
            expected_version=r.version, case_reference=reference,
        )  # fmt: skip
        d = decisions.decision_check(decision=d, actor=head, now=noon(on))
        d = decisions.decision_sign(decision=d, actor=director, on=on, now=noon(on))
        r = Referral.objects.get(pk=referral.pk)
        svc.referral_sync(referral=r, expected_version=r.version)
        d = decisions.decision_send(decision=d, actor=worker, on=on, channel="zpo")
        d = decisions.decision_deliver(decision=d, actor=worker, delivered_on=on + timedelta(
            days=2), channel="zpo", today=on + timedelta(days=2))  # fmt: skip
        assert d.final_on is not None  # delivered 14+ days ago and no appeal: final
        return decisions.decision_finalise(decision=d, actor=worker, on=d.final_on)

    referred = issue("skierowanie", applied + timedelta(days=3))
    placed = issue("umieszczenie", referred.final_on + timedelta(days=1), facility=home)
    r = Referral.objects.get(pk=referral.pk)
    svc.stay_admit(person=person, facility=home, on=placed.final_on, actor=worker,
                   now=noon(placed.final_on), referral=r)  # fmt: skip
    transaction.savepoint_commit(sid)
    return True

"""Kielce demo data of cooperation (idempotent), dated around ``now``.

Partners are Kielce's real cooperation partners from ``shared/domain/kielce.md`` §5 (names,
addresses and roles as found there; their KRS/REGON/NIP were not collected, so they are left
empty rather than invented). Around them: a settled grant for a night shelter with a return of
unused money, a small grant, referrals with the partner's feedback on case files, programmes with
participants and services, a senior club, volunteers and a partner's account (``bank_zywnosci``,
password as for the other demo accounts).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from ostoja.cases.models import Case
from ostoja.core.dates import local_date, shift_years
from ostoja.org.demo import DEMO_PASSWORD
from ostoja.partners import services as svc
from ostoja.partners.models import (
    LegalForm,
    Partner,
    PartnerRole,
    ProgrammeKind,
    ReferralService,
)
from ostoja.registry.models import Person

D = Decimal
KBZ = "Kielecki Bank Żywności"
R = PartnerRole

# name, short name, legal form, roles, address, notes (kielce.md §5)
PARTNERS: list[tuple[str, str, str, list[str], str, str]] = [
    ("Caritas Diecezji Kieleckiej", "Caritas", LegalForm.CHURCH,
     [R.CIS_KIS, R.FOOD_AID, R.SERVICE_PROVIDER, R.EMPLOYER, R.VOLUNTEERS],
     "pl. Panny Marii 1, 25-010 Kielce",
     "Dom dla kobiet (Urzędnicza 7b); Centrum Integracji Społecznej, ul. Wesoła 54 (od 2004 r.); "
     "ZAZ; dystrybucja pomocy żywnościowej."),
    (KBZ, "Bank Żywności", LegalForm.ASSOCIATION, [R.FOOD_AID, R.VOLUNTEERS], "Kielce",
     "Związek stowarzyszeń zarejestrowany 19.06.2007 r.; organizacja partnerska regionalna FEPŻ; "
     "ok. 70 organizacji partnerskich, ok. 2000 wolontariuszy."),
    ("Towarzystwo Pomocy im. św. Brata Alberta, Koło Kieleckie", "TPBA Koło Kieleckie",
     LegalForm.ASSOCIATION, [R.SERVICE_PROVIDER, R.COMMUNITY_WORK],
     "ul. Żeromskiego 36a, Kielce", "Noclegownia i schronisko dla osób bezdomnych (od 1994 r.)."),
    ("Fundacja Gospodarcza św. Brata Alberta", "FG Brata Alberta", LegalForm.FOUNDATION,
     [R.SERVICE_PROVIDER], "ul. Sienna 5, Kielce", "Przytulisko im. Jana Pawła II."),
    ("Stowarzyszenie „Nadzieja Rodzinie”", "Nadzieja Rodzinie", LegalForm.ASSOCIATION,
     [R.SERVICE_PROVIDER, R.FOOD_AID, R.EMPLOYER], "ul. Mielczarskiego 45, Kielce",
     "Środowiskowy dom samopomocy typu C; ZAZ; partner Banku Żywności."),
    ("Polski Związek Niewidomych, Okręg Świętokrzyski", "PZN", LegalForm.ASSOCIATION,
     [R.SERVICE_PROVIDER, R.COUNSELLING], "ul. Bukowa 10, Kielce",
     "Ponad 600 członków; DPS dla osób niewidomych, ul. Złota."),
    ("Polski Komitet Pomocy Społecznej, Zarząd Okręgu Świętokrzyskiego", "PKPS",
     LegalForm.ASSOCIATION, [R.FOOD_AID], "Kielce",
     "Pomoc żywnościowa (dane z 2018 r. niepewne — kielce.md §5)."),
    ("Świętokrzyski Klub Abstynentów „Raj”", "Klub Abstynentów „Raj”", LegalForm.ASSOCIATION,
     [R.COUNSELLING, R.VOLUNTEERS], "Kielce",
     "Partnerstwo lokalne z rejonem „Za Torami” („Posiłek na Czarnowie”)."),
    ("Koalicja na rzecz Mieszkańców Osiedla Czarnów", "Koalicja Czarnów", LegalForm.OTHER,
     [R.VOLUNTEERS], "os. Czarnów, Kielce", "Partnerstwo lokalne od maja 2023 r."),
    ("Wojewódzki Urząd Pracy w Kielcach", "WUP Kielce", LegalForm.PUBLIC_UNIT, [R.EMPLOYER],
     "ul. Witosa 86, Kielce", "Zasady CIS; skierowania do CIS z OPS lub urzędu pracy."),
]  # fmt: skip


def load_demo(*, now: datetime) -> None:
    """Load once; a second call writes nothing."""
    if Partner.objects.filter(name=KBZ).exists():
        return
    on = local_date(now)
    with transaction.atomic():
        partners = _partners(now=now)
        _grants(partners, on=on)
        _referrals(partners, now=now)
        _programmes(partners, on=on)


def _partners(*, now: datetime) -> dict[str, Partner]:
    on = local_date(now)
    out = {}
    for name, short, form, roles, address, notes in PARTNERS:
        out[short] = svc.partner_create(
            data={
                "name": name, "short_name": short, "legal_form": form, "roles": roles,
                "address": address, "notes": notes,
                "public_benefit_status": form in (LegalForm.ASSOCIATION, LegalForm.CHURCH),
                "active_from": date(2015, 1, 1),
            },
            user=None, now=now,
        )  # fmt: skip
    year = date(on.year, 1, 1)
    svc.agreement_add(
        partner=out["Bank Żywności"], number=f"MOPR/FEPŻ/{on.year - 1}",
        subject="Porozumienie o współpracy w Programie FEPŻ 2021–2027 "
        "(kwalifikowanie osób, skierowania)",
        signed_on=shift_years(year, -1), valid_from=shift_years(year, -1),
        valid_to=shift_years(year, 2),
    )  # fmt: skip
    svc.agreement_add(
        partner=out["TPBA Koło Kieleckie"], number=f"MOPR/PSU/{on.year}",
        subject="Organizacja prac społecznie użytecznych (KIS MOPR, ul. Sienkiewicza 34)",
        signed_on=year, valid_from=year, valid_to=shift_years(year, 1),
    )  # fmt: skip
    svc.contact_add(partner=out["Bank Żywności"], name="Sławomir Cedro", function="Prezes")
    svc.contact_add(partner=out["Caritas"], name="ks. Stanisław Słowik", function="Dyrektor")
    user_model = get_user_model()
    user = user_model.objects.filter(username="bank_zywnosci").first()
    if user is None:
        user = user_model.objects.create_user(
            username="bank_zywnosci", password=DEMO_PASSWORD, first_name="Bank",
            last_name="Żywności",
        )  # fmt: skip
    svc.partner_user_link(user=user, partner=out["Bank Żywności"])
    return out


def _grants(partners: dict[str, Partner], *, on: date) -> None:
    """A contest for a night shelter, finished and settled with a return of unused money."""
    task_to = on - timedelta(days=45)
    task_from = task_to - timedelta(days=240)
    published = task_from - timedelta(days=60)
    call = svc.call_publish(
        number=f"MOPR/422/1/{published.year}-{published.timetuple().tm_yday}",
        title="Prowadzenie noclegowni dla osób bezdomnych (art. 48a u.p.s.)",
        mode="powierzenie", budget=D("180000.00"), chapter="85203", published_on=published,
        offers_until=published + timedelta(days=21), task_from=task_from, task_to=task_to,
    )  # fmt: skip
    tpba = partners["TPBA Koło Kieleckie"]
    offer = svc.offer_submit(
        call=call, partner=tpba, submitted_on=published + timedelta(days=14),
        requested=D("176000.00"), own_contribution=D("12000.00"),
    )  # fmt: skip
    second = svc.offer_submit(
        call=call, partner=partners["FG Brata Alberta"],
        submitted_on=published + timedelta(days=18),
        requested=D("180000.00"),
    )  # fmt: skip
    svc.offer_assess(offer=offer, score=D("88.5"), on=published + timedelta(days=25))
    svc.offer_assess(offer=second, score=D("71.0"), on=published + timedelta(days=25))
    svc.call_decide(call=call, awards={offer.pk: D("172000.00")}, on=published + timedelta(days=28))
    offer.refresh_from_db()
    signed = published + timedelta(days=35)
    mid = task_from + timedelta(days=120)
    ag = svc.grant_sign(
        offer=offer, number=f"U/MOPR/{signed.year}/{signed.timetuple().tm_yday}", signed_on=signed,
        instalments=[(D("86000.00"), task_from), (D("86000.00"), mid)],
    )  # fmt: skip
    for inst in ag.instalments.all():
        svc.instalment_pay(instalment=inst, paid_on=inst.due_on, today=inst.due_on)
    svc.report_receive(
        agreement=ag, kind="czesciowe", received_on=mid - timedelta(days=5),
        spent=D("83950.00"), results="Noclegownia czynna codziennie; 31 miejsc.", beneficiaries=58,
    )  # fmt: skip
    svc.report_receive(
        agreement=ag, kind="koncowe", received_on=task_to + timedelta(days=20),
        spent=D("168412.37"),
        results="Udzielono 6 974 noclegów 96 osobom; 14 osób podjęło pracę socjalną z MOPR.",
        beneficiaries=96,
    )  # fmt: skip
    ag = svc.grant_settle_agreement(
        agreement=ag, on=task_to + timedelta(days=30), expected_version=ag.version
    )
    svc.grant_return_record(agreement=ag, returned_on=task_to + timedelta(days=12))
    # a small grant (art. 19a u.d.p.p.), published and waiting for the decision
    svc.call_publish(
        number=f"MOPR/19a/{on.year}/{on.timetuple().tm_yday}",
        title="„Posiłek na Czarnowie” — wspólny posiłek i poradnictwo dla mieszkańców",
        mode="art19a", budget=D("9500.00"), chapter="85295", published_on=on - timedelta(days=3),
        offers_until=on + timedelta(days=4), task_from=on + timedelta(days=20),
        task_to=on + timedelta(days=60),
    )  # fmt: skip


def _referrals(partners: dict[str, Partner], *, now: datetime) -> None:
    """Referrals of three ro1 families: food aid (done), CIS (accepted), PSU (hours done)."""
    cases = list(
        Case.objects.filter(unit__code="ro1", worker__username="socjalny")
        .select_related("worker", "household")
        .order_by("pk")[:3]
    )
    kbz_user = get_user_model().objects.get(username="bank_zywnosci")
    plan = [
        (ReferralService.FOOD_AID, partners["Bank Żywności"], 30, True),
        (ReferralService.CIS, partners["Caritas"], 12, False),
        (ReferralService.COMMUNITY_WORK, partners["TPBA Koło Kieleckie"], 40, True),
    ]
    for case, (service, partner, days_ago, finished) in zip(cases, plan, strict=False):
        members = list(case.household.memberships.select_related("person").order_by("pk"))
        person = members[0].person
        issued = now - timedelta(days=days_ago)
        issued_on = local_date(issued)
        if not (members[0].valid_from <= issued_on):
            continue
        referral = svc.referral_issue(
            case=case, person=person, partner=partner, service=service,
            reason="ubóstwo (art. 7 pkt 1 u.p.s.)", valid_from=issued_on,
            valid_to=issued_on + timedelta(days=180), user=case.worker, now=issued,
            household_size=len(members), monthly_income=D("900.00") * len(members),
            hours_planned=40 if service == ReferralService.COMMUNITY_WORK else None,
        )  # fmt: skip
        answerer = kbz_user if partner == partners["Bank Żywności"] else case.worker
        referral = svc.referral_answer(
            referral=referral, accepted=True, note="Przyjęto — zgłoszenie w punkcie wydawania.",
            user=answerer, now=issued + timedelta(days=3), expected_version=referral.version,
        )  # fmt: skip
        if finished:
            outcome = (
                "Wydano 3 paczki żywnościowe; udział w warsztatach kulinarnych."
                if service == ReferralService.FOOD_AID
                else "Prace porządkowe w noclegowni wykonane."
            )
            svc.referral_outcome(
                referral=referral, completed=True, outcome=outcome, user=answerer,
                now=issued + timedelta(days=20), expected_version=referral.version,
                hours_done=38 if service == ReferralService.COMMUNITY_WORK else None,
            )  # fmt: skip


def _programmes(partners: dict[str, Partner], *, on: date) -> None:
    year_start = date(on.year, 1, 1)
    year_end = shift_years(year_start, 1)
    common = {"edition_year": on.year, "valid_from": year_start, "valid_to": year_end}
    kws = svc.programme_create(
        name="Korpus Wsparcia Seniorów — moduł II (opaski bezpieczeństwa)",
        kind=ProgrammeKind.NATIONAL,
        funding_source="Program MRPiPS, dotacja do 80% kosztów (art. 17 ust. 2 pkt 4 u.p.s.)",
        budget=D("60000.00"), grant_percent=D("80"), min_age=60, **common,
    )  # fmt: skip
    svc.programme_create(
        name="Opieka wytchnieniowa dla JST", kind=ProgrammeKind.NATIONAL,
        funding_source="Fundusz Solidarnościowy (100%)", budget=D("250000.00"),
        grant_percent=D("100"), requires_disability=True, hours_limit=240, **common,
    )  # fmt: skip
    club = svc.programme_create(
        name="Klub Seniora „Czarnów”", kind=ProgrammeKind.SENIOR_CLUB,
        funding_source="Budżet miasta i wolontariat", grant_percent=D("0"), min_age=60,
        partner=partners["Koalicja Czarnów"],
        need_reference="Analiza (OZPS, art. 16a u.p.s.): wskaźnik "
        "„osoby 65+ samotnie gospodarujące”",
        indicator="Uczestnicy, którzy zmniejszyli poczucie osamotnienia (ankieta)",
        baseline=D("0"), target=D("20"), **common,
    )  # fmt: skip
    vols = [
        svc.volunteer_register(
            name=name,
            agreement_number=f"W/{i}/{on.year}",
            agreement_from=year_start,
            scope="Towarzyszenie seniorom, pomoc w zakupach",
            source=partners[src],
        )
        for i, (name, src) in enumerate(
            [("Zofia Lis", "Bank Żywności"), ("Marek Sowa", "Koalicja Czarnów")], start=1
        )
    ]
    # participants: demo persons aged 60+ on the first day of the year, if any
    born_before = shift_years(year_start, -60)
    seniors = list(Person.objects.filter(birth_date__lte=born_before).order_by("pk")[:3])
    for n, person in enumerate(seniors):
        start = max(year_start, on - timedelta(days=60))
        for programme in (kws, club):
            part = svc.participant_enrol(programme=programme, person=person, on=start)
            svc.service_record(
                participant=part, delivered_on=start, hours=D("2"),
                activity="Zajęcia klubowe" if programme == club else "Monitoring opaski",
                cost=D("0") if programme == club else D("45.00"),
                volunteer=vols[n % 2] if programme == club else None,
            )  # fmt: skip

"""Demo data of the socialwork context (idempotent; runs after the cases demo).

In the ro1 cases (demo social worker ``socjalny``, head ``kierownik``): notes with a correction,
visits (today, overdue, done), a signed social contract with reviews, an assistance plan, and
one protected case (Niebieska Karta). A second run writes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from ostoja.cases.models import Case
from ostoja.core.dates import local_date, noon
from ostoja.registry import selectors as registry_selectors
from ostoja.socialwork import services as svc
from ostoja.socialwork.models import CaseNote
from ostoja.socialwork.policy import NoteCategory, PlanKind


@transaction.atomic
def load_demo(*, now: datetime) -> None:
    User = get_user_model()
    worker = User.objects.filter(username="socjalny").first()
    head = User.objects.filter(username="kierownik").first()
    if worker is None or head is None:
        return
    cases = list(
        Case.objects.filter(unit__code="ro1").select_related("household", "unit").order_by("pk")[:3]
    )
    if not cases or CaseNote.objects.filter(case__in=cases, author=worker).exists():
        return
    on = local_date(now)
    main = cases[0]
    members = registry_selectors.members_on(household=main.household, on=on)
    if not members:
        return
    person = members[0].person

    first = svc.note_add(
        case=main,
        user=worker,
        category=NoteCategory.CONVERSATION,
        occurred_on=on - timedelta(days=21),
        text="Rozmowa w ośrodku. Wnioskodawca utracił pracę w marcu; zgłosił zaległości czynszowe "
        "za dwa miesiące. Omówiono możliwość rejestracji w PUP.",
        now=noon(on),
    )
    svc.note_add(
        case=main,
        user=worker,
        category=NoteCategory.CONVERSATION,
        occurred_on=on - timedelta(days=21),
        text="Rozmowa w ośrodku. Wnioskodawca utracił pracę w lutym (nie w marcu); zaległości "
        "czynszowe za trzy miesiące. Omówiono rejestrację w PUP.",
        now=noon(on),
        corrects=first,
        correction_reason="Błędny miesiąc utraty pracy i liczba miesięcy zaległości.",
    )
    svc.note_add(
        case=main,
        user=worker,
        category=NoteCategory.PHONE,
        occurred_on=on - timedelta(days=9),
        text="Telefon do administracji budynku (MZB): możliwe rozłożenie zaległości na raty po "
        "złożeniu wniosku.",
        now=noon(on),
    )

    done = svc.visit_plan(
        case=main,
        worker=worker,
        planned_on=on - timedelta(days=14),
        purpose="Wywiad — ocena sytuacji mieszkaniowej",
        user=worker,
        today=on - timedelta(days=14),
    )
    svc.visit_record(
        visit=done,
        occurred_on=on - timedelta(days=14),
        user=worker,
        now=noon(on),
        expected_version=done.version,
        text="Mieszkanie dwupokojowe, ogrzewane, czyste. Rodzina współpracuje. "
        "Ustalono zawarcie kontraktu socjalnego.",
    )
    svc.visit_plan(
        case=main,
        worker=worker,
        planned_on=on - timedelta(days=3),
        purpose="Sprawdzenie realizacji kontraktu",
        user=worker,
        today=on - timedelta(days=3),
    )
    svc.visit_plan(
        case=main,
        worker=worker,
        planned_on=on,
        purpose="Wizyta monitorująca — dokumenty z PUP",
        user=worker,
        today=on,
    )

    contract = svc.contract_draft(
        case=main,
        person=person,
        user=worker,
        data={
            "kind": "B",
            "situation": "Osoba bezrobotna od lutego, bez prawa do zasiłku dla bezrobotnych; "
            "zaległości czynszowe.",
            "causes": "Utrata pracy; brak oszczędności.",
            "strengths": "Doświadczenie zawodowe w handlu; motywacja do pracy; wsparcie rodziny.",
            "limitations": "Brak prawa jazdy; opieka nad dzieckiem w wieku przedszkolnym.",
            "main_goal": "Podjęcie zatrudnienia i uregulowanie zaległości czynszowych.",
            "specific_goals": "1. Rejestracja w PUP.\n2. Udział w szkoleniu.\n"
            "3. Porozumienie z MZB w sprawie rat.",
            "expected_effects": "Samodzielne utrzymanie rodziny; brak zaległości.",
            "valid_from": on - timedelta(days=10),
            "valid_to": on + timedelta(days=80),
        },
        actions_person=(
            f"Rejestracja w Powiatowym Urzędzie Pracy | {(on - timedelta(days=3)).isoformat()}\n"
            "Złożenie wniosku o rozłożenie zaległości na raty w MZB | "
            f"{(on + timedelta(days=14)).isoformat()}\n"
            "Udział w szkoleniu zawodowym wskazanym przez PUP"
        ),
        actions_worker=(
            "Pomoc w przygotowaniu wniosku do MZB\n"
            f"Rozważenie zasiłku okresowego | {(on + timedelta(days=7)).isoformat()}"
        ),
        review_dates=f"{on - timedelta(days=1)}, {on + timedelta(days=40)}",
    )
    svc.contract_sign(
        contract=contract,
        worker_signed_on=on - timedelta(days=10),
        person_signed_on=on - timedelta(days=10),
        consequences_explained=True,
        user=worker,
        today=on,
        expected_version=contract.version,
    )

    if len(cases) > 1:
        second = cases[1]
        svc.plan_create(
            case=second,
            user=worker,
            kind=PlanKind.SUPPORT,
            title="Plan pomocy — opieka nad seniorem",
            goals="Zapewnienie usług opiekuńczych i kontaktu z lekarzem rodzinnym.",
            valid_from=on - timedelta(days=30),
            valid_to=on + timedelta(days=150),
            next_review_on=on + timedelta(days=30),
            actions="Złożenie wniosku o usługi opiekuńcze — rodzina | "
            f"{(on + timedelta(days=7)).isoformat()}\n"
            "Kontakt z lekarzem rodzinnym — pracownik socjalny",
        )
        svc.note_add(
            case=second,
            user=worker,
            category=NoteCategory.SOCIAL_WORK,
            occurred_on=on - timedelta(days=2),
            text="Poradnictwo w sprawie usług opiekuńczych; przekazano formularz wniosku.",
            now=noon(on),
        )
    if len(cases) > 2:
        protected = cases[2]
        svc.note_add(
            case=protected,
            user=worker,
            category=NoteCategory.CONSULTATION,
            occurred_on=on - timedelta(days=4),
            text="Konsultacja z dzielnicowym i zespołem interdyscyplinarnym "
            "(procedura „Niebieska Karta”).",
            now=noon(on),
        )
        svc.case_protect(
            case=protected,
            protected=True,
            user=head,
            reason="Procedura „Niebieska Karta” — przemoc domowa; ochrona danych osoby "
            "doznającej przemocy.",
            now=now,
        )

"""Referrals to a partner's service (*skierowanie*): issuing one for a person of a case, the
partner's answer and the outcome, each written to the family's timeline; food-aid eligibility
comes from the law core (``ostoja.law.food_aid``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from ostoja.cases import services as cases_services
from ostoja.cases.models import Case
from ostoja.core.concurrency import save_versioned
from ostoja.core.dates import local_date
from ostoja.core.errors import NotPermitted, ValidationFailed
from ostoja.law.food_aid import food_aid_eligibility
from ostoja.law.money import pln
from ostoja.partners.models import (
    Partner,
    Referral,
    ReferralService,
    ReferralStatus,
)
from ostoja.partners.selectors import protected_refused
from ostoja.registry.models import HouseholdMembership, Person

from ._common import (
    HOURS_SERVICES,
    PROTECTED_REFUSED,
    SERVICE_ROLE,
    TIMELINE_SOURCE,
    _active,
    _fail,
)


def _next_number(on: date) -> str:
    prefix = f"SK/{on.year}/"
    last = Referral.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    seq = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def referral_issue(
    *, case: Case, person: Person, partner: Partner, service: str, reason: str,
    valid_from: date, valid_to: date, user: Any, now: datetime,
    hours_planned: int | None = None, household_size: int = 1,
    monthly_income: Decimal | None = None,
) -> Referral:  # fmt: skip
    """Refer a client to a partner (*skierowanie*); the referral goes onto the case file.

    On a protected case the protected-record rule holds here too (not only on the page), so no
    other door — the API, a script — refers from it without the break-glass reason on record."""
    if protected_refused(user=user, case=case, now=now):
        raise NotPermitted(PROTECTED_REFUSED)
    on = local_date(now)
    errors: dict[str, list[str]] = {}
    if service not in ReferralService.values:
        errors["service"] = ["Wybierz formę wsparcia z listy."]
    elif SERVICE_ROLE[ReferralService(service)] not in partner.roles:
        errors["partner"] = [
            f"{partner} nie ma w rejestrze roli „{SERVICE_ROLE[ReferralService(service)].label}”."
        ]
    if not _active(partner, on):
        errors.setdefault("partner", []).append("Współpraca z tym partnerem nie trwa.")
    if valid_to <= valid_from:
        errors["valid_to"] = ["Koniec ważności musi być późniejszy niż początek."]
    if not reason.strip():
        errors["reason"] = ["Podaj powód skierowania (art. 7 u.p.s.)."]
    member = HouseholdMembership.objects.filter(
        household_id=case.household_id, person=person, valid_from__lte=on
    ).exclude(valid_to__lte=on)
    if not member.exists():
        errors["person"] = ["Osoba nie należy do rodziny tej sprawy."]
    if (
        service in HOURS_SERVICES
        and service == ReferralService.COMMUNITY_WORK
        and not hours_planned
    ):
        errors["hours_planned"] = ["Podaj planowaną liczbę godzin prac społecznie użytecznych."]
    if household_size < 1:
        errors["household_size"] = ["Liczba osób musi wynosić co najmniej 1."]
    trace: list[dict[str, str]] = []
    if service == ReferralService.FOOD_AID and "household_size" not in errors:
        if monthly_income is None or monthly_income < 0:
            errors["monthly_income"] = ["Podaj dochód gospodarstwa — wymagany do progu FEPŻ."]
        else:
            result = food_aid_eligibility(
                monthly_income=monthly_income, household_size=household_size, on=on
            )
            trace = [s.as_dict() for s in result.trace]
            if not result.eligible:
                errors["monthly_income"] = [
                    f"Dochód ({pln(result.income)}) przekracza próg programu FEPŻ "
                    f"({pln(result.threshold)}, {result.percent}% kryterium) — "
                    "skierowanie nie przysługuje."
                ]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        referral = Referral.objects.create(
            number=_next_number(on), case=case, person=person, partner=partner, service=service,
            reason=reason.strip(), issued_on=on, valid_from=valid_from, valid_to=valid_to,
            hours_planned=hours_planned, household_size=household_size,
            monthly_income=monthly_income, eligibility_trace=trace, issued_by=user,
        )  # fmt: skip
        cases_services.timeline_record(
            case=case, kind="skierowanie", occurred_at=now, actor=user,
            title=f"Skierowanie {referral.number}: {referral.get_service_display()} — {partner}",
            detail=f"{person.first_name} {person.last_name}; ważne od {valid_from:%d.%m.%Y}",
            source=(TIMELINE_SOURCE, referral.pk),
        )  # fmt: skip
    return referral


def referral_answer(
    *, referral: Referral, accepted: bool, note: str, user: Any, now: datetime,
    expected_version: int,
) -> Referral:  # fmt: skip
    """The partner's answer (*odpowiedź partnera*): accepted or refused, with a note."""
    if referral.status != ReferralStatus.ISSUED:
        raise _fail("status", "Na to skierowanie udzielono już odpowiedzi.")
    if not accepted and not note.strip():
        raise _fail("note", "Podaj powód odmowy przyjęcia.")
    if local_date(now) >= referral.valid_to:
        raise _fail(
            "status",
            f"Skierowanie wygasło {referral.valid_to:%d.%m.%Y} — ośrodek może wystawić nowe.",
        )
    referral.status = ReferralStatus.ACCEPTED if accepted else ReferralStatus.REFUSED
    referral.answered_on = local_date(now)
    referral.answer_note = note.strip()[:500]
    with transaction.atomic():
        save_versioned(referral, expected_version=expected_version)
        cases_services.timeline_record(
            case_id=referral.case_id, kind="skierowanie_odpowiedz", occurred_at=now, actor=user,
            title=f"Odpowiedź partnera ({referral.partner}) na skierowanie {referral.number}: "
            + ("przyjęto" if accepted else "odmowa"),
            detail=referral.answer_note,
            source=(TIMELINE_SOURCE, referral.pk),
        )  # fmt: skip
    return referral


def referral_outcome(
    *, referral: Referral, completed: bool, outcome: str, user: Any, now: datetime,
    expected_version: int, hours_done: int | None = None,
) -> Referral:  # fmt: skip
    """The outcome (*wynik*): completed or dropped, with hours for community work."""
    if referral.status != ReferralStatus.ACCEPTED:
        raise _fail("status", "Wynik odnotowuje się dla przyjętego skierowania.")
    if not outcome.strip():
        raise _fail("outcome", "Opisz wynik skierowania.")
    if hours_done is not None and hours_done < 0:
        raise _fail("hours_done", "Liczba godzin nie może być ujemna.")
    if referral.hours_planned and hours_done and hours_done > referral.hours_planned:
        raise _fail(
            "hours_done",
            f"Przepracowane godziny ({hours_done}) przekraczają skierowanie "
            f"({referral.hours_planned}).",
        )
    referral.status = ReferralStatus.COMPLETED if completed else ReferralStatus.DROPPED
    referral.outcome_on = local_date(now)
    referral.outcome = outcome.strip()[:500]
    referral.hours_done = hours_done
    hours = f"; godzin: {hours_done}" if hours_done is not None else ""
    with transaction.atomic():
        save_versioned(referral, expected_version=expected_version)
        cases_services.timeline_record(
            case_id=referral.case_id, kind="skierowanie_wynik", occurred_at=now, actor=user,
            title=f"Wynik skierowania {referral.number} ({referral.partner}): "
            + ("zakończone" if completed else "przerwane"),
            detail=referral.outcome + hours,
            source=(TIMELINE_SOURCE, referral.pk),
        )  # fmt: skip
    return referral

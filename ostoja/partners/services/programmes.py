"""Programmes and volunteers: creating a programme, enrolling participants, recording services
and results, registering volunteers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum

from ostoja.core.errors import ValidationFailed
from ostoja.partners.models import (
    Participant,
    Partner,
    Programme,
    ServiceDelivery,
    Volunteer,
)
from ostoja.registry.models import Person

from ._common import _fail


def programme_create(**fields: Any) -> Programme:
    """A programme edition, project, self-help group or senior club."""
    if fields["valid_to"] <= fields["valid_from"]:
        raise _fail("valid_to", "Koniec programu musi być późniejszy niż początek.")
    if not str(fields.get("name", "")).strip():
        raise _fail("name", "Podaj nazwę programu.")
    return Programme.objects.create(**fields)


def participant_enrol(
    *, programme: Programme, person: Person, on: date, has_disability_certificate: bool = False
) -> Participant:
    """Enrol a person after checking the programme's eligibility (age, disability)."""
    errors: dict[str, list[str]] = {}
    if not (programme.valid_from <= on < programme.valid_to):
        errors["on"] = ["Program nie trwa w tym dniu."]
    if programme.min_age is not None:
        b = person.birth_date
        age = on.year - b.year - ((on.month, on.day) < (b.month, b.day))
        if age < programme.min_age:
            errors["person"] = [
                f"Program jest dla osób w wieku co najmniej {programme.min_age} lat."
            ]
    if programme.requires_disability and not has_disability_certificate:
        errors["has_disability_certificate"] = ["Program wymaga orzeczenia o niepełnosprawności."]
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            return Participant.objects.create(
                programme=programme, person=person, enrolled_on=on,
                has_disability_certificate=has_disability_certificate,
            )  # fmt: skip
    except IntegrityError as exc:
        raise _fail("person", "Osoba jest już uczestnikiem tego programu.") from exc


def service_record(
    *, participant: Participant, delivered_on: date, hours: Decimal, activity: str,
    cost: Decimal = Decimal(0), volunteer: Volunteer | None = None,
) -> ServiceDelivery:  # fmt: skip
    """Record a service delivered; the programme's yearly hour limit per person holds."""
    if hours <= 0:
        raise _fail("hours", "Liczba godzin musi być dodatnia.")
    if delivered_on < participant.enrolled_on or (
        participant.left_on and delivered_on >= participant.left_on
    ):
        raise _fail("delivered_on", "Usługa poza okresem udziału w programie.")
    if volunteer is not None and not (
        volunteer.agreement_from <= delivered_on
        and (volunteer.agreement_to is None or delivered_on < volunteer.agreement_to)
    ):
        raise _fail(
            "volunteer",
            "Porozumienie z wolontariuszem nie obowiązuje w tym dniu (art. 44 u.d.p.p.).",
        )
    limit = participant.programme.hours_limit
    with transaction.atomic():
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        if limit is not None:
            used = participant.services.filter(delivered_on__year=delivered_on.year).aggregate(
                s=Sum("hours")
            )["s"] or Decimal(0)
            if used + hours > limit:
                raise _fail(
                    "hours",
                    f"Przekroczony roczny limit godzin ({limit} h; wykorzystano {used} h).",
                )
        return ServiceDelivery.objects.create(
            participant=participant, delivered_on=delivered_on, hours=hours, activity=activity,
            cost=cost, volunteer=volunteer,
        )  # fmt: skip


def participant_result(
    *, participant: Participant, achieved: bool, left_on: date | None
) -> Participant:
    """End (or, with ``left_on=None``, keep open) a person's participation with its result.

    The participation is locked first, so two staff ending it at once leave one end date."""
    with transaction.atomic():
        current = Participant.objects.select_for_update().get(pk=participant.pk)
        if left_on is not None:
            if current.left_on is not None:
                raise _fail("left_on", f"Udział zakończono już {current.left_on:%d.%m.%Y}.")
            if left_on <= current.enrolled_on:
                raise _fail(
                    "left_on",
                    "Data zakończenia udziału musi być późniejsza niż data przyjęcia "
                    f"({current.enrolled_on:%d.%m.%Y}).",
                )
            last = current.services.aggregate(m=Max("delivered_on"))["m"]
            if last is not None and left_on <= last:
                raise _fail(
                    "left_on",
                    f"Po tej dacie odnotowano usługę ({last:%d.%m.%Y}) — "
                    "zakończenie musi nastąpić później.",
                )
        participant.result_achieved = achieved
        participant.left_on = left_on
        participant.save(update_fields=["result_achieved", "left_on"])
    return participant


def volunteer_register(
    *, name: str, agreement_number: str, agreement_from: date, scope: str,
    source: Partner | None = None, agreement_to: date | None = None,
) -> Volunteer:  # fmt: skip
    """A volunteer with a written agreement (*porozumienie*, art. 44 u.d.p.p.)."""
    if not name.strip():
        raise _fail("name", "Podaj imię i nazwisko wolontariusza.")
    if agreement_to is not None and agreement_to <= agreement_from:
        raise _fail("agreement_to", "Koniec porozumienia musi być późniejszy niż początek.")
    return Volunteer.objects.create(
        name=name.strip(), agreement_number=agreement_number, agreement_from=agreement_from,
        agreement_to=agreement_to, scope=scope, source=source,
    )  # fmt: skip

"""Stays: admission, transfer, discharge and death, temporary absence; each change is a
movement in the stay's history.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from ostoja.facilities import policy as p
from ostoja.facilities.models import (
    Absence,
    Facility,
    Movement,
    Place,
    Referral,
    Stay,
    WaitingListEntry,
)

from ._common import NoFreePlace, _fail, _live_places, _matches, _taken_place_ids
from .dps_decisions import decision_enforceability


def _movement(stay: Stay, kind: str, on: date, actor: Any, now: datetime, note: str = "") -> None:
    Movement.objects.create(stay=stay, kind=kind, on=on, note=note, actor=actor, recorded_at=now)


def _free_places(facility: Facility, on: date, kind: str | None) -> QuerySet[Place]:
    qs = _live_places(facility, on).exclude(pk__in=_taken_place_ids(facility, on))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "number")


def _occupy(facility: Facility, on: date, kind: str | None, build: Any) -> Stay:
    """Take the first free slot; a concurrent admission into the same slot fails on the unique
    index ``stay_one_open_per_place`` and we try the next free slot (if any)."""
    for _attempt in range(3):
        place = _free_places(facility, on, kind).first()
        if place is None:
            break
        try:
            with transaction.atomic():
                return build(place)
        except IntegrityError as exc:
            if "person" in str(exc) or _person_has_open_stay(build):
                raise _fail("person", "Ta osoba ma już trwający pobyt w placówce.") from exc
            continue
    raise NoFreePlace(facility)


def _person_has_open_stay(build: Any) -> bool:
    person = getattr(build, "person", None)
    return bool(person and Stay.objects.filter(person=person, ended_on__isnull=True).exists())


def stay_admit(
    *,
    person: Any,
    facility: Facility,
    on: date,
    actor: Any,
    now: datetime,
    referral: Referral | None = None,
    place_kind: str | None = None,
    legal_basis: str = "",
    decision: Any = None,
    programme: str = "",
    transferred_from: Stay | None = None,
) -> Stay:
    """Admission (przyjęcie). DPS: only with a placement decision (art. 59 u.p.s.); shelters:
    with an individual programme of leaving homelessness (art. 48a u.p.s. ⚠); night shelter and
    warming room take guests night by night (``night_record``)."""
    if facility.kind in p.NIGHTLY:
        raise _fail("facility", "Noclegi w noclegowni i ogrzewalni rejestruje się noc po nocy.")
    if facility.valid_from > on or (facility.valid_to and facility.valid_to <= on):
        raise _fail("on", "Placówka nie działa w tym dniu.")
    if (
        facility.kind == "dps"
        and transferred_from is None
        and (referral is None or not referral.placement_number)
    ):
        raise _fail(
            "referral",
            "Przyjęcie do DPS wymaga decyzji o umieszczeniu (art. 59 ust. 1 u.p.s.).",
        )
    if (
        facility.kind == "dps"
        and transferred_from is None
        and referral is not None
        and referral.placement_decision_id is not None
    ):
        _placement_enforceable(referral, facility, on)
    if referral is not None and not _matches(referral, facility) and transferred_from is None:
        raise _fail("facility", "Placówka nie jest tego rodzaju i typu, do którego skierowano.")
    if facility.kind in p.PROGRAMME_REQUIRED and not programme.strip():
        raise _fail(
            "programme",
            "Podaj indywidualny program wychodzenia z bezdomności (art. 48a u.p.s.).",
        )
    if p.requires_decision(facility.kind) and not (legal_basis.strip() or decision or referral):
        raise _fail("legal_basis", "Podaj decyzję, na podstawie której osoba przebywa.")
    basis = legal_basis.strip() or p.legal_basis_default(facility.kind)
    if referral is not None and referral.placement_number:
        basis = (
            f"decyzja o umieszczeniu {referral.placement_number} "
            f"({referral.placement_authority}; art. 59 u.p.s.)"
        )
    if (
        Stay.objects.filter(person=person, ended_on__isnull=True)
        .exclude(pk=getattr(transferred_from, "pk", None))
        .exists()
    ):
        raise _fail("person", "Ta osoba ma już trwający pobyt w placówce.")

    def build(place: Place) -> Stay:
        stay = Stay.objects.create(
            person=person,
            facility=facility,
            place=place,
            referral=referral,
            legal_basis=basis,
            decision=decision,
            programme=programme.strip(),
            started_on=on,
            transferred_from=transferred_from,
        )
        _movement(
            stay,
            "przeniesienie" if transferred_from else "przyjecie",
            on,
            actor,
            now,
            note=f"z: {transferred_from.facility.name}" if transferred_from else "",
        )
        return stay

    build.person = person  # type: ignore[attr-defined]
    with transaction.atomic():
        stay = _occupy(facility, on, place_kind, build)
        if referral is not None:
            WaitingListEntry.objects.filter(
                referral=referral, facility=facility, status="oczekuje"
            ).update(status="przyjety", closed_on=on)
            WaitingListEntry.objects.filter(referral=referral, status="oczekuje").update(
                status="skreslony", closed_on=on, close_reason="Przyjęty do innej placówki"
            )
            Referral.objects.filter(pk=referral.pk).update(
                status="umieszczony", version=referral.version + 1
            )
        return stay


def _placement_enforceable(referral: Referral, facility: Facility, on: date) -> None:
    """Art. 130 KPA: the placement decision is executed — the person admitted — only once it is
    final, or delivered with rygor natychmiastowej wykonalności (art. 108 § 1 KPA)."""
    if referral.placement_facility_id not in (None, facility.pk):
        raise _fail("facility", "Decyzja o umieszczeniu wskazuje inny dom pomocy społecznej.")
    # Read afresh: the decision moves on in the decisions context while the referral is open.
    current = Referral.objects.select_related("placement_decision").get(pk=referral.pk)
    since, why = decision_enforceability(current.placement_decision)
    if since is None or since > on:
        raise _fail(
            "referral",
            "Przyjęcie do DPS jest możliwe dopiero, gdy decyzja o umieszczeniu jest ostateczna "
            "albo ma rygor natychmiastowej wykonalności (art. 130 KPA): "
            + (why or f"wykonalna od {since:%d.%m.%Y}")
            + ".",
        )


def stay_transfer(
    *, stay: Stay, facility: Facility, on: date, actor: Any, now: datetime, note: str = ""
) -> Stay:
    """Transfer (przeniesienie) to another facility: this stay ends, a new one starts."""
    if stay.ended_on is not None:
        raise _fail("stay", "Pobyt jest już zakończony.")
    if facility.pk == stay.facility_id:
        raise _fail("facility", "Wybierz inną placówkę.")
    if facility.kind != stay.facility.kind:
        raise _fail("facility", "Przeniesienie możliwe do placówki tego samego rodzaju.")
    if on <= stay.started_on:
        raise _fail("on", "Data przeniesienia musi być późniejsza niż przyjęcie.")
    with transaction.atomic():
        _end(stay, on, "przeniesienie", actor, now, note or f"do: {facility.name}")
        return stay_admit(
            person=stay.person,
            facility=facility,
            on=on,
            actor=actor,
            now=now,
            referral=stay.referral,
            legal_basis=stay.legal_basis,
            decision=stay.decision,
            programme=stay.programme,
            transferred_from=stay,
        )


def _end(stay: Stay, on: date, reason: str, actor: Any, now: datetime, note: str = "") -> None:
    locked = Stay.objects.select_for_update().get(pk=stay.pk)
    if locked.ended_on is not None:
        raise _fail("stay", "Pobyt jest już zakończony.")
    if on <= locked.started_on:
        raise _fail("on", "Data zakończenia musi być późniejsza niż data przyjęcia.")
    Absence.objects.filter(stay=stay, ended_on__isnull=True).update(ended_on=on)
    stay.ended_on = on
    stay.end_reason = reason
    stay.save(update_fields=["ended_on", "end_reason"])
    _movement(stay, reason, on, actor, now, note)


def stay_end(
    *, stay: Stay, on: date, reason: str, actor: Any, now: datetime, note: str = ""
) -> Stay:
    """Discharge (wypis) or death (zgon); ``on`` is the first day the place is free."""
    if reason not in {"wypis", "zgon"}:
        raise _fail("reason", "Wybierz: wypis albo zgon.")
    with transaction.atomic():
        _end(stay, on, reason, actor, now, note)
    return stay


def absence_start(*, stay: Stay, kind: str, on: date, actor: Any, now: datetime) -> Absence:
    """A temporary absence (czasowa nieobecność): the place stays reserved for the resident."""
    if kind not in p.ABSENCE_KINDS:
        raise _fail("kind", "Wybierz rodzaj nieobecności.")
    if stay.ended_on is not None or on < stay.started_on:
        raise _fail("on", "Nieobecność musi przypadać w czasie trwającego pobytu.")
    with transaction.atomic():
        if Absence.objects.filter(stay=stay, ended_on__isnull=True).exists():
            raise _fail("stay", "Mieszkaniec jest już nieobecny.")
        absence = Absence.objects.create(stay=stay, kind=kind, started_on=on)
        _movement(stay, "nieobecnosc", on, actor, now, p.ABSENCE_KINDS[kind])
        return absence


def absence_end(*, stay: Stay, on: date, actor: Any, now: datetime) -> Absence:
    with transaction.atomic():
        absence = Absence.objects.filter(stay=stay, ended_on__isnull=True).first()
        if absence is None:
            raise _fail("stay", "Mieszkaniec nie jest nieobecny.")
        if on <= absence.started_on:
            raise _fail("on", "Powrót musi być późniejszy niż początek nieobecności.")
        absence.ended_on = on
        absence.save(update_fields=["ended_on"])
        _movement(stay, "powrot", on, actor, now)
        return absence

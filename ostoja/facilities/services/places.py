"""Facilities and places: creating and editing a facility, the number of places of each
kind, the average monthly cost (art. 60 ust. 2 u.p.s.).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import ValidationFailed
from ostoja.facilities import policy as p
from ostoja.facilities.models import (
    AverageCost,
    Facility,
    Place,
    Stay,
)

from ._common import CENT, _fail, _live_places, _taken_place_ids


def facility_create(*, data: dict[str, Any], on: date) -> Facility:
    """Register a facility (wpis do rejestru placówek). ``data``: the model's fields."""
    kind = data.get("kind", "")
    if kind not in p.FACILITY_KINDS:
        raise _fail("kind", "Wybierz rodzaj placówki z listy.")
    if not str(data.get("name", "")).strip():
        raise _fail("name", "Podaj nazwę placówki.")
    if not str(data.get("address", "")).strip():
        raise _fail("address", "Podaj adres placówki.")
    subtypes = list(data.get("subtypes") or [])
    _check_subtypes(kind, subtypes)
    if data.get("operator_kind") == "partner" and not str(data.get("agreement", "")).strip():
        raise _fail("agreement", "Placówka prowadzona na zlecenie miasta wymaga numeru umowy.")
    with transaction.atomic():
        facility = Facility(**{**data, "subtypes": subtypes})
        facility.valid_from = data.get("valid_from") or on
        facility.full_clean(exclude=["unit"] if data.get("unit") is None else None)
        facility.save()
    return facility


def _check_subtypes(kind: str, subtypes: list[str]) -> None:
    allowed = p.DPS_TYPES if kind == "dps" else p.SDS_TYPES if kind == "sds" else {}
    for s in subtypes:
        if s not in allowed:
            raise _fail("subtypes", f"Typ „{s}” nie pasuje do rodzaju placówki.")
    if kind == "dps":
        if not subtypes:
            raise _fail("subtypes", "Podaj typ domu pomocy społecznej (art. 56 u.p.s.).")
        if len(subtypes) > 1 and not all(
            frozenset(pair) in p.DPS_ALLOWED_PAIRS
            for pair in ((a, b) for a in subtypes for b in subtypes if a < b)
        ):
            raise _fail("subtypes", "Tych typów nie można łączyć w jednym domu (art. 56a u.p.s.).")


def places_set(*, facility: Facility, kind: str, count: int, on: date) -> int:
    """Set the number of places of ``kind`` from ``on``: add slots, or close free ones.

    A taken place cannot be closed: the count may not fall below the residents present.
    Returns the number of live places of that kind.
    """
    if kind not in p.PLACE_KINDS:
        raise _fail("kind", "Wybierz rodzaj miejsca z listy.")
    if count < 0:
        raise _fail("count", "Liczba miejsc nie może być ujemna.")
    with transaction.atomic():
        Facility.objects.select_for_update().get(pk=facility.pk)
        live = list(_live_places(facility, on).filter(kind=kind).order_by("-number"))
        if count > len(live):
            top = (
                Place.objects.filter(facility=facility, kind=kind)
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
                or 0
            )
            Place.objects.bulk_create(
                Place(facility=facility, kind=kind, number=top + i + 1, valid_from=on)
                for i in range(count - len(live))
            )
        elif count < len(live):
            taken = set(_taken_place_ids(facility, on))
            free = [pl for pl in live if pl.pk not in taken]
            need = len(live) - count
            if len(free) < need:
                raise _fail(
                    "count",
                    f"Nie można zmniejszyć liczby miejsc do {count}: zajętych jest "
                    f"{len(live) - len(free)}.",
                )
            for pl in free[:need]:
                pl.valid_to = on
                pl.save(update_fields=["valid_to"])
        return _live_places(facility, on).filter(kind=kind).count()


# Fields of a registered facility that its edit page may change; its kind and unit are fixed
# (a different kind is a different facility in the register).
EDITABLE_FIELDS = (
    "name",
    "subtypes",
    "operator_kind",
    "operator_name",
    "agreement",
    "address",
    "register_entry",
    "phone",
    "email",
    "city_places",
    "valid_to",
)


def facility_update(*, facility: Facility, data: dict[str, Any], expected_version: int) -> Facility:
    """Edit a facility's register entry (optimistic locking: a stale version is refused)."""
    if not str(data.get("name", "")).strip():
        raise _fail("name", "Podaj nazwę placówki.")
    if not str(data.get("address", "")).strip():
        raise _fail("address", "Podaj adres placówki.")
    subtypes = list(data.get("subtypes") or [])
    _check_subtypes(facility.kind, subtypes)
    if data.get("operator_kind") == "partner" and not str(data.get("agreement", "")).strip():
        raise _fail("agreement", "Placówka prowadzona na zlecenie miasta wymaga numeru umowy.")
    valid_to = data.get("valid_to")
    if valid_to is not None and valid_to <= facility.valid_from:
        raise _fail("valid_to", "Data zakończenia działalności musi być późniejsza niż początek.")
    if (
        valid_to is not None
        and Stay.objects.filter(facility=facility)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=valid_to))
        .exists()
    ):
        raise _fail(
            "valid_to",
            "Data zakończenia działalności: w placówce są pobyty trwające po tym dniu — najpierw "
            "zakończ je albo przenieś mieszkańców.",
        )
    with transaction.atomic():
        for name in EDITABLE_FIELDS:
            if name in data:
                setattr(facility, name, subtypes if name == "subtypes" else data[name])
        facility.full_clean(exclude=["unit"])
        save_versioned(facility, expected_version=expected_version)
    return facility


def facility_places_update(
    *, facility: Facility, counts: dict[str, int], on: date, expected_version: int
) -> dict[str, int]:
    """Set the number of places of each kind from ``on`` (one user action, one transaction);
    the count never falls below the places taken. The facility's version moves, so a second
    person editing the same page at once is refused."""
    result: dict[str, int] = {}
    with transaction.atomic():
        save_versioned(facility, expected_version=expected_version)
        for kind, count in counts.items():
            if count is None:
                continue
            try:
                result[kind] = places_set(facility=facility, kind=kind, count=count, on=on)
            except ValidationFailed as exc:
                label = p.PLACE_KINDS.get(kind, kind)
                msgs = [f"Liczba miejsc ({label}): {m}" for ms in exc.errors.values() for m in ms]
                raise ValidationFailed({f"places_{kind}": msgs}) from exc
    return result


def cost_set(
    *,
    facility: Facility,
    amount: Decimal,
    valid_from: date,
    act_reference: str,
    planned_amount: Decimal | None = None,
) -> AverageCost:
    """Record the average monthly cost per resident from ``valid_from`` (art. 60 ust. 2 u.p.s.:
    set by the Prezydent as starosta, published by 31 March, valid from the next month). The
    previous open period ends where the new one starts (half-open periods)."""
    if amount is None or amount <= 0:
        raise _fail("amount", "Koszt utrzymania musi być kwotą większą od zera.")
    if not act_reference.strip():
        raise _fail("act_reference", "Podaj podstawę: zarządzenie i dziennik urzędowy.")
    with transaction.atomic():
        Facility.objects.select_for_update().get(pk=facility.pk)
        if AverageCost.objects.filter(facility=facility, valid_from__gte=valid_from).exists():
            raise _fail("valid_from", "Istnieje już koszt obowiązujący od tej daty lub później.")
        AverageCost.objects.filter(facility=facility, valid_to__isnull=True).update(
            valid_to=valid_from
        )
        return AverageCost.objects.create(
            facility=facility,
            amount=Decimal(amount).quantize(CENT),
            planned_amount=planned_amount,
            valid_from=valid_from,
            act_reference=act_reference.strip(),
        )


def cost_on(*, facility: Facility, on: date) -> AverageCost | None:
    return (
        AverageCost.objects.filter(facility=facility, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .first()
    )

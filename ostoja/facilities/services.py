"""Writes of social infrastructure: facilities and places, referrals and waiting lists, stays
(admission, transfer, temporary absence, discharge, death), DPS fee shares from the law core,
monthly charges per payer and nights in the night shelter and the warming room.

Each function is one user action in one transaction; changes are audited by the audit registry
(``ostoja.facilities.audit_registry``). Time is an input (``on``/``now``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from ostoja.cases.models import Application
from ostoja.cases.models import Case as FamilyCase
from ostoja.core.concurrency import save_versioned
from ostoja.core.dates import next_month_start
from ostoja.core.errors import ConflictError, DomainError, ValidationFailed
from ostoja.decisions.catalog import benefit as benefit_of
from ostoja.decisions.services import decision_create
from ostoja.decisions.workflow import payability
from ostoja.facilities import policy as p
from ostoja.facilities.models import (
    Absence,
    AverageCost,
    Charge,
    Facility,
    FeeArrangement,
    Movement,
    Night,
    Place,
    Referral,
    Stay,
    WaitingListEntry,
)
from ostoja.facilities.selectors import expected_wait
from ostoja.law.benefits import art97 as art97_law
from ostoja.law.benefits import dps as dps_law
from ostoja.law.codes import DPS_RELATIONS
from ostoja.law.household import (
    Case,
    DpsExemption,
    DpsInput,
    DpsRelative,
    Household,
    IncomeItem,
    Member,
)

CENT = Decimal("0.01")


class NoFreePlace(DomainError):
    """All places of the facility are taken on that day."""

    def __init__(self, facility: Facility) -> None:
        super().__init__(
            f"Brak wolnego miejsca w placówce „{facility.name}” — osobę można wpisać na listę "
            "oczekujących (art. 59 ust. 3 u.p.s.).",
            field="facility",
        )


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed({field: [message]})


# ------------------------------------------------------------------ facilities and places


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


def _live_places(facility: Facility, on: date) -> QuerySet[Place]:
    return Place.objects.filter(facility=facility, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )


def _taken_place_ids(facility: Facility, on: date) -> QuerySet[Any]:
    """Slots held on ``on`` or later (an open stay, or a stay ending after ``on``)."""
    return (
        Stay.objects.filter(facility=facility)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .values_list("place_id", flat=True)
    )


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


# ------------------------------------------------------------------ referrals, waiting lists


def referral_create(
    *,
    person: Any,
    facility_kind: str,
    subtype: str,
    unit: Any,
    referral_date: date,
    actor: Any,
    now: datetime,
    documents: dict[str, bool] | None = None,
    referring_authority: str = "Prezydent Miasta Kielce",
) -> Referral:
    """A referral file (wniosek i dokumenty, § 8 rozporządzenia w sprawie DPS)."""
    if facility_kind not in p.FACILITY_KINDS:
        raise _fail("facility_kind", "Wybierz rodzaj placówki z listy.")
    if facility_kind == "dps" and subtype not in p.DPS_TYPES:
        raise _fail("subtype", "Podaj typ domu pomocy społecznej (art. 56 u.p.s.).")
    if facility_kind != "dps" and subtype and subtype not in p.FACILITY_SUBTYPES:
        raise _fail("subtype", "Nieznany typ placówki.")
    docs = {k: bool((documents or {}).get(k)) for k in p.DOCUMENTS}
    with transaction.atomic():
        return Referral.objects.create(
            person=person,
            facility_kind=facility_kind,
            subtype=subtype,
            unit=unit,
            referring_authority=referring_authority.strip() or "Prezydent Miasta Kielce",
            referral_date=referral_date,
            documents=docs,
            created_by=actor,
            created_at=now,
        )


def referral_missing_documents(referral: Referral) -> list[str]:
    return [
        label
        for code, label in p.DOCUMENTS.items()
        if code not in p.DOCUMENTS_OPTIONAL and not referral.documents.get(code)
    ]


def referral_documents_update(
    *, referral: Referral, documents: dict[str, bool], expected_version: int
) -> Referral:
    with transaction.atomic():
        referral.documents = {k: bool(documents.get(k)) for k in p.DOCUMENTS}
        save_versioned(referral, expected_version=expected_version)
    return referral


def referral_decide(
    *,
    referral: Referral,
    number: str,
    on: date,
    expected_version: int,
    decision: Any = None,
) -> Referral:
    """The gmina's referral decision (decyzja o skierowaniu do DPS, art. 59 ust. 1 u.p.s.),
    issued through the decisions workflow (``decision``) or, for another gmina, its number."""
    if referral.status not in {"zlozone"}:
        raise _fail("status", "Skierowanie zostało już wydane.")
    missing = referral_missing_documents(referral) if referral.facility_kind == "dps" else []
    if missing:
        raise _fail("documents", "Brakuje dokumentów: " + "; ".join(missing) + ".")
    if not number.strip() and decision is None:
        raise _fail("number", "Podaj znak decyzji o skierowaniu.")
    with transaction.atomic():
        referral.referral_number = number.strip()
        referral.referral_decision = decision
        referral.referral_date = on
        referral.status = "skierowany"
        save_versioned(referral, expected_version=expected_version)
    return referral


def referral_place(
    *,
    referral: Referral,
    authority: str,
    number: str,
    on: date,
    expected_version: int,
) -> Referral:
    """The placement decision (decyzja o umieszczeniu, art. 59 ust. 1–2 u.p.s.): MOPR as the
    starosta's office for a city DPS, or one issued by another powiat."""
    if referral.status not in {"skierowany", "oczekuje"}:
        raise _fail("status", "Najpierw wydaje się decyzję o skierowaniu (art. 59 ust. 1).")
    if not authority.strip():
        raise _fail("placement_authority", "Podaj organ, który wydał decyzję o umieszczeniu.")
    if not number.strip():
        raise _fail("placement_number", "Podaj znak decyzji o umieszczeniu.")
    with transaction.atomic():
        referral.placement_authority = authority.strip()
        referral.placement_number = number.strip()
        referral.placement_date = on
        save_versioned(referral, expected_version=expected_version)
    return referral


def _matches(referral: Referral, facility: Facility) -> bool:
    if referral.facility_kind != facility.kind:
        return False
    return not referral.subtype or referral.subtype in (facility.subtypes or [])


def waiting_list_add(
    *, referral: Referral, facility: Facility, on: date, priority_reason: str = ""
) -> WaitingListEntry:
    """Enter a referred person on a facility's waiting list (art. 59 ust. 3 u.p.s.)."""
    if not _matches(referral, facility):
        raise _fail("facility", "Placówka nie jest tego rodzaju i typu, do którego skierowano.")
    if referral.facility_kind == "dps" and referral.status not in {"skierowany", "oczekuje"}:
        raise _fail("referral", "Na listę wpisuje się osobę z decyzją o skierowaniu.")
    with transaction.atomic():
        if WaitingListEntry.objects.filter(
            referral=referral, facility=facility, status="oczekuje"
        ).exists():
            raise _fail("facility", "Osoba już oczekuje na miejsce w tej placówce.")
        entry = WaitingListEntry.objects.create(
            referral=referral,
            facility=facility,
            entered_on=on,
            priority=bool(priority_reason.strip()),
            priority_reason=priority_reason.strip(),
        )
        if referral.status == "skierowany":
            referral.status = "oczekuje"
            referral.version += 1
            referral.save(update_fields=["status", "version"])
        return entry


def waiting_list_move(*, entry: WaitingListEntry, target: Facility, on: date) -> WaitingListEntry:
    """On the person's request, move to the nearest home of the same type with an expected wait
    under three months when the wait at the current home is over three months (art. 54 ust. 2a
    u.p.s.). The new entry is dated the day of the request (⚠ the Act does not say whether the
    original date carries over)."""
    if entry.status != "oczekuje":
        raise _fail("entry", "Ten wpis nie jest już aktywny.")
    if target.pk == entry.facility_id or target.kind != "dps":
        raise _fail("target", "Wybierz inny dom pomocy społecznej.")
    subtype = entry.referral.subtype
    if subtype not in (target.subtypes or []):
        raise _fail("target", "Dom docelowy musi być tego samego typu (art. 54 ust. 2a u.p.s.).")
    here = expected_wait(facility=entry.facility, on=on, entry=entry)
    there = expected_wait(facility=target, on=on)
    if not here.over_three_months:
        raise _fail(
            "entry",
            "Przewidywany czas oczekiwania w obecnym domu nie przekracza 3 miesięcy "
            f"({here.text}) — art. 54 ust. 2a u.p.s. nie ma zastosowania.",
        )
    if not there.under_three_months:
        raise _fail(
            "target",
            f"W wybranym domu przewidywany czas oczekiwania nie jest krótszy niż 3 miesiące "
            f"({there.text}).",
        )
    with transaction.atomic():
        entry.status = "przeniesiony"
        entry.closed_on = on
        entry.close_reason = f"Na wniosek — art. 54 ust. 2a u.p.s. ({target.name})"
        entry.save(update_fields=["status", "closed_on", "close_reason"])
        return WaitingListEntry.objects.create(
            referral=entry.referral, facility=target, entered_on=on, moved_from=entry
        )


def waiting_list_remove(*, entry: WaitingListEntry, on: date, reason: str) -> WaitingListEntry:
    if not reason.strip():
        raise _fail("reason", "Podaj powód skreślenia z listy.")
    with transaction.atomic():
        entry.status = "skreslony"
        entry.closed_on = on
        entry.close_reason = reason.strip()
        entry.save(update_fields=["status", "closed_on", "close_reason"])
    return entry


# ------------------------------------------------------------------ stays


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
                return build(place)  # type: ignore[no-any-return]
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


# ------------------------------------------------------------------ DPS fees (art. 61)


@dataclass(frozen=True)
class RelativeIn:
    """A relative liable under art. 61 ust. 1 pkt 2: ``relation`` from the law core's codes."""

    name: str
    relation: str
    household_size: int
    household_income: Decimal
    agreed_amount: Decimal | None = None
    exemption_basis: str = ""  # art_64, art_64a, art_64b
    exemption_amount: Decimal | None = None
    minor: bool = False


def fee_compute(
    *, monthly_cost: Decimal, resident_income: Decimal, relatives: list[RelativeIn], on: date
) -> Any:
    """The shares by the law core (``ostoja.law.benefits.dps``) — the only place they are
    computed. Returns the law core's result with its trace."""
    if resident_income is None or resident_income < 0:
        raise _fail("resident_income", "Dochód mieszkańca nie może być ujemny.")
    for i, r in enumerate(relatives):
        if r.relation not in DPS_RELATIONS:
            raise _fail(f"relatives.{i}.relation", "Wybierz stopień pokrewieństwa z listy.")
        if r.household_size < 1:
            raise _fail(f"relatives.{i}.household_size", "Liczba osób w gospodarstwie ≥ 1.")
    case = Case(
        household=Household(
            (Member(id="M", incomes=(IncomeItem("emerytura", amount=Decimal(resident_income)),)),)
        ),
        application_date=on,
        dps=DpsInput(
            monthly_cost=Decimal(monthly_cost),
            resident="M",
            relatives=tuple(
                DpsRelative(
                    relation=r.relation,
                    household_size=r.household_size,
                    household_income=Decimal(r.household_income),
                    minor=r.minor,
                    agreed_amount=r.agreed_amount,
                    exemption=DpsExemption(r.exemption_basis, r.exemption_amount)
                    if r.exemption_basis
                    else None,
                )
                for r in relatives
            ),
        ),
    )
    return dps_law.calculate(case)


def fee_set(
    *,
    stay: Stay,
    valid_from: date,
    resident_income: Decimal,
    relatives: list[RelativeIn],
    actor: Any,
    now: datetime,
    fee_decision: Any = None,
) -> FeeArrangement:
    """Fix the fee shares of a DPS stay from ``valid_from`` (a new arrangement for every change
    of income or of the average cost — a new decision, art. 61 and 103 u.p.s.)."""
    if stay.facility.kind != "dps":
        raise _fail("stay", "Odpłatność według art. 61 dotyczy pobytu w DPS.")
    if valid_from < stay.started_on or (stay.ended_on and valid_from >= stay.ended_on):
        raise _fail("valid_from", "Opłata może obowiązywać tylko w czasie pobytu.")
    cost = cost_on(facility=stay.facility, on=valid_from)
    if cost is None:
        raise _fail(
            "valid_from",
            "Brak średniego miesięcznego kosztu utrzymania tego domu na ten dzień "
            "(art. 60 ust. 2 u.p.s.).",
        )
    result = fee_compute(
        monthly_cost=cost.amount, resident_income=resident_income, relatives=relatives,
        on=valid_from,
    )  # fmt: skip
    if result.fees is None:
        raise _fail("resident_income", "; ".join(str(r) for r in result.reasons) or "Błąd.")
    fees = result.fees
    with transaction.atomic():
        if FeeArrangement.objects.filter(stay=stay, valid_from=valid_from).exists():
            raise _fail("valid_from", "Opłata od tego dnia jest już ustalona.")
        return FeeArrangement.objects.create(
            stay=stay,
            valid_from=valid_from,
            monthly_cost=cost.amount,
            resident_amount=fees.resident,
            relatives=[
                {
                    "name": r.name,
                    "relation": r.relation,
                    "amount": str(share),
                    "agreed": r.agreed_amount is not None,
                }
                for r, (_rel, share) in zip(relatives, fees.relatives, strict=True)
            ],
            city_amount=fees.city,
            inputs={
                "resident_income": str(resident_income),
                "cost_act": cost.act_reference,
                "relatives": [
                    {
                        "name": r.name,
                        "relation": r.relation,
                        "household_size": r.household_size,
                        "household_income": str(r.household_income),
                        "agreed_amount": None if r.agreed_amount is None else str(r.agreed_amount),
                        "exemption": r.exemption_basis,
                    }
                    for r in relatives
                ],
            },
            trace=[{"step": s.step, "value": s.value, "basis": s.basis} for s in result.trace],
            fee_decision=fee_decision,
            created_by=actor,
            created_at=now,
        )


def fee_set_art97(
    *,
    stay: Stay,
    valid_from: date,
    household_income: Decimal,
    household_size: int,
    actor: Any,
    now: datetime,
) -> FeeArrangement:
    """The fee for a stay in a shelter or a training / supported flat from ``valid_from``
    (art. 97 ust. 1, 1a and 5 u.p.s.) by the law core: free up to the income criterion, above
    it the band of the council's resolution applied to the monthly cost of the place. A new
    arrangement for every change, never an edit; the city bears the rest of the cost."""
    group = p.ART97_GROUPS.get(stay.facility.kind)
    if group is None:
        raise _fail(
            "stay",
            "Odpłatność według art. 97 dotyczy schroniska oraz mieszkania treningowego "
            "lub wspomaganego.",
        )
    if valid_from < stay.started_on or (stay.ended_on and valid_from >= stay.ended_on):
        raise _fail("valid_from", "Opłata może obowiązywać tylko w czasie pobytu.")
    if household_income is None or household_income < 0:
        raise _fail("household_income", "Dochód gospodarstwa nie może być ujemny.")
    if household_size is None or household_size < 1:
        raise _fail("household_size", "Liczba osób w gospodarstwie musi wynosić co najmniej 1.")
    cost = cost_on(facility=stay.facility, on=valid_from)
    if cost is None:
        raise _fail(
            "valid_from",
            "Brak miesięcznego kosztu miejsca w tej placówce na ten dzień — wprowadź go na "
            "stronie placówki.",
        )
    result = art97_law.calculate_art97(
        group=group,
        household_income=Decimal(household_income),
        household_size=household_size,
        monthly_cost=cost.amount,
        on=valid_from,
    )
    with transaction.atomic():
        if FeeArrangement.objects.filter(stay=stay, valid_from=valid_from).exists():
            raise _fail("valid_from", "Opłata od tego dnia jest już ustalona.")
        return FeeArrangement.objects.create(
            stay=stay,
            valid_from=valid_from,
            monthly_cost=cost.amount,
            resident_amount=result.amount,
            relatives=[],
            city_amount=cost.amount - result.amount,
            inputs={
                "basis": "art. 97",
                "group": group,
                "household_income": str(household_income),
                "household_size": household_size,
                "cost_act": cost.act_reference,
                "confirmed": result.confirmed,
                "source": result.source,
            },
            trace=[{"step": s.step, "value": s.value, "basis": s.basis} for s in result.trace],
            created_by=actor,
            created_at=now,
        )


def _fee_on(stay: Stay, on: date) -> FeeArrangement | None:
    fees = FeeArrangement.objects.filter(stay=stay, valid_from__lte=on)
    return fees.order_by("-valid_from").first()


@dataclass(frozen=True)
class ChargeRun:
    created: int
    skipped: int


def charges_build(*, month: date, now: datetime) -> ChargeRun:
    """The monthly charges (należności) of every DPS stay in ``month`` per payer; the city's
    share is what the city pays to the home. Part months proportionally to the days of stay
    (⚠ local practice). Idempotent: one charge per stay, month and payer (unique constraint)."""
    start = month.replace(day=1)
    end = next_month_start(start)
    days_in_month = (end - start).days
    budgets = {
        code: f"{b.section} {b.chapter} §{b.paragraph}"
        for code, b in (
            ("dps", benefit_of("oplata_dps").budget),
            ("art97", benefit_of("schronienie").budget),
        )
    }
    created = skipped = 0
    stays = (
        Stay.objects.filter(facility__kind__in=["dps", *p.ART97_GROUPS], started_on__lt=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))
        .select_related("person", "facility")
    )
    with transaction.atomic():
        for stay in stays:
            first = max(start, stay.started_on)
            last = min(end, stay.ended_on or end)
            fee = _fee_on(stay, first)
            if fee is None:
                continue
            ratio = (
                Decimal(1)
                if (last - first).days == days_in_month
                else (Decimal((last - first).days) / Decimal(days_in_month))
            )

            def part(x: Decimal, ratio: Decimal = ratio) -> Decimal:
                return (Decimal(x) * ratio).quantize(CENT, rounding=ROUND_HALF_UP)

            rows = [("mieszkaniec", "mieszkaniec", "Mieszkaniec", part(fee.resident_amount))]
            for i, r in enumerate(fee.relatives):
                if Decimal(r["amount"]) > 0:
                    rows.append(
                        ("krewny", f"krewny-{i + 1}",
                         f"{r['name']} ({DPS_RELATIONS.get(r['relation'], r['relation'])})",
                         part(Decimal(r["amount"]))),
                    )  # fmt: skip
            is_dps = stay.facility.kind == "dps"
            if is_dps:
                total = part(fee.monthly_cost)
                city = total - sum((row[3] for row in rows), Decimal(0))
                rows.append(
                    ("gmina", "gmina", "Gmina Kielce — dopłata do DPS", max(city, Decimal(0)))
                )
            else:
                # Art. 97: only the resident's fee is a charge; nothing when it is free.
                rows = [row for row in rows if row[3] > 0]
            budget_text = budgets["dps" if is_dps else "art97"]
            for kind, key, label, amount in rows:
                if Charge.objects.filter(stay=stay, month=start, payer_key=key).exists():
                    skipped += 1
                    continue
                Charge.objects.create(
                    stay=stay, fee=fee, month=start, payer_kind=kind, payer_key=key,
                    payer_label=label, amount=amount, budget=budget_text, created_at=now,
                )  # fmt: skip
                created += 1
    return ChargeRun(created=created, skipped=skipped)


def charge_pay(*, charge: Charge, amount: Decimal) -> Charge:
    """Record a payment on a charge; what stays unpaid after the month is a receivable."""
    if amount is None or amount <= 0:
        raise _fail("amount", "Kwota wpłaty musi być większa od zera.")
    with transaction.atomic():
        locked = Charge.objects.select_for_update().get(pk=charge.pk)
        if locked.paid + amount > locked.amount:
            raise _fail("amount", "Wpłata przekracza należność.")
        locked.paid += amount
        locked.save(update_fields=["paid"])
        return locked


# ------------------------------------------------------------------ nights


def night_record(
    *,
    facility: Facility,
    night: date,
    actor: Any,
    person: Any = None,
    guest_label: str = "",
) -> Night:
    """A night in a night shelter or warming room (art. 48a ust. 2–3; no decision, art. 106
    ust. 2). The warming room works in winter only (1 October – 31 March ⚠ local practice)."""
    if facility.kind not in p.NIGHTLY:
        raise _fail("facility", "Noclegi rejestruje się w noclegowni i ogrzewalni.")
    if facility.kind == "ogrzewalnia" and night.month not in p.WINTER_MONTHS:
        raise _fail("night", "Ogrzewalnia działa w okresie zimowym (od października do marca).")
    if person is None and not guest_label.strip():
        raise _fail("person", "Wskaż osobę albo wpisz jej opis.")
    if (
        person is not None
        and Night.objects.filter(facility=facility, night=night, person=person).exists()
    ):
        raise _fail("person", "Ta osoba ma już nocleg tej nocy.")
    for _attempt in range(3):
        taken = Night.objects.filter(facility=facility, night=night).values_list(
            "place_id", flat=True
        )
        place = _live_places(facility, night).exclude(pk__in=taken).order_by("number").first()
        if place is None:
            break
        try:
            with transaction.atomic():
                return Night.objects.create(
                    facility=facility, place=place, night=night, person=person,
                    guest_label=guest_label.strip(), recorded_by=actor,
                )  # fmt: skip
        except IntegrityError:
            continue
    raise NoFreePlace(facility)


# ------------------------------------------------------------------ DPS decisions (art. 59, 61)

# Which decision each step of the DPS path is, and the benefit its line carries
# (``ostoja.decisions.catalog``): the gmina's referral (art. 59 ust. 1), the placement by the
# Prezydent as starosta (art. 59 ust. 2) and the fee (art. 59 ust. 1 and art. 61).
DPS_STEPS = {
    "skierowanie": ("skierowanie_dps", "art. 59 ust. 1 u.p.s."),
    "umieszczenie": ("umieszczenie_dps", "art. 59 ust. 2 u.p.s."),
}
OWN_PLACEMENT_AUTHORITY = "Prezydent Miasta Kielce wykonujący zadania starosty"


def case_of(person: Any) -> FamilyCase:
    """The family's case (teczka) of the person — a decision belongs to a case."""
    case = (
        FamilyCase.objects.filter(
            household__memberships__person=person, household__memberships__valid_to__isnull=True
        )
        .order_by("-opened_on", "-pk")
        .first()
    )
    if case is None:
        raise _fail(
            "person",
            "Osoba nie ma założonej sprawy rodziny — załóż sprawę, aby wydać decyzję.",
        )
    return case


def _reference_of(case: FamilyCase, given: str) -> str:
    """The case reference (znak sprawy) typed by the worker, else the case's latest application."""
    if given.strip():
        return given.strip()
    app = Application.objects.filter(case=case).order_by("-received_on", "-pk").first()
    if app is None:
        raise _fail("case_reference", "Podaj znak sprawy (sprawa nie ma jeszcze wniosku).")
    return str(app.reference)


def referral_decision_draft(
    *,
    referral: Referral,
    step: str,
    actor: Any,
    on: date,
    expected_version: int,
    facility: Facility | None = None,
    case_reference: str = "",
    immediate_reason: str = "",
) -> Any:
    """Draft the referral (``step="skierowanie"``, art. 59 ust. 1) or the placement decision
    (``"umieszczenie"``, art. 59 ust. 2) through the decisions workflow and link it to the
    referral. The draft then goes through check by a second person, signature, delivery and
    finality in the decisions context; the referral follows its status."""
    if step not in DPS_STEPS:
        raise _fail("step", "Nieznany rodzaj decyzji.")
    if referral.facility_kind != "dps":
        raise _fail("referral", "Decyzje art. 59 u.p.s. dotyczą domów pomocy społecznej.")
    benefit_code, basis = DPS_STEPS[step]
    subtype = p.DPS_TYPES.get(referral.subtype, referral.subtype)
    trace = [{"step": "Rodzaj domu (art. 56 u.p.s.)", "value": subtype, "basis": "art. 56 u.p.s."}]
    if step == "skierowanie":
        if referral.referral_decision_id is not None:
            raise _fail("referral", "Projekt decyzji o skierowaniu już istnieje.")
        if referral.status != "zlozone":
            raise _fail("status", "Skierowanie zostało już wydane.")
        missing = referral_missing_documents(referral)
        if missing:
            raise _fail("documents", "Brakuje dokumentów: " + "; ".join(missing) + ".")
        trace.append(
            {
                "step": "Dokumenty (§ 8 rozporządzenia w sprawie DPS)",
                "value": "komplet",
                "basis": basis,
            }
        )
        note = f"Dom pomocy społecznej typu: {subtype}"
    else:
        if referral.placement_decision_id is not None or referral.placement_number:
            raise _fail("referral", "Decyzja o umieszczeniu już istnieje.")
        if referral.status not in {"skierowany", "oczekuje"}:
            raise _fail("status", "Najpierw wydaje się decyzję o skierowaniu (art. 59 ust. 1).")
        if facility is None or not _matches(referral, facility):
            raise _fail("facility", "Wskaż dom pomocy społecznej tego typu, do którego skierowano.")
        trace.append(
            {
                "step": "Decyzja o skierowaniu (art. 59 ust. 1 u.p.s.)",
                "value": referral.referral_number,
                "basis": "art. 59 ust. 1 u.p.s.",
            }
        )
        note = f"{facility.name}, {facility.address}"
    case = case_of(referral.person)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.version != expected_version:
            raise ConflictError(
                "Skierowanie zmienił w międzyczasie ktoś inny — odśwież stronę i spróbuj ponownie."
            )
        decision = decision_create(
            case=case,
            kind="przyznanie",
            addressee=referral.person,
            actor=actor,
            lines=[
                {
                    "benefit": benefit_code,
                    "amount": "0",
                    "period_from": on.isoformat(),
                    "payment_method": "rzeczowa",
                    "note": note,
                }
            ],
            case_reference=_reference_of(case, case_reference),
            application_date=referral.referral_date,
            trace=trace,
            immediate=bool(immediate_reason.strip()),
            immediate_reason=immediate_reason,
        )
        if step == "skierowanie":
            referral.referral_decision = decision
        else:
            referral.placement_decision = decision
            referral.placement_facility = facility
            referral.placement_authority = OWN_PLACEMENT_AUTHORITY
        save_versioned(referral, expected_version=expected_version)
    return decision


def decision_enforceability(decision: Any) -> tuple[date | None, str]:
    """When the decision may be executed (art. 130 KPA) — ``(day, "")`` or ``(None, why)``."""
    pay = payability(
        status=decision.status,
        immediate=decision.immediate,
        delivered_on=decision.delivered_on,
        final_on=decision.final_on,
        appeal_deadline=decision.appeal_deadline,
        appeal_waived_on=decision.appeal_waived_on,
    )
    return pay.enforceable_from, pay.reason


def referral_sync(*, referral: Referral, expected_version: int) -> Referral:
    """Take over the number and date of the linked decisions once they are signed: a signed
    referral decision makes the person referred (art. 59 ust. 1); a signed placement decision
    records the placement (the admission waits for it to be enforceable, see ``stay_admit``)."""
    changed = False
    with transaction.atomic():
        d = referral.referral_decision
        if d is not None and d.is_signed and referral.status == "zlozone":
            referral.referral_number = d.number
            referral.referral_date = d.issued_on or referral.referral_date
            referral.status = "skierowany"
            changed = True
        d = referral.placement_decision
        if d is not None and d.is_signed and not referral.placement_number:
            referral.placement_number = d.number
            referral.placement_date = d.issued_on
            changed = True
        if not changed:
            raise _fail(
                "referral",
                "Brak nowej podpisanej decyzji — decyzja musi zostać sprawdzona przez drugą "
                "osobę i podpisana przez osobę upoważnioną.",
            )
        save_versioned(referral, expected_version=expected_version)
    return referral


def fee_decision_draft(*, fee: FeeArrangement, actor: Any, case_reference: str = "") -> Any:
    """Draft the fee decision (decyzja ustalająca opłatę, art. 59 ust. 1 and art. 61 u.p.s.):
    its lines are the law core's art. 61 shares as fixed in ``fee`` — the resident, each
    relative, the gmina. One decision per fee arrangement (asking twice is refused)."""
    stay = fee.stay
    if stay.facility.kind != "dps":
        raise _fail("fee", "Decyzja o odpłatności według art. 61 dotyczy pobytu w DPS.")
    case = case_of(stay.person)
    with transaction.atomic():
        locked = FeeArrangement.objects.select_for_update().get(pk=fee.pk)
        if locked.fee_decision_id is not None:
            raise _fail("fee", "Projekt decyzji o odpłatności dla tego ustalenia już istnieje.")
        start = fee.valid_from.isoformat()
        lines = [
            {
                "benefit": "oplata_dps",
                "amount": str(fee.resident_amount),
                "period_from": start,
                "payment_method": "rzeczowa",
                "note": "Mieszkaniec — art. 61 ust. 1 pkt 1 u.p.s.",
            }
        ]
        for r in fee.relatives:
            lines.append(
                {
                    "benefit": "oplata_dps",
                    "amount": str(r["amount"]),
                    "period_from": start,
                    "payment_method": "rzeczowa",
                    "note": f"{r['name']} "
                    f"({DPS_RELATIONS.get(r['relation'], r['relation'])}) — "
                    "art. 61 ust. 1 pkt 2 u.p.s.",
                }
            )
        lines.append(
            {
                "benefit": "oplata_dps",
                "amount": str(fee.city_amount),
                "period_from": start,
                "payment_method": "rzeczowa",
                "note": "Gmina Kielce — art. 61 ust. 1 pkt 3 u.p.s.",
            }
        )
        decision = decision_create(
            case=case,
            kind="odplatnosc",
            addressee=stay.person,
            actor=actor,
            lines=lines,
            case_reference=_reference_of(case, case_reference),
            trace=[
                {"step": str(s["step"]), "value": str(s["value"]), "basis": str(s["basis"])}
                for s in fee.trace
            ],
        )
        locked.fee_decision = decision
        locked.save(update_fields=["fee_decision"])
    fee.fee_decision = decision
    return decision

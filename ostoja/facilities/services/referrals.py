"""Referrals to a facility and waiting lists: issuing and deciding a referral, its documents,
placing it, adding to, moving on and removing from a waiting list.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction

from ostoja.core.concurrency import save_versioned
from ostoja.facilities import policy as p
from ostoja.facilities.models import (
    Facility,
    Referral,
    WaitingListEntry,
)
from ostoja.facilities.selectors import expected_wait

from ._common import _fail, _matches
from .foreign import foreign_decision_check


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
    authority: str = "",
    decision: Any = None,
) -> Referral:
    """The gmina's referral decision (decyzja o skierowaniu do DPS, art. 59 ust. 1 u.p.s.),
    issued through the decisions workflow (``decision``) or, for ANOTHER gmina, its number and
    authority (``authority``, else the referral's referring authority). A Kielce authority or
    one of our own numbers is refused: Kielce decides through the workflow."""
    if referral.status not in {"zlozone"}:
        raise _fail("status", "Skierowanie zostało już wydane.")
    missing = referral_missing_documents(referral) if referral.facility_kind == "dps" else []
    if missing:
        raise _fail("documents", "Brakuje dokumentów: " + "; ".join(missing) + ".")
    if decision is None:
        authority = authority.strip() or referral.referring_authority
        if not authority.strip():
            raise _fail("authority", "Podaj organ (gminę), który wydał decyzję o skierowaniu.")
        if not number.strip():
            raise _fail("number", "Podaj znak decyzji o skierowaniu.")
        foreign_decision_check(
            authority=authority, number=number, authority_field="authority",
            number_field="number",
        )  # fmt: skip
        referral.referring_authority = authority.strip()
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
    """A placement decision (decyzja o umieszczeniu, art. 59 ust. 2 u.p.s.) issued by ANOTHER
    powiat, recorded by its number. The Prezydent Miasta Kielce as starosta places through the
    decisions workflow (``referral_decision_draft``), so a Kielce authority or one of our own
    numbers is refused."""
    if referral.status not in {"skierowany", "oczekuje"}:
        raise _fail("status", "Najpierw wydaje się decyzję o skierowaniu (art. 59 ust. 1).")
    if not authority.strip():
        raise _fail("placement_authority", "Podaj organ, który wydał decyzję o umieszczeniu.")
    if not number.strip():
        raise _fail("placement_number", "Podaj znak decyzji o umieszczeniu.")
    foreign_decision_check(
        authority=authority, number=number, authority_field="placement_authority",
        number_field="placement_number",
    )  # fmt: skip
    with transaction.atomic():
        referral.placement_authority = authority.strip()
        referral.placement_number = number.strip()
        referral.placement_date = on
        save_versioned(referral, expected_version=expected_version)
    return referral


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

"""Test data of social infrastructure: persons, facilities with places, referrals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ostoja.facilities import services
from ostoja.facilities.models import Facility
from ostoja.org.models import Unit
from ostoja.registry.models import Person

_counter = {"n": 0}


def make_person(last: str = "Nowak", first: str = "Jan") -> Person:
    _counter["n"] += 1
    n = _counter["n"]
    return Person.objects.create(
        first_name=first,
        last_name=f"{last}{n}",
        search_key=f"{last.lower()}{n} {first.lower()}",
        birth_date=date(1940, 1, 1),
        sex="M",
        act_street_text="ul. Próbna",
        act_house=str(n),
        act_postal_code="25-001",
    )


def make_facility(
    *,
    kind: str = "dps",
    subtypes: list[str] | None = None,
    places: int = 2,
    place_kind: str = "stale",
    unit_code: str = "dpsr",
    name: str = "",
    on: date = date(2020, 1, 1),
    cost: str | None = None,
) -> Facility:
    _counter["n"] += 1
    if subtypes is None:
        subtypes = ["podeszly_wiek"] if kind == "dps" else []
    facility = services.facility_create(
        data={
            "name": name or f"Placówka {_counter['n']}",
            "kind": kind,
            "subtypes": subtypes,
            "operator_kind": "miasto",
            "operator_name": "Miasto Kielce",
            "address": "ul. Jagiellońska 76, 25-132 Kielce",
            "unit": Unit.objects.get(code=unit_code),
            "valid_from": on,
        },
        on=on,
    )
    services.places_set(facility=facility, kind=place_kind, count=places, on=on)
    if cost:
        services.cost_set(
            facility=facility, amount=Decimal(cost), valid_from=on,
            act_reference="Zarządzenie Prezydenta Miasta Kielce (test)",
        )  # fmt: skip
    return facility


def placed_referral(
    *, person: Any, actor: Any, now: Any, on: date, unit_code: str = "ro1",
    subtype: str = "podeszly_wiek",
) -> Any:  # fmt: skip
    """A DPS referral with all documents, the referral and the placement decision."""
    from ostoja.facilities.policy import DOCUMENTS

    r = services.referral_create(
        person=person, facility_kind="dps", subtype=subtype,
        unit=Unit.objects.get(code=unit_code), referral_date=on, actor=actor, now=now,
        documents=dict.fromkeys(DOCUMENTS, True),
    )  # fmt: skip
    # Decisions of other authorities, recorded by number (Kielce's go through the workflow).
    r = services.referral_decide(referral=r, number="GOPS.8220.1.2026", on=on,
                                 authority="Wójt Gminy Masłów", expected_version=1)  # fmt: skip
    return services.referral_place(
        referral=r, authority="Starosta Kielecki", number="SO.8221.1.2026", on=on,
        expected_version=r.version,
    )  # fmt: skip


def security_records(*, unit: Any, actor: Any, on: date) -> dict[str, Any]:
    """Records of one care district for the security suite: a facility run by ``unit``, a
    referral of ``unit`` waiting on its list and a resident's stay."""
    from ostoja.core.dates import noon

    now = noon(on)
    facility = make_facility(kind="mieszkanie_wspomagane", subtypes=[], places=1,
                             unit_code=unit.code, on=on)  # fmt: skip
    resident = make_person("Lokator")
    stay = services.stay_admit(person=resident, facility=facility, on=on, actor=actor, now=now,
                               legal_basis="decyzja kierownika rejonu (test)")  # fmt: skip
    referral = services.referral_create(
        person=make_person("Czekajacy"), facility_kind="mieszkanie_wspomagane", subtype="",
        unit=unit, referral_date=on, actor=actor, now=now,
    )  # fmt: skip
    services.waiting_list_add(referral=referral, facility=facility, on=on)
    return {"facility": facility, "facility_referral": referral, "facility_stay": stay}


def fee_decided(fee: Any, staff: Any, on: date, *, immediate: bool = False) -> Any:
    """The fee decision of ``fee`` drafted, checked, signed, delivered on ``on`` and final —
    or, ``immediate``, with rygor natychmiastowej wykonalności, enforceable on delivery
    (art. 108 § 1, art. 130 KPA: a resident's unpaid fee is pursued only under it)."""
    from ostoja.core import dates
    from ostoja.decisions import services as dsvc

    fee.refresh_from_db()
    d = fee.fee_decision or services.fee_decision_draft(fee=fee, actor=staff.clerk)  # a draft
    if "⚠" in d.justification:  # an unconfirmed parameter's note: the drafter takes it out
        kept = [p for p in d.justification.split("\n\n") if "⚠" not in p]
        d = dsvc.decision_justification_edit(
            decision=d, text="\n\n".join(kept), expected_version=d.version, actor=staff.clerk
        )
    if immediate:
        d = dsvc.decision_update_draft(
            decision=d, expected_version=d.version, actor=staff.clerk, immediate=True,
            immediate_reason="mieszkaniec nie może czekać z rozliczeniem pobytu",
        )  # fmt: skip
    dsvc.decision_check(now=dates.now(), decision=d, actor=staff.head)
    d = dsvc.decision_sign(now=dates.now(), decision=d, actor=staff.director, on=on)
    d = dsvc.decision_send(decision=d, actor=staff.worker, on=on, channel="zpo")
    d = dsvc.decision_deliver(
        decision=d, actor=staff.worker, delivered_on=on, channel="zpo", today=on
    )
    if immediate:
        return d
    return dsvc.decision_finalise(decision=d, actor=staff.worker, on=d.final_on)

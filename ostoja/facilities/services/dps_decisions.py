"""DPS decisions (art. 59, 61 u.p.s.): drafts of the referral, placement and fee decisions for
the family's case, their enforceability, and keeping the referral in step with them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from ostoja.cases.models import Application
from ostoja.cases.models import Case as FamilyCase
from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import ConflictError
from ostoja.decisions.services import decision_create
from ostoja.decisions.services.kinds import decision_create_fee_art97
from ostoja.decisions.workflow import payability
from ostoja.facilities import policy as p
from ostoja.facilities.models import (
    Facility,
    FeeArrangement,
    Referral,
)
from ostoja.law.codes import DPS_RELATIONS
from ostoja.law.money import pln

from ._common import _fail, _matches
from .referrals import referral_missing_documents

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
        note = subtype  # „dla osób w podeszłym wieku”: the ruling names the type (art. 56)
    else:
        if referral.placement_decision_id is not None or referral.placement_number:
            raise _fail("referral", "Decyzja o umieszczeniu już istnieje.")
        if referral.status not in {"skierowany", "oczekuje"}:
            raise _fail("status", "Najpierw wydaje się decyzję o skierowaniu (art. 59 ust. 1).")
        if facility is None or not _matches(referral, facility):
            raise _fail("facility", "Wskaż dom pomocy społecznej tego typu, do którego skierowano.")
        # The placement's own basis is art. 59 ust. 2 (the Prezydent as starosta); the referral
        # decision is a fact the placement rests on, not its legal basis.
        trace.append(
            {
                "step": "Decyzja o skierowaniu (art. 59 ust. 1 u.p.s.)",
                "value": referral.referral_number,
                "basis": "",
            }
        )
        trace.append(
            {"step": "Umieszczenie w domu pomocy społecznej", "value": facility.name,
             "basis": basis}
        )  # fmt: skip
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
    relative, the gmina. One decision per fee arrangement (asking twice is refused). A fee of
    an art. 97 stay goes to ``fee_decision_draft_art97``."""
    stay = fee.stay
    if stay.facility.kind in p.ART97_GROUPS:
        return fee_decision_draft_art97(fee=fee, actor=actor, case_reference=case_reference)
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
                "note": "nie więcej niż 70% dochodu mieszkańca — art. 61 ust. 1 pkt 1 u.p.s.",
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
                    f"({DPS_RELATIONS.get(r['relation'], r['relation']).lower()}) — "
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


def fee_decision_draft_art97(*, fee: FeeArrangement, actor: Any, case_reference: str = "") -> Any:
    """Draft the fee decision of a stay in a shelter or a training / supported flat (decyzja
    ustalająca odpłatność, art. 97 ust. 1, 1a i 5 u.p.s.): one line with the monthly fee that
    the law core's ``calculate_art97`` fixed in ``fee``. While the council's table is not
    confirmed the draft carries the internal warning (the check refuses it until verified and
    removed). One decision per fee arrangement (asking twice is refused)."""
    stay = fee.stay
    if stay.facility.kind not in p.ART97_GROUPS or fee.inputs.get("basis") != "art. 97":
        raise _fail(
            "fee",
            "Decyzja o odpłatności według art. 97 dotyczy pobytu w schronisku lub mieszkaniu "
            "treningowym albo wspomaganym, z opłatą ustaloną według art. 97.",
        )
    case = case_of(stay.person)
    with transaction.atomic():
        locked = FeeArrangement.objects.select_for_update().get(pk=fee.pk)
        if locked.fee_decision_id is not None:
            raise _fail("fee", "Projekt decyzji o odpłatności dla tego ustalenia już istnieje.")
        confirmed = bool(fee.inputs.get("confirmed"))
        trace = [{"step": str(s["step"]), "value": str(s["value"]), "basis": str(s["basis"])}
                 for s in fee.trace]  # fmt: skip
        decision = decision_create_fee_art97(
            case=case,
            addressee=stay.person,
            actor=actor,
            amount=fee.resident_amount,
            period_from=fee.valid_from,
            place=f"{p.FACILITY_KINDS.get(stay.facility.kind, stay.facility.kind)}: "
            f"{stay.facility.name}",
            benefit=p.ART97_BENEFITS[stay.facility.kind],
            confirmed=confirmed,
            trace=trace,
            case_reference=_reference_of(case, case_reference),
            exemption=_exemption_note(fee.inputs.get("exemption")),
        )
        locked.fee_decision = decision
        locked.save(update_fields=["fee_decision"])
    fee.fee_decision = decision
    return decision


def _exemption_note(ex: dict[str, Any] | None) -> str:
    """The line's words for an exemption on request (art. 97 ust. 5 u.p.s.), or ""."""
    if not ex:
        return ""
    asked = date.fromisoformat(ex["requested_on"]).strftime("%d.%m.%Y")
    if ex["kind"] == "calkowite":
        return f"zwolnienie całkowite z opłaty na wniosek z dnia {asked} r."
    # The table's fee and the figures are in the reasons; the line stays within its 300 signs.
    return (
        f"opłata miesięczna po zwolnieniu częściowym na wniosek z dnia {asked} r. "
        f"o {pln(Decimal(ex['exempted']))}"
    )

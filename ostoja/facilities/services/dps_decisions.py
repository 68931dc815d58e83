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
from ostoja.core.polish import date_long
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.services import (
    decision_amend_draft,
    decision_create,
    decision_justification_edit,
)
from ostoja.decisions.services.kinds import (
    ART97_UNCONFIRMED_NOTE,
    decision_create_fee_art97,
    fee_art97_line,
)
from ostoja.decisions.workflow import payability
from ostoja.facilities import policy as p
from ostoja.facilities.models import (
    Charge,
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
        trace = [{"step": str(s["step"]), "value": str(s["value"]), "basis": str(s["basis"])}
                 for s in fee.trace]  # fmt: skip
        changed = _decision_changed(fee)
        if changed is not None:
            decision = _change_draft(changed, fee, lines, trace, actor)
        else:
            decision = decision_create(
                case=case,
                kind="odplatnosc",
                addressee=stay.person,
                actor=actor,
                lines=lines,
                case_reference=_reference_of(case, case_reference),
                trace=trace,
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
        place = (
            f"{p.FACILITY_KINDS.get(stay.facility.kind, stay.facility.kind)}: {stay.facility.name}"
        )
        changed = _decision_changed(fee)
        if changed is not None:
            line = fee_art97_line(
                amount=fee.resident_amount, period_from=fee.valid_from, place=place,
                benefit=p.ART97_BENEFITS[stay.facility.kind],
                exemption=_exemption_note(fee.inputs.get("exemption")),
            )  # fmt: skip
            decision = _change_draft(changed, fee, [line], trace, actor)
            if not confirmed:  # the council's table unconfirmed: the same warning as a new fee
                decision = decision_justification_edit(
                    decision=decision, expected_version=decision.version, actor=actor,
                    text=f"{decision.justification.rstrip()}\n\n{ART97_UNCONFIRMED_NOTE}",
                )  # fmt: skip
            locked.fee_decision = decision
            locked.save(update_fields=["fee_decision"])
            fee.fee_decision = decision
            return decision
        decision = decision_create_fee_art97(
            case=case,
            addressee=stay.person,
            actor=actor,
            amount=fee.resident_amount,
            period_from=fee.valid_from,
            place=place,
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


def _decision_changed(fee: FeeArrangement) -> Any:
    """The fee decision that ``fee`` — a later arrangement of the same stay — changes: the
    decision of the latest earlier arrangement that has one, or the one that decision itself
    changed (a change always refers to the decision first setting the fee). None when no
    earlier arrangement was decided (the new fee is then set by a decision of its own). An
    earlier draft must be issued or discarded first: two drafts would both set the fee from
    their days."""
    prev = (
        FeeArrangement.objects.filter(
            stay=fee.stay_id, valid_from__lt=fee.valid_from, fee_decision__isnull=False
        )
        .select_related("fee_decision__refers_to")
        .order_by("-valid_from")
        .first()
    )  # arrangements never decided in between are skipped: they bound nobody
    later = (
        FeeArrangement.objects.filter(
            stay=fee.stay_id, valid_from__gt=fee.valid_from, fee_decision__isnull=False
        )
        .order_by("valid_from")
        .first()
    )
    if later is not None:  # two open-ended rulings would contradict each other
        raise _fail(
            "fee",
            f"Od {later.valid_from:%d.%m.%Y} opłatę ustala już decyzja przygotowana dla "
            "późniejszego ustalenia — ustalenie wcześniejsze nie może jej poprzedzać.",
        )
    if prev is None or prev.fee_decision is None:
        return None
    d = prev.fee_decision
    if not d.is_signed:
        raise _fail(
            "fee",
            f"Decyzja o odpłatności od {prev.valid_from:%d.%m.%Y} jest jeszcze projektem — "
            "podpisz ją albo odrzuć, zanim przygotujesz decyzję zmieniającą odpłatność od "
            f"{fee.valid_from:%d.%m.%Y}.",
        )
    if d.kind == DecisionKind.CHANGE and d.refers_to is not None:
        d = d.refers_to
    return (prev, d)


def _money_changes(prev: FeeArrangement, fee: FeeArrangement) -> list[str]:
    """What changed between two arrangements, in the reasons' words."""
    art97 = fee.inputs.get("basis") == "art. 97"
    said: list[str] = []

    def differs(key: str, label: str) -> None:
        old, new = prev.inputs.get(key), fee.inputs.get(key)
        if old is not None and new is not None and Decimal(str(old)) != Decimal(str(new)):
            said.append(f"{label} — {pln(Decimal(str(old)))} (dotąd), {pln(Decimal(str(new)))} "
                        "(obecnie)")  # fmt: skip

    differs("household_income" if art97 else "resident_income",
            "dochód gospodarstwa domowego" if art97 else "dochód mieszkańca")  # fmt: skip
    if art97 and prev.inputs.get("household_size") != fee.inputs.get("household_size"):
        said.append(f"liczba osób w gospodarstwie — {prev.inputs.get('household_size')} (dotąd), "
                    f"{fee.inputs.get('household_size')} (obecnie)")  # fmt: skip
    if prev.monthly_cost != fee.monthly_cost:
        what = "miesięczny koszt miejsca" if art97 else "średni miesięczny koszt utrzymania"
        said.append(f"{what} — {pln(prev.monthly_cost)} (dotąd), {pln(fee.monthly_cost)} "
                    f"(obecnie; {fee.inputs.get('cost_act', '')})")  # fmt: skip
    if [r["amount"] for r in prev.relatives] != [r["amount"] for r in fee.relatives]:
        said.append("udziały małżonka, zstępnych lub wstępnych (art. 61 ust. 1 pkt 2 u.p.s.)")
    if prev.inputs.get("exemption") != fee.inputs.get("exemption"):
        said.append("zwolnienie z opłaty na wniosek (art. 97 ust. 5 u.p.s.)")
    return said


def _change_draft(
    changed: tuple[FeeArrangement, Any], fee: FeeArrangement, lines: list[dict[str, Any]],
    trace: list[dict[str, str]], actor: Any,
) -> Any:  # fmt: skip
    """The decision changing the fee decision from ``fee.valid_from`` (art. 106 ust. 5 u.p.s.,
    art. 155 KPA; for the future only): the fee set anew, with what changed in its reasons."""
    prev, decision = changed
    if prev.resident_amount == fee.resident_amount:
        # The party's fee is what the decision sets; relatives' shares rest on their
        # agreements (art. 103 ust. 2) and the city's top-up follows the cost.
        raise _fail(
            "fee",
            f"Odpłatność mieszkańca od {fee.valid_from:%d.%m.%Y} nie różni się od ustalonej "
            f"decyzją nr {decision.number} ({pln(fee.resident_amount)}) — decyzji zmieniającej "
            "się nie wydaje; udział krewnego ustala umowa z nim (art. 103 ust. 2 u.p.s.).",
        )
    charged = (
        Charge.objects.filter(stay=fee.stay_id, month__gte=fee.valid_from.replace(day=1))
        .order_by("month")
        .first()
    )
    if charged is not None:
        raise _fail(
            "fee",
            f"Należności za {charged.month:%m.%Y} naliczono już według dotychczasowej opłaty — "
            "zmiana decyzji może obowiązywać od miesiąca, za który należności nie naliczono "
            "(ustal opłatę od tego miesiąca).",
        )
    changes = _money_changes(prev, fee)
    reason = (
        f"Od dnia {date_long(fee.valid_from)} zmieniły się okoliczności, od których zależy "
        f"odpłatność ustalona decyzją nr {decision.number}"
        + (f": {'; '.join(changes)}" if changes else "")
        + f". Odpłatność Strony wynosi od tego dnia {pln(fee.resident_amount)} miesięcznie "
        f"(dotąd {pln(prev.resident_amount)})."
    )
    return decision_amend_draft(
        decision=decision, kind=DecisionKind.CHANGE, effective_from=fee.valid_from,
        actor=actor, lines=lines, reason=reason, trace=trace,
    )  # fmt: skip


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

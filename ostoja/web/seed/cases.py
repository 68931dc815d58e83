"""Seeding the cases context: the family's case, applications with case references (znak
sprawy, numbered per unit, JRWA class and year), community interviews and the case timeline."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ostoja.cases.filing import FORMS_OF_CLASS
from ostoja.cases.models import (
    Application,
    ApplicationStatus,
    Case,
    Interview,
    InterviewStatus,
    ReferenceCounter,
    TimelineEvent,
)
from ostoja.cases.services import reference_format
from ostoja.law.deadlines import decision_deadline, interview_deadline
from ostoja.web.seed.plan import Family
from ostoja.web.seed.state import SeedState

MODELS = {
    "case": Case,
    "application": Application,
    "interview": Interview,
    "timeline": TimelineEvent,
}
WARSAW = ZoneInfo("Europe/Warsaw")
CLASS_OF_FORM = {form: symbol for symbol, forms in FORMS_OF_CLASS.items() for form in forms}


def at(day, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=WARSAW)


def prepare(state: SeedState) -> None:
    for c in ReferenceCounter.objects.all():
        state.counters[("ref", c.unit_symbol, c.filing_symbol, c.year)] = c.last_number


def finish(state: SeedState) -> None:
    for key, last in state.counters.items():
        if key[0] != "ref":
            continue
        _, unit_symbol, filing_symbol, year = key
        ReferenceCounter.objects.update_or_create(
            unit_symbol=unit_symbol, filing_symbol=filing_symbol, year=year,
            defaults={"last_number": last},
        )  # fmt: skip


def emit(fam: Family, state: SeedState) -> None:
    t = state.tables
    unit = state.units[fam.unit_code]
    worker = state.worker_of(fam.unit_code, fam.worker_slot)
    fam.ids["worker"] = worker
    fam.ids["case"] = case_id = t["case"].add(
        {
            "household_id": fam.ids["household"],
            "unit_id": unit.pk,
            "worker_id": worker,
            "protected": fam.index % 97 == 0,
            "ongoing_help": fam.profile in ("staly", "okresowy"),
            "opened_on": fam.opened_on,
            "created_at": at(fam.opened_on),
        }
    )
    t["timeline"].add(
        {"case_id": case_id, "occurred_at": at(fam.opened_on, 9), "kind": "sprawa",
         "title": "Założono sprawę rodziny", "source_app": "cases", "actor_id": worker,
         "created_at": at(fam.opened_on, 9)}
    )  # fmt: skip
    symbol = unit.case_symbol or unit.code.upper()
    applicant = fam.applicant.ids["person"]
    last_interview = None
    for ep in fam.episodes:
        filing = CLASS_OF_FORM.get(ep.benefit, "4017")
        year = ep.received_on.year
        number = state.next_number(("ref", symbol, filing, year))
        reference = reference_format(
            unit_symbol=symbol, filing_symbol=filing, number=number, year=year
        )
        is_open = ep.outcome == "open"
        if is_open:
            interview_due = interview_deadline(ep.received_on).date
            decision_due = decision_deadline(ep.received_on).date
            status = (
                ApplicationStatus.REGISTERED
                if (state.until - ep.received_on).days < 5
                else ApplicationStatus.INTERVIEW_PLANNED
            )
        else:
            interview_due = ep.received_on + timedelta(days=20)
            decision_due = ep.received_on + timedelta(days=30)
            status = ApplicationStatus.CLOSED
        ep.ids["reference"] = reference
        ep.ids["application"] = app_id = t["application"].add(
            {
                "case_id": case_id,
                "applicant_id": applicant,
                "reference": reference,
                "reference_number": number,
                "reference_year": year,
                "filing_symbol": filing,
                "unit_symbol": symbol,
                "received_on": ep.received_on,
                "channel": "osobiscie" if fam.index % 5 else "epuap",
                "forms": [ep.benefit],
                "reasons": list(ep.reasons),
                "status": status,
                "interview_due": interview_due,
                "decision_due": decision_due,
                "closed_on": None if is_open else ep.decided_on,
                "created_at": at(ep.received_on),
                "created_by_id": worker,
            }
        )
        t["timeline"].add(
            {"case_id": case_id, "occurred_at": at(ep.received_on), "kind": "wniosek",
             "title": f"Wniosek {reference}", "source_app": "cases", "actor_id": worker,
             "created_at": at(ep.received_on)}
        )  # fmt: skip
        if is_open:
            continue
        conducted = ep.received_on + timedelta(days=6)
        last_interview = t["interview"].add(
            {
                "case_id": case_id,
                "application_id": app_id,
                "previous_id": last_interview,
                "status": InterviewStatus.COMPLETED,
                "planned_on": conducted,
                "conducted_on": conducted,
                "worker_id": worker,
                "sections": {"analiza": {"ocena": "Rodzina wymaga wsparcia finansowego."}},
                "reasons": list(ep.reasons),
                "proposed_benefit": ep.benefit,
                "proposed_amount": ep.amount if ep.outcome == "grant" else None,
                "completed_at": at(conducted, 15),
                "update_due": conducted + timedelta(days=182) if fam.profile != "dorazny" else None,
                "saved_at": at(conducted, 15),
                "created_at": at(conducted, 9),
            }
        )
    fam.ids["last_interview"] = last_interview

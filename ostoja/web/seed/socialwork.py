"""Seeding the social work context: the case chronology (notes), field visits (done ones with
their note, upcoming ones on the worker's calendar) and social contracts (art. 108 u.p.s.)."""

from __future__ import annotations

from datetime import time, timedelta

from ostoja.socialwork.models import CaseNote, SocialContract, Visit
from ostoja.web.seed.cases import at
from ostoja.web.seed.plan import Family
from ostoja.web.seed.state import SeedState

MODELS = {"note": CaseNote, "visit": Visit, "contract": SocialContract}


def prepare(state: SeedState) -> None:
    pass


def finish(state: SeedState) -> None:
    pass


def emit(fam: Family, state: SeedState) -> None:
    t = state.tables
    case_id = fam.ids["case"]
    author = fam.ids["worker"] or state.staff.head(fam.unit_code)
    if author is None:
        return
    for on, category, text in fam.notes:
        t["note"].add(
            {"case_id": case_id, "category": category, "occurred_on": on,
             "created_at": at(on, 15), "author_id": author, "text": text}
        )  # fmt: skip
    for on, status, purpose in fam.visits:
        note = None
        if status == "odbyta":
            note = t["note"].add(
                {"case_id": case_id, "category": "wizyta", "occurred_on": on,
                 "created_at": at(on, 16), "author_id": author,
                 "text": f"{purpose}: rodzinę zastano w domu, sytuacja omówiona."}
            )  # fmt: skip
        t["visit"].add(
            {"case_id": case_id, "worker_id": author, "planned_on": on,
             "planned_time": time(10, 0), "purpose": purpose, "status": status,
             "outcome_note_id": note, "created_by_id": author,
             "created_at": at(on - timedelta(days=7))}
        )  # fmt: skip
    if fam.contract and fam.episodes:
        start = fam.episodes[0].received_on + timedelta(days=7)
        t["contract"].add(
            {
                "case_id": case_id,
                "person_id": fam.applicant.ids["person"],
                "kind": "A",
                "situation": "Długotrwałe bezrobocie, zadłużenie czynszowe.",
                "main_goal": "Podjęcie zatrudnienia i uregulowanie zaległości czynszowych.",
                "valid_from": start,
                "valid_to": start + timedelta(days=180),
                "status": "zawarty"
                if start + timedelta(days=180) >= state.until
                else "zrealizowany",
                "worker_id": author,
                "worker_signed_on": start,
                "person_signed_on": start,
                "person_signed_name": f"{fam.applicant.first_name} {fam.applicant.last_name}",
                "signature_recorded_by_id": author,
                "consequences_explained": True,
                "created_by_id": author,
                "created_at": at(start),
            }
        )

"""The family community interview printed as the questionnaire of the regulation (kwestionariusz
rodzinnego wywiadu środowiskowego, rozporządzenie MRiPS z 8 kwietnia 2021 r., Dz.U. 2021
poz. 893) — or as its update (aktualizacja, at least every 6 months for ongoing benefits) — with
every part, the client's statement and the signatures of the client and the social worker.

⚠ The regulation's exact part numbering was not verified (law.md §5.5): the parts follow the
questionnaire's scope and are numbered in the order of the form.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.template.loader import render_to_string

from ostoja.cases.models import ART7_REASONS, Interview
from ostoja.cases.polish import by_sex, date_pl
from ostoja.cases.sections import SECTIONS, section_form
from ostoja.org.selectors import instance_settings
from ostoja.registry.selectors import members_on

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _rows(form: Any) -> list[tuple[str, str]]:
    rows = []
    for field in form:
        value = field.value()
        choices = dict(getattr(field.field, "choices", []) or [])
        if isinstance(value, list):
            text = "; ".join(str(choices.get(v, v)) for v in value)
        elif value is True:
            text = "tak"
        elif value in (None, "", False):
            text = ""
        else:
            text = str(choices.get(value, value))
        rows.append((str(field.label), text))
    return rows


def interview_document(*, interview: Interview, on: date) -> dict[str, Any]:
    """Everything the printed form shows, prepared (no queries in the template)."""
    case = interview.case
    when = interview.conducted_on or on
    members = members_on(household=case.household, on=when)
    applicant = next((m.person for m in members if m.relation == "wnioskodawca"), None)
    if applicant is None and interview.application_id:
        applicant = interview.application.applicant
    sex = applicant.sex if applicant is not None else ""
    # The reasons found in the interview, else those given in the application (pre-filled).
    reasons = set(
        interview.reasons or (interview.application.reasons if interview.application_id else [])
    )
    return {
        "update": interview.previous_id is not None,
        "previous_date": date_pl(interview.previous.conducted_on)
        if interview.previous_id and interview.previous.conducted_on
        else "",
        "centre": instance_settings().name,
        "reference": interview.application.reference if interview.application_id else "",
        "date": date_pl(interview.conducted_on) if interview.conducted_on else "",
        "worker": interview.worker.get_full_name() if interview.worker_id else "",
        "applicant": applicant,
        "members": [
            {
                "name": m.person.full_name,
                "relation": m.get_relation_display(),
                "birth_date": date_pl(m.person.birth_date),
            }
            for m in members
        ],
        "reasons": [(label, code in reasons) for code, label in ART7_REASONS.items()],
        "parts": [
            {"number": ROMAN[i], "title": title, "rows": _rows(section_form(name, interview))}
            for i, (name, title, _) in enumerate(SECTIONS)
        ],
        "aware": by_sex(sex, female="świadoma", male="świadomy"),
        "read": by_sex(sex, female="zapoznałam", male="zapoznałem"),
        "completed": interview.is_completed,
    }


def interview_pdf(*, interview: Interview, on: date) -> bytes:
    # local: heavy library (Pango, fonts), loaded only when a PDF is made
    from weasyprint import HTML

    html = render_to_string(
        "cases/interview_print.html", {"d": interview_document(interview=interview, on=on)}
    )
    return HTML(string=html).write_pdf()

"""Letters generated from a case (pisma w sprawie), as PDF, frozen and put on the timeline.

- request to supplement the application (art. 50 § 1 and art. 64 § 2 KPA): what is missing and
  the 7 days to supply it, with the warning that the application will be left unexamined;
- notice of delay (art. 36 KPA): the reason and the new date (computed by the law core), with
  the right to a ponaglenie (art. 37 KPA);
- notice of the right to see the file and comment before the decision (art. 10 § 1 KPA);
- forwarding an appeal with the file to the SKO (art. 133 KPA) — made by the decisions
  context when it records the forwarding.

Polish wording (dates, words by the addressee's sex) comes from :mod:`ostoja.cases.polish`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from ostoja.cases.models import Application, CaseLetter, LetterKind
from ostoja.cases.polish import by_sex, date_pl, salutation, you
from ostoja.cases.services import timeline_record
from ostoja.core.errors import NotPermitted, ValidationFailed
from ostoja.law import deadlines
from ostoja.law.codes import BENEFITS
from ostoja.law.store import default_store
from ostoja.org.selectors import instance_settings

__all__ = ["AppealForward", "letter_create", "render_pdf"]

MAX_DELAY_DAYS = 60


@dataclass(frozen=True)
class AppealForward:
    """What the decisions context knows about an appeal being forwarded (art. 133 KPA)."""

    decision_number: str
    decision_issued_on: date
    lodged_on: date


def _forms(application: Application) -> str:
    labels = [BENEFITS.get(f, f).split(" (")[0].lower() for f in application.forms]
    return ", ".join(labels) or "świadczenie z pomocy społecznej"


def _signer(actor: Any) -> dict[str, str]:
    staff = getattr(actor, "staff", None)
    return {
        "name": actor.get_full_name() or actor.get_username(),
        "position": staff.position if staff is not None else "",
    }


def render_pdf(html: str) -> bytes:
    # local: heavy library (Pango, fonts), loaded only when a PDF is made
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def _content(
    *,
    application: Application,
    kind: str,
    on: date,
    missing: str,
    reason: str,
    days: int | None,
    appeal: AppealForward | None,
) -> dict[str, Any]:
    centre = instance_settings()
    person = application.applicant
    sex = person.sex
    data: dict[str, Any] = {
        "place_date": f"{centre.city}, {date_pl(on)}",
        "reference": application.reference,
        "centre": {
            "name": centre.name,
            "address": f"{centre.street_address}, {centre.postal_code} {centre.city}",
            "phone": centre.phone,
            "appeal_body": centre.appeal_body,
            "appeal_body_address": centre.appeal_body_address,
        },
        "addressee": {"name": person.full_name, "address": person.address_display},
        "salutation": salutation(sex),
        "you": you(sex),
        "you_dative": by_sex(sex, female="Pani", male="Panu"),
        "you_accusative": by_sex(sex, female="Panią", male="Pana"),
        "filed": by_sex(sex, female="złożyła", male="złożył"),
        "application_date": date_pl(application.received_on),
        "forms": _forms(application),
    }
    errors: dict[str, list[str]] = {}
    if kind == LetterKind.SUPPLEMENT:
        if not missing.strip():
            errors["missing"] = ["Wpisz, czego brakuje we wniosku (dokumenty, podpis, dane)."]
        data["missing"] = missing.strip()
        data["days"] = default_store().get("terminy_kpa", on)["supplement_days"]
    elif kind == LetterKind.DELAY:
        if not reason.strip():
            errors["reason"] = ["Podaj przyczynę zwłoki (art. 36 § 1 KPA)."]
        if days is None or not 1 <= days <= MAX_DELAY_DAYS:
            errors["days"] = [f"Podaj liczbę dni do nowego terminu (od 1 do {MAX_DELAY_DAYS})."]
        else:
            new = deadlines.delayed_decision_date(on, days)
            data["new_date"] = date_pl(new.date)
            data["new_date_iso"] = new.date.isoformat()
            data["trace"] = [s.as_dict() for s in new.trace]
        data["reason"] = reason.strip()
    elif kind == LetterKind.FILE_REVIEW:
        data["days"] = days or 7
    elif kind == LetterKind.APPEAL_FORWARD:
        if appeal is None:
            raise NotPermitted("Odwołanie przekazuje się z karty decyzji (art. 133 KPA).")
        data["addressee"] = {"name": centre.appeal_body, "address": centre.appeal_body_address}
        data["party"] = person.full_name
        data["decision_number"] = appeal.decision_number
        data["decision_date"] = date_pl(appeal.decision_issued_on)
        data["lodged_on"] = date_pl(appeal.lodged_on)
    else:
        errors["kind"] = ["Wybierz rodzaj pisma z listy."]
    if errors:
        raise ValidationFailed(errors)
    return data


@transaction.atomic
def letter_create(
    *,
    application: Application,
    kind: str,
    actor: Any,
    on: date,
    missing: str = "",
    reason: str = "",
    days: int | None = None,
    appeal: AppealForward | None = None,
) -> CaseLetter:
    """Generate, freeze (PDF + SHA-256) and record one letter; it appears on the timeline."""
    data = _content(
        application=application,
        kind=kind,
        on=on,
        missing=missing,
        reason=reason,
        days=days,
        appeal=appeal,
    )
    data["signer"] = _signer(actor)
    html = render_to_string(f"cases/letters/{kind}.html", {"d": data})
    pdf = render_pdf(html)
    letter = CaseLetter.objects.create(
        case=application.case,
        application=application,
        kind=kind,
        issued_on=on,
        addressee=f"{data['addressee']['name']}, {data['addressee']['address']}"[:300],
        data=data,
        html=html,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        created_by=actor,
    )
    timeline_record(
        case=application.case,
        kind="pismo",
        title=f"{LetterKind(kind).label} — {application.reference}"[:250],
        detail=f"Pismo z {date_pl(on)}; adresat: {data['addressee']['name']}.",
        occurred_at=on,
        actor=actor,
        source=("cases.letter", letter.pk),
    )
    return letter

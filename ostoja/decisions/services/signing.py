"""Signing (podpisanie decyzji): the frozen content, the number, the PDF and the signature."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ostoja.audit.services import access_record
from ostoja.cases import services as case_services
from ostoja.core.errors import NotPermitted
from ostoja.decisions import documents, signing
from ostoja.decisions.choices import (
    SETTLING_KINDS,
    DeliveryChannel,
)
from ostoja.decisions.content import content_of
from ostoja.decisions.exclusion import guard as exclusion_guard
from ostoja.decisions.models import (
    Decision,
    DecisionDocument,
)
from ostoja.decisions.selectors import application_undecided_forms
from ostoja.decisions.workflow import (
    Action,
    WorkflowError,
    ensure_signable,
)
from ostoja.org.selectors import authorisations_valid_for

from ._common import PERMISSION_REFUSED, _fail, _move, _timeline, content_hash, makers_of
from .workflow import _allocate_number, signing_refusal


def _snapshot(decision: Decision, content: documents.DecisionContent) -> dict[str, Any]:
    calc = decision.calculation
    data: dict[str, Any] = {
        "content": json.loads(json.dumps(asdict(content), default=str)),
        "legal_basis": documents.legal_basis(content),
        "lines": [
            {
                "id": ln.pk,
                "benefit": ln.benefit,
                "granted": ln.granted,
                "amount": str(ln.amount),
                "period_from": ln.period_from.isoformat(),
                "period_to": ln.period_to.isoformat() if ln.period_to else None,
                "payment_method": ln.payment_method,
                "payment_day": ln.payment_day,
                "budget": f"{ln.budget_section}/{ln.budget_chapter}/§{ln.budget_paragraph}",
            }
            for ln in decision.lines.all()
        ],
        "trace": decision.trace,
        "signed_at": decision.signed_at.isoformat() if decision.signed_at else None,
        "authorisation": decision.authorisation.number if decision.authorisation_id else None,
    }
    if calc is not None:
        data["calculation"] = {
            "id": calc.pk,
            "request": calc.request,
            "result": calc.result,
            "parameters": (calc.result or {}).get("parameters"),
            "parameters_valid_from": str(calc.parameters_valid_from),
        }
    return data


@exclusion_guard("sign")
def decision_sign(
    *,
    decision: Decision,
    actor: AbstractBaseUser,
    on: date,
    now: datetime,
    authorisation_id: int | None = None,
    signature_method: str = signing.HANDWRITTEN,
) -> Decision:
    """Sign under an authorisation valid for the matter on ``on``; number, freeze, store the PDF.

    ``signature_method``: ``odreczny`` — the signer signs the paper original by hand (the PDF
    carries the signature block and the document records who signed it); ``elektroniczny`` —
    the PDF is signed with PAdES and must validate (``ostoja.decisions.signing``).
    A refusal (no valid authorisation for the matter on that day) is written to the audit
    trail outside the transaction, so it survives the refusal itself.
    """
    if signature_method not in signing.METHODS:
        raise _fail("signature_method", "Wybierz sposób podpisania: odręcznie albo elektronicznie.")
    if signature_method == signing.ELECTRONIC and not signing.electronic_available():
        signing.signer()  # raises SigningUnavailable with the message for the user

    why = signing_refusal(user=actor, matter=decision.matter, on=on)
    if why is None and not actor.has_perm("decisions.view_decision", decision):
        why = PERMISSION_REFUSED  # role and scope; the authorisation is checked for ``on`` above
    if why is not None:
        access_record(user=actor, obj=decision, refused=True, reason=f"podpis: {why}")
        raise NotPermitted(why)
    with transaction.atomic():
        return _sign(
            decision=decision,
            actor=actor,
            on=on,
            now=now,
            authorisation_id=authorisation_id,
            signature_method=signature_method,
        )


def _sign(
    *,
    decision: Decision,
    actor: Any,
    on: date,
    now: datetime,
    authorisation_id: int | None,
    signature_method: str = signing.HANDWRITTEN,
) -> Decision:
    decision = Decision.objects.select_for_update().select_related("case__unit").get(pk=decision.pk)
    try:
        ensure_signable(
            maker_ids=makers_of(decision),
            signer_id=actor.pk,
            checker_id=decision.checker_id,
            checked_hash=decision.checked_hash,
            current_hash=content_hash(decision),
        )
    except WorkflowError as exc:
        raise NotPermitted(exc.message) from None
    valid = authorisations_valid_for(user=actor, matter=decision.matter, on=on)
    chosen = (
        next((a for a in valid if a.pk == authorisation_id), None)
        if authorisation_id
        else (valid[0] if valid else None)
    )
    if chosen is None:
        raise NotPermitted("Wybrane upoważnienie nie obejmuje tej sprawy w dniu podpisu.")
    staff = getattr(actor, "staff", None)
    _move(decision, Action.SIGN, actor, f"upoważnienie nr {chosen.number}")
    decision.signer = actor
    decision.signer_name = actor.get_full_name() or actor.get_username()
    decision.signer_position = staff.position if staff is not None else ""
    decision.authorisation = chosen
    decision.signed_at = now
    decision.issued_on = on
    decision.signature_method = signature_method
    _allocate_number(decision, on)
    decision.save()
    content = content_of(decision, on=on)
    html = documents.render_html(content)
    pdf = documents.render_pdf(html)
    signed_by = (
        f"{decision.signer_name}, {decision.signer_position or 'osoba upoważniona'} — podpis "
        f"odręczny na papierowym oryginale, upoważnienie nr {chosen.number}"
    )
    if signature_method == signing.ELECTRONIC:
        pdf, signed_by = signing.sign_and_verify(
            pdf,
            reason=f"Decyzja nr {decision.number}",
            location=content.place,
            name=decision.signer_name,
        )
    DecisionDocument.objects.create(
        decision=decision,
        pdf=pdf,
        sha256=documents.sha256(pdf),
        html=html,
        snapshot=_snapshot(decision, content),
        signature_method=signature_method,
        signed_by=signed_by[:300],
    )
    if decision.application_id and decision.kind in SETTLING_KINDS:
        app = decision.application
        if app.is_open and not application_undecided_forms(application=app):
            case_services.application_close(
                application=app, on=on, note=f"Decyzja nr {decision.number}"
            )
    _timeline(
        decision,
        kind="decyzja_podpisana",
        title=f"Podpisano decyzję nr {decision.number} — {decision.get_kind_display().lower()}",
        detail=f"Podpisał(a) {decision.signer_name} z upoważnienia nr {chosen.number}.",
        actor=actor,
        on=on,
    )
    return decision


def _require_signature_fits(decision: Decision, channel: str) -> None:
    """Electronic delivery carries the electronically signed file (art. 14 § 1a KPA); a
    decision signed by hand on paper goes by post or in person."""
    if channel == DeliveryChannel.E_DELIVERY and decision.signature_method != signing.ELECTRONIC:
        raise _fail(
            "channel",
            "Decyzja podpisana odręcznie nie może być doręczona elektronicznie — doręcz "
            "papierowy oryginał albo wydaj decyzję z podpisem elektronicznym.",
        )

"""The content of a decision document (treść decyzji): what the PDF is rendered from and what
signing freezes. A read used by the services (signing, rectification) and by the selectors (a
draft's preview), so it sits beside ``documents`` rather than in either layer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ostoja.decisions import documents
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.models import Decision
from ostoja.org.selectors import instance_settings

__all__ = ["content_of"]


def content_of(decision: Decision, *, on: date, draft: bool = False) -> documents.DecisionContent:
    """The frozen description of ``decision`` the document is rendered from (treść decyzji);
    ``on`` dates a draft preview that has no issue date yet."""
    s = instance_settings()
    authority = documents.Authority(
        name=s.authority,
        centre_name=s.name,
        street_address=s.street_address,
        postal_code=s.postal_code,
        city=s.city,
        phone=s.phone,
        email=s.email,
        epuap=s.epuap,
        nip=s.nip,
        regon=s.regon,
        appeal_body=s.appeal_body,
        appeal_body_address=s.appeal_body_address,
        bank_account=s.bank_account,
    )
    address = tuple(p.strip() for p in decision.addressee_address.split(",") if p.strip())
    lines = tuple(
        documents.ContentLine(
            benefit=ln.benefit,
            granted=ln.granted,
            amount=ln.amount,
            period_from=ln.period_from,
            period_to=ln.period_to,
            one_off=ln.one_off,
            payment_method=ln.payment_method,
            account_number=ln.account_number,
            payment_day=ln.payment_day,
            purpose=ln.purpose,
            note=ln.note,
        )
        for ln in decision.lines.all()
    )
    signatory = None
    if decision.signer_id and decision.authorisation_id:
        signatory = documents.Signatory(
            full_name=decision.signer_name,
            position=decision.signer_position,
            authorisation_number=decision.authorisation.number,
        )
    ref = decision.refers_to
    referenced = (
        documents.ReferencedDecision(ref.number, ref.issued_on, ref.kind)
        if ref is not None and ref.issued_on
        else None
    )
    if ref is None and decision.refers_to_paper and decision.refers_to_paper_on:
        # a decision issued on paper: changed by this one as any other (art. 106 ust. 5)
        referenced = documents.ReferencedDecision(
            decision.refers_to_paper, decision.refers_to_paper_on, DecisionKind.GRANT
        )
    return documents.DecisionContent(
        kind=decision.kind,
        number=decision.number,
        case_reference=decision.case_reference,
        issued_on=decision.issued_on or on,
        place=s.city,
        authority=authority,
        addressee=documents.Addressee(
            decision.addressee_name, address, getattr(decision.addressee, "sex", "")
        ),
        signature_method=decision.signature_method or documents.SIGNATURE_HANDWRITTEN,
        lines=lines,
        trace_bases=tuple(decision.trace_bases),
        justification=decision.justification,
        application_date=decision.application_date,
        immediate=decision.immediate,
        immediate_reason=decision.immediate_reason,
        signatory=signatory,
        referenced=referenced,
        effective_from=decision.effective_from,
        recovery_amount=decision.recovery_amount,
        recovery_due=decision.recovery_due,
        instalments=tuple(
            documents.Instalment(date.fromisoformat(i["due"]), Decimal(i["amount"]))
            for i in decision.instalments
        ),
        discontinuance_reason=decision.reason_text
        if decision.kind == DecisionKind.DISCONTINUANCE
        else "",
        refusal_reason=decision.reason_text if decision.kind == DecisionKind.REFUSAL else "",
        extra_recipients=tuple(decision.extra_recipients),
        draft=draft,
    )

"""Rectification (sprostowanie, art. 113 KPA) of a signed decision and editing a draft's content."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.template.loader import render_to_string

from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import DomainError, NotPermitted
from ostoja.decisions import documents
from ostoja.decisions.choices import (
    DecisionKind,
)
from ostoja.decisions.models import (
    Decision,
    Rectification,
)
from ostoja.org.selectors import authorisations_valid_for, instance_settings

from ._common import (
    _build_lines,
    _ensure_draft,
    _fail,
    _made_by,
    _matter,
    _require,
    _revision,
    _timeline,
)
from .workflow import signing_refusal


@transaction.atomic
def decision_rectify(
    *, decision: Decision, text: str, actor: AbstractBaseUser, on: date
) -> Rectification:
    """Art. 113 § 1 KPA: rectify an obvious error — a separate record with its own PDF."""
    _require(actor, "decisions.view_decision", decision)
    if not decision.is_signed:
        raise DomainError("Sprostować można tylko decyzję podpisaną; projekt po prostu popraw.")
    if not text.strip():
        raise _fail("text", "Opisz sprostowanie (co i na co poprawić).")
    why = signing_refusal(user=actor, matter=decision.matter, on=on)
    if why is not None:
        raise NotPermitted(why)
    auth = authorisations_valid_for(user=actor, matter=decision.matter, on=on)[0]
    staff = getattr(actor, "staff", None)
    s = instance_settings()
    html = render_to_string(
        "decisions/pdf/sprostowanie.html",
        {
            "s": s,
            "d": decision,
            "text": text.strip(),
            "on_text": f"{s.city}, dnia {documents.date_pl(on)}",
            "issued_text": documents.date_pl(decision.issued_on) if decision.issued_on else "",
            "signer": actor.get_full_name() or actor.get_username(),
            "position": staff.position if staff else "",
            "auth": auth,
        },
    )
    pdf = documents.render_pdf(html)
    rect = Rectification.objects.create(
        decision=decision,
        text=text.strip(),
        issued_on=on,
        signer=actor,
        authorisation=auth,
        pdf=pdf,
        sha256=documents.sha256(pdf),
    )
    _timeline(
        decision,
        kind=f"sprostowanie_{rect.pk}",
        title=f"Sprostowano oczywistą omyłkę w decyzji nr {decision.number} (art. 113 KPA)",
        detail=text.strip()[:500],
        actor=actor,
        on=on,
    )
    return rect


@transaction.atomic
def decision_edit(
    *,
    decision: Decision,
    actor: AbstractBaseUser,
    expected_version: int,
    justification: str,
    immediate: bool,
    immediate_reason: str,
    lines: list[dict[str, Any]],
) -> Decision:
    """Save the draft form: justification (a new revision when it changed), enforceability,
    lines. Refused once the decision is checked or signed."""
    _ensure_draft(decision)
    text = justification.strip()
    if not text and decision.kind != DecisionKind.GRANT:
        raise _fail("justification", "Uzasadnienie jest wymagane (art. 107 § 1 i 3 KPA).")
    if immediate and not immediate_reason.strip():
        raise _fail(
            "immediate_reason",
            "Podaj powód nadania rygoru natychmiastowej wykonalności (art. 108 § 1 KPA).",
        )
    changed = text != decision.justification.strip()
    decision.justification = text
    decision.immediate = immediate
    decision.immediate_reason = immediate_reason.strip() if immediate else ""
    if lines:
        decision.matter = _matter(
            decision.kind, [ln.get("benefit", "") for ln in lines], decision.refers_to
        )
    _made_by(decision, actor)
    save_versioned(decision, expected_version=expected_version)
    if lines:
        _build_lines(decision, lines)
    if changed:
        _revision(decision, text, actor, "edycja")
    return decision

"""Drafting decisions (projekt decyzji): editing a draft and its justification
(uzasadnienie), amending and recovery drafts, discarding a draft. New drafts of a given kind:
``kinds`` (one function per kind over the private constructor in ``_constructor``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import DomainError
from ostoja.decisions.choices import (
    AMENDING_KINDS,
    DecisionKind,
)
from ostoja.decisions.models import (
    Decision,
    DecisionLine,
    SignedDecisionImmutable,
)
from ostoja.law.money import pln

from ._common import (
    _build_lines,
    _ensure_draft,
    _fail,
    _made_by,
    _matter,
    _parse_amount,
    _revision,
)
from .kinds import _BY_KIND, decision_create_recovery


@transaction.atomic
def decision_update_draft(
    *,
    decision: Decision,
    expected_version: int,
    actor: AbstractBaseUser,
    lines: list[dict[str, Any]] | None = None,
    immediate: bool | None = None,
    immediate_reason: str | None = None,
    recovery_due: date | None = None,
) -> Decision:
    _ensure_draft(decision)
    if immediate is not None:
        decision.immediate = immediate
    if immediate_reason is not None:
        decision.immediate_reason = immediate_reason.strip()
    if decision.immediate and not decision.immediate_reason:
        raise _fail("immediate_reason", "Podaj powód nadania rygoru natychmiastowej wykonalności.")
    if recovery_due is not None:
        decision.recovery_due = recovery_due
    if lines is not None:
        decision.matter = _matter(
            decision.kind, [ln.get("benefit", "") for ln in lines], decision.refers_to
        )
    _made_by(decision, actor)
    save_versioned(decision, expected_version=expected_version)
    if lines is not None:
        _build_lines(decision, lines)
    return decision


@transaction.atomic
def decision_justification_edit(
    *, decision: Decision, text: str, expected_version: int, actor: AbstractBaseUser
) -> Decision:
    """Edit the justification of a draft; every version is kept (JustificationRevision)."""
    _ensure_draft(decision)
    text = text.strip()
    if not text and decision.kind != DecisionKind.GRANT:
        raise _fail("justification", "Uzasadnienie jest wymagane (art. 107 § 1 i 3 KPA).")
    decision.justification = text
    _made_by(decision, actor)
    save_versioned(decision, expected_version=expected_version)
    _revision(decision, text, actor, "edycja")
    return decision


@transaction.atomic
def decision_amend_draft(
    *,
    decision: Decision,
    kind: str,
    effective_from: date,
    actor: AbstractBaseUser,
    lines: list[dict[str, Any]] | None = None,
    reason: str = "",
    trace: list[dict[str, str]] | None = None,
) -> Decision:
    """A change / revocation / expiry of a signed decision, acting for the future only;
    ``trace``: the steps computing the new lines (a fee from a law-core table), after the
    step naming the decision changed."""
    if kind not in AMENDING_KINDS:
        raise _fail("kind", "Rodzaj musi być zmianą, uchyleniem albo wygaszeniem decyzji.")
    first = decision.lines.order_by("period_from").first()
    if first is not None and effective_from <= first.period_from:
        raise _fail(
            "effective_from",
            "Zmiana lub uchylenie działa wyłącznie na przyszłość (art. 106 ust. 5 u.p.s.) — "
            "data musi być późniejsza niż początek okresu świadczenia.",
        )
    if kind == DecisionKind.CHANGE and not lines:
        lines = [
            {
                "benefit": ln.benefit,
                "granted": True,
                "amount": ln.amount,
                "one_off": ln.one_off,
                "period_from": effective_from,
                "period_to": ln.period_to,
                "payment_method": ln.payment_method,
                "account_number": ln.account_number,
                "payment_day": ln.payment_day,
                "purpose": ln.purpose,
                # the line's words: who pays a fee share and under which article (DPS), a
                # service's terms — without them the copy read as a benefit granted
                "note": ln.note,
                "health_insured_elsewhere": ln.health_insured_elsewhere,
            }
            for ln in decision.lines.all()
            if ln.granted and (ln.period_to is None or ln.period_to > effective_from)
        ]
    return _BY_KIND[kind](
        case=decision.case,
        application=decision.application,
        addressee=decision.addressee,
        actor=actor,
        lines=lines or [],
        refers_to=decision,
        effective_from=effective_from,
        application_date=decision.application_date,
        reason_text=reason,
        trace=[
            {
                "step": "Decyzja zmieniana / uchylana",
                "value": decision.number,
                "basis": "art. 106 ust. 5 u.p.s.",
            },
            *(trace or []),
        ],
    )


def decision_recovery_draft(
    *,
    case_id: int,
    person_id: int,
    amount: Decimal,
    reason: str,
    source_line_ids: list[int],
    actor: Any,
) -> Decision:
    """Payments' call: propose a recovery decision (art. 98, 104 u.p.s.) for an overpayment."""
    if actor is None:
        raise DomainError(
            "Projekt decyzji o zwrocie musi mieć autora — zostanie utworzony przy najbliższym "
            "uruchomieniu listy wypłat z konta pracownika."
        )
    with transaction.atomic():
        lines = list(DecisionLine.objects.select_related("decision").filter(pk__in=source_line_ids))
        if not lines:
            raise _fail("source_line_ids", "Nie znaleziono pozycji decyzji, których dotyczy zwrot.")
        source = lines[0].decision
        if source.case_id != case_id or source.addressee_id != person_id:
            raise _fail("source_line_ids", "Pozycje nie należą do tej sprawy lub tej osoby.")
        amount = _parse_amount(amount, "amount")
        trace = [
            {
                "step": "Kwota nienależnie pobranego świadczenia",
                "value": pln(amount),
                "basis": "art. 6 pkt 16 u.p.s.; art. 98 ust. 1 u.p.s.",
            },
            {
                "step": "Pozycje decyzji, których dotyczy zwrot",
                "value": ", ".join(f"{ln.decision.number} poz. {ln.position}" for ln in lines),
                "basis": "art. 104 ust. 1 u.p.s.",
            },
        ]
        return decision_create_recovery(
            case=source.case,
            application=source.application,
            addressee=source.addressee,
            actor=actor,
            lines=[],
            refers_to=source,
            recovery_amount=amount,
            recovery_source_lines=[ln.pk for ln in lines],
            reason_text=reason[:500],
            trace=trace,
        )


@transaction.atomic
def decision_discard(*, decision: Decision, actor: AbstractBaseUser) -> None:
    """Remove an unsigned draft (its revisions and moves go with it; the audit trail keeps it)."""
    if decision.is_signed:
        raise SignedDecisionImmutable("Podpisanej decyzji nie można usunąć.")
    decision.delete()

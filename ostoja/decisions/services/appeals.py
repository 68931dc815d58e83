"""Appeals (odwołanie): lodging, forwarding to the SKO within 7 days (art. 133 KPA),
self-correction (samokontrola, art. 132 KPA) and recording the outcome.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ostoja.cases import letters
from ostoja.core.errors import DomainError
from ostoja.decisions.choices import (
    AppealOutcome,
    DecisionKind,
)
from ostoja.decisions.models import (
    Appeal,
    Decision,
    DecisionTransition,
)
from ostoja.decisions.workflow import (
    Action,
)
from ostoja.law import deadlines

from ._common import _fail, _move, _require, _timeline
from .drafting import decision_amend_draft

appeal_forward_deadline = deadlines.appeal_forward_deadline  # art. 133 KPA, owned by the law core


def appeal_forward_due(lodged_on: date) -> date:
    """The date of :func:`appeal_forward_deadline` (art. 133 KPA)."""
    return appeal_forward_deadline(lodged_on).date


@transaction.atomic
def decision_appeal(
    *, decision: Decision, actor: AbstractBaseUser, lodged_on: date, note: str = ""
) -> Appeal:
    _require(actor, "decisions.record", decision)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.delivered_on and lodged_on < decision.delivered_on:
        raise _fail("lodged_on", "Odwołanie nie może być wniesione przed doręczeniem decyzji.")
    late = decision.appeal_deadline is not None and lodged_on > decision.appeal_deadline
    _move(decision, Action.APPEAL, actor, note)
    decision.save()
    appeal = Appeal.objects.create(
        decision=decision,
        lodged_on=lodged_on,
        forward_due=appeal_forward_due(lodged_on),
        note=(
            note + ("\n" if note else "") + "Odwołanie wniesione po terminie (art. 134 KPA "
            "— SKO stwierdzi uchybienie terminu)."
            if late
            else note
        ),
        recorded_by=actor,
    )
    _timeline(
        decision,
        kind="odwolanie",
        title=f"Wniesiono odwołanie od decyzji nr {decision.number}",
        detail=f"Data wniesienia {lodged_on:%d.%m.%Y}; przekazać do SKO do "
        f"{appeal.forward_due:%d.%m.%Y} (art. 133 KPA).",
        actor=actor,
        on=lodged_on,
    )
    return appeal


@transaction.atomic
def appeal_forward(*, appeal: Appeal, actor: AbstractBaseUser, on: date) -> Appeal:
    _require(actor, "decisions.record", appeal.decision)
    if appeal.forwarded_on or appeal.self_corrected:
        raise DomainError("Odwołanie zostało już przekazane albo uwzględnione.")
    appeal.forwarded_on = on
    appeal.save(update_fields=["forwarded_on"])
    DecisionTransition.objects.create(
        decision=appeal.decision,
        action="przekazanie_sko",
        from_status=appeal.decision.status,
        to_status=appeal.decision.status,
        actor=actor,
        note=f"przekazano do SKO {on}",
    )
    _appeal_forward_letter(appeal, actor, on)
    return appeal


def _appeal_forward_letter(appeal: Appeal, actor: Any, on: date) -> None:
    """The covering letter to the SKO (art. 133 KPA), stored and put on the case timeline."""
    decision = appeal.decision
    if decision.application_id is None or decision.issued_on is None:
        return
    letters.letter_create(
        application=decision.application,
        kind="przekazanie_odwolania",
        actor=actor,
        on=on,
        appeal=letters.AppealForward(
            decision_number=decision.number,
            decision_issued_on=decision.issued_on,
            lodged_on=appeal.lodged_on,
        ),
    )


@transaction.atomic
def appeal_self_correct(*, appeal: Appeal, actor: AbstractBaseUser, on: date) -> Decision:
    """Art. 132 KPA: the centre accepts the whole appeal and issues a new decision (a draft of
    a change referring to the appealed one, to be checked and signed as usual)."""
    _require(actor, "decisions.record", appeal.decision)
    if appeal.forwarded_on:
        raise DomainError("Odwołanie przekazano już do SKO — samokontrola nie jest możliwa.")
    decision = Decision.objects.select_for_update().get(pk=appeal.decision_id)
    if decision.appeal_deadline is not None and appeal.lodged_on > decision.appeal_deadline:
        raise DomainError(
            "Odwołanie wniesiono po terminie — organ nie uwzględnia go w trybie art. 132 KPA; "
            "przekaż je do SKO, które stwierdzi uchybienie terminu (art. 134 KPA)."
        )
    appeal.self_corrected = True
    appeal.outcome = AppealOutcome.SELF_CORRECTED
    appeal.outcome_on = on
    appeal.save(update_fields=["self_corrected", "outcome", "outcome_on"])
    _move(decision, Action.CLOSE, actor, "uwzględnienie odwołania (art. 132 KPA)")
    first = decision.lines.order_by("period_from").first()
    start = max(on, first.period_from + timedelta(days=1)) if first else on
    # An appeal lodged in time: the decision never became final (art. 130 § 2 KPA) — the
    # finality day estimated at delivery goes, or the closed decision would read as final.
    # Without rygor it never had effect (as when the SKO quashes it); with rygor it is
    # executed until the new decision changing it takes effect — the client is not left
    # without the benefit in between.
    decision.final_on = None
    if not decision.immediate and first is not None:
        decision.ended_on = first.period_from
    decision.save()
    return decision_amend_draft(
        decision=decision,
        kind=DecisionKind.CHANGE,
        effective_from=start,
        actor=actor,
        reason="Uwzględnienie odwołania w całości (art. 132 § 1 KPA).",
    )


@transaction.atomic
def appeal_outcome_record(
    *, appeal: Appeal, outcome: str, on: date, actor: AbstractBaseUser, sko_reference: str = ""
) -> Appeal:
    """The SKO's ruling and its effect on payments (lines' ``effective_to``)."""
    _require(actor, "decisions.record", appeal.decision)
    if outcome not in AppealOutcome.values or outcome == AppealOutcome.SELF_CORRECTED:
        raise _fail("outcome", "Wybierz rozstrzygnięcie SKO.")
    decision = Decision.objects.select_for_update().get(pk=appeal.decision_id)
    appeal.outcome = outcome
    appeal.outcome_on = on
    appeal.sko_reference = sko_reference[:60]
    appeal.save(update_fields=["outcome", "outcome_on", "sko_reference"])
    _move(decision, Action.CLOSE, actor, dict(AppealOutcome.choices)[outcome])
    if outcome == AppealOutcome.UPHELD:
        decision.final_on = on
    else:
        # Quashed: the decision stops having effect. Without immediate enforceability it never
        # had any — nothing was due; with it, payments stop from the SKO's ruling.
        first = decision.lines.order_by("period_from").first()
        if decision.immediate or first is None:
            decision.ended_on = on
        else:
            decision.ended_on = first.period_from
    decision.save()
    _timeline(
        decision,
        kind="odwolanie_rozstrzygniete",
        title=f"SKO rozpatrzyło odwołanie od decyzji nr {decision.number}",
        detail=dict(AppealOutcome.choices)[outcome]
        + (f" ({sko_reference})" if sko_reference else ""),
        actor=actor,
        on=on,
    )
    return appeal

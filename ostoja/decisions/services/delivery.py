"""Delivery (doręczenie), finality (ostateczność) and waiving the appeal (zrzeczenie się
prawa do wniesienia odwołania, art. 127a KPA).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ostoja.core.errors import DomainError
from ostoja.decisions.choices import (
    DeliveryChannel,
)
from ostoja.decisions.models import (
    Decision,
)
from ostoja.decisions.workflow import (
    Action,
)
from ostoja.law import deadlines

from ._common import _fail, _move, _require, _timeline
from .signing import _require_signature_fits


@transaction.atomic
def decision_send(
    *, decision: Decision, actor: AbstractBaseUser, on: date, channel: str
) -> Decision:
    _require(actor, "decisions.record", decision)
    if channel not in DeliveryChannel.values or channel == DeliveryChannel.IN_PERSON:
        raise _fail(
            "channel",
            "Wybierz sposób wysyłki: list za zwrotnym potwierdzeniem odbioru albo e-Doręczenia.",
        )
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _require_signature_fits(decision, channel)
    _move(decision, Action.SEND, actor)
    decision.sent_on = on
    decision.delivery_channel = channel
    decision.save()
    return decision


@transaction.atomic
def decision_deliver(
    *, decision: Decision, actor: AbstractBaseUser, delivered_on: date, channel: str, today: date
) -> Decision:
    """Register delivery; the appeal deadline and the finality date come from the law core."""
    _require(actor, "decisions.record", decision)
    if channel not in DeliveryChannel.values:
        raise _fail("channel", "Wybierz sposób doręczenia.")
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _require_signature_fits(decision, channel)
    if decision.issued_on and delivered_on < decision.issued_on:
        raise _fail("delivered_on", "Data doręczenia nie może być wcześniejsza niż data wydania.")
    if delivered_on > today:
        raise _fail("delivered_on", "Data doręczenia nie może być z przyszłości.")
    _move(decision, Action.DELIVER, actor, dict(DeliveryChannel.choices)[channel])
    appeal = deadlines.appeal_deadline(delivered_on)
    final = deadlines.finality_date(delivered_on)
    decision.delivery_channel = channel
    decision.delivered_on = delivered_on
    decision.appeal_deadline = appeal.date
    decision.final_on = final.date
    decision.deadline_trace = [s.as_dict() for s in final.trace]
    decision.save()
    _timeline(
        decision,
        kind="decyzja_doreczona",
        title=f"Doręczono decyzję nr {decision.number}",
        detail=f"{dict(DeliveryChannel.choices)[channel]}, {delivered_on:%d.%m.%Y}; termin na "
        f"odwołanie do {appeal.date:%d.%m.%Y}, ostateczna od {final.date:%d.%m.%Y}.",
        actor=actor,
        on=delivered_on,
    )
    return decision


@transaction.atomic
def decision_finalise(*, decision: Decision, actor: AbstractBaseUser, on: date) -> Decision:
    """Record that the decision became final (no appeal lodged within the deadline)."""
    _require(actor, "decisions.record", decision)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.final_on is None or on < decision.final_on:
        raise DomainError(
            "Termin na odwołanie jeszcze nie upłynął — decyzja będzie ostateczna od "
            f"{decision.final_on}.",
            field="status",
        )
    _move(decision, Action.FINALISE, actor)
    decision.save()
    _timeline(
        decision,
        kind="decyzja_ostateczna",
        title=f"Decyzja nr {decision.number} jest ostateczna",
        detail=f"Ostateczna od {decision.final_on:%d.%m.%Y} (art. 16 § 1 KPA).",
        actor=actor,
        on=on,
    )
    return decision


@transaction.atomic
def decision_waive_appeal(
    *, decision: Decision, actor: AbstractBaseUser, received_on: date, today: date, note: str = ""
) -> Decision:
    """Record the party's waiver of the right to appeal (zrzeczenie się prawa do wniesienia
    odwołania, art. 127a KPA): possible only while the appeal period runs; the decision becomes
    final (ostateczna i prawomocna) on the day the organ received the waiver (§ 2), so it can be
    executed from that day (art. 130 § 4 KPA). The waiver cannot be withdrawn."""
    _require(actor, "decisions.record", decision)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if received_on > today:
        raise _fail("received_on", "Data doręczenia oświadczenia nie może być z przyszłości.")
    if decision.delivered_on is not None and received_on < decision.delivered_on:
        raise _fail(
            "received_on",
            "Zrzec się odwołania można dopiero po doręczeniu decyzji (art. 127a § 1 KPA).",
        )
    if decision.appeal_deadline is not None and received_on > decision.appeal_deadline:
        raise _fail(
            "received_on",
            "Termin na odwołanie upłynął "
            f"{decision.appeal_deadline:%d.%m.%Y} — zrzeczenie się odwołania jest możliwe tylko "
            "w jego trakcie (art. 127a § 1 KPA); stwierdź ostateczność.",
        )
    label = f"{received_on:%d.%m.%Y}"
    _move(
        decision,
        Action.WAIVE,
        actor,
        (f"zrzeczenie się odwołania doręczone {label} (art. 127a KPA). " + note.strip())[:500],
    )
    decision.appeal_waived_on = received_on
    decision.final_on = received_on
    decision.deadline_trace = [
        *decision.deadline_trace,
        {
            "step": "Strona zrzekła się prawa do wniesienia odwołania — decyzja ostateczna i "
            "prawomocna z dniem doręczenia oświadczenia organowi",
            "value": received_on.isoformat(),
            "basis": "art. 127a § 2 KPA",
        },
    ]
    decision.save()
    _timeline(
        decision,
        kind="decyzja_ostateczna",
        title=f"Zrzeczenie się odwołania od decyzji nr {decision.number}",
        detail=f"Oświadczenie doręczono {label}; decyzja ostateczna i prawomocna od tego dnia "
        "(art. 127a § 2 KPA), wykonalna (art. 130 § 4 KPA). Oświadczenia nie można cofnąć.",
        actor=actor,
        on=received_on,
    )
    return decision

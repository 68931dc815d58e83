"""Workflow moves before signing: check (sprawdzenie), return (zwrot do poprawy), and who may
sign in a matter (upoważnienie, art. 268a KPA).
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ostoja.core.errors import NotPermitted
from ostoja.decisions import documents
from ostoja.decisions.choices import (
    DecisionKind,
)
from ostoja.decisions.exclusion import guard as exclusion_guard
from ostoja.decisions.models import (
    Decision,
    NumberCounter,
)
from ostoja.decisions.workflow import (
    Action,
    HeldAuthorisation,
    WorkflowError,
    authorisation_refusal,
    ensure_checker,
)
from ostoja.org.choices import MatterKind
from ostoja.org.selectors import authorisation_list, terms_of

from ._common import _fail, _move, _require, content_hash, makers_of

# ----------------------------------------------------------------- workflow


@exclusion_guard("check")
@transaction.atomic
def decision_check(
    *, decision: Decision, actor: AbstractBaseUser, now: datetime, note: str = ""
) -> Decision:
    """Sprawdzenie projektu przez kierownika (nie autora projektu)."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    try:
        ensure_checker(maker_ids=makers_of(decision), checker_id=actor.pk)
    except WorkflowError as exc:
        raise NotPermitted(exc.message) from None
    _require(actor, "decisions.check", decision)
    if not decision.justification.strip() and decision.kind != DecisionKind.GRANT:
        raise _fail("justification", "Uzasadnienie jest wymagane (art. 107 § 1 i 3 KPA).")
    if leaks := documents.internal_markers(decision.justification):
        raise _fail(
            "justification",
            "Uzasadnienie zawiera treść wewnętrzną, której nie można wysłać stronie ("
            + "; ".join(leaks)
            + ") — popraw je przed sprawdzeniem.",
        )
    _move(decision, Action.CHECK, actor, note)
    decision.checker = actor
    decision.checked_at = now
    # The check is of this content and no other: signing compares the fingerprint again.
    decision.checked_hash = content_hash(decision)
    decision.save()
    return decision


@transaction.atomic
def decision_return(*, decision: Decision, actor: AbstractBaseUser, note: str) -> Decision:
    """Zwrot sprawdzonego projektu do poprawy, z uwagami."""
    _require(actor, "decisions.check", decision)
    if not note.strip():
        raise _fail("note", "Napisz, co trzeba poprawić.")
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _move(decision, Action.RETURN, actor, note)
    decision.checker = None
    decision.checked_at = None
    decision.checked_hash = ""
    decision.save()
    return decision


def signing_refusal(*, user: AbstractBaseUser, matter: str, on: date) -> str | None:
    """Why ``user`` cannot sign a ``matter`` decision on ``on`` (``None`` if they can)."""
    held = [
        HeldAuthorisation(r.obj.number, terms_of(r.obj))
        for r in authorisation_list(on=on, holder=user)
    ]
    label = dict(MatterKind.choices).get(matter, matter)
    return authorisation_refusal(held, matter=matter, matter_label=label, on=on)


def _allocate_number(decision: Decision, on: date) -> None:
    symbol = (decision.case.unit.case_symbol or "MOPR").replace(" ", "")
    counter, _ = NumberCounter.objects.select_for_update().get_or_create(
        unit_symbol=symbol, year=on.year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    decision.number_year = on.year
    decision.number_seq = counter.last_number
    decision.number = f"{counter.last_number:06d}/{symbol}/{on.year}"

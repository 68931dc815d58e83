"""Exclusion of staff from a case (wyłączenie pracownika, art. 24 KPA).

A staff member who declared a relation with a party of the case (or a member of the party's
household, whose situation the decision rests on) may not draft, check or sign its decision.
The check runs before the step's transaction, so the refusal written to the audit trail survives
the refusal itself (the same pattern as a refused signature).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from ostoja.audit.services import access_record
from ostoja.core.dates import local_date
from ostoja.core.errors import NotPermitted
from ostoja.org.selectors import PartyKey, relations_matching
from ostoja.registry.selectors import membership_history

F = TypeVar("F", bound=Callable[..., Any])

STEP_LABELS = {
    "draft": "przygotować projektu decyzji",
    "check": "sprawdzić projektu decyzji",
    "sign": "podpisać decyzji",
}


def _key(person: Any) -> PartyKey:
    return PartyKey(
        pesel=person.pesel or "",
        first_name=person.first_name,
        last_name=person.last_name,
        birth_date=person.birth_date,
    )


def _parties(case: Any, addressee: Any) -> list[PartyKey]:
    keys = [_key(addressee)] if addressee is not None else []
    if case is not None:
        keys += [_key(m.person) for m in membership_history(household=case.household)]
    return keys


def exclusion_refusal(
    *, actor: Any, case: Any, addressee: Any, step: str, on: date | None = None
) -> str | None:
    """Why ``actor`` is excluded from ``step`` in this case (``None`` when not excluded)."""
    found = relations_matching(user=actor, parties=_parties(case, addressee), in_force_on=on)
    if not found:
        return None
    d = found[0]
    return (
        f"Nie można {STEP_LABELS[step]} w tej sprawie: pracownik podlega wyłączeniu "
        f"(art. 24 § 1 KPA) — złożono oświadczenie o powiązaniu z osobą, której sprawa dotyczy "
        f"({d.get_kind_display()}). Sprawę musi poprowadzić inny pracownik wyznaczony przez "
        f"przełożonego."
    )


def _context(kwargs: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(case, addressee, audited object) of a decision step from its keyword arguments."""
    decision = kwargs.get("decision")
    if decision is not None:
        return decision.case, decision.addressee, decision
    application = kwargs.get("application")
    if application is not None:
        return application.case, application.applicant, application.case
    case = kwargs.get("case")
    return case, kwargs.get("addressee"), case


def guard(step: str) -> Callable[[F], F]:
    """Refuse (and audit) ``step`` for an excluded actor, before the step's transaction."""

    def decorate(fn: F) -> F:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            actor = kwargs.get("actor")
            case, addressee, obj = _context(kwargs)
            if actor is not None and (case is not None or addressee is not None):
                on = kwargs.get("on")
                if on is None and kwargs.get("now") is not None:
                    on = local_date(kwargs["now"])
                why = exclusion_refusal(
                    actor=actor, case=case, addressee=addressee, step=step, on=on
                )
                if why is not None:
                    if obj is not None:
                        access_record(
                            user=actor,
                            obj=obj,
                            refused=True,
                            reason=f"wyłączenie pracownika (art. 24 KPA): {STEP_LABELS[step]}",
                        )
                    raise NotPermitted(why)
            return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate

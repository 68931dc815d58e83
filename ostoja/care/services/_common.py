"""Helpers shared by the care services: the permission and scope check, field errors, the
family timeline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ostoja.care import selectors
from ostoja.cases import services as cases_services
from ostoja.cases.models import Case
from ostoja.core.dates import noon
from ostoja.core.errors import NotPermitted, ValidationFailed
from ostoja.core.validation import merge_errors, model_input_errors

SOURCE = "care"
TIMELINE_KIND = "uslugi"
# The client's bill states a payment date this many days after it is issued (the centre's
# practice; a council resolution may not set it — services.md §0).
BILL_PAYMENT_DAYS = 14
ZERO = Decimal("0")


def _need(actor: Any, perm: str, case: Any = None) -> None:
    """The role (``perm``) and, for a family's record, the scope (unit subtree or assignment)."""
    if not actor.has_perm(perm):
        raise NotPermitted("Brak uprawnień do tej operacji.")
    if case is not None and not selectors.case_in_scope(user=actor, case=case):
        raise NotPermitted("Ta sprawa należy do innej jednostki.")


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed({field: [message]})


def _timeline(case: Case | None, title: str, detail: str, on: date, actor: Any, src: str) -> None:
    if case is None:
        return
    cases_services.timeline_record(
        case=case,
        kind=TIMELINE_KIND,
        title=title,
        detail="" if case.protected else detail,
        occurred_at=noon(on),
        actor=actor,
        source=(SOURCE, src),
    )


def _member_of(case: Case | None, person: Any) -> None:
    if case is not None and not case.household.memberships.filter(person=person).exists():
        raise _fail("person", "Osoba nie należy do rodziny tej sprawy.")


def _columns(errors: dict[str, list[str]], model: type[Any], **values: Any) -> None:
    """Add the shared column checks (length, control characters, decimals — with the field's
    Polish name) to the rule errors a service builds, so one refusal lists every problem."""
    merge_errors(errors, model_input_errors(model, values))


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def bill_addressee(person: Any) -> str:
    """A bill's addressee as the register has it today: the name, then the address."""
    return f"{person.full_name}\n{person.address_display}".strip()

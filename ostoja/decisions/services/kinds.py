"""Drafting a decision of a given kind: one public function per kind (przyznanie, odmowa,
odpłatność, zmiana, uchylenie, wygaszenie, zwrot nienależnie pobranego świadczenia,
umorzenie należności, raty, umorzenie postępowania), each taking only what its kind needs,
and the generic ``decision_create`` for callers that hold the kind as data."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.exclusion import guard as exclusion_guard
from ostoja.decisions.models import Decision

from ._common import _fail, _revision
from ._constructor import _new_draft


class DraftCommon(TypedDict, total=False):
    """What every kind takes besides its own: the application it answers, the case reference
    (znak sprawy), the justification and trace, rygor natychmiastowej wykonalności (art. 108
    KPA may attach to any decision), the reason and the matter. Defaults are the
    constructor's."""

    application: Any
    case_reference: str
    justification: str
    trace: list[dict[str, str]] | None
    immediate: bool
    immediate_reason: str
    reason_text: str
    matter: str


@exclusion_guard("draft")
@transaction.atomic
def decision_create_grant(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    lines: list[dict[str, Any]],
    calculation: Any = None,
    application_date: date | None = None,
    **common: Unpack[DraftCommon],
) -> Decision:
    """Przyznanie świadczenia (art. 104 KPA, art. 106 ust. 1 u.p.s.); a line with
    ``granted = False`` is a refusal point of the same decision."""
    return _new_draft(
        kind=DecisionKind.GRANT, case=case, addressee=addressee, actor=actor, lines=lines,
        calculation=calculation, application_date=application_date, **common,
    )  # fmt: skip


@exclusion_guard("draft")
@transaction.atomic
def decision_create_refusal(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    lines: list[dict[str, Any]],
    calculation: Any = None,
    application_date: date | None = None,
    **common: Unpack[DraftCommon],
) -> Decision:
    """Odmowa przyznania świadczenia (art. 104 KPA); the lines name the forms refused."""
    return _new_draft(
        kind=DecisionKind.REFUSAL, case=case, addressee=addressee, actor=actor, lines=lines,
        calculation=calculation, application_date=application_date, **common,
    )  # fmt: skip


@exclusion_guard("draft")
@transaction.atomic
def decision_create_fee(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    lines: list[dict[str, Any]],
    calculation: Any = None,
    application_date: date | None = None,
    **common: Unpack[DraftCommon],
) -> Decision:
    """Ustalenie odpłatności (e.g. art. 50 ust. 6, art. 61 u.p.s.)."""
    return _new_draft(
        kind=DecisionKind.FEE, case=case, addressee=addressee, actor=actor, lines=lines,
        calculation=calculation, application_date=application_date, **common,
    )  # fmt: skip


@exclusion_guard("draft")
@transaction.atomic
def decision_create_change(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    refers_to: Decision | None,
    effective_from: date,
    lines: list[dict[str, Any]],
    application_date: date | None = None,
    refers_to_paper: tuple[str, date] | None = None,
    **common: Unpack[DraftCommon],
) -> Decision:
    """Zmiana decyzji (art. 106 ust. 5 u.p.s.): new lines from ``effective_from`` on — of a
    decision in the register (``refers_to``) or of one issued on paper (``refers_to_paper``:
    its number and day)."""
    return _new_draft(
        kind=DecisionKind.CHANGE, case=case, addressee=addressee, actor=actor, lines=lines,
        refers_to=refers_to, refers_to_paper=refers_to_paper, effective_from=effective_from,
        application_date=application_date, **common,
    )  # fmt: skip


@exclusion_guard("draft")
@transaction.atomic
def decision_create_revocation(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    refers_to: Decision,
    effective_from: date,
    lines: list[dict[str, Any]] | None = None,
    application_date: date | None = None,
    **common: Unpack[DraftCommon],
) -> Decision:
    """Uchylenie decyzji (art. 106 ust. 5 u.p.s.) from ``effective_from`` on."""
    return _new_draft(
        kind=DecisionKind.REVOCATION, case=case, addressee=addressee, actor=actor,
        lines=lines or [], refers_to=refers_to, effective_from=effective_from,
        application_date=application_date, **common,
    )  # fmt: skip


@exclusion_guard("draft")
@transaction.atomic
def decision_create_expiry(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    refers_to: Decision,
    effective_from: date,
    lines: list[dict[str, Any]] | None = None,
    application_date: date | None = None,
    **common: Unpack[DraftCommon],
) -> Decision:
    """Wygaszenie decyzji (art. 162 KPA) from ``effective_from`` on."""
    return _new_draft(
        kind=DecisionKind.EXPIRY, case=case, addressee=addressee, actor=actor,
        lines=lines or [], refers_to=refers_to, effective_from=effective_from,
        application_date=application_date, **common,
    )  # fmt: skip


@exclusion_guard("draft")
@transaction.atomic
def decision_create_recovery(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    refers_to: Decision,
    recovery_amount: Decimal,
    recovery_source_lines: list[int] | None = None,
    recovery_due: date | None = None,
    lines: list[dict[str, Any]] | None = None,
    **common: Unpack[DraftCommon],
) -> Decision:
    """Zwrot nienależnie pobranego świadczenia (art. 98, 104 u.p.s.) of ``recovery_amount``."""
    return _new_draft(
        kind=DecisionKind.RECOVERY, case=case, addressee=addressee, actor=actor,
        lines=lines or [], refers_to=refers_to, recovery_amount=recovery_amount,
        recovery_source_lines=recovery_source_lines, recovery_due=recovery_due, **common,
    )  # fmt: skip


@exclusion_guard("draft")
@transaction.atomic
def decision_create_write_off(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    refers_to: Decision,
    lines: list[dict[str, Any]] | None = None,
    **common: Unpack[DraftCommon],
) -> Decision:
    """Umorzenie należności (art. 104 ust. 4 u.p.s.) arising from ``refers_to``."""
    return _new_draft(
        kind=DecisionKind.WRITE_OFF, case=case, addressee=addressee, actor=actor,
        lines=lines or [], refers_to=refers_to, **common,
    )  # fmt: skip


@exclusion_guard("draft")
@transaction.atomic
def decision_create_instalments(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    refers_to: Decision,
    instalments: list[dict[str, str]],
    lines: list[dict[str, Any]] | None = None,
    **common: Unpack[DraftCommon],
) -> Decision:
    """Rozłożenie należności na raty (art. 104 ust. 4 u.p.s.) per ``instalments``."""
    return _new_draft(
        kind=DecisionKind.INSTALMENTS, case=case, addressee=addressee, actor=actor,
        lines=lines or [], refers_to=refers_to, instalments=instalments, **common,
    )  # fmt: skip


@exclusion_guard("draft")
@transaction.atomic
def decision_create_discontinuance(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    lines: list[dict[str, Any]] | None = None,
    application_date: date | None = None,
    **common: Unpack[DraftCommon],
) -> Decision:
    """Umorzenie postępowania (art. 105 KPA); the lines name the forms whose proceedings end."""
    return _new_draft(
        kind=DecisionKind.DISCONTINUANCE, case=case, addressee=addressee, actor=actor,
        lines=lines or [], application_date=application_date, **common,
    )  # fmt: skip


_BY_KIND: dict[str, Callable[..., Decision]] = {
    DecisionKind.GRANT: decision_create_grant,
    DecisionKind.REFUSAL: decision_create_refusal,
    DecisionKind.FEE: decision_create_fee,
    DecisionKind.CHANGE: decision_create_change,
    DecisionKind.REVOCATION: decision_create_revocation,
    DecisionKind.EXPIRY: decision_create_expiry,
    DecisionKind.RECOVERY: decision_create_recovery,
    DecisionKind.WRITE_OFF: decision_create_write_off,
    DecisionKind.INSTALMENTS: decision_create_instalments,
    DecisionKind.DISCONTINUANCE: decision_create_discontinuance,
}


def decision_create(*, kind: str, **params: Any) -> Decision:
    """Generic entry: draft a decision of ``kind`` through that kind's public function.

    It stays because the kind is sometimes data, not code: the API takes it from the request
    body (``POST /decisions`` of the decisions API); contexts being built in parallel also call
    it today. Prefer the function of the kind (``decision_create_grant`` and so on). A
    parameter the kind does not take is refused with the field named instead of being stored
    silently on the decision."""
    if kind not in DecisionKind.values:
        raise _fail("kind", "Nieznany rodzaj decyzji.")
    create = _BY_KIND[kind]
    own = inspect.signature(create).parameters
    accepted = {n for n, p in own.items() if p.kind is not inspect.Parameter.VAR_KEYWORD}
    accepted |= set(DraftCommon.__annotations__)
    for name, value in params.items():
        if name not in accepted:
            if name in _NEW_DRAFT_PARAMS:
                if value in (None, "", [], False):
                    continue  # the kind's default: nothing to refuse
                raise _fail(name, "To pole nie dotyczy tego rodzaju decyzji.")
            raise TypeError(f"decision_create() got an unexpected keyword argument {name!r}")
    given = {k: v for k, v in params.items() if k in accepted}
    # A required parameter left out reaches the constructor as None, so the party sees the
    # same Polish message naming the field as before the split (e.g. „Wskaż decyzję…”).
    for name in accepted & own.keys():
        if own[name].default is inspect.Parameter.empty and name not in given:
            given[name] = None
    return create(**given)


_NEW_DRAFT_PARAMS = frozenset(inspect.signature(_new_draft).parameters)


# The art. 97 fee (issue 14): while the council's table is a placeholder (``confirmed = false``
# in ``kielce_odplatnosc_art97.toml``) the draft carries an internal note; the check refuses a
# justification with „⚠” (``documents.internal_markers``), so the note must be verified against
# the resolution and removed by an edit before a second person can check the draft.
ART97_UNCONFIRMED_NOTE = (
    "⚠ Uwaga wewnętrzna: stawki odpłatności z uchwały Rady Miasta Kielce (art. 97 ust. 5 "
    "u.p.s.) nie zostały potwierdzone — sprawdź kwotę z uchwałą i usuń tę uwagę przed "
    "przekazaniem projektu do sprawdzenia."
)


# The catalogue lines an art. 97 fee decision may carry (art. 48a, 51, 53 u.p.s.).
ART97_BENEFITS = frozenset(
    {"schronienie", "mieszkanie_treningowe", "mieszkanie_wspomagane", "osrodek_wsparcia"}
)


def fee_art97_line(
    *, amount: Decimal, period_from: date, place: str, benefit: str, exemption: str = ""
) -> dict[str, Any]:
    """The one line of an art. 97 fee decision — or of the decision changing it."""
    return {
        "benefit": benefit,
        "amount": str(amount),
        "period_from": period_from.isoformat(),
        "payment_method": "rzeczowa",
        "note": f"{place} — {exemption or 'opłata miesięczna'}, art. 97 u.p.s.",
    }


@transaction.atomic
def decision_create_fee_art97(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    amount: Decimal,
    period_from: date,
    place: str,
    confirmed: bool,
    benefit: str = "schronienie",
    trace: list[dict[str, str]] | None = None,
    case_reference: str = "",
    exemption: str = "",
) -> Decision:
    """Ustalenie odpłatności za pobyt w schronisku, mieszkaniu treningowym lub wspomaganym
    albo w ośrodku wsparcia (art. 97 ust. 1, 1a i 5 u.p.s.): one line of ``benefit`` — the
    catalogue's line for that kind of place (``ART97_BENEFITS``) — with the monthly fee computed
    by the law core (``calculate_art97``); ``place`` names the facility. An unconfirmed table
    of the council's resolution leaves ``ART97_UNCONFIRMED_NOTE`` in the draft's
    justification. ``exemption`` describes an exemption on request (art. 97 ust. 5) in the
    line's note, in place of „opłata miesięczna”."""
    if benefit not in ART97_BENEFITS:
        raise _fail("benefit", "Odpłatność według art. 97 dotyczy schronienia, mieszkania "
                    "treningowego lub wspomaganego albo pobytu w ośrodku wsparcia.")  # fmt: skip
    if amount is None or amount < 0:
        raise _fail("amount", "Kwota odpłatności nie może być ujemna.")
    decision = decision_create_fee(
        case=case,
        addressee=addressee,
        actor=actor,
        lines=[
            fee_art97_line(
                amount=amount,
                period_from=period_from,
                place=place,
                benefit=benefit,
                exemption=exemption,
            )
        ],
        case_reference=case_reference,
        trace=trace,
    )
    if not confirmed:
        decision.justification = f"{decision.justification.rstrip()}\n\n{ART97_UNCONFIRMED_NOTE}"
        decision.save(update_fields=["justification"])
        _revision(decision, decision.justification, actor, "projekt")
    return decision

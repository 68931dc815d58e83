"""Drafting decisions (projekt decyzji): the private constructor ``_new_draft``, one public
function per decision kind (``decision_create_grant`` …), the generic ``decision_create``,
editing a draft and its justification (uzasadnienie), amending and recovery drafts,
discarding a draft.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import DomainError
from ostoja.decisions import catalog, documents
from ostoja.decisions.choices import (
    AMENDING_KINDS,
    DecisionKind,
)
from ostoja.decisions.exclusion import guard as exclusion_guard
from ostoja.decisions.models import (
    Decision,
    DecisionLine,
    DecisionTransition,
    SignedDecisionImmutable,
)
from ostoja.decisions.preconditions import interview_missing
from ostoja.law.money import pln

from ._common import (
    _addressee_fields,
    _build_lines,
    _ensure_draft,
    _fail,
    _made_by,
    _matter,
    _parse_amount,
    _revision,
)

# ----------------------------------------------------------------- drafting


def _new_draft(
    *,
    case: Any,
    kind: str,
    addressee: Any,
    actor: AbstractBaseUser,
    lines: list[dict[str, Any]],
    application: Any = None,
    calculation: Any = None,
    case_reference: str = "",
    application_date: date | None = None,
    justification: str = "",
    trace: list[dict[str, str]] | None = None,
    immediate: bool = False,
    immediate_reason: str = "",
    refers_to: Decision | None = None,
    effective_from: date | None = None,
    recovery_amount: Decimal | None = None,
    recovery_due: date | None = None,
    recovery_source_lines: list[int] | None = None,
    instalments: list[dict[str, str]] | None = None,
    reason_text: str = "",
    matter: str = "",
) -> Decision:
    """The private constructor: a new draft decision (status „projekt”) with its lines and the
    first justification. Callers outside this module use the public function of their kind,
    which passes only what that kind needs; the checks stay here so every kind gets them."""
    if kind not in DecisionKind.values:
        raise _fail("kind", "Nieznany rodzaj decyzji.")
    if (
        kind in AMENDING_KINDS
        or kind
        in (
            DecisionKind.RECOVERY,
            DecisionKind.WRITE_OFF,
            DecisionKind.INSTALMENTS,
        )
    ) and refers_to is None:
        raise _fail("refers_to", "Wskaż decyzję, której dotyczy ta decyzja.")
    if kind in AMENDING_KINDS:
        if effective_from is None:
            raise _fail("effective_from", "Podaj datę, od której decyzja działa (na przyszłość).")
        if refers_to is not None and not refers_to.is_signed:
            raise _fail("refers_to", "Zmienić lub uchylić można tylko decyzję podpisaną.")
    if immediate and not immediate_reason.strip():
        raise _fail(
            "immediate_reason",
            "Podaj powód nadania rygoru natychmiastowej wykonalności (art. 108 § 1 KPA).",
        )
    if (
        kind in (DecisionKind.GRANT, DecisionKind.REFUSAL, DecisionKind.CHANGE, DecisionKind.FEE)
        and not lines
    ):
        raise _fail("lines", "Dodaj co najmniej jedną pozycję decyzji.")
    if kind == DecisionKind.RECOVERY and (recovery_amount is None or recovery_amount <= 0):
        raise _fail("recovery_amount", "Podaj kwotę nienależnie pobranego świadczenia.")
    reference = (
        case_reference
        or (application.reference if application is not None else "")
        or (refers_to.case_reference if refers_to is not None else "")
    )
    if not reference:
        raise _fail("case_reference", "Brak znaku sprawy — decyzja musi dotyczyć wniosku.")
    missing = interview_missing(
        case=case, application=application, kind=kind, lines=lines, calculation=calculation
    )
    if missing:
        raise _fail("application", missing)
    trace = trace or []
    bases = [s.get("basis", "") for s in trace if s.get("basis")]
    decision = Decision(
        case=case,
        application=application,
        calculation=calculation,
        kind=kind,
        matter=matter or _matter(kind, [ln.get("benefit", "") for ln in lines], refers_to),
        case_reference=reference,
        addressee=addressee,
        application_date=application_date
        or (application.received_on if application is not None else None),
        trace=trace,
        trace_bases=bases,
        justification=justification,
        immediate=immediate,
        immediate_reason=immediate_reason.strip(),
        refers_to=refers_to,
        effective_from=effective_from,
        recovery_amount=recovery_amount,
        recovery_due=recovery_due,
        recovery_source_lines=recovery_source_lines or [],
        instalments=instalments or [],
        reason_text=reason_text,
        drafter=actor,
        maker_ids=[actor.pk],
        **_addressee_fields(addressee),
    )
    decision.save()
    _build_lines(decision, lines)
    if not decision.justification:
        decision.justification = documents.justification_draft(
            kind=kind,
            addressee_name=decision.addressee_name,
            application_date=decision.application_date,
            # genitive: „wniosek o przyznanie zasiłku stałego”
            benefit_label=", ".join(catalog.label_genitive(ln.get("benefit", "")) for ln in lines)
            or (refers_to.get_kind_display().lower() if refers_to else ""),
            trace=trace,
            reasons=[reason_text] if reason_text else None,
            sex=getattr(addressee, "sex", ""),
            immediate_reason=immediate_reason if immediate else "",
        )
        decision.save(update_fields=["justification"])
    _revision(decision, decision.justification, actor, "projekt")
    DecisionTransition.objects.create(
        decision=decision, action="projekt", from_status="", to_status=decision.status, actor=actor
    )
    return decision


# One public function per decision kind, each taking only what that kind needs. Every kind
# takes the party and the case, the lines (the points of the sentencja; may be empty where the
# kind has none), the justification and trace, the reason, and rygor natychmiastowej
# wykonalności (art. 108 KPA may attach to any decision).


@exclusion_guard("draft")
@transaction.atomic
def decision_create_grant(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    lines: list[dict[str, Any]],
    application: Any = None,
    calculation: Any = None,
    case_reference: str = "",
    application_date: date | None = None,
    justification: str = "",
    trace: list[dict[str, str]] | None = None,
    immediate: bool = False,
    immediate_reason: str = "",
    reason_text: str = "",
    matter: str = "",
) -> Decision:
    """Przyznanie świadczenia (art. 104 KPA, art. 106 ust. 1 u.p.s.); a line with
    ``granted = False`` is a refusal point of the same decision."""
    return _new_draft(
        kind=DecisionKind.GRANT,
        case=case,
        addressee=addressee,
        actor=actor,
        lines=lines,
        application=application,
        calculation=calculation,
        case_reference=case_reference,
        application_date=application_date,
        justification=justification,
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
        reason_text=reason_text,
        matter=matter,
    )


@exclusion_guard("draft")
@transaction.atomic
def decision_create_refusal(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    lines: list[dict[str, Any]],
    application: Any = None,
    calculation: Any = None,
    case_reference: str = "",
    application_date: date | None = None,
    justification: str = "",
    trace: list[dict[str, str]] | None = None,
    immediate: bool = False,
    immediate_reason: str = "",
    reason_text: str = "",
    matter: str = "",
) -> Decision:
    """Odmowa przyznania świadczenia (art. 104 KPA); the lines name the forms refused."""
    return _new_draft(
        kind=DecisionKind.REFUSAL,
        case=case,
        addressee=addressee,
        actor=actor,
        lines=lines,
        application=application,
        calculation=calculation,
        case_reference=case_reference,
        application_date=application_date,
        justification=justification,
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
        reason_text=reason_text,
        matter=matter,
    )


@exclusion_guard("draft")
@transaction.atomic
def decision_create_fee(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    lines: list[dict[str, Any]],
    application: Any = None,
    calculation: Any = None,
    case_reference: str = "",
    application_date: date | None = None,
    justification: str = "",
    trace: list[dict[str, str]] | None = None,
    immediate: bool = False,
    immediate_reason: str = "",
    reason_text: str = "",
    matter: str = "",
) -> Decision:
    """Ustalenie odpłatności (e.g. art. 50 ust. 6, art. 61 u.p.s.)."""
    return _new_draft(
        kind=DecisionKind.FEE,
        case=case,
        addressee=addressee,
        actor=actor,
        lines=lines,
        application=application,
        calculation=calculation,
        case_reference=case_reference,
        application_date=application_date,
        justification=justification,
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
        reason_text=reason_text,
        matter=matter,
    )


def _amending(
    kind: str,
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    refers_to: Decision,
    effective_from: date,
    lines: list[dict[str, Any]],
    application: Any,
    case_reference: str,
    application_date: date | None,
    justification: str,
    trace: list[dict[str, str]] | None,
    immediate: bool,
    immediate_reason: str,
    reason_text: str,
    matter: str,
) -> Decision:
    return _new_draft(
        kind=kind,
        case=case,
        addressee=addressee,
        actor=actor,
        refers_to=refers_to,
        effective_from=effective_from,
        lines=lines,
        application=application,
        case_reference=case_reference,
        application_date=application_date,
        justification=justification,
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
        reason_text=reason_text,
        matter=matter,
    )


@exclusion_guard("draft")
@transaction.atomic
def decision_create_change(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    refers_to: Decision,
    effective_from: date,
    lines: list[dict[str, Any]],
    application: Any = None,
    case_reference: str = "",
    application_date: date | None = None,
    justification: str = "",
    trace: list[dict[str, str]] | None = None,
    immediate: bool = False,
    immediate_reason: str = "",
    reason_text: str = "",
    matter: str = "",
) -> Decision:
    """Zmiana decyzji (art. 106 ust. 5 u.p.s.): new lines from ``effective_from`` on."""
    return _amending(
        DecisionKind.CHANGE,
        case=case,
        addressee=addressee,
        actor=actor,
        refers_to=refers_to,
        effective_from=effective_from,
        lines=lines,
        application=application,
        case_reference=case_reference,
        application_date=application_date,
        justification=justification,
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
        reason_text=reason_text,
        matter=matter,
    )


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
    application: Any = None,
    case_reference: str = "",
    application_date: date | None = None,
    justification: str = "",
    trace: list[dict[str, str]] | None = None,
    immediate: bool = False,
    immediate_reason: str = "",
    reason_text: str = "",
    matter: str = "",
) -> Decision:
    """Uchylenie decyzji (art. 106 ust. 5 u.p.s.) from ``effective_from`` on."""
    return _amending(
        DecisionKind.REVOCATION,
        case=case,
        addressee=addressee,
        actor=actor,
        refers_to=refers_to,
        effective_from=effective_from,
        lines=lines or [],
        application=application,
        case_reference=case_reference,
        application_date=application_date,
        justification=justification,
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
        reason_text=reason_text,
        matter=matter,
    )


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
    application: Any = None,
    case_reference: str = "",
    application_date: date | None = None,
    justification: str = "",
    trace: list[dict[str, str]] | None = None,
    immediate: bool = False,
    immediate_reason: str = "",
    reason_text: str = "",
    matter: str = "",
) -> Decision:
    """Wygaszenie decyzji (art. 162 KPA) from ``effective_from`` on."""
    return _amending(
        DecisionKind.EXPIRY,
        case=case,
        addressee=addressee,
        actor=actor,
        refers_to=refers_to,
        effective_from=effective_from,
        lines=lines or [],
        application=application,
        case_reference=case_reference,
        application_date=application_date,
        justification=justification,
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
        reason_text=reason_text,
        matter=matter,
    )


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
    application: Any = None,
    case_reference: str = "",
    justification: str = "",
    trace: list[dict[str, str]] | None = None,
    immediate: bool = False,
    immediate_reason: str = "",
    reason_text: str = "",
    matter: str = "",
) -> Decision:
    """Zwrot nienależnie pobranego świadczenia (art. 98, 104 u.p.s.) of ``recovery_amount``."""
    return _new_draft(
        kind=DecisionKind.RECOVERY,
        case=case,
        addressee=addressee,
        actor=actor,
        refers_to=refers_to,
        recovery_amount=recovery_amount,
        recovery_source_lines=recovery_source_lines,
        recovery_due=recovery_due,
        lines=lines or [],
        application=application,
        case_reference=case_reference,
        justification=justification,
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
        reason_text=reason_text,
        matter=matter,
    )


@exclusion_guard("draft")
@transaction.atomic
def decision_create_write_off(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    refers_to: Decision,
    lines: list[dict[str, Any]] | None = None,
    application: Any = None,
    case_reference: str = "",
    justification: str = "",
    trace: list[dict[str, str]] | None = None,
    immediate: bool = False,
    immediate_reason: str = "",
    reason_text: str = "",
    matter: str = "",
) -> Decision:
    """Umorzenie należności (art. 104 ust. 4 u.p.s.) arising from ``refers_to``."""
    return _new_draft(
        kind=DecisionKind.WRITE_OFF,
        case=case,
        addressee=addressee,
        actor=actor,
        refers_to=refers_to,
        lines=lines or [],
        application=application,
        case_reference=case_reference,
        justification=justification,
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
        reason_text=reason_text,
        matter=matter,
    )


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
    application: Any = None,
    case_reference: str = "",
    justification: str = "",
    trace: list[dict[str, str]] | None = None,
    immediate: bool = False,
    immediate_reason: str = "",
    reason_text: str = "",
    matter: str = "",
) -> Decision:
    """Rozłożenie należności na raty (art. 104 ust. 4 u.p.s.) per ``instalments``."""
    return _new_draft(
        kind=DecisionKind.INSTALMENTS,
        case=case,
        addressee=addressee,
        actor=actor,
        refers_to=refers_to,
        instalments=instalments,
        lines=lines or [],
        application=application,
        case_reference=case_reference,
        justification=justification,
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
        reason_text=reason_text,
        matter=matter,
    )


@exclusion_guard("draft")
@transaction.atomic
def decision_create_discontinuance(
    *,
    case: Any,
    addressee: Any,
    actor: AbstractBaseUser,
    lines: list[dict[str, Any]] | None = None,
    application: Any = None,
    case_reference: str = "",
    application_date: date | None = None,
    justification: str = "",
    trace: list[dict[str, str]] | None = None,
    immediate: bool = False,
    immediate_reason: str = "",
    reason_text: str = "",
    matter: str = "",
) -> Decision:
    """Umorzenie postępowania (art. 105 KPA); the lines name the forms whose proceedings end."""
    return _new_draft(
        kind=DecisionKind.DISCONTINUANCE,
        case=case,
        addressee=addressee,
        actor=actor,
        lines=lines or [],
        application=application,
        case_reference=case_reference,
        application_date=application_date,
        justification=justification,
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
        reason_text=reason_text,
        matter=matter,
    )


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
    accepted = inspect.signature(create).parameters
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
    for name, param in accepted.items():
        if param.default is inspect.Parameter.empty and name not in given:
            given[name] = None
    return create(**given)


_NEW_DRAFT_PARAMS = frozenset(inspect.signature(_new_draft).parameters)


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
) -> Decision:
    """A change / revocation / expiry of a signed decision, acting for the future only."""
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
            }
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

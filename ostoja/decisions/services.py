"""Writing decisions: drafting, the workflow moves, signing with the frozen document, delivery,
finality, appeals, rectifications. Each public function is one user action (one transaction).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ostoja.core.concurrency import save_versioned
from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.core.validation import parse_amount, text_error
from ostoja.decisions import catalog, documents, signing
from ostoja.decisions.choices import (
    AMENDING_KINDS,
    SETTLING_KINDS,
    AppealOutcome,
    DecisionKind,
    DecisionStatus,
    DeliveryChannel,
)
from ostoja.decisions.exclusion import guard as exclusion_guard
from ostoja.decisions.fingerprint import DECISION_FIELDS, LINE_FIELDS, content_fingerprint
from ostoja.decisions.models import (
    Appeal,
    Decision,
    DecisionDocument,
    DecisionLine,
    DecisionTransition,
    JustificationRevision,
    NumberCounter,
    Rectification,
)
from ostoja.decisions.preconditions import interview_missing
from ostoja.decisions.workflow import (
    Action,
    HeldAuthorisation,
    WorkflowError,
    authorisation_refusal,
    ensure_checker,
    ensure_signable,
    next_status,
)
from ostoja.law import deadlines
from ostoja.law.money import pln
from ostoja.law.trace import TraceBuilder
from ostoja.org.choices import MatterKind

__all__ = [
    "appeal_forward",
    "appeal_outcome_record",
    "appeal_self_correct",
    "decision_amend_draft",
    "decision_appeal",
    "decision_check",
    "decision_create",
    "decision_deliver",
    "decision_discontinuance_draft",
    "decision_draft_from_application",
    "decision_drafts_from_application",
    "decision_finalise",
    "decision_justification_edit",
    "decision_recovery_draft",
    "decision_rectify",
    "decision_return",
    "decision_send",
    "decision_sign",
    "decision_update_draft",
    "decision_waive_appeal",
]


# ----------------------------------------------------------------- adapters to other contexts


def _timeline(
    decision: Decision, *, kind: str, title: str, detail: str, actor: Any, on: date
) -> None:
    from ostoja.cases import services as case_services

    case_services.timeline_record(
        case=decision.case,
        kind=kind,
        title=title,
        detail=detail,
        occurred_at=on,
        actor=actor,
        source=("decisions", decision.pk),
    )


def _interview_of(application: Any) -> tuple[date | None, str]:
    """The application's completed interview: its date and the worker's assessment."""
    from ostoja.cases import selectors as case_selectors

    done = [
        i
        for i in case_selectors.interviews_of(case=application.case)
        if i.is_completed and i.application_id in (application.pk, None)
    ]
    if not done:
        return None, ""
    interview = max(done, key=lambda i: (i.conducted_on or date.min, i.pk))
    analysis = (interview.sections or {}).get("analiza") or {}
    summary = ""
    if isinstance(analysis, dict):
        summary = str(analysis.get("ocena") or analysis.get("analiza-ocena") or "").strip()
    return interview.conducted_on, summary


# ----------------------------------------------------------------- helpers


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed({field: [message]})


def _matter(kind: str, benefits: list[str], refers_to: Decision | None) -> str:
    if kind == DecisionKind.RECOVERY:
        return MatterKind.UNDUE_BENEFITS
    if kind in (DecisionKind.WRITE_OFF, DecisionKind.INSTALMENTS):
        return MatterKind.WRITE_OFF
    if benefits:
        if benefits[0] not in catalog.BENEFITS:  # not a KeyError (500): a field error
            raise _fail("lines[0].benefit", "Nieznane świadczenie.")
        return catalog.benefit(benefits[0]).matter
    if refers_to is not None:
        return refers_to.matter
    raise _fail("lines", "Decyzja musi dotyczyć co najmniej jednego świadczenia.")


def _transition(decision: Decision, action: Action, actor: Any, note: str = "") -> None:
    old = decision.status
    decision.status = next_status(old, action)
    DecisionTransition.objects.create(
        decision=decision,
        action=action.value,
        from_status=old,
        to_status=decision.status,
        actor=actor,
        note=note[:500],
    )


PERMISSION_REFUSED = "Brak uprawnień do tej czynności w tej sprawie."


def _require(actor: Any, perm: str, decision: Decision) -> None:
    """Defence in depth: each workflow service checks the permission itself (scope included),
    whoever calls it — the pages and the API check it too, before calling."""
    if not actor.has_perm(perm, decision):
        raise NotPermitted(PERMISSION_REFUSED)


def _move(decision: Decision, action: Action, actor: Any, note: str = "") -> None:
    try:
        _transition(decision, action, actor, note)
    except WorkflowError as exc:
        raise DomainError(exc.message, field="status") from None


def _parse_amount(raw: Any, field: str, *, positive: bool = False) -> Decimal:
    """An amount of a decision: finite, two decimals at most (never rounded silently), not
    negative (or above zero for a granted cash benefit), not above the plausibility bound."""
    try:
        return parse_amount(
            raw,
            label="kwota",
            max_digits=12,
            positive=positive,
            maximum=settings.OSTOJA_MAX_DECISION_AMOUNT,
        )
    except ValueError as exc:
        raise _fail(field, str(exc)) from None


def _text(raw: Any, field: str, label: str, max_length: int) -> str:
    value = str(raw or "")
    problem = text_error(value, label=label, max_length=max_length)
    if problem:
        raise _fail(field, problem)
    return value


def _parse_date(raw: Any, field: str, required: bool = True) -> date | None:
    if raw in (None, ""):
        if required:
            raise _fail(field, "Podaj datę.")
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise _fail(field, "Nieprawidłowa data (RRRR-MM-DD).") from None


def _build_lines(decision: Decision, lines: list[dict[str, Any]]) -> None:
    from stdnum import iban

    decision.lines.all().delete()
    for i, raw in enumerate(lines, 1):
        f = f"lines[{i - 1}]"
        code = raw.get("benefit", "")
        if code not in catalog.BENEFITS:
            raise _fail(f"{f}.benefit", "Nieznane świadczenie.")
        entry = catalog.benefit(code)
        period_from = _parse_date(raw.get("period_from"), f"{f}.period_from")
        period_to = _parse_date(raw.get("period_to"), f"{f}.period_to", required=False)
        if period_to is not None and period_from is not None and period_to <= period_from:
            raise _fail(f"{f}.period_to", "Koniec okresu musi być po jego początku.")
        method = raw.get("payment_method") or ("przelew" if entry.cash else "rzeczowa")
        account = "".join(c for c in str(raw.get("account_number", "")) if c.isdigit())
        if (
            method == "przelew"
            and raw.get("granted", True)
            and decision.kind
            in (
                DecisionKind.GRANT,
                DecisionKind.CHANGE,
            )
        ) and not iban.is_valid("PL" + account):
            raise _fail(f"{f}.account_number", "Podaj poprawny numer rachunku (26 cyfr NRB).")
        day = int(raw.get("payment_day") or 10)
        if not 1 <= day <= 28:
            raise _fail(f"{f}.payment_day", "Dzień wypłaty musi być z zakresu 1–28.")
        budget = entry.budget
        DecisionLine.objects.create(
            decision=decision,
            position=i,
            benefit=code,
            granted=bool(raw.get("granted", decision.kind != DecisionKind.REFUSAL)),
            amount=_parse_amount(raw.get("amount", "0"), f"{f}.amount"),
            one_off=bool(raw.get("one_off", entry.one_off)),
            period_from=period_from,
            period_to=period_to,
            payment_method=method,
            account_number=account,
            payment_day=day,
            purpose=_text(raw.get("purpose", ""), f"{f}.purpose", "cel", 200),
            note=_text(raw.get("note", ""), f"{f}.note", "uwagi", 300),
            health_insured_elsewhere=bool(raw.get("health_insured_elsewhere", True)),
            calculation=raw.get("calculation"),
            budget_section=budget.section,
            budget_chapter=budget.chapter,
            budget_paragraph=budget.paragraph,
            task_type=budget.task_type.value,
            funding=budget.funding.value,
        )


def _revision(decision: Decision, text: str, actor: Any, source: str) -> None:
    JustificationRevision.objects.create(decision=decision, text=text, author=actor, source=source)


def _ensure_draft(decision: Decision) -> None:
    if decision.is_signed:
        from ostoja.decisions.models import SignedDecisionImmutable

        raise SignedDecisionImmutable()
    if decision.status != DecisionStatus.DRAFTED:
        raise DomainError(
            "Projekt jest sprawdzony — aby go zmienić, kierownik musi go najpierw zwrócić do "
            "poprawy.",
            field="status",
        )


def content_hash(decision: Decision) -> str:
    """The fingerprint of the decision's content as stored now (lines included)."""
    row = Decision.objects.filter(pk=decision.pk).values(*DECISION_FIELDS).get()
    lines = DecisionLine.objects.filter(decision_id=decision.pk).values(*LINE_FIELDS)
    return content_fingerprint(row, lines)


def _made_by(decision: Decision, actor: Any) -> None:
    """Every edit of a draft makes its author one of the makers: a maker never checks or
    signs it (four eyes, issue 20 finding 5). Saved with the edit that calls it."""
    if actor.pk not in decision.maker_ids:
        decision.maker_ids = [*decision.maker_ids, actor.pk]


def makers_of(decision: Decision) -> set[int]:
    """Everyone who drafted or edited ``decision`` (the drafter always among them)."""
    return {decision.drafter_id, *decision.maker_ids}


def _addressee_fields(person: Any) -> dict[str, str]:
    return {"addressee_name": person.full_name, "addressee_address": person.address_display}


# ----------------------------------------------------------------- drafting


@exclusion_guard("draft")
@transaction.atomic
def decision_create(
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
    """A new draft decision (status „projekt”) with its lines and the first justification."""
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


def _first_of_month(d: date) -> date:
    return d.replace(day=1)


def _add_months(d: date, months: int) -> date:
    from ostoja.law.periods import add_months

    return add_months(d, months)


@transaction.atomic
def decision_discontinuance_draft(
    *, application: Any, actor: AbstractBaseUser, benefits: list[str], reason: str
) -> Decision:
    """Umorzenie postępowania (art. 105 KPA) for the forms of help in ``benefits`` — e.g. the
    party withdrew its request for one of them (art. 105 § 2) or it became groundless (§ 1).
    Empty ``benefits``: the whole application. Each named form is then settled."""
    reason = (reason or "").strip()
    if not reason:
        raise _fail(
            "reason", "Podaj przyczynę umorzenia (np. strona wycofała wniosek, art. 105 KPA)."
        )
    for code in benefits:
        if code not in (application.forms or []) or code not in catalog.BENEFITS:
            raise _fail("benefits", "Umorzyć można tylko postępowanie o formę, o którą wniesiono.")
    _already_decided(application, benefits)
    start = application.received_on
    return decision_create(
        case=application.case,
        application=application,
        kind=DecisionKind.DISCONTINUANCE,
        addressee=application.applicant,
        actor=actor,
        lines=[
            {
                "benefit": code,
                "granted": False,
                "amount": "0.00",
                "period_from": start,
                "payment_method": "rzeczowa",
            }
            for code in benefits
        ],
        matter=catalog.benefit(benefits[0]).matter
        if benefits
        else catalog.benefit(
            next((f for f in application.forms or [] if f in catalog.BENEFITS), "zasilek_celowy")
        ).matter,
        reason_text=reason[:500],
    )


DEFAULT_MONTHS = {
    "zasilek_okresowy": 3,
    "posilek": 6,
    "uslugi_opiekuncze": 6,
    "specjalistyczne_uslugi_opiekuncze_zaburzenia": 6,
}


def _justification_inputs(
    application: Any, code: str, request: dict[str, Any], result: dict[str, Any], line: dict
) -> dict[str, Any]:
    """What the justification is drafted from besides the trace: the party's sex (verbs and
    declined name), the calculation documents, the art. 7 reasons of the application and
    the interview, and the operative line (amount, period, purpose)."""
    from ostoja.cases.models import ART7_REASONS

    codes = list(dict.fromkeys(application.reasons or []))
    return {
        "sex": application.applicant.sex,
        "benefit": code,
        "request": request,
        "result": result,
        "art7": [(c, ART7_REASONS[c]) for c in codes if c in ART7_REASONS and c != "inne"],
        "art7_other": application.reasons_other,
        "line": documents.ContentLine(
            benefit=code,
            granted=bool(line["granted"]),
            amount=_parse_amount(line["amount"], "amount"),
            period_from=line["period_from"],
            period_to=line["period_to"],
            one_off=bool(line["one_off"]),
            purpose=line.get("purpose", ""),
        ),
    }


FEE_BENEFITS = frozenset(
    {"oplata_dps", "uslugi_opiekuncze", "specjalistyczne_uslugi_opiekuncze_zaburzenia"}
)
CHOOSE_CALCULATIONS = (
    "Wniosek ma kilka obliczeń — wybierz obliczenie dla każdej formy pomocy, o której "
    "rozstrzyga decyzja (obliczenie „dla porównania” nie staje się decyzją samo)."
)


def _calculations_of(application: Any) -> list[Any]:
    from ostoja.cases import selectors as case_selectors

    return case_selectors.calculations_for(application=application)


def _chosen(application: Any, calculations: list[int] | None) -> list[Any]:
    """The calculations the drafter chose, one per form of help — never one picked for them.

    Without a choice only an application with a single calculation can be drafted."""
    available = _calculations_of(application)
    if not available:
        raise _fail(
            "application", "Brak obliczenia dla tego wniosku — najpierw wykonaj obliczenie."
        )
    if calculations is None:
        if len(available) > 1:
            raise _fail("calculations", CHOOSE_CALCULATIONS)
        return available
    if not calculations:
        raise _fail("calculations", "Wybierz co najmniej jedno obliczenie.")
    by_id = {c.pk: c for c in available}
    chosen = []
    for raw in calculations:
        calc = by_id.get(int(raw))
        if calc is None:
            raise _fail("calculations", "Wybrane obliczenie nie dotyczy tego wniosku.")
        if calc not in chosen:
            chosen.append(calc)
    benefits = [c.benefit for c in chosen]
    for code in benefits:
        if benefits.count(code) > 1:
            raise _fail(
                "calculations",
                f"Dla formy „{catalog.label_of(code)}” wybrano kilka obliczeń — jedna forma "
                "pomocy, jedno rozstrzygnięcie: wybierz jedno obliczenie.",
            )
    return chosen


def _already_decided(application: Any, benefits: list[str]) -> None:
    """A form of help already covered by a draft or a live decision is not drafted twice."""
    taken = (
        DecisionLine.objects.filter(
            decision__application=application,
            decision__kind__in=SETTLING_KINDS,
            benefit__in=benefits,
        )
        .exclude(decision__status=DecisionStatus.CLOSED)
        .select_related("decision")
        .first()
    )
    if taken is not None:
        d = taken.decision
        what = f"decyzja nr {d.number}" if d.number else "projekt decyzji"
        raise _fail(
            "calculations",
            f"Forma „{catalog.label_of(taken.benefit)}” ma już {what} w tym wniosku.",
        )


def _point_from(
    calc: Any, application: Any, *, account_number: str, payment_method: str
) -> tuple[str, dict[str, Any], list[dict[str, str]], list[str]]:
    """One operative point from one chosen calculation: (kind, line, trace, refusal reasons)."""
    result = calc.result or {}
    request = calc.request or {}
    code = calc.benefit
    if code not in catalog.BENEFITS:
        raise _fail("calculations", f"Świadczenie „{code}” nie ma jeszcze szablonu decyzji.")
    entry = catalog.benefit(code)
    eligible = bool(result.get("eligible"))
    fee_kind = code in FEE_BENEFITS
    if not eligible:
        kind = DecisionKind.REFUSAL
    elif fee_kind:
        kind = DecisionKind.FEE
    else:
        kind = DecisionKind.GRANT
    if fee_kind:
        fees = result.get("fees") or {}
        raw_amount = fees.get("resident") or result.get("fee") or "0.00"
    else:
        raw_amount = (
            result.get("monthly_amount")
            or result.get("amount")
            or request.get("requested_amount")
            or "0.00"
        )
    start_raw = request.get("entitlement_from") or request.get("application_date")
    start = _parse_date(start_raw, "application") if start_raw else application.received_on
    if entry.one_off:
        # One-off help is dated, not a month: a single day (half-open [day, day + 1)).
        period_from = start
        period_to = start + timedelta(days=1)
    else:
        period_from = start if request.get("entitlement_from") else _first_of_month(start)
        if code in DEFAULT_MONTHS:
            period_to = _add_months(_first_of_month(period_from), DEFAULT_MONTHS[code])
        else:
            period_to = None
    applicant = (request.get("members") or [{}])[0]
    insured = bool(applicant.get("insured_elsewhere", True))
    if result.get("health_insured_elsewhere") is not None:  # the law core's answer (a pension)
        insured = bool(result["health_insured_elsewhere"])
    elif result.get("health_contribution") not in (None, "0.00"):
        insured = False
    method = payment_method or (
        "przelew" if entry.cash and account_number else "kasa" if entry.cash else "rzeczowa"
    )
    line = {
        "benefit": code,
        "granted": eligible,
        "amount": raw_amount,
        "one_off": entry.one_off,
        "period_from": period_from,
        "period_to": period_to,
        "payment_method": method,
        "account_number": account_number,
        "payment_day": 10,
        "purpose": (request.get("purpose") or "") if entry.one_off else "",
        "health_insured_elsewhere": insured,
        "note": f"stawka {result.get('fee_rate')}%"
        if code.startswith("uslugi") and result.get("fee_rate")
        else "",
        "calculation": calc,
    }
    reasons = [str(r) for r in (result.get("reasons") or [])]
    return kind, line, list(result.get("trace") or []), reasons


def _draft_one(
    *,
    application: Any,
    calcs: list[Any],
    actor: AbstractBaseUser,
    account_number: str,
    payment_method: str,
    immediate: bool,
    immediate_reason: str,
    amount_reason: str = "",
    period_reason: str = "",
) -> Decision:
    points = [
        _point_from(c, application, account_number=account_number, payment_method=payment_method)
        for c in calcs
    ]
    kinds = {k for k, _, _, _ in points}
    if DecisionKind.FEE in kinds and len(points) > 1:
        raise _fail(
            "calculations",
            "Odpłatność ustala się odrębną decyzją — wybierz „osobne decyzje” albo tylko to "
            "obliczenie.",
        )
    if kinds == {DecisionKind.REFUSAL}:
        kind = DecisionKind.REFUSAL
    elif kinds == {DecisionKind.FEE}:
        kind = DecisionKind.FEE
    else:
        # Grant with, where a form is refused, a refusal point of its own (granted = False).
        kind = DecisionKind.GRANT if DecisionKind.GRANT in kinds else next(iter(kinds))
    interview_on, summary = _interview_of(application)
    paragraphs = []
    trace: list[dict[str, str]] = []
    all_reasons: list[str] = []
    for calc, (point_kind, line, point_trace, reasons) in zip(calcs, points, strict=True):
        trace.extend(point_trace)
        all_reasons.extend(reasons)
        paragraphs.append(
            documents.justification_draft(
                kind=point_kind,
                addressee_name=application.applicant.full_name,
                application_date=application.received_on,
                benefit_label=catalog.benefit(line["benefit"]).label,
                trace=point_trace,
                interview_date=interview_on,
                interview_summary=summary,
                reasons=reasons or None,
                **_justification_inputs(
                    application, line["benefit"], calc.request or {}, calc.result or {}, line
                ),
                immediate_reason=immediate_reason if immediate else "",
                amount_reason=amount_reason,
                period_reason=period_reason,
            )
        )
    return decision_create(
        case=application.case,
        application=application,
        calculation=calcs[0],
        kind=kind,
        addressee=application.applicant,
        actor=actor,
        lines=[line for _, line, _, _ in points],
        justification="\n\n".join(paragraphs),
        trace=trace,
        immediate=immediate,
        immediate_reason=immediate_reason,
        reason_text="; ".join(all_reasons)[:500],
    )


@exclusion_guard("draft")
@transaction.atomic
def decision_drafts_from_application(
    *,
    application: Any,
    actor: AbstractBaseUser,
    calculations: list[int] | None = None,
    separate: bool = False,
    account_number: str = "",
    payment_method: str = "",
    immediate: bool = False,
    immediate_reason: str = "",
    amount_reason: str = "",
    period_reason: str = "",
) -> list[Decision]:
    """Draft the decision(s) on the forms of help the drafter chose (art. 104 KPA): one
    calculation per form; one decision with a point per form (grant, refusal), or — with
    ``separate`` — one decision per form. Lines, legal basis and justification come from each
    chosen calculation and the community interview."""
    calcs = _chosen(application, calculations)
    _already_decided(application, [c.benefit for c in calcs])
    common = {
        "application": application,
        "actor": actor,
        "account_number": account_number,
        "payment_method": payment_method,
        "immediate": immediate,
        "immediate_reason": immediate_reason,
        "amount_reason": amount_reason,
        "period_reason": period_reason,
    }
    if separate:
        return [_draft_one(calcs=[c], **common) for c in calcs]
    return [_draft_one(calcs=calcs, **common)]


@exclusion_guard("draft")  # outside the transaction: the audited refusal survives it
@transaction.atomic
def decision_draft_from_application(
    *,
    application: Any,
    actor: AbstractBaseUser,
    account_number: str = "",
    payment_method: str = "",
    immediate: bool = False,
    immediate_reason: str = "",
    calculations: list[int] | None = None,
    amount_reason: str = "",
    period_reason: str = "",
) -> Decision:
    """One draft decision on the chosen calculations (see
    :func:`decision_drafts_from_application`); without ``calculations`` the application must
    have exactly one."""
    return decision_drafts_from_application(
        application=application,
        actor=actor,
        calculations=calculations,
        account_number=account_number,
        payment_method=payment_method,
        immediate=immediate,
        immediate_reason=immediate_reason,
        amount_reason=amount_reason,
        period_reason=period_reason,
    )[0]


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
    return decision_create(
        case=decision.case,
        application=decision.application,
        kind=kind,
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
        return decision_create(
            case=source.case,
            application=source.application,
            kind=DecisionKind.RECOVERY,
            addressee=source.addressee,
            actor=actor,
            lines=[],
            refers_to=source,
            recovery_amount=amount,
            recovery_source_lines=[ln.pk for ln in lines],
            reason_text=reason[:500],
            trace=trace,
        )


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
    from ostoja.org.selectors import authorisation_list, terms_of

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


def content_of(decision: Decision, *, on: date, draft: bool = False) -> documents.DecisionContent:
    """The document's content; ``on`` dates a draft preview that has no issue date yet."""
    """The frozen description of ``decision`` the document is rendered from."""
    from ostoja.org.selectors import instance_settings

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
        documents.ReferencedDecision(ref.number, ref.issued_on)
        if ref is not None and ref.issued_on
        else None
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


def _snapshot(decision: Decision, content: documents.DecisionContent) -> dict[str, Any]:
    calc = decision.calculation
    data: dict[str, Any] = {
        "content": json.loads(json.dumps(asdict(content), default=str)),
        "legal_basis": documents.legal_basis(content),
        "lines": [
            {
                "id": ln.pk,
                "benefit": ln.benefit,
                "granted": ln.granted,
                "amount": str(ln.amount),
                "period_from": ln.period_from.isoformat(),
                "period_to": ln.period_to.isoformat() if ln.period_to else None,
                "payment_method": ln.payment_method,
                "payment_day": ln.payment_day,
                "budget": f"{ln.budget_section}/{ln.budget_chapter}/§{ln.budget_paragraph}",
            }
            for ln in decision.lines.all()
        ],
        "trace": decision.trace,
        "signed_at": decision.signed_at.isoformat() if decision.signed_at else None,
        "authorisation": decision.authorisation.number if decision.authorisation_id else None,
    }
    if calc is not None:
        data["calculation"] = {
            "id": calc.pk,
            "request": calc.request,
            "result": calc.result,
            "parameters": (calc.result or {}).get("parameters"),
            "parameters_valid_from": str(calc.parameters_valid_from),
        }
    return data


@exclusion_guard("sign")
def decision_sign(
    *,
    decision: Decision,
    actor: AbstractBaseUser,
    on: date,
    now: datetime,
    authorisation_id: int | None = None,
    signature_method: str = signing.HANDWRITTEN,
) -> Decision:
    """Sign under an authorisation valid for the matter on ``on``; number, freeze, store the PDF.

    ``signature_method``: ``odreczny`` — the signer signs the paper original by hand (the PDF
    carries the signature block and the document records who signed it); ``elektroniczny`` —
    the PDF is signed with PAdES and must validate (``ostoja.decisions.signing``).
    A refusal (no valid authorisation for the matter on that day) is written to the audit
    trail outside the transaction, so it survives the refusal itself.
    """
    from ostoja.audit.services import access_record

    if signature_method not in signing.METHODS:
        raise _fail("signature_method", "Wybierz sposób podpisania: odręcznie albo elektronicznie.")
    if signature_method == signing.ELECTRONIC and not signing.electronic_available():
        signing.signer()  # raises SigningUnavailable with the message for the user

    why = signing_refusal(user=actor, matter=decision.matter, on=on)
    if why is None and not actor.has_perm("decisions.view_decision", decision):
        why = PERMISSION_REFUSED  # role and scope; the authorisation is checked for ``on`` above
    if why is not None:
        access_record(user=actor, obj=decision, refused=True, reason=f"podpis: {why}")
        raise NotPermitted(why)
    with transaction.atomic():
        return _sign(
            decision=decision,
            actor=actor,
            on=on,
            now=now,
            authorisation_id=authorisation_id,
            signature_method=signature_method,
        )


def _sign(
    *,
    decision: Decision,
    actor: Any,
    on: date,
    now: datetime,
    authorisation_id: int | None,
    signature_method: str = signing.HANDWRITTEN,
) -> Decision:
    from ostoja.org.selectors import authorisations_valid_for

    decision = Decision.objects.select_for_update().select_related("case__unit").get(pk=decision.pk)
    try:
        ensure_signable(
            maker_ids=makers_of(decision),
            signer_id=actor.pk,
            checker_id=decision.checker_id,
            checked_hash=decision.checked_hash,
            current_hash=content_hash(decision),
        )
    except WorkflowError as exc:
        raise NotPermitted(exc.message) from None
    valid = authorisations_valid_for(user=actor, matter=decision.matter, on=on)
    chosen = (
        next((a for a in valid if a.pk == authorisation_id), None)
        if authorisation_id
        else (valid[0] if valid else None)
    )
    if chosen is None:
        raise NotPermitted("Wybrane upoważnienie nie obejmuje tej sprawy w dniu podpisu.")
    staff = getattr(actor, "staff", None)
    _move(decision, Action.SIGN, actor, f"upoważnienie nr {chosen.number}")
    decision.signer = actor
    decision.signer_name = actor.get_full_name() or actor.get_username()
    decision.signer_position = staff.position if staff is not None else ""
    decision.authorisation = chosen
    decision.signed_at = now
    decision.issued_on = on
    decision.signature_method = signature_method
    _allocate_number(decision, on)
    decision.save()
    content = content_of(decision, on=on)
    html = documents.render_html(content)
    pdf = documents.render_pdf(html)
    signed_by = (
        f"{decision.signer_name}, {decision.signer_position or 'osoba upoważniona'} — podpis "
        f"odręczny na papierowym oryginale, upoważnienie nr {chosen.number}"
    )
    if signature_method == signing.ELECTRONIC:
        pdf, signed_by = signing.sign_and_verify(
            pdf,
            reason=f"Decyzja nr {decision.number}",
            location=content.place,
            name=decision.signer_name,
        )
    DecisionDocument.objects.create(
        decision=decision,
        pdf=pdf,
        sha256=documents.sha256(pdf),
        html=html,
        snapshot=_snapshot(decision, content),
        signature_method=signature_method,
        signed_by=signed_by[:300],
    )
    if decision.application_id and decision.kind in SETTLING_KINDS:
        from ostoja.cases import services as case_services

        app = decision.application
        from ostoja.decisions.selectors import application_undecided_forms

        if app.is_open and not application_undecided_forms(application=app):
            case_services.application_close(
                application=app, on=on, note=f"Decyzja nr {decision.number}"
            )
    _timeline(
        decision,
        kind="decyzja_podpisana",
        title=f"Podpisano decyzję nr {decision.number} — {decision.get_kind_display().lower()}",
        detail=f"Podpisał(a) {decision.signer_name} z upoważnienia nr {chosen.number}.",
        actor=actor,
        on=on,
    )
    return decision


def _require_signature_fits(decision: Decision, channel: str) -> None:
    """Electronic delivery carries the electronically signed file (art. 14 § 1a KPA); a
    decision signed by hand on paper goes by post or in person."""
    if channel == DeliveryChannel.E_DELIVERY and decision.signature_method != signing.ELECTRONIC:
        raise _fail(
            "channel",
            "Decyzja podpisana odręcznie nie może być doręczona elektronicznie — doręcz "
            "papierowy oryginał albo wydaj decyzję z podpisem elektronicznym.",
        )


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


APPEAL_FORWARD_DAYS = 7  # art. 133 KPA


def appeal_forward_deadline(lodged_on: date) -> deadlines.Deadline:
    """Last day to forward an appeal with the case file to the SKO: 7 days from the day the
    appeal was lodged (art. 133 KPA), counted per art. 57 § 1 and moved off Saturdays and
    public holidays per art. 57 § 4 KPA by the law core (``ostoja.law.deadlines``).

    Uses the law core's own ``appeal_forward_deadline`` once it offers one."""
    law_fn = getattr(deadlines, "appeal_forward_deadline", None)
    if law_fn is not None:
        return law_fn(lodged_on)  # type: ignore[no-any-return]
    tb = TraceBuilder()
    end = lodged_on + timedelta(days=APPEAL_FORWARD_DAYS)
    tb.add(
        f"Termin przekazania odwołania wraz z aktami do SKO: {APPEAL_FORWARD_DAYS} dni od "
        f"{lodged_on.isoformat()} (dnia wniesienia nie wlicza się)",
        end.isoformat(),
        "art. 133 KPA; art. 57 § 1 KPA",
    )
    end = deadlines.next_working_day(end, tb)
    return deadlines.Deadline(end, tb.build())


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
    from ostoja.cases import letters

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
    appeal.self_corrected = True
    appeal.outcome = AppealOutcome.SELF_CORRECTED
    appeal.outcome_on = on
    appeal.save(update_fields=["self_corrected", "outcome", "outcome_on"])
    _move(decision, Action.CLOSE, actor, "uwzględnienie odwołania (art. 132 KPA)")
    decision.save()
    first = decision.lines.order_by("period_from").first()
    start = max(on, first.period_from + timedelta(days=1)) if first else on
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
    from django.template.loader import render_to_string

    from ostoja.org.selectors import authorisations_valid_for, instance_settings

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


def batch_pdf(*, decisions: list[Decision]) -> bytes:
    """One PDF of several signed decisions, from their frozen HTML (never from current data)."""
    from weasyprint import HTML

    from ostoja.decisions.models import DecisionDocument

    docs = DecisionDocument.objects.filter(decision__in=decisions).order_by("decision__number")
    rendered = [HTML(string=doc.html).render(font_config=documents._font_config()) for doc in docs]
    if not rendered:
        raise DomainError("Brak podpisanych dokumentów do wydruku.")
    pages = [p for r in rendered for p in r.pages]
    return bytes(rendered[0].copy(pages).write_pdf(pdf_variant=documents.PDF_VARIANT))


@transaction.atomic
def decision_discard(*, decision: Decision, actor: AbstractBaseUser) -> None:
    """Remove an unsigned draft (its revisions and moves go with it; the audit trail keeps it)."""
    if decision.is_signed:
        from ostoja.decisions.models import SignedDecisionImmutable

        raise SignedDecisionImmutable("Podpisanej decyzji nie można usunąć.")
    decision.delete()

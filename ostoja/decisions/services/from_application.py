"""Drafts from an application (wniosek): one decision per chosen calculation, and the
discontinuance of proceedings (umorzenie postępowania, art. 105 KPA).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from ostoja.cases import selectors as case_selectors
from ostoja.cases.models import ART7_REASONS
from ostoja.decisions import catalog, documents
from ostoja.decisions.choices import (
    SETTLING_KINDS,
    DecisionKind,
    DecisionStatus,
)
from ostoja.decisions.exclusion import guard as exclusion_guard
from ostoja.decisions.models import (
    Decision,
    DecisionLine,
)
from ostoja.law.periods import add_months

from ._common import _fail, _interview_of, _parse_amount, _parse_date
from .kinds import (
    decision_create_discontinuance,
    decision_create_fee,
    decision_create_grant,
    decision_create_refusal,
)

# The kinds a calculation can end in (``_point_from``), each with its drafting function.
_FROM_CALCULATION: dict[str, Callable[..., Decision]] = {
    DecisionKind.GRANT: decision_create_grant,
    DecisionKind.REFUSAL: decision_create_refusal,
    DecisionKind.FEE: decision_create_fee,
}


def _first_of_month(d: date) -> date:
    return d.replace(day=1)


def _add_months(d: date, months: int) -> date:
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
    return decision_create_discontinuance(
        case=application.case,
        application=application,
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
    kind: str
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
    return _FROM_CALCULATION[kind](
        case=application.case,
        application=application,
        calculation=calcs[0],
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

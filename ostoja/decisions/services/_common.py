"""Helpers shared by the decision services: adapters to the cases context, field parsing,
the workflow move, the content hash and the makers of a decision (private to this package).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from stdnum import iban

from ostoja.cases import selectors as case_selectors
from ostoja.cases import services as case_services
from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.core.validation import parse_amount, text_error
from ostoja.decisions import catalog
from ostoja.decisions.choices import (
    DecisionKind,
    DecisionStatus,
)
from ostoja.decisions.fingerprint import (
    DECISION_FIELDS,
    LINE_FIELDS,
    OPTIONAL_DECISION_FIELDS,
    content_fingerprint,
)
from ostoja.decisions.models import (
    Decision,
    DecisionLine,
    DecisionTransition,
    JustificationRevision,
    SignedDecisionImmutable,
)
from ostoja.decisions.workflow import (
    Action,
    WorkflowError,
    next_status,
)
from ostoja.law import deadlines
from ostoja.org.choices import MatterKind

# ----------------------------------------------------------------- adapters to other contexts


def _timeline(
    decision: Decision, *, kind: str, title: str, detail: str, actor: Any, on: date
) -> None:
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
        # Not given → the 10th; a given 0 is refused like any day outside 1–28 (it used to
        # become the 10th silently through ``or``): the check constraint's range.
        raw_day = raw.get("payment_day")
        try:
            day = 10 if raw_day in (None, "") else int(raw_day)
        except (TypeError, ValueError):
            day = 0
        if not 1 <= day <= 28:
            raise _fail(f"{f}.payment_day", "Dzień wypłaty musi być z zakresu 1–28.")
        granted = bool(raw.get("granted", decision.kind != DecisionKind.REFUSAL))
        # Where a provision sets the latest payment day (the integration benefit: by the
        # 15th), a later day in a granting decision would schedule every payment unlawfully
        # late (a refused line pays nothing).
        limit = (
            deadlines.latest_payment_day(code, period_from)
            if granted and period_from is not None
            else None
        )
        if limit is not None and day > limit.day:
            raise _fail(
                f"{f}.payment_day",
                f"{entry.label[:1].upper()}{entry.label[1:]} wypłaca się do {limit.day}. dnia "
                f"każdego miesiąca ({limit.basis}) — podaj dzień 1–{limit.day}.",
            )
        budget = entry.budget
        DecisionLine.objects.create(
            decision=decision,
            position=i,
            benefit=code,
            granted=granted,
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
        raise SignedDecisionImmutable()
    if decision.status != DecisionStatus.DRAFTED:
        raise DomainError(
            "Projekt jest sprawdzony — aby go zmienić, kierownik musi go najpierw zwrócić do "
            "poprawy.",
            field="status",
        )


def content_hash(decision: Decision) -> str:
    """The fingerprint of the decision's content as stored now (lines included)."""
    fields = (*DECISION_FIELDS, *OPTIONAL_DECISION_FIELDS)
    row = Decision.objects.filter(pk=decision.pk).values(*fields).get()
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

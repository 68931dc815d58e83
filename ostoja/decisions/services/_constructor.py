"""The private constructor of a draft decision (projekt decyzji): every check that applies
to a kind, then the decision, its lines, the first justification and the first move."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from ostoja.decisions import catalog, documents
from ostoja.decisions.choices import (
    AMENDING_KINDS,
    DecisionKind,
)
from ostoja.decisions.models import (
    Decision,
    DecisionTransition,
)
from ostoja.decisions.preconditions import interview_missing

from ._common import (
    _addressee_fields,
    _build_lines,
    _fail,
    _matter,
    _revision,
)


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
    refers_to_paper: tuple[str, date] | None = None,
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
    ) and (refers_to is None and (kind != DecisionKind.CHANGE or refers_to_paper is None)):
        raise _fail("refers_to", "Wskaż decyzję, której dotyczy ta decyzja.")
    paper_number, paper_on = refers_to_paper if refers_to_paper is not None else ("", None)
    if refers_to_paper is not None and (refers_to is not None or not paper_number.strip()
                                        or paper_on is None):  # fmt: skip
        raise _fail("refers_to", "Podaj numer i datę decyzji papierowej, którą się zmienia.")
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
        refers_to_paper=paper_number.strip(),
        refers_to_paper_on=paper_on,
        effective_from=effective_from,
        recovery_amount=recovery_amount,
        recovery_due=recovery_due,
        recovery_source_lines=recovery_source_lines or [],
        instalments=instalments or [],
        # the column keeps the reason's first 500 signs for the register; the justification
        # below is drafted from the whole of it
        reason_text=reason_text[:500],
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
            # a service or a placement: its delay is not a delay „w wypłacie” (art. 108 KPA)
            in_kind=bool(lines)
            and all(
                not catalog.BENEFITS[ln["benefit"]].cash
                for ln in lines
                if ln.get("benefit") in catalog.BENEFITS
            ),
        )
        decision.save(update_fields=["justification"])
    _revision(decision, decision.justification, actor, "projekt")
    DecisionTransition.objects.create(
        decision=decision, action="projekt", from_status="", to_status=decision.status, actor=actor
    )
    return decision

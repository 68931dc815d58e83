"""Writes of social work. Each user action is one transaction; every note also lands on the
case's single timeline (``ostoja.cases.services.timeline_record``).

Size (issue 18): ~780 lines, of which the social contract (art. 108 u.p.s.) is half. To become
a ``services/`` package (notes, visits, contract, plans, protection, reassignment) like
``decisions/services/``; not split on 5.12.2026 because social work is being extended in
parallel and a move would collide with that work.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from ostoja.audit.services import access_record
from ostoja.cases import services as cases_services
from ostoja.cases.models import Case
from ostoja.core.concurrency import save_versioned
from ostoja.core.dates import local_date, noon
from ostoja.core.errors import ConflictError, DomainError, NotPermitted, ValidationFailed
from ostoja.socialwork import selectors
from ostoja.socialwork.models import (
    ActionParty,
    AssistancePlan,
    BreakGlassGrant,
    CaseAssignment,
    CaseNote,
    ContractAction,
    ContractAnnex,
    ContractBreach,
    ContractReview,
    PlanAction,
    PlanReview,
    ProtectionChange,
    SocialContract,
    Visit,
)
from ostoja.socialwork.policy import (
    BREACH_CONSEQUENCES,
    BREAK_GLASS_MINUTES,
    NOTE_CATEGORY_LABELS,
    AssignmentKind,
    ContractDraft,
    ContractStatus,
    NoteCategory,
    PlanStatus,
    VisitStatus,
    assignment_errors,
    break_glass_errors,
    contract_can_move,
    contract_content_editable,
    contract_readiness_errors,
    correction_errors,
    note_dates_errors,
    signature_errors,
)

SOURCE = "socialwork"
KIND = "praca_socjalna"  # the case file's timeline filter for social work


_noon = noon


def _timeline(
    case: Case, kind: str, title: str, detail: str, on: date, user: Any, src: tuple[str, int]
) -> None:
    protected = selectors.case_protected(case=case)
    cases_services.timeline_record(
        case=case,
        kind=kind,
        title=title,
        detail="" if protected else detail,
        occurred_at=_noon(on),
        actor=user,
        source=src,
        protected=protected,
    )


# ------------------------------------------------------------------ notes


@transaction.atomic
def note_add(
    *,
    case: Case,
    user: Any,
    category: str,
    occurred_on: date,
    text: str,
    now: datetime,
    corrects: CaseNote | None = None,
    correction_reason: str = "",
) -> CaseNote:
    """Append a note; a correction points at the note it corrects (which is never changed)."""
    # Defence in depth (finding 3): the service checks the case scope itself.
    if not user.has_perm("socialwork.add_note", case):
        raise NotPermitted("Nie masz uprawnień do dodawania notatek w tej sprawie.")
    errors: dict[str, list[str]] = {}
    if category not in {c.value for c in NoteCategory}:
        errors["category"] = ["Wybierz kategorię notatki."]
    if not text.strip():
        errors["text"] = ["Wpisz treść notatki."]
    errors.update(note_dates_errors(occurred_on=occurred_on, today=local_date(now)))
    if corrects is not None:
        already = CaseNote.objects.filter(corrects=corrects).exists()
        errors.update(
            correction_errors(already_corrected=already, same_case=corrects.case_id == case.pk)
        )
        if not correction_reason.strip():
            errors.setdefault("correction_reason", []).append("Podaj powód korekty.")
    if errors:
        raise ValidationFailed(errors)
    note = CaseNote.objects.create(
        case=case,
        category=category,
        occurred_on=occurred_on,
        author=user,
        text=text.strip(),
        created_at=now,
        corrects=corrects,
        correction_reason=correction_reason.strip(),
    )
    label = NOTE_CATEGORY_LABELS[NoteCategory(category)]
    title = f"Korekta notatki ({label})" if corrects else f"Notatka: {label}"
    _timeline(
        case, KIND, title, note.text[:500], occurred_on, user, (selectors.NOTE_SOURCE, note.pk)
    )
    return note


# ------------------------------------------------------------------ visits


@transaction.atomic
def visit_plan(
    *,
    case: Case,
    worker: Any,
    planned_on: date,
    purpose: str,
    user: Any,
    today: date,
    planned_time: time | None = None,
) -> Visit:
    errors: dict[str, list[str]] = {}
    if planned_on < today:
        errors["planned_on"] = ["Wizyty nie można zaplanować w przeszłości — zapisz notatkę."]
    if not purpose.strip():
        errors["purpose"] = ["Podaj cel wizyty."]
    if errors:
        raise ValidationFailed(errors)
    return Visit.objects.create(
        case=case,
        worker=worker,
        planned_on=planned_on,
        planned_time=planned_time,
        purpose=purpose.strip(),
        created_by=user,
    )


@transaction.atomic
def visit_record(
    *, visit: Visit, occurred_on: date, text: str, user: Any, now: datetime, expected_version: int
) -> CaseNote:
    """Record the outcome: the note is written and the visit closed, in one step."""
    if visit.status != VisitStatus.PLANNED:
        raise DomainError("Ta wizyta jest już zamknięta.")
    note = note_add(
        case=visit.case,
        user=user,
        category=NoteCategory.VISIT,
        occurred_on=occurred_on,
        text=f"Wizyta — {visit.purpose}\n\n{text}",
        now=now,
    )
    visit.status = VisitStatus.DONE
    visit.outcome_note = note
    save_versioned(visit, expected_version=expected_version)
    return note


@transaction.atomic
def visit_cancel(*, visit: Visit, reason: str, expected_version: int) -> Visit:
    if visit.status != VisitStatus.PLANNED:
        raise DomainError("Ta wizyta jest już zamknięta.")
    if not reason.strip():
        raise ValidationFailed({"cancel_reason": ["Podaj powód odwołania wizyty."]})
    visit.status = VisitStatus.CANCELLED
    visit.cancel_reason = reason.strip()
    save_versioned(visit, expected_version=expected_version)
    return visit


# ------------------------------------------------------------------ social contract

_ACTION_LINE = re.compile(r"^(?P<text>.*?)(?:\s*[|;]\s*(?P<due>\d{4}-\d{2}-\d{2}))?\s*$")


@dataclass(frozen=True)
class ActionLine:
    description: str
    due_on: date | None


def parse_actions(text: str, *, field: str) -> list[ActionLine]:
    """One action per line, optionally ``| RRRR-MM-DD`` (deadline) at the end."""
    lines: list[ActionLine] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        raw = raw.strip().lstrip("-•").strip()
        if not raw:
            continue
        m = _ACTION_LINE.match(raw)
        assert m is not None
        due = None
        if m.group("due"):
            try:
                due = date.fromisoformat(m.group("due"))
            except ValueError as exc:
                raise ValidationFailed(
                    {field: [f"Wiersz {n}: nieprawidłowa data terminu."]}
                ) from exc
        lines.append(ActionLine(description=m.group("text").strip(), due_on=due))
    return lines


def parse_dates(text: str, *, field: str) -> list[date]:
    out = []
    for token in re.split(r"[\s,;]+", text.strip()):
        if not token:
            continue
        try:
            out.append(date.fromisoformat(token))
        except ValueError as exc:
            raise ValidationFailed({field: [f"Nieprawidłowa data: {token} (RRRR-MM-DD)."]}) from exc
    return sorted(set(out))


CONTENT_FIELDS = (
    "kind",
    "situation",
    "causes",
    "strengths",
    "limitations",
    "main_goal",
    "specific_goals",
    "expected_effects",
    "other_terms",
    "valid_from",
    "valid_to",
)


Actions = str | Sequence[ActionLine]  # "text | RRRR-MM-DD" lines (API) or rows (the form)
ReviewDates = str | Sequence[date]


def _action_lines(value: Actions, *, field: str) -> list[ActionLine]:
    if isinstance(value, str):
        return parse_actions(value, field=field)
    return [line for line in value if line.description.strip()]


def _review_dates(value: ReviewDates) -> list[date]:
    if isinstance(value, str):
        return parse_dates(value, field="review_dates")
    return sorted(set(value))


def _write_actions(
    contract: SocialContract, person: Actions, worker: Actions, other: Actions = ""
) -> None:
    ContractAction.objects.filter(contract=contract, annex__isnull=True).delete()
    pos = 0
    for party, text in (
        (ActionParty.PERSON, person),
        (ActionParty.WORKER, worker),
        (ActionParty.OTHER, other),
    ):
        for line in _action_lines(text, field=f"actions_{party}"):
            pos += 1
            ContractAction.objects.create(
                contract=contract,
                party=party,
                description=line.description,
                due_on=line.due_on,
                position=pos,
            )


def _write_reviews(contract: SocialContract, review_dates: list[date]) -> None:
    ContractReview.objects.filter(contract=contract, held_on__isnull=True).delete()
    for d in review_dates:
        ContractReview.objects.create(contract=contract, due_on=d)


@transaction.atomic
def contract_draft(
    *,
    case: Case,
    person: Any,
    user: Any,
    data: dict[str, Any],
    actions_person: Actions = "",
    actions_worker: Actions = "",
    actions_other: Actions = "",
    review_dates: ReviewDates = "",
) -> SocialContract:
    contract = SocialContract(case=case, person=person, worker=case.worker or user, created_by=user)
    for f in CONTENT_FIELDS:
        if f in data:
            setattr(contract, f, data[f])
    dates = _review_dates(review_dates)
    contract.save()
    _write_actions(contract, actions_person, actions_worker, actions_other)
    _write_reviews(contract, dates)
    return contract


@transaction.atomic
def contract_update(
    *,
    contract: SocialContract,
    data: dict[str, Any],
    expected_version: int,
    actions_person: Actions = "",
    actions_worker: Actions = "",
    actions_other: Actions = "",
    review_dates: ReviewDates = "",
    person: Any = None,
) -> SocialContract:
    if not contract_content_editable(status=contract.status):
        raise DomainError("Kontrakt jest podpisany — zmiany wprowadza się aneksem.")
    for f in CONTENT_FIELDS:
        if f in data:
            setattr(contract, f, data[f])
    if person is not None:
        contract.person = person
    dates = _review_dates(review_dates)
    save_versioned(contract, expected_version=expected_version)
    _write_actions(contract, actions_person, actions_worker, actions_other)
    _write_reviews(contract, dates)
    return contract


@transaction.atomic
def contract_sign(
    *,
    contract: SocialContract,
    worker_signed_on: date | None,
    person_signed_on: date | None,
    consequences_explained: bool,
    user: Any,
    today: date,
    expected_version: int,
) -> SocialContract:
    """Both parties signed: the content freezes (art. 108 u.p.s.)."""
    if not contract_can_move(current=contract.status, target=ContractStatus.SIGNED):
        raise DomainError("Ten kontrakt nie jest projektem — nie można go podpisać ponownie.")
    actions = list(contract.actions.filter(annex__isnull=True))
    errors = contract_readiness_errors(
        ContractDraft(
            situation=contract.situation,
            main_goal=contract.main_goal,
            valid_from=contract.valid_from,
            valid_to=contract.valid_to,
            person_actions=sum(a.party == ActionParty.PERSON for a in actions),
            worker_actions=sum(a.party == ActionParty.WORKER for a in actions),
        )
    )
    errors.update(
        signature_errors(
            worker_signed_on=worker_signed_on, person_signed_on=person_signed_on, today=today
        )
    )
    if not consequences_explained:
        errors["consequences_explained"] = [
            "Pouczenie o skutkach niedotrzymania kontraktu (art. 11 ust. 2 u.p.s.) jest wymagane."
        ]
    if errors:
        raise ValidationFailed(errors)
    contract.status = ContractStatus.SIGNED
    contract.worker_signed_on = worker_signed_on
    contract.person_signed_on = person_signed_on
    contract.person_signed_name = contract.person.full_name
    contract.consequences_explained = True
    contract.signature_recorded_by = user
    save_versioned(contract, expected_version=expected_version)
    signed_on = max(d for d in (worker_signed_on, person_signed_on) if d)
    _timeline(
        contract.case,
        KIND,
        "Zawarto kontrakt socjalny",
        f"{contract.person.full_name}: {contract.main_goal[:300]}",
        signed_on,
        user,
        ("socialwork.contract", contract.pk),
    )
    return contract


@transaction.atomic
def contract_review_record(
    *, review: ContractReview, held_on: date, findings: str, user: Any, today: date
) -> ContractReview:
    if review.held_on is not None:
        raise DomainError("Ten przegląd został już zapisany.")
    if review.contract.status != ContractStatus.SIGNED:
        raise DomainError("Przegląd dotyczy kontraktu w realizacji.")
    errors: dict[str, list[str]] = {}
    if held_on > today:
        errors["held_on"] = ["Data przeglądu nie może być z przyszłości."]
    if not findings.strip():
        errors["findings"] = ["Wpisz ustalenia przeglądu."]
    if errors:
        raise ValidationFailed(errors)
    review.held_on = held_on
    review.findings = findings.strip()
    review.held_by = user
    review.save()
    return review


@transaction.atomic
def contract_review_plan(*, contract: SocialContract, due_on: date) -> ContractReview:
    if contract.status != ContractStatus.SIGNED:
        raise DomainError("Przeglądy planuje się dla kontraktu w realizacji.")
    return ContractReview.objects.create(contract=contract, due_on=due_on)


@transaction.atomic
def contract_breach_record(
    *, contract: SocialContract, occurred_on: date, description: str, user: Any, today: date
) -> ContractBreach:
    """Record a breach; it is flagged on the case panel and via ``contract_breaches``."""
    if contract.status != ContractStatus.SIGNED:
        raise DomainError("Naruszenie odnotowuje się dla kontraktu w realizacji.")
    errors: dict[str, list[str]] = {}
    if occurred_on > today:
        errors["occurred_on"] = ["Data naruszenia nie może być z przyszłości."]
    if not description.strip():
        errors["description"] = ["Opisz, na czym polegało naruszenie."]
    if errors:
        raise ValidationFailed(errors)
    breach = ContractBreach.objects.create(
        contract=contract,
        occurred_on=occurred_on,
        description=description.strip(),
        recorded_by=user,
    )
    _timeline(
        contract.case,
        KIND,
        "Naruszenie kontraktu socjalnego",
        f"{breach.description[:300]}\n{BREACH_CONSEQUENCES}",
        occurred_on,
        user,
        ("socialwork.breach", breach.pk),
    )
    return breach


@transaction.atomic
def contract_close(
    *,
    contract: SocialContract,
    outcome: str,
    ended_on: date,
    evaluation: str,
    reason: str,
    user: Any,
    expected_version: int,
) -> SocialContract:
    if outcome not in (
        ContractStatus.COMPLETED,
        ContractStatus.TERMINATED,
    ) or not contract_can_move(current=contract.status, target=outcome):
        raise DomainError("Zakończyć można tylko kontrakt w realizacji.")
    errors: dict[str, list[str]] = {}
    if not evaluation.strip():
        errors["evaluation"] = ["Wpisz ocenę realizacji kontraktu."]
    if outcome == ContractStatus.TERMINATED and not reason.strip():
        errors["reason"] = ["Podaj powód rozwiązania kontraktu przed terminem."]
    if errors:
        raise ValidationFailed(errors)
    contract.status = outcome
    contract.ended_on = ended_on
    contract.evaluation = evaluation.strip()
    contract.end_reason = reason.strip()
    save_versioned(contract, expected_version=expected_version)
    title = (
        "Kontrakt socjalny zrealizowany"
        if outcome == ContractStatus.COMPLETED
        else ("Kontrakt socjalny rozwiązany przed terminem")
    )
    _timeline(
        contract.case,
        KIND,
        title,
        contract.evaluation[:300],
        ended_on,
        user,
        ("socialwork.contract_end", contract.pk),
    )
    return contract


ANNEX_CONFLICT = (
    "Ktoś inny zmienił ten kontrakt (zapisał aneks) po otwarciu strony — odśwież stronę, "
    "sprawdź aneksy i wprowadź swój ponownie. Nic nie zostało zapisane."
)


@transaction.atomic
def contract_annex_add(
    *,
    contract: SocialContract,
    changes: str,
    new_valid_to: date | None,
    worker_signed_on: date | None,
    person_signed_on: date | None,
    actions_person: Actions,
    actions_worker: Actions,
    user: Any,
    today: date,
    actions_other: Actions = "",
    expected_version: int | None = None,
) -> ContractAnnex:
    """A change of a signed contract: a new signed record linked to it (the original stays).

    Actions come as rows (the form) or as "text | RRRR-MM-DD" lines (the API). The annex
    number is taken under the contract's row lock (``expected_version``: the version the page
    was read at); two annexes saved at once end in :data:`ANNEX_CONFLICT`, never in a
    duplicate number or a server error."""
    if contract.status != ContractStatus.SIGNED:
        raise DomainError("Aneks można zawrzeć tylko do kontraktu w realizacji.")
    errors = signature_errors(
        worker_signed_on=worker_signed_on, person_signed_on=person_signed_on, today=today
    )
    if not changes.strip():
        errors["changes"] = ["Opisz zmiany wprowadzane aneksem."]
    if new_valid_to is not None and contract.valid_from and new_valid_to < contract.valid_from:
        errors["new_valid_to"] = ["Nowy termin nie może być przed początkiem kontraktu."]
    if errors:
        raise ValidationFailed(errors)
    if expected_version is not None:
        try:
            save_versioned(contract, expected_version=expected_version)
        except ConflictError:
            raise ConflictError(ANNEX_CONFLICT) from None
    else:
        SocialContract.objects.select_for_update().filter(pk=contract.pk).first()
    number = contract.annexes.count() + 1
    try:
        with transaction.atomic():
            annex = ContractAnnex.objects.create(
                contract=contract,
                number=number,
                changes=changes.strip(),
                new_valid_to=new_valid_to,
                worker_signed_on=worker_signed_on,
                person_signed_on=person_signed_on,
                created_by=user,
            )
    except IntegrityError:
        raise ConflictError(ANNEX_CONFLICT) from None
    pos = 1000 + number * 100
    for party, text in (
        (ActionParty.PERSON, actions_person),
        (ActionParty.WORKER, actions_worker),
        (ActionParty.OTHER, actions_other),
    ):
        for line in _action_lines(text, field=f"actions_{party}"):
            pos += 1
            ContractAction.objects.create(
                contract=contract,
                annex=annex,
                party=party,
                description=line.description,
                due_on=line.due_on,
                position=pos,
            )
    _timeline(
        contract.case,
        KIND,
        f"Aneks nr {number} do kontraktu socjalnego",
        annex.changes[:300],
        max(worker_signed_on, person_signed_on),
        user,
        ("socialwork.annex", annex.pk),
    )
    return annex


# ------------------------------------------------------------------ assistance plans


@transaction.atomic
@dataclass(frozen=True)
class PlanActionLine:
    """One action of an assistance plan as a form row: what, who, by when."""

    description: str
    responsible: str
    due_on: date | None


PlanActions = str | Sequence[PlanActionLine]  # "działanie — kto | RRRR-MM-DD" lines or rows


def _plan_action_lines(value: PlanActions) -> list[PlanActionLine]:
    if not isinstance(value, str):
        return [x for x in value if x.description.strip()]
    out = []
    for line in parse_actions(value, field="actions"):
        desc, _, who = line.description.partition(" — ")
        out.append(PlanActionLine(description=desc, responsible=who, due_on=line.due_on))
    return out


def plan_create(
    *,
    case: Case,
    user: Any,
    kind: str,
    title: str,
    goals: str,
    valid_from: date,
    valid_to: date | None,
    next_review_on: date | None,
    actions: PlanActions,
) -> AssistancePlan:
    """A plan with its actions: rows from the form (issue 17) or text lines (older callers)."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Podaj tytuł planu."]
    if not goals.strip():
        errors["goals"] = ["Wpisz cele planu."]
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = ["Koniec planu nie może być przed jego początkiem."]
    if errors:
        raise ValidationFailed(errors)
    plan = AssistancePlan.objects.create(
        case=case,
        kind=kind,
        title=title.strip(),
        goals=goals.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        next_review_on=next_review_on,
        created_by=user,
    )
    for line in _plan_action_lines(actions):
        PlanAction.objects.create(
            plan=plan,
            description=line.description.strip(),
            responsible=line.responsible.strip() or "osoba/rodzina",
            due_on=line.due_on,
        )
    _timeline(
        case,
        KIND,
        f"Plan: {plan.title}",
        plan.goals[:300],
        valid_from,
        user,
        ("socialwork.plan", plan.pk),
    )
    return plan


@transaction.atomic
def plan_review_add(
    *,
    plan: AssistancePlan,
    held_on: date,
    findings: str,
    next_review_on: date | None,
    close_as: str,
    user: Any,
    today: date,
    expected_version: int,
) -> PlanReview:
    if plan.status != PlanStatus.ACTIVE:
        raise DomainError("Plan jest zakończony.")
    errors: dict[str, list[str]] = {}
    if held_on > today:
        errors["held_on"] = ["Data przeglądu nie może być z przyszłości."]
    if not findings.strip():
        errors["findings"] = ["Wpisz ocenę postępów."]
    if errors:
        raise ValidationFailed(errors)
    review = PlanReview.objects.create(
        plan=plan, held_on=held_on, findings=findings.strip(), held_by=user
    )
    plan.next_review_on = next_review_on
    if close_as in (PlanStatus.ACHIEVED, PlanStatus.ENDED):
        plan.status = close_as
    save_versioned(plan, expected_version=expected_version)
    return review


# ------------------------------------------------------------------ protected records


@transaction.atomic
def case_protect(
    *,
    case: Case,
    protected: bool,
    reason: str,
    user: Any,
    now: datetime,
    remote_addr: str | None = None,
) -> ProtectionChange:
    """The head marks a case protected (or lifts it), with a reason; audited.

    The flag belongs to the cases context (``case_set_protected`` sets it and writes the one
    timeline entry); social work keeps the history of changes with their reasons.
    """
    if not user.has_perm("socialwork.protect_case", case):
        raise NotPermitted("Sprawę chronioną oznacza kierownik jednostki.")
    if not reason.strip():
        raise ValidationFailed({"reason": ["Podaj powód (np. procedura „Niebieska Karta”)."]})
    if selectors.case_protected(case=case) == protected:
        raise DomainError("Sprawa już ma taki status ochrony.")
    change = ProtectionChange.objects.create(
        case=case, protected=protected, reason=reason.strip(), changed_by=user, changed_at=now
    )
    cases_services.case_set_protected(
        case=case, protected=protected, reason=reason.strip(), user=user, now=now
    )
    access_record(
        user=user,
        obj=case,
        remote_addr=remote_addr,
        reason=reason.strip(),
        extra={"protection": "on" if protected else "off"},
    )
    return change


@transaction.atomic
def break_glass_open(
    *, case: Case, user: Any, reason: str, now: datetime, remote_addr: str | None = None
) -> BreakGlassGrant:
    """Open a protected case on a stated reason: audited, shown to the head, time-limited."""
    errors = break_glass_errors(reason=reason)
    if errors:
        raise ValidationFailed(errors)
    grant = BreakGlassGrant.objects.create(
        case=case,
        user=user,
        reason=reason.strip(),
        granted_at=now,
        expires_at=now + timedelta(minutes=BREAK_GLASS_MINUTES),
        remote_addr=remote_addr,
    )
    access_record(
        user=user,
        obj=case,
        remote_addr=remote_addr,
        reason=reason.strip(),
        extra={"break_glass": True, "grant_id": grant.pk},
    )
    return grant


def access_refused(*, case: Case, user: Any, remote_addr: str | None = None) -> None:
    """A refused attempt on a protected case is audited too (in its own transaction)."""
    with transaction.atomic():
        access_record(
            user=user, obj=case, remote_addr=remote_addr, refused=True, extra={"protected": True}
        )


# ------------------------------------------------------------------ reassignment


@transaction.atomic
def case_reassign(
    *,
    case: Case,
    worker: Any,
    kind: str,
    starts_on: date | None,
    ends_on: date | None,
    reason: str,
    user: Any,
    now: datetime,
) -> CaseAssignment:
    """Hand a case over: permanently (through the cases service that owns the assignment) or as
    cover for a period — the history is kept here either way."""
    if not user.has_perm("socialwork.reassign_case", case):
        raise NotPermitted("Sprawy przydziela kierownik jednostki.")
    errors = assignment_errors(
        kind=kind, starts_on=starts_on, ends_on=ends_on, same_worker=worker.pk == case.worker_id
    )
    if not reason.strip():
        errors["reason"] = ["Podaj powód (np. urlop, zmiana rejonu)."]
    staff = getattr(worker, "staff", None)
    if staff is None or staff.unit_id != case.unit_id:
        # Cover stays inside the case's unit: the unit scope is the only scope rule.
        errors["worker"] = ["Zastępca musi należeć do jednostki sprawy."]
    if errors:
        raise ValidationFailed(errors)
    assignment = CaseAssignment.objects.create(
        case=case,
        worker=worker,
        previous_worker=case.worker,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip(),
        assigned_by=user,
    )
    if selectors.case_protected(case=case):
        # Who may read a protected case changes: audited with the head's reason.
        access_record(
            user=user,
            obj=case,
            reason=reason.strip(),
            extra={
                "protected": True,
                "assignment": str(kind),
                "assignment_id": assignment.pk,
                "worker_id": worker.pk,
            },
        )
    if kind == AssignmentKind.PERMANENT:
        cases_services.case_assign(
            case=case, worker=worker, expected_version=case.version, user=user, now=now
        )
    else:
        cases_services.timeline_record(
            case=case,
            kind="sprawa",
            title="Zastępstwo w sprawie",
            detail=f"{worker.get_full_name()} od {starts_on} do {ends_on} ({reason.strip()})",
            occurred_at=_noon(starts_on),
            actor=user,
            source=("socialwork.assignment", assignment.pk),
        )
    return assignment

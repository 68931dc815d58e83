"""The rules of social work as pure functions (no database): note categories, the correction
chain, the social contract's life cycle and the protected-record access rule.

Kept apart from models and services so each rule can be tested on its own and named after the
provision it implements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

# --- Chronology (praca socjalna, art. 45 u.p.s.; notes are part of the case file) --------------


class NoteCategory(StrEnum):
    VISIT = "wizyta"
    CONVERSATION = "rozmowa"
    PHONE = "telefon"
    LETTER = "pismo"
    CONSULTATION = "konsultacja"
    SOCIAL_WORK = "praca_socjalna"

    @property
    def label(self) -> str:
        return NOTE_CATEGORY_LABELS[self]


NOTE_CATEGORY_LABELS: dict[NoteCategory, str] = {
    NoteCategory.VISIT: "wizyta (w miejscu zamieszkania)",
    NoteCategory.CONVERSATION: "rozmowa",
    NoteCategory.PHONE: "telefon",
    NoteCategory.LETTER: "pismo",
    NoteCategory.CONSULTATION: "konsultacja",
    NoteCategory.SOCIAL_WORK: "praca socjalna",
}
NOTE_CATEGORY_CHOICES = [(c.value, c.label) for c in NoteCategory]


def note_dates_errors(*, occurred_on: date, today: date) -> dict[str, list[str]]:
    """A note records something that happened: the event date may not be in the future."""
    if occurred_on > today:
        return {"occurred_on": ["Data zdarzenia nie może być późniejsza niż dzisiejsza."]}
    return {}


def correction_errors(*, already_corrected: bool, same_case: bool) -> dict[str, list[str]]:
    """The correction chain: a note is corrected by a new note pointing at it, never edited.

    Only the latest version may be corrected (a corrected note already has its successor —
    correct that one), so the versions of one note form a single chain, not a tree.
    """
    errors: dict[str, list[str]] = {}
    if already_corrected:
        errors["corrects"] = [
            "Ta notatka ma już korektę — skoryguj najnowszą wersję, nie pierwotną."
        ]
    if not same_case:
        errors.setdefault("corrects", []).append(
            "Korekta musi dotyczyć notatki z tej samej sprawy."
        )
    return errors


# --- Visits -------------------------------------------------------------------------------------


class VisitStatus(StrEnum):
    PLANNED = "zaplanowana"
    DONE = "odbyta"
    CANCELLED = "odwolana"


VISIT_STATUS_LABELS = {
    VisitStatus.PLANNED: "zaplanowana",
    VisitStatus.DONE: "odbyta",
    VisitStatus.CANCELLED: "odwołana",
}


def visit_overdue(*, status: str, planned_on: date, today: date) -> bool:
    """A planned visit whose day has passed without a recorded outcome."""
    return status == VisitStatus.PLANNED and planned_on < today


# --- Social contract (kontrakt socjalny, art. 108 u.p.s.; wzór: rozp. MPiPS z 8 XI 2010,
#     Dz.U. 2010 nr 218 poz. 1439) ------------------------------------------------------------


class ContractKind(StrEnum):
    # part I A / II A of the form: solving a difficult life situation
    DIFFICULT_SITUATION = "A"
    # part I B / II B: strengthening activity and independence / preventing social exclusion
    ACTIVATION = "B"


CONTRACT_KIND_LABELS = {
    ContractKind.DIFFICULT_SITUATION: (
        "A — współdziałanie osoby/rodziny i pracownika socjalnego w rozwiązywaniu trudnej "
        "sytuacji życiowej"
    ),
    ContractKind.ACTIVATION: (
        "B — wzmocnienie aktywności i samodzielności życiowej, zawodowej lub przeciwdziałanie "
        "wykluczeniu społecznemu"
    ),
}


class ContractStatus(StrEnum):
    DRAFT = "projekt"
    SIGNED = "zawarty"
    COMPLETED = "zrealizowany"
    TERMINATED = "rozwiazany"


CONTRACT_STATUS_LABELS = {
    ContractStatus.DRAFT: "projekt (niepodpisany)",
    ContractStatus.SIGNED: "zawarty — w realizacji",
    ContractStatus.COMPLETED: "zrealizowany",
    ContractStatus.TERMINATED: "rozwiązany przed terminem",
}

# Transitions of the contract's life: drafting → signing (both parties) → completion or early
# termination. Nothing returns to the draft: a change after signing is an annex (a new record).
CONTRACT_TRANSITIONS: dict[ContractStatus, frozenset[ContractStatus]] = {
    ContractStatus.DRAFT: frozenset({ContractStatus.SIGNED}),
    ContractStatus.SIGNED: frozenset({ContractStatus.COMPLETED, ContractStatus.TERMINATED}),
    ContractStatus.COMPLETED: frozenset(),
    ContractStatus.TERMINATED: frozenset(),
}

# The content the parties sign; frozen from the moment of signing.
CONTRACT_CONTENT_FIELDS = (
    "kind",
    "person_id",
    "situation",
    "causes",
    "strengths",
    "limitations",
    "main_goal",
    "specific_goals",
    "expected_effects",
    "valid_from",
    "valid_to",
    "other_terms",
)


def contract_can_move(*, current: str, target: str) -> bool:
    return ContractStatus(target) in CONTRACT_TRANSITIONS[ContractStatus(current)]


def contract_content_editable(*, status: str) -> bool:
    """Only a draft may be changed; a signed contract changes only by an annex (art. 108)."""
    return status == ContractStatus.DRAFT


@dataclass(frozen=True)
class ContractDraft:
    """What the form holds before signing, as the readiness check sees it."""

    situation: str
    main_goal: str
    valid_from: date | None
    valid_to: date | None
    person_actions: int
    worker_actions: int


def contract_readiness_errors(draft: ContractDraft) -> dict[str, list[str]]:
    """What the model form requires before the parties may sign (rozp. z 8 XI 2010, załącznik)."""
    errors: dict[str, list[str]] = {}
    if not draft.situation.strip():
        errors["situation"] = ["Opisz ocenę sytuacji osoby/rodziny (część I kontraktu)."]
    if not draft.main_goal.strip():
        errors["main_goal"] = ["Wpisz cel główny kontraktu."]
    if draft.valid_from is None or draft.valid_to is None:
        errors["valid_to"] = ["Podaj okres obowiązywania kontraktu (od – do)."]
    elif draft.valid_to < draft.valid_from:
        errors["valid_to"] = ["Koniec okresu kontraktu nie może być przed jego początkiem."]
    if draft.person_actions == 0:
        errors["actions"] = ["Kontrakt musi określać działania osoby/rodziny (część II)."]
    if draft.worker_actions == 0:
        errors.setdefault("actions", []).append(
            "Kontrakt musi określać działania pracownika socjalnego/ośrodka (część II)."
        )
    return errors


def signature_errors(
    *, worker_signed_on: date | None, person_signed_on: date | None, today: date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if worker_signed_on is None:
        errors["worker_signed_on"] = ["Podaj datę podpisu pracownika socjalnego."]
    elif worker_signed_on > today:
        errors["worker_signed_on"] = ["Data podpisu nie może być z przyszłości."]
    if person_signed_on is None:
        errors["person_signed_on"] = ["Podaj datę podpisu osoby zawierającej kontrakt."]
    elif person_signed_on > today:
        errors["person_signed_on"] = ["Data podpisu nie może być z przyszłości."]
    return errors


def review_overdue(*, due_on: date, held_on: date | None, today: date) -> bool:
    return held_on is None and due_on < today


BREACH_CONSEQUENCES = (
    "Art. 11 ust. 2 u.p.s.: nieprzestrzeganie postanowień kontraktu socjalnego może stanowić "
    "podstawę odmowy przyznania świadczenia, uchylenia decyzji o przyznaniu świadczenia albo "
    "wstrzymania świadczeń pieniężnych."
)


# --- Assistance plans ---------------------------------------------------------------------------


class PlanKind(StrEnum):
    SUPPORT = "plan_pomocy"
    HOMELESSNESS = "ipwzb"  # indywidualny program wychodzenia z bezdomności, art. 49 u.p.s.
    INDEPENDENCE = "usamodzielnienie"  # indywidualny program usamodzielnienia, art. 88 u.p.s.
    INTEGRATION = "integracja"  # indywidualny program integracji (cudzoziemcy), art. 93 u.p.s.
    OTHER = "inny"


PLAN_KIND_LABELS = {
    PlanKind.SUPPORT: "plan pomocy rodzinie (praca socjalna)",
    PlanKind.HOMELESSNESS: "indywidualny program wychodzenia z bezdomności (art. 49 u.p.s.)",
    PlanKind.INDEPENDENCE: "indywidualny program usamodzielnienia (art. 88 u.p.s.)",
    PlanKind.INTEGRATION: "indywidualny program integracji (art. 93 u.p.s.)",
    PlanKind.OTHER: "inny plan lub program",
}


class PlanStatus(StrEnum):
    ACTIVE = "w_realizacji"
    ACHIEVED = "zrealizowany"
    ENDED = "zakonczony"


PLAN_STATUS_LABELS = {
    PlanStatus.ACTIVE: "w realizacji",
    PlanStatus.ACHIEVED: "zrealizowany",
    PlanStatus.ENDED: "zakończony bez realizacji",
}


# --- Protected records (art. 100 u.p.s.; RODO art. 9 — e.g. Niebieska Karta) -------------------


class Access(StrEnum):
    OPEN = "open"  # the case is not protected: the ordinary unit scope decides
    ASSIGNED = "assigned"  # an assigned worker (incl. active cover) of a protected case
    HEAD = "head"  # the head of the case's unit (or a unit above it)
    GRANTED = "granted"  # break-glass: a reason was given and the grant has not expired
    NEEDS_REASON = "needs_reason"  # anyone else: refused until a reason is given


def protected_access(
    *,
    protected: bool,
    is_assigned: bool,
    is_head_of_case_unit: bool,
    grant_expires_at: datetime | None,
    now: datetime,
) -> Access:
    """Who sees the notes of a protected case (art. 100 ust. 2 and 7 u.p.s. — need to know).

    Only its assigned workers and their head see a protected case; anyone else — a colleague in
    the same district, the director — must state a reason (break-glass), which is audited.
    """
    if not protected:
        return Access.OPEN
    if is_assigned:
        return Access.ASSIGNED
    if is_head_of_case_unit:
        return Access.HEAD
    if grant_expires_at is not None and grant_expires_at > now:
        return Access.GRANTED
    return Access.NEEDS_REASON


def may_read(access: Access) -> bool:
    return access is not Access.NEEDS_REASON


BREAK_GLASS_MINUTES = 60
MIN_REASON_LENGTH = 15
# A reason is a sentence, not a keystroke: at least this many different words of 3+ letters,
# each made of at least two different letters ("aaaaaaaaaa", "test test test", "aaa bbb ccc"
# are refused).
MIN_REASON_WORDS = 3
_WORD = re.compile(r"[^\W\d_]{3,}")


def _meaningful_words(reason: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(reason) if len(set(w.casefold())) >= 2}


def break_glass_errors(*, reason: str) -> dict[str, list[str]]:
    text = reason.strip()
    if len(text) < MIN_REASON_LENGTH or len(_meaningful_words(text)) < MIN_REASON_WORDS:
        return {
            "reason": [
                "Podaj konkretny powód otwarcia sprawy chronionej — zdanie z co najmniej "
                f"{MIN_REASON_WORDS} różnymi słowami (co najmniej {MIN_REASON_LENGTH} znaków), "
                "np. „interwencja policji, pracownik prowadzący na urlopie”. Powód zostanie "
                "zapisany w dzienniku i od razu pokazany kierownikowi."
            ]
        }
    return {}


# --- Caseload and reassignment ------------------------------------------------------------------


class AssignmentKind(StrEnum):
    PERMANENT = "stale"
    COVER = "zastepstwo"


ASSIGNMENT_KIND_LABELS = {
    AssignmentKind.PERMANENT: "przekazanie na stałe",
    AssignmentKind.COVER: "zastępstwo (czasowe)",
}


def assignment_errors(
    *, kind: str, starts_on: date | None, ends_on: date | None, same_worker: bool
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if same_worker:
        errors["worker"] = ["Sprawa jest już przydzielona temu pracownikowi."]
    if starts_on is None:
        errors["starts_on"] = ["Podaj datę rozpoczęcia."]
    if kind == AssignmentKind.COVER:
        if ends_on is None:
            errors["ends_on"] = ["Zastępstwo musi mieć datę końcową."]
        elif starts_on is not None and ends_on < starts_on:
            errors["ends_on"] = ["Koniec zastępstwa nie może być przed jego początkiem."]
    elif ends_on is not None:
        errors["ends_on"] = ["Przekazanie na stałe nie ma daty końcowej."]
    return errors


def assignment_active(*, starts_on: date, ends_on: date | None, on: date) -> bool:
    return starts_on <= on and (ends_on is None or on <= ends_on)


def age_on(birth_date: date, on: date) -> int:
    """Completed years on ``on``; a birthday on 29 February completes the year on 1 March
    (art. 112 k.c.: the year ends on the day before the anniversary)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def is_adult(birth_date: date | None, on: date, adult_age: int) -> bool:
    """``adult_age`` comes from the parameter store (``pelnoletnosc``, art. 10 § 1 k.c.);
    an unknown birth date is not treated as adult."""
    return birth_date is not None and age_on(birth_date, on) >= adult_age

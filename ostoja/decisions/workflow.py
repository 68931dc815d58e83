"""The decision's life as a pure state machine (no database).

projekt → sprawdzona (kierownik, not the drafter) → podpisana (an authorisation covering the
matter on the signing day) → wysłana → doręczona → ostateczna, or → odwołanie → zakończona.
A checked decision may be returned to the drafter (projekt). Every allowed move is listed here;
anything else is refused with a Polish message saying why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ostoja.decisions.choices import DecisionStatus as S
from ostoja.org.status import AuthorisationStatus, AuthorisationTerms, authorisation_status


class Action(StrEnum):
    CHECK = "sprawdz"
    RETURN = "zwroc"
    SIGN = "podpisz"
    SEND = "wyslij"
    DELIVER = "doreczenie"
    FINALISE = "ostatecznosc"
    APPEAL = "odwolanie"
    WAIVE = "zrzeczenie"
    CLOSE = "rozstrzygniecie"


ACTION_LABELS: dict[Action, str] = {
    Action.CHECK: "Sprawdź",
    Action.RETURN: "Zwróć do poprawy",
    Action.SIGN: "Podpisz",
    Action.SEND: "Wyślij",
    Action.DELIVER: "Zarejestruj doręczenie",
    Action.FINALISE: "Stwierdź ostateczność",
    Action.APPEAL: "Zarejestruj odwołanie",
    Action.WAIVE: "Zarejestruj zrzeczenie się odwołania",
    Action.CLOSE: "Rozstrzygnięcie odwołania",
}

TRANSITIONS: dict[tuple[str, Action], str] = {
    (S.DRAFTED, Action.CHECK): S.CHECKED,
    (S.CHECKED, Action.RETURN): S.DRAFTED,
    (S.CHECKED, Action.SIGN): S.SIGNED,
    (S.SIGNED, Action.SEND): S.SENT,
    (S.SIGNED, Action.DELIVER): S.DELIVERED,  # handed over in person at the centre
    (S.SENT, Action.DELIVER): S.DELIVERED,
    (S.DELIVERED, Action.FINALISE): S.FINAL,
    (S.DELIVERED, Action.APPEAL): S.APPEALED,
    # Art. 127a § 2 KPA: final on the day the organ receives the party's waiver.
    (S.DELIVERED, Action.WAIVE): S.FINAL,
    (S.APPEALED, Action.CLOSE): S.CLOSED,
}

EDITABLE = frozenset({S.DRAFTED})
SIGNED_OR_LATER = frozenset({S.SIGNED, S.SENT, S.DELIVERED, S.FINAL, S.APPEALED, S.CLOSED})


# Once delivered, rygor natychmiastowej wykonalności (art. 108 § 1 KPA) makes the decision
# executable even while an appeal runs (art. 130 § 3 pkt 1 KPA).
DELIVERED_OR_LATER = frozenset({S.DELIVERED, S.FINAL, S.APPEALED, S.CLOSED})


@dataclass(frozen=True, slots=True)
class Payability:
    """Whether a decision can be executed (paid), from when, and — when not — why (Polish)."""

    enforceable_from: date | None
    reason: str = ""
    expected_on: date | None = None  # the earliest day it may become enforceable, when known


def _pl(d: date | None) -> str:
    return d.strftime("%d.%m.%Y") if d else "—"


def payability(
    *,
    status: str,
    immediate: bool,
    delivered_on: date | None,
    final_on: date | None,
    appeal_deadline: date | None = None,
    appeal_waived_on: date | None = None,
) -> Payability:
    """Art. 130 KPA: a decision is executed only when final (art. 16 § 1; art. 127a § 2 after a
    waiver of the appeal) or, once delivered (art. 110 § 1), when it carries rygor natychmiastowej
    wykonalności (art. 108 § 1, art. 130 § 3 pkt 1). Signed or sent is not enough; a delivered
    decision waits for the appeal period; an appeal stops execution (art. 130 § 2).

    A decision with status „doręczona” whose appeal period has passed is still held until a
    worker records its finality: an appeal posted on the last day (art. 57 § 5 KPA) may arrive
    later, so the system never assumes there was none."""
    if immediate and status in DELIVERED_OR_LATER and delivered_on is not None:
        return Payability(delivered_on)
    if status in (S.FINAL, S.CLOSED) and final_on is not None:
        return Payability(appeal_waived_on or final_on)
    if status in (S.DRAFTED, S.CHECKED):
        return Payability(None, "projekt decyzji — niepodpisany")
    if status == S.SIGNED:
        return Payability(
            None, "decyzja podpisana, ale niedoręczona — wiąże dopiero od doręczenia (art. 110 KPA)"
        )
    if status == S.SENT:
        return Payability(
            None, "decyzja wysłana, czeka na doręczenie stronie (art. 110 KPA, art. 130 § 1 KPA)"
        )
    if status == S.DELIVERED:
        expected = final_on or (appeal_deadline + timedelta(days=1) if appeal_deadline else None)
        return Payability(
            None,
            f"czeka na ostateczność: termin na odwołanie do {_pl(appeal_deadline)} "
            "(art. 129 § 2, art. 130 § 1 KPA) — po jego upływie stwierdź ostateczność; "
            "wcześniej tylko po zrzeczeniu się odwołania (art. 127a KPA)",
            expected,
        )
    if status == S.APPEALED:
        return Payability(
            None,
            "wniesiono odwołanie — wykonanie wstrzymane do rozstrzygnięcia SKO (art. 130 § 2 KPA)",
        )
    return Payability(None, "decyzja nie jest wykonalna (art. 130 KPA)")


class WorkflowError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def next_status(status: str, action: Action) -> str:
    """The status after ``action``, or :class:`WorkflowError` when the move is not allowed."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        label = S(status).label if status in S.values else status
        raise WorkflowError(
            f"Nie można wykonać czynności „{ACTION_LABELS[action]}” — decyzja ma status „{label}”."
        ) from None


def available_actions(status: str) -> list[Action]:
    return [a for (s, a) in TRANSITIONS if s == status]


def ensure_checker(*, maker_ids: Iterable[int | None], checker_id: int) -> None:
    """Four eyes: no one who drafted or edited a decision may check it."""
    if checker_id in set(maker_ids):
        raise WorkflowError(
            "Nie można sprawdzić własnego projektu decyzji (utworzonego lub zmienianego przez "
            "siebie) — sprawdza go inna osoba (kierownik), która go nie redagowała."
        )


def ensure_signable(
    *,
    maker_ids: Iterable[int | None],
    signer_id: int,
    checker_id: int | None,
    checked_hash: str,
    current_hash: str,
) -> None:
    """Signing needs a valid check of the **current** content by someone who never edited it,
    and a signer who never edited it either (issue 20, finding 5)."""
    makers = set(maker_ids)
    if signer_id in makers:
        raise WorkflowError(
            "Nie można podpisać decyzji, której projekt się tworzyło lub zmieniało."
        )
    if checker_id is None or checker_id in makers:
        raise WorkflowError(
            "Projekt nie ma ważnego sprawdzenia przez osobę, która go nie redagowała — "
            "decyzji nie można podpisać."
        )
    if not checked_hash or checked_hash != current_hash:
        raise WorkflowError(
            "Treść decyzji zmieniła się po sprawdzeniu — projekt trzeba zwrócić i sprawdzić "
            "ponownie przed podpisem."
        )


@dataclass(frozen=True, slots=True)
class HeldAuthorisation:
    number: str
    terms: AuthorisationTerms


def authorisation_refusal(
    held: Iterable[HeldAuthorisation], *, matter: str, matter_label: str, on: date
) -> str | None:
    """``None`` when one of ``held`` covers ``matter`` on ``on``; otherwise why not, in Polish.

    The message names the closest reason: no authorisation at all, only revoked / expired / not
    yet valid ones covering the matter, or active ones that do not cover it.
    """
    held = list(held)
    if not held:
        return (
            "Nie masz upoważnienia Prezydenta Miasta Kielce do wydawania decyzji "
            "(art. 110 ust. 8 u.p.s.) — decyzji nie można podpisać."
        )
    covering = [h for h in held if matter in h.terms.scope]
    for h in covering:
        if authorisation_status(h.terms, on=on) is AuthorisationStatus.ACTIVE:
            return None
    day = on.isoformat()
    if covering:
        parts = []
        for h in covering:
            st = authorisation_status(h.terms, on=on)
            if st is AuthorisationStatus.REVOKED:
                parts.append(f"nr {h.number} zostało odwołane z dniem {h.terms.revoked_on}")
            elif st is AuthorisationStatus.EXPIRED:
                parts.append(f"nr {h.number} wygasło {h.terms.valid_until}")
            elif st is AuthorisationStatus.NOT_YET:
                parts.append(f"nr {h.number} obowiązuje dopiero od {h.terms.valid_from}")
        return (
            f"Brak ważnego upoważnienia w sprawach: {matter_label} w dniu {day} — upoważnienie "
            + "; ".join(parts)
            + "."
        )
    numbers = ", ".join(h.number for h in held)
    return (
        f"Twoje upoważnienie ({numbers}) nie obejmuje spraw: {matter_label} — decyzji "
        "nie można podpisać."
    )

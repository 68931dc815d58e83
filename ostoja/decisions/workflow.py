"""The decision's life as a pure state machine (no database).

projekt → sprawdzona (kierownik, not the drafter) → podpisana (an authorisation covering the
matter on the signing day) → wysłana → doręczona → ostateczna, or → odwołanie → zakończona.
A checked decision may be returned to the drafter (projekt). Every allowed move is listed here;
anything else is refused with a Polish message saying why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
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
    CLOSE = "rozstrzygniecie"


ACTION_LABELS: dict[Action, str] = {
    Action.CHECK: "Sprawdź",
    Action.RETURN: "Zwróć do poprawy",
    Action.SIGN: "Podpisz",
    Action.SEND: "Wyślij",
    Action.DELIVER: "Zarejestruj doręczenie",
    Action.FINALISE: "Stwierdź ostateczność",
    Action.APPEAL: "Zarejestruj odwołanie",
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
    (S.APPEALED, Action.CLOSE): S.CLOSED,
}

EDITABLE = frozenset({S.DRAFTED})
SIGNED_OR_LATER = frozenset({S.SIGNED, S.SENT, S.DELIVERED, S.FINAL, S.APPEALED, S.CLOSED})


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

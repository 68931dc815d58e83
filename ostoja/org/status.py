"""Pure rules about organisation records (no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class AuthorisationStatus(StrEnum):
    ACTIVE = "aktywne"
    NOT_YET = "przyszłe"
    EXPIRED = "wygasło"
    REVOKED = "odwołane"


@dataclass(frozen=True, slots=True)
class AuthorisationTerms:
    valid_from: date
    valid_until: date | None  # inclusive
    revoked_on: date | None  # first day without the authorisation
    scope: tuple[str, ...]


def authorisation_status(terms: AuthorisationTerms, *, on: date) -> AuthorisationStatus:
    """The state of an authorisation on a day; revocation wins over everything else."""
    if terms.revoked_on is not None and on >= terms.revoked_on:
        return AuthorisationStatus.REVOKED
    if on < terms.valid_from:
        return AuthorisationStatus.NOT_YET
    if terms.valid_until is not None and on > terms.valid_until:
        return AuthorisationStatus.EXPIRED
    return AuthorisationStatus.ACTIVE


def authorisation_covers(terms: AuthorisationTerms, *, matter: str, on: date) -> bool:
    """True when the authorisation lets its holder sign a decision in ``matter`` on ``on``."""
    return (
        authorisation_status(terms, on=on) is AuthorisationStatus.ACTIVE and matter in terms.scope
    )

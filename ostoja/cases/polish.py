"""Minimal Polish wording for letters: dates as „4 grudnia 2026 r.” and words by the
addressee's sex (never „(a)”).

Temporary and local to the cases context: the decisions helper is adding a shared language
module (dates, declined months, sex-dependent verbs); the letters switch to it once merged.
"""

from __future__ import annotations

from datetime import date

MONTHS_GENITIVE = (
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
    "lipca", "sierpnia", "września", "października", "listopada", "grudnia",
)  # fmt: skip


def date_pl(d: date) -> str:
    """4 grudnia 2026 r."""
    return f"{d.day} {MONTHS_GENITIVE[d.month - 1]} {d.year} r."


def by_sex(sex: str, *, female: str, male: str) -> str:
    """The word for the addressee's sex (``K`` or ``M``); unknown → the male form is never
    guessed: a neutral caller must pass a sex."""
    return female if sex == "K" else male


def salutation(sex: str) -> str:
    return by_sex(sex, female="Szanowna Pani", male="Szanowny Panie")


def you(sex: str) -> str:
    """„Pani” / „Pan” (the polite second person)."""
    return by_sex(sex, female="Pani", male="Pan")

"""Polish account numbers: NRB (26 digits) and IBAN (``PL`` + NRB) — formats.md §1.

Validation uses maintained libraries: ``python-stdnum`` for the ISO 7064 MOD 97-10 check and
``schwifty`` for the bank name and BIC. The sort-code check digit (weights 3, 9, 7, 1, 3, 9, 7)
is a second opinion that gives a clearer message for a mistyped bank part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import iban as std_iban

__all__ = [
    "AccountError",
    "BankInfo",
    "bank_info",
    "format_nrb",
    "normalize_nrb",
    "sort_code",
    "sort_code_check_ok",
    "validate_nrb",
]

_STRIP = re.compile(r"[\s\-]")
_WEIGHTS = (3, 9, 7, 1, 3, 9, 7)


class AccountError(ValueError):
    """An account number is not a valid Polish NRB (message in Polish)."""


def normalize_nrb(raw: str) -> str:
    """Strip spaces, hyphens and an optional ``PL`` prefix; does not validate."""
    text = _STRIP.sub("", raw or "").upper()
    if text.startswith("PL"):
        text = text[2:]
    return text


def sort_code(nrb: str) -> str:
    """The 8-digit bank sort code (numer rozliczeniowy) = digits 3–10 of the NRB."""
    return normalize_nrb(nrb)[2:10]


def sort_code_check_ok(code: str) -> bool:
    """Check digit of an 8-digit sort code: (10 − Σ dᵢ·wᵢ mod 10) mod 10 (formats.md §1.2)."""
    if len(code) != 8 or not code.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(code[:7], _WEIGHTS, strict=True))
    return (10 - total % 10) % 10 == int(code[7])


def validate_nrb(raw: str) -> str:
    """Return the 26-digit NRB or raise :class:`AccountError` with a Polish message."""
    nrb = normalize_nrb(raw)
    if not nrb:
        raise AccountError("Podaj numer rachunku (26 cyfr).")
    if not nrb.isdigit() or len(nrb) != 26:
        raise AccountError("Numer rachunku musi mieć dokładnie 26 cyfr (NRB).")
    if not std_iban.is_valid("PL" + nrb):
        if not sort_code_check_ok(nrb[2:10]):
            raise AccountError(
                "Nieprawidłowy numer rozliczeniowy banku (cyfry 3–10) — sprawdź numer rachunku."
            )
        raise AccountError("Nieprawidłowy numer rachunku: suma kontrolna się nie zgadza.")
    return nrb


def format_nrb(nrb: str) -> str:
    """Paper notation ``CC AAAA AAAA BBBB BBBB BBBB BBBB``."""
    n = normalize_nrb(nrb)
    return " ".join([n[:2], *(n[i : i + 4] for i in range(2, len(n), 4))])


@dataclass(frozen=True, slots=True)
class BankInfo:
    sort_code: str
    name: str
    bic: str


def bank_info(nrb: str) -> BankInfo | None:
    """Bank name and BIC from schwifty's registry (None when unknown or invalid)."""
    try:
        from schwifty import IBAN

        parsed = IBAN("PL" + normalize_nrb(nrb))
    except Exception:
        return None
    try:
        name = parsed.bank_name or ""
        bic = str(parsed.bic) if parsed.bic else ""
    except Exception:
        name, bic = "", ""
    return BankInfo(sort_code=parsed.bank_code or sort_code(nrb), name=name, bic=bic)

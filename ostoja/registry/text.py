"""Text normalisation for search: diacritic-insensitive keys that work on SQLite too.

SQLite folds case only for ASCII, so the search compares a stored key: casefolded, Polish
letters mapped to their base letters (ł → l explicitly: NFKD does not decompose it), other
combining marks stripped, runs of whitespace and hyphens collapsed to one space.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_EXPLICIT = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "ø": "o", "đ": "d", "æ": "ae"})
_SPACES = re.compile(r"[\s\-‐–—]+")


def search_key(text: str) -> str:
    """``"Żółkiewski-Łęcka"`` → ``"zolkiewski lecka"``; idempotent, ASCII-only for Polish text."""
    value = text or ""
    for _ in range(3):  # NFKD may yield new capitals (㎩ → Pa): repeat to a fixed point
        folded = unicodedata.normalize("NFKD", value.translate(_EXPLICIT)).casefold()
        folded = unicodedata.normalize("NFKD", folded.translate(_EXPLICIT))
        stripped = "".join(c for c in folded if not unicodedata.combining(c))
        stripped = _SPACES.sub(" ", stripped).strip()
        if stripped == value:
            break
        value = stripped
    return value


def amount_pl(value: object, *, currency: bool = True) -> str:
    """A money amount the Polish way for text written outside templates (timeline entries,
    read-only interview answers): ``1229.5`` → ``"1 229,50 zł"`` with non-breaking spaces —
    the same shape as the ``pln`` template filter."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return str(value)
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = [whole[max(i - 3, 0) : i] for i in range(len(whole), 0, -3)][::-1]
    text = ("−" if amount < 0 else "") + "\u00a0".join(groups) + "," + cents
    return f"{text}\u00a0zł" if currency else text

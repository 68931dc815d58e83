"""Text for bank files: sanitising and code pages (formats.md §2.4, §8)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["sanitize", "split_lines", "transliterate"]

# Typographic characters → plain ASCII (formats.md §2.4).
_TYPOGRAPHIC = str.maketrans(
    {
        "\u201e": "'",  # „
        "\u201d": "'",  # ”
        "\u201c": "'",  # “
        "\u00ab": "'",
        "\u00bb": "'",
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",  # –
        "\u2014": "-",  # —
        "\u00a0": " ",  # no-break space
        "\u2026": "...",
        "\u00a7": "par.",  # §
        "\t": " ",
    }
)
_POLISH = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")
_SPACES = re.compile(r" {2,}")


def transliterate(text: str) -> str:
    """Polish and other diacritics → ASCII ("safe mode" portable across banks)."""
    text = text.translate(_POLISH)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if ord(c) < 128 and not unicodedata.combining(c))


def sanitize(text: str, *, forbidden: str = '"|', ascii_only: bool = False) -> str:
    """Make ``text`` safe for a quoted Elixir field: no quotes, bars, line breaks; one space."""
    text = (text or "").translate(_TYPOGRAPHIC)
    text = text.replace("\r", " ").replace("\n", " ")
    for ch in forbidden:
        text = text.replace(ch, " " if ch == "|" else "")
    if ascii_only:
        text = transliterate(text)
    return _SPACES.sub(" ", text).strip()


def split_lines(text: str, *, width: int = 35, max_lines: int = 4) -> list[str]:
    """Split on word boundaries into at most ``max_lines`` lines of ``width`` characters.

    A word longer than ``width`` is cut; text beyond the last line is dropped (the callers put
    the identifying parts first). No empty trailing lines.
    """
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if not word:
            continue
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines[:max_lines]

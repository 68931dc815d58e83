"""Polish alphabetical order for sorted names and streets (issue 17).

Databases compare bytes (SQLite) or follow the server's locale (PostgreSQL), so "Łódzka" lands
after "Żeromskiego" or "Ś" after "Z". :func:`polish_key` sorts the way the Polish alphabet does
(PN-ISO/IEC 14651 order, simplified): a ą b c ć d e ę f g h i j k l ł m n ń o ó p q r s ś t u v w
x y z ź ż; case only breaks ties. PyICU would do the same with a heavier dependency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
_RANK = {ch: i for i, ch in enumerate(ALPHABET)}


def polish_key(text: str) -> tuple[tuple[int, ...], str]:
    """Sort key: letters by their place in the Polish alphabet, digits before letters, other
    characters (spaces, hyphens, dots) first; the original text breaks ties."""
    ranks = []
    for ch in text.lower():
        if ch in _RANK:
            ranks.append(100 + _RANK[ch])
        elif ch.isdigit():
            ranks.append(50 + int(ch))
        elif ch.isalpha():
            ranks.append(200 + ord(ch))
        else:
            ranks.append(1)
    return tuple(ranks), text


def polish_sorted(items: Iterable[T], key: Callable[[T], object] = str) -> list[T]:
    """``items`` sorted by ``polish_key(str(key(item)))``."""
    return sorted(items, key=lambda item: polish_key(str(key(item))))

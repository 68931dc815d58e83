"""Polish alphabetical order for sorted names and streets (issue 17).

Databases compare bytes (SQLite) or follow the server's locale (PostgreSQL), so "Łódzka" lands
after "Żeromskiego" or "Ś" after "Z". :func:`polish_key` sorts the way the Polish alphabet does
(PN-ISO/IEC 14651 order, simplified): a ą b c ć d e ę f g h i j k l ł m n ń o ó p q r s ś t u v w
x y z ź ż; case only breaks ties. PyICU would do the same with a heavier dependency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import F
from django.db.models.functions import Collate

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


# ------------------------------------------------------------------ in the database
# Sorting must happen in the database when a list is cut (``[:50]``) after ordering, so the
# key above is also offered as a collation: ICU's Polish on PostgreSQL, and the same key
# registered on every SQLite connection under its own name.

POSTGRES_COLLATION = "pl-PL-x-icu"
SQLITE_COLLATION = "polski"


def polish_compare(a: str | None, b: str | None) -> int:
    """SQLite collation callback: -1, 0 or 1 by :func:`polish_key`."""
    ka, kb = polish_key(a or ""), polish_key(b or "")
    return (ka > kb) - (ka < kb)


def register_sqlite_collation(sender: object, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver (connected in ``CoreConfig.ready``)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, polish_compare)


class PolishCollate(Collate):
    """``ORDER BY field COLLATE <Polish>``, the collation's name chosen per database."""

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, SQLITE_COLLATION)

    # Collate.as_sql takes (compiler, connection, **extra) at run time; the stubs give Func's.
    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> Any:
        if connection.vendor == "postgresql":
            name = POSTGRES_COLLATION
        elif connection.vendor == "sqlite":
            name = SQLITE_COLLATION
        else:  # another database: its own order rather than an error
            return compiler.compile(self.source_expressions[0])
        extra_context["collation"] = connection.ops.quote_name(name)
        return super().as_sql(compiler, connection, **extra_context)


def polish(field: str) -> PolishCollate:
    """An ``order_by`` term: ``qs.order_by(polish("last_name"), polish("first_name"))``."""
    return PolishCollate(F(field))

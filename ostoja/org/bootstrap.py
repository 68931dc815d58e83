"""The synthetic loaders' guard (issue 20: role changes need two people).

``ostoja demo`` and ``ostoja seed`` create staff accounts with roles — and the demo's with the
password "demo" — without anyone confirming them. They are for a developer's or a benchmark's
own database, so they refuse a database that holds any account they did not create: a command
pointed at the production database (``DATABASE_URL`` set) must not slip in an administrator.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model

REFUSAL = (
    "Baza zawiera konta, których {command} nie utworzyło ({names}) — to nie jest baza "
    "demonstracyjna ani testowa. Polecenie tworzy konta z rolami bez potwierdzenia drugiej "
    "osoby, więc nie zostało wykonane. Użyj pustej bazy."
)


def foreign_accounts(*, allowed: Iterable[str]) -> list[str]:
    """Usernames (at most five) of accounts other than ``allowed``."""
    return list(
        get_user_model()
        .objects.exclude(username__in=list(allowed))
        .order_by("username")
        .values_list("username", flat=True)[:5]
    )


def synthetic_load_refusal(*, command: str, allowed: Iterable[str]) -> str | None:
    """A Polish refusal when the database holds accounts other than ``allowed``."""
    names = foreign_accounts(allowed=allowed)
    if not names:
        return None
    return REFUSAL.format(command=command, names=", ".join(names))

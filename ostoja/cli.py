"""``ostoja``: every Django management command, plus the project's own (demo, token, calc…).

Without ``SECRET_KEY`` or ``DATABASE_URL`` the settings would fall back to development values
and the default SQLite file — a command meant for the production database would run against
another one without a word. So outside ``ostoja demo`` the CLI refuses, loudly, unless the
developer asks for the development settings explicitly (``--dev`` or ``OSTOJA_DEV=1``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

# Commands that are a developer's own machine by definition: the demo (``python3 dev.py demo``)
# and the help listing.
DEV_COMMANDS = {"demo", "help", "--help", "-h", "version", "--version"}
REQUIRED = ("SECRET_KEY", "DATABASE_URL")


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def prepare(argv: list[str], environ: MutableMapping[str, str]) -> list[str] | str:
    """Decide the settings for ``argv``: the arguments to run, or a Polish refusal message.

    Sets ``OSTOJA_DEV=1`` in ``environ`` when development settings are explicitly wanted.
    """
    args = list(argv)
    if "--dev" in args:
        args.remove("--dev")
        environ["OSTOJA_DEV"] = "1"
    command = args[0] if args else "help"
    if _truthy(environ.get("OSTOJA_DEV")):
        return args
    missing = [name for name in REQUIRED if not environ.get(name)]
    if not missing:
        return args
    if command in DEV_COMMANDS:
        environ["OSTOJA_DEV"] = "1"
        return args
    return (
        f"ostoja: BRAK {' i '.join(missing)} — polecenie {command!r} NIE zostało wykonane.\n"
        "Bez tych zmiennych użyte zostałyby ustawienia deweloperskie i domyślna baza SQLite "
        "(var/ostoja.sqlite3), a nie baza produkcyjna.\n"
        "Ustaw SECRET_KEY i DATABASE_URL albo, na własnym komputerze, dodaj --dev "
        "(lub OSTOJA_DEV=1)."
    )


def main() -> None:
    """Run a management command; ``ostoja`` alone lists them."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")
    prepared = prepare(sys.argv[1:], os.environ)
    if isinstance(prepared, str):
        print(prepared, file=sys.stderr)
        sys.exit(2)
    if _truthy(os.environ.get("OSTOJA_DEV")) and not os.environ.get("DATABASE_URL"):
        print(
            "ostoja: UWAGA — ustawienia deweloperskie (OSTOJA_DEV) i baza var/ostoja.sqlite3; "
            "nie do produkcji.",
            file=sys.stderr,
        )
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ostoja", *prepared])


if __name__ == "__main__":
    main()

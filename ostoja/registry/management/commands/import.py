"""``ostoja import persons FILE [--dry-run] [--user LOGIN]`` — persons and households from CSV.

All-or-nothing: any rejected row → nothing is written; every rejected row is reported with why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.core.dates import today
from ostoja.core.errors import DomainError
from ostoja.registry.importer import COLUMNS, decode, persons_import


class Command(BaseCommand):
    help = "Import danych: `import persons PLIK [--dry-run] [--user LOGIN]`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        p = sub.add_parser("persons", help="Osoby i rodziny z CSV: " + ";".join(COLUMNS))
        p.add_argument("file")
        p.add_argument("--dry-run", action="store_true", help="Tylko sprawdź, nic nie zapisuj.")
        p.add_argument("--user", default=None, help="Login pracownika rejestrującego.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Brak pliku {path}.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Nie ma użytkownika {options['user']}.")
        try:
            result = persons_import(
                text=decode(path.read_bytes()), user=user, on=today(), dry_run=options["dry_run"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for problem in result.rejected:
            self.stdout.write(
                f"wiersz {problem.line} ({problem.name}): " + " ".join(problem.reasons)
            )
        if result.rejected:
            raise CommandError(
                f"Odrzucono {len(result.rejected)} z {result.rows} wierszy — nic nie zapisano."
            )
        if result.dry_run:
            self.stdout.write(
                f"Sprawdzono {result.rows} wierszy ({result.families} rodzin): bez błędów."
            )
        else:
            self.stdout.write(
                f"Zapisano {result.created_persons} osób w {result.created_households} rodzinach."
            )

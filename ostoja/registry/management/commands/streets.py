"""``ostoja streets import FILE`` — refresh Kielce's streets from a newer GUS ULIC CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.core.errors import DomainError
from ostoja.registry.importer import decode
from ostoja.registry.streets import streets_import_ulic


class Command(BaseCommand):
    help = "Wykaz ulic Kielc: `streets import PLIK` — aktualizacja z pliku ULIC (GUS, TERYT)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Wczytaj plik ULIC (CSV) — ulice gminy 2661011.")
        imp.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Brak pliku {path}.")
        try:
            report = streets_import_ulic(text=decode(path.read_bytes()))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Nowe: {len(report.created)}, zmienione nazwy: {len(report.renamed)}, "
            f"nieaktualne: {len(report.deactivated)}, bez zmian: {report.unchanged}, "
            f"pominięte (inne gminy): {report.skipped_other_gminas}."
        )
        for label, items in (
            ("+", report.created),
            ("~", report.renamed),
            ("-", report.deactivated),
        ):
            for item in items:
                self.stdout.write(f"  {label} {item}")

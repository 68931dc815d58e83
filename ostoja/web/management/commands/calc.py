"""``ostoja calc [FILE]`` — one calculation: a JSON request in (stdin without FILE), JSON out.

Invalid input prints ``{"errors": [{"field", "message"}]}`` and exits with status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ostoja.law.interface import RequestError, calculate_document


class Command(BaseCommand):
    help = "Oblicza świadczenie: żądanie JSON (plik albo stdin) → wynik JSON z uzasadnieniem."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="Plik z żądaniem JSON (domyślnie stdin).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = Path(options["file"]).read_text("utf-8") if options["file"] else sys.stdin.read()
        except OSError as exc:
            self._fail([{"field": "file", "message": f"Nie można odczytać pliku: {exc.strerror}."}])
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            self._fail([{"field": "body", "message": f"Nieprawidłowy JSON (wiersz {exc.lineno})."}])
        try:
            result = calculate_document(doc)
        except RequestError as exc:
            self._fail(exc.errors)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _fail(self, errors: list[dict[str, str]]) -> None:
        self.stdout.write(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))
        self.stdout.flush()
        sys.exit(2)

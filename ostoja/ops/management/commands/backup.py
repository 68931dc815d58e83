"""``ostoja backup --output FILE [--key-file K]`` · ``ostoja backup --new-key``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.core import dates


class Command(BaseCommand):
    help = "Zaszyfrowana kopia zapasowa bazy (pg_dump albo kopia SQLite) z odciskiem do próby."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="plik kopii, np. /var/backups/ostoja/2026-12-05.obk")
        parser.add_argument("--key-file", help="plik z kluczem (domyślnie OSTOJA_BACKUP_KEY_FILE)")
        parser.add_argument("--new-key", action="store_true", help="wypisz nowy klucz i zakończ")

    def handle(self, *args: Any, **opts: Any) -> None:
        from ostoja.ops.backup import BackupError, backup_create, load_key, new_key
        from ostoja.ops.drill import fingerprint

        if opts["new_key"]:
            self.stdout.write(new_key().decode())
            return
        if not opts["output"]:
            raise CommandError("--output: podaj plik kopii.")
        try:
            fernet = load_key(key_file=opts["key_file"])
            manifest = backup_create(
                output=Path(opts["output"]),
                fernet=fernet,
                manifest={"created": dates.now().isoformat(), "fingerprint": fingerprint()},
            )
        except BackupError as exc:
            raise CommandError(exc.message) from None
        fp = manifest["fingerprint"]
        self.stdout.write(
            f"Kopia zapisana: {opts['output']} ({manifest['vendor']}, {manifest['size']} B), "
            f"wierszy {sum(fp['counts'].values())}, suma kontrolna kwot "
            f"{fp['money_checksum'][:16]}…, dziennik: {fp['audit']['checked']} wpisów."
        )

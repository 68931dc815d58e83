"""``ostoja restore FILE --yes [--key-file K]`` — replace the database with a backup, then
verify: counts, money checksum and the audit chain must equal the backup's fingerprint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Odtwarza bazę z zaszyfrowanej kopii i sprawdza odcisk (liczby, kwoty, dziennik)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="plik kopii")
        parser.add_argument("--key-file", help="plik z kluczem (domyślnie OSTOJA_BACKUP_KEY_FILE)")
        parser.add_argument("--yes", action="store_true", help="tak, zastąp bieżące dane")

    def handle(self, *args: Any, **opts: Any) -> None:
        from ostoja.ops.backup import BackupError, backup_manifest, backup_restore, load_key
        from ostoja.ops.drill import fingerprint, fingerprint_diff

        try:
            fernet = load_key(key_file=opts["key_file"])
            manifest = backup_manifest(path=Path(opts["file"]), fernet=fernet)
            if not opts["yes"]:
                raise CommandError(
                    f"Kopia z {manifest['created']} ({manifest['vendor']}) ZASTĄPI bieżące dane. "
                    "Zatrzymaj serwer i proces zadań, potem powtórz z --yes."
                )
            backup_restore(path=Path(opts["file"]), fernet=fernet)
        except BackupError as exc:
            raise CommandError(exc.message) from None
        problems = fingerprint_diff(manifest["fingerprint"], fingerprint())
        if problems:
            raise CommandError("Odtworzona baza RÓŻNI SIĘ od kopii:\n" + "\n".join(problems))
        self.stdout.write(
            f"Odtworzono kopię z {manifest['created']}; liczby wierszy, sumy kwot i łańcuch "
            "dziennika zgodne z kopią."
        )

"""``ostoja check-deploy`` — Django's ``check --deploy`` plus Ostoja's checks; refuses on warnings.

Exit 0: the configuration may serve a centre. Exit 1: the list of what is insecure (in Polish
for Ostoja's own checks, in English for Django's), nothing started.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, SystemCheckError


class Command(BaseCommand):
    help = "Sprawdza konfigurację produkcyjną (check --deploy i kontrole Ostoi)."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            call_command("check", deploy=True, fail_level="WARNING", stdout=self.stdout)
        except SystemCheckError as exc:
            self.stderr.write(str(exc))
            raise CommandError(
                "Konfiguracja NIEBEZPIECZNA — popraw powyższe i uruchom ponownie."
            ) from None
        self.stdout.write("Konfiguracja produkcyjna poprawna.")

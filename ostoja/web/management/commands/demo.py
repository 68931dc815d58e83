"""``ostoja demo`` — migrate, load the Kielce demo data (idempotent), serve on 127.0.0.1:8000."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ostoja.core import dates
from ostoja.web.demo import DEMO_LOGINS, load_demo


class Command(BaseCommand):
    help = "Migruje bazę, wczytuje dane demonstracyjne Kielc i uruchamia serwer."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Tylko wczytaj dane.")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        load_demo(now=dates.now())
        address = f"http://{options['addrport']}/"
        self.stdout.write(self.style.SUCCESS("Dane demonstracyjne gotowe."))
        self.stdout.write(f"\nOstoja: {address}\n\nKonta demonstracyjne (hasło: demo):")
        for username, description in DEMO_LOGINS:
            self.stdout.write(f"  {username:<12} {description}")
        self.stdout.write(
            "\nAdministrator przy pierwszym logowaniu włącza weryfikację dwuetapową (TOTP)\n"
            "— zeskanuj kod QR aplikacją uwierzytelniającą (np. FreeOTP, Aegis)."
        )
        if options["no_serve"]:
            return
        self.stdout.write(f"\nSerwer: {address} (Ctrl+C kończy)\n")
        self.stdout.flush()
        call_command("runserver", options["addrport"], use_reloader=False, skip_checks=True)

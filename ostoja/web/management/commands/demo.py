"""``ostoja demo`` — migrate, load the Kielce demo data (idempotent), serve on 127.0.0.1:8000."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

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
        from ostoja.org.bootstrap import synthetic_load_refusal
        from ostoja.org.demo import DEMO_PASSWORD, DEMO_USERS, DISTRICT_WORKERS

        # A demo database (its "admin" has the demo password) is reloaded whatever accounts
        # other loaders added; any other database must hold only the demo's own accounts.
        admin = get_user_model().objects.filter(username="admin").first()
        if admin is None or not admin.check_password(DEMO_PASSWORD):
            refusal = synthetic_load_refusal(
                command="ostoja demo", allowed=[u[0] for u in DEMO_USERS + DISTRICT_WORKERS]
            )
            if refusal:
                raise CommandError(refusal)
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

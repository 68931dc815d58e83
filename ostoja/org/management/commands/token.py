"""``ostoja token create USERNAME`` — print a new API token for a staff account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.core.errors import DomainError
from ostoja.org.services import api_token_create


class Command(BaseCommand):
    help = "Tokeny API: `token create LOGIN` wypisuje nowy token (pokazywany tylko raz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Nie ma konta o loginie {options['username']!r}.")
        try:
            token = api_token_create(user=user)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(token)

"""``ostoja token create|list|revoke`` — API tokens of staff accounts.

ostoja token create LOGIN [--days N]   # prints a new token once (default lifetime from
                                       # OSTOJA_API_TOKEN_DAYS)
ostoja token list [LOGIN]              # prefix, owner, created, expires, last use, state
ostoja token revoke PREFIX             # one token, by the prefix shown in the list
ostoja token revoke --all LOGIN        # every live token of an account
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.core import dates
from ostoja.core.errors import DomainError
from ostoja.org.models import ApiToken
from ostoja.org.services import api_token_create, api_token_revoke, api_tokens_revoke_all


class Command(BaseCommand):
    help = (
        "Tokeny API: `token create LOGIN [--days N]` wypisuje nowy token (pokazywany tylko raz); "
        "`token list [LOGIN]`; `token revoke PREFIKS` albo `token revoke --all LOGIN`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("target", nargs="?", default="", help="login albo prefiks tokenu")
        parser.add_argument("--days", type=int, default=None, help="ważność w dniach (1–366)")
        parser.add_argument(
            "--all",
            dest="all_of",
            default="",
            metavar="LOGIN",
            help="revoke: wszystkie tokeny konta",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action, target = options["action"], options["target"]
        now = dates.now()
        if action == "create":
            self._create(target, options["days"], now)
        elif action == "list":
            self._list(target, now)
        else:
            self._revoke(target, options["all_of"], now)

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first() if username else None
        if user is None:
            raise CommandError(f"Nie ma konta o loginie {username!r}.")
        return user

    def _create(self, username: str, days: int | None, now: Any) -> None:
        user = self._user(username)
        if days is not None and not 1 <= days <= 366:
            raise CommandError("--days: ważność tokenu to od 1 do 366 dni.")
        expires = now + timedelta(days=days) if days is not None else None
        try:
            token = api_token_create(user=user, expires_at=expires)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(token)

    def _list(self, username: str, now: Any) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            tokens = tokens.filter(user=self._user(username))
        for t in tokens:
            state = (
                "unieważniony" if t.revoked_at else ("wygasł" if now >= t.expires_on else "aktywny")
            )
            last = t.last_used_at.isoformat(timespec="minutes") if t.last_used_at else "nigdy"
            self.stdout.write(
                f"{t.prefix}\t{t.user.username}\tutworzony {t.created_at:%Y-%m-%d}\t"
                f"ważny do {t.expires_on:%Y-%m-%d}\tostatnio {last}\t{state}"
            )

    def _revoke(self, target: str, all_of: str, now: Any) -> None:
        if all_of:
            user = self._user(all_of)
            count = api_tokens_revoke_all(user=user, actor=None, now=now)
            self.stdout.write(f"Unieważniono tokenów: {count}.")
            return
        matches = list(ApiToken.objects.filter(prefix=target, revoked_at__isnull=True))
        if not target or not matches:
            raise CommandError(f"Nie ma aktywnego tokenu o prefiksie {target!r}.")
        if len(matches) > 1:
            raise CommandError("Prefiks pasuje do kilku tokenów — użyj --all LOGIN.")
        api_token_revoke(token=matches[0], actor=None, now=now)
        self.stdout.write(f"Unieważniono token {target}….")

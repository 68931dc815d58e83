"""The project's own deployment checks (run by ``check --deploy`` and ``ostoja check-deploy``).

Django's deployment checks cover cookies, HSTS and DEBUG; these add what Ostoja needs on a
centre's server: no development mode, a real database, a background worker backend that is not
the in-process one, two-factor for administrators, the reverse proxy's HTTPS header, and a key
for encrypted backups.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


def _errors() -> list[Error | Warning]:
    found: list[Error | Warning] = []

    def error(code: str, msg: str, hint: str) -> None:
        found.append(Error(msg, hint=hint, id=f"ostoja.E{code}"))

    if getattr(settings, "DEV", False):
        error("001", "Włączony tryb deweloperski (OSTOJA_DEV).", "Usuń OSTOJA_DEV z otoczenia.")
    if settings.DEBUG:
        error("002", "DEBUG jest włączony.", "Ustaw DEBUG=0.")
    key = settings.SECRET_KEY
    if len(key) < 50 or "insecure" in key or len(set(key)) < 5:
        error(
            "003",
            "SECRET_KEY jest za krótki albo deweloperski.",
            "Wygeneruj klucz: python -c 'import secrets; print(secrets.token_urlsafe(64))'.",
        )
    if not settings.ALLOWED_HOSTS or "*" in settings.ALLOWED_HOSTS:
        error("004", "ALLOWED_HOSTS jest pusty albo zawiera '*'.", "Podaj nazwę serwera.")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        error("005", "Baza danych nie jest PostgreSQL.", "Ustaw DATABASE_URL=postgres://….")
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        error("006", "Ciasteczka sesji nie są oznaczone Secure.", "Usuń SECURE_COOKIES=0.")
    if settings.SECURE_PROXY_SSL_HEADER is None:
        error("007", "Brak SECURE_PROXY_SSL_HEADER.", "Usuń SECURE_COOKIES=0 (nginx podaje HTTPS).")
    if not getattr(settings, "OSTOJA_REQUIRE_ADMIN_MFA", True):
        error("008", "Administratorzy bez drugiego składnika.", "Ustaw OSTOJA_REQUIRE_ADMIN_MFA=1.")
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend.endswith("ImmediateBackend") or backend.endswith("DummyBackend"):
        error(
            "009",
            "Zadania w tle wykonywane w procesie serwera (ImmediateBackend).",
            "Ustaw OSTOJA_TASKS_BACKEND=database (domyślnie) albo redis.",
        )
    if not os.environ.get("OSTOJA_BACKUP_KEY") and not os.environ.get("OSTOJA_BACKUP_KEY_FILE"):
        error(
            "010",
            "Brak klucza szyfrowania kopii zapasowych (OSTOJA_BACKUP_KEY_FILE).",
            "Wygeneruj: ostoja backup --new-key > /etc/ostoja/backup.key (chmod 600).",
        )
    return found


@register(Tags.security, deploy=True)
def ostoja_deploy_checks(app_configs: Any = None, **kwargs: Any) -> list[Error | Warning]:
    return _errors()

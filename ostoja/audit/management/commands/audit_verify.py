"""``ostoja audit_verify`` — recompute the audit trail's hash chain; exit 1 if it is broken."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ostoja.audit.chain import verify


class Command(BaseCommand):
    help = "Sprawdza łańcuch skrótów dziennika zdarzeń (wykrywa zmiany i usunięcia wpisów)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify()
        if not report.ok:
            raise CommandError(
                f"Dziennik NARUSZONY przy wpisie #{report.broken_at}: {report.problem} "
                f"(sprawdzono poprawnie {report.checked} wpisów)."
            )
        self.stdout.write(
            f"Dziennik nienaruszony: {report.checked} wpisów w łańcuchu"
            + (f", {report.unsealed} wpisów sprzed łańcucha." if report.unsealed else ".")
        )

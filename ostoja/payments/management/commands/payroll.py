"""``ostoja payroll build --month YYYY-MM [--json]`` and
``ostoja payroll export --list ID --format elixir|pain001 [--output FILE]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.core import dates
from ostoja.core.errors import DomainError, ValidationFailed

HELD_SHOWN = 50  # the text report names this many held lines; --json carries them all


class Command(BaseCommand):
    help = "Lista wypłat: uruchomienie miesiąca (build) i plik bankowy (export)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="utwórz płatności miesiąca z wykonalnych decyzji")
        build.add_argument("--month", required=True, help="RRRR-MM")
        build.add_argument("--json", action="store_true", help="wynik jako jeden obiekt JSON")
        export = sub.add_parser("export", help="plik bankowy zatwierdzonej listy")
        export.add_argument("--list", dest="list_id", type=int, required=True)
        export.add_argument("--format", dest="fmt", choices=["elixir", "pain001"], required=True)
        export.add_argument(
            "--profile",
            default=None,
            help="profil banku dla Elixir-O (domyślnie ustawienie OSTOJA_BANK_PROFILE, pko_bp)",
        )
        export.add_argument("--output", help="plik wynikowy (domyślnie standardowe wyjście)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "build":
                self._build(opts)
            else:
                self._export(opts)
        except ValidationFailed as exc:
            raise CommandError(
                "; ".join(f"{e['field']}: {e['message']}" for e in exc.as_list())
            ) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _build(self, opts: dict[str, Any]) -> None:
        from ostoja.law.periods import parse_year_month
        from ostoja.payments import services, sources

        try:
            month = parse_year_month(opts["month"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        lines = sources.payable_lines(
            period_start=month.first_day, period_end=month.shift(1).first_day
        )
        held = sources.held_lines(period_start=month.first_day, period_end=month.shift(1).first_day)

        def progress(done: int, total: int) -> None:
            sys.stderr.write(f"\rpłatności: {done}/{total}")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        result = services.payroll_build(
            now=dates.now(), month=month, lines=lines, actor=None, progress=progress, held=held
        )
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            f"Miesiąc {result.month}: utworzono {result.created}, pominięto (już istniały) "
            f"{result.skipped}, kwota {result.total} zł; skorygowano {result.adjusted}, "
            f"anulowano {result.cancelled}, nadpłaty {result.overpayments}, "
            f"zaległe miesiące {result.arrears}."
        )
        if result.held:
            self.stdout.write(
                f"Wstrzymano {len(result.held)} pozycji — decyzja jeszcze niewykonalna "
                "(art. 130 KPA):"
            )
            for h in result.held[:HELD_SHOWN]:
                self.stdout.write(
                    f"  decyzja {h['decision_number']}, {h['recipient']}, {h['benefit']} "
                    f"{h['amount']} zł: {h['reason']}"
                )
            if len(result.held) > HELD_SHOWN:
                self.stdout.write(
                    f"  … i {len(result.held) - HELD_SHOWN} więcej (pełna lista: --json)."
                )

        if result.restricted:
            self.stdout.write(
                f"Pominięto {len(result.restricted)} należności {result.restricted_persons} "
                "os. — ograniczenie przetwarzania (art. 18 RODO); wypłata po zniesieniu "
                "ograniczenia (osoby: --json, identyfikatory)."
            )
        if result.carried:
            self.stdout.write(f"Dopłacono {result.carried} należności pominiętych wcześniej.")

    def _export(self, opts: dict[str, Any]) -> None:
        from ostoja.payments import services

        export = services.payment_list_export(
            list_id=opts["list_id"],
            fmt=opts["fmt"],
            actor=None,
            profile=opts["profile"],
            now=dates.now(),
        )
        content = bytes(export.content)
        if opts.get("output"):
            Path(opts["output"]).write_bytes(content)
            sys.stderr.write(
                f"{export.filename}: {export.payment_count} zleceń, suma {export.total} zł, "
                f"SHA-256 {export.sha256}\n"
            )
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()

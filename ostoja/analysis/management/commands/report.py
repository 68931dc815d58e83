"""``ostoja report mrpips03 --period YYYY-H1|YYYY [--format json|xlsx|csv|cas] [--output FILE]``.

Computes the statutory report from the ledger, runs the form's cross-checks and writes the
export (standard output by default). An invalid period exits 2 naming the field; a report that
fails its cross-checks exits 1 listing them and writes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ostoja.analysis import exports, selectors
from ostoja.analysis.periods import parse_period
from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.org.selectors import instance_settings


class Command(BaseCommand):
    help = "Sprawozdania statystyczne liczone z danych (MRPiPS-03)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        m = sub.add_parser("mrpips03", help="MRPiPS-03: półrocze (RRRR-H1) albo rok (RRRR)")
        m.add_argument("--period", required=True, help="RRRR-H1 albo RRRR")
        m.add_argument(
            "--format", dest="fmt", choices=["json", "xlsx", "csv", "cas", "pdf"], default="json"
        )
        m.add_argument("--output", help="plik wynikowy (domyślnie standardowe wyjście)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            period = parse_period(opts["period"], field="period")
        except ValidationFailed as exc:
            raise CommandError(
                "; ".join(f"{e['field']}: {e['message']}" for e in exc.as_list()), returncode=2
            ) from None
        report = selectors.mrpips03_report(period=period)
        try:
            centre = instance_settings()
            data = exports.export(report, opts["fmt"], regon=centre.regon, centre=centre.name)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if opts["output"]:
            Path(opts["output"]).write_bytes(data)
            self.stderr.write(f"MRPiPS-03 {period.code}: zapisano {opts['output']}")
        elif opts["fmt"] in ("xlsx", "pdf"):
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")

"""``ostoja seed --scale N [--seed S] [--until YYYY-MM]`` — synthetic Kielce for benchmarks.

Runs on an already migrated database, once: a second run on seeded data is refused (marker
account ``ostoja-seed``). Progress goes to stderr.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ostoja.core import dates


def _month(text: str) -> date:
    try:
        year, month = (int(p) for p in text.split("-")[:2])
        return date(year, month, 1)
    except ValueError as exc:
        raise CommandError("--until: podaj miesiąc jako RRRR-MM") from exc


class Command(BaseCommand):
    help = (
        "Zasila bazę syntetycznymi danymi w skali Kielc (skala 1 ≈ 10 000 rodzin, 25 000 osób, "
        "60 000 decyzji, ~600 000 wypłat, 700 pracowników). Deterministycznie: ten sam --seed "
        "i --until dają te same dane. Tylko raz na bazę."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, required=True, help="Np. 1, 10 albo 0.1.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--until",
            type=_month,
            default=None,
            help="Pierwszy miesiąc bez danych (RRRR-MM); domyślnie bieżący (historia: 5 lat).",
        )
        parser.add_argument("--chunk", type=int, default=1000, help="Rodzin na transakcję.")

    def handle(self, *args: Any, **options: Any) -> None:
        from ostoja.web.seed import SeedRefused, default_until, seed_city, seeded_summary

        scale = options["scale"]
        if scale <= 0:
            raise CommandError("--scale musi być dodatnia.")
        now = dates.now()
        until = options["until"] or default_until(dates.local_date(now))
        started = time.perf_counter()

        def progress(what: str, done: int, total: int) -> None:
            elapsed = time.perf_counter() - started
            sys.stderr.write(f"\r{what}: {done}/{total} ({100 * done // total}%) — {elapsed:.0f} s")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        from ostoja.org.bootstrap import synthetic_load_refusal
        from ostoja.web.seed import marker

        if marker() is None:  # a seeded database is refused below, with its own message
            refusal = synthetic_load_refusal(command="ostoja seed", allowed=())
            if refusal:
                raise CommandError(refusal)
        db = connection.vendor
        sys.stderr.write(
            f"Seed: skala {scale:g}, seed {options['seed']}, do {until:%Y-%m}, baza {db}\n"
        )
        try:
            report = seed_city(
                scale=scale, seed=options["seed"], until=until, now=now, progress=progress,
                chunk=options["chunk"],
            )  # fmt: skip
        except SeedRefused as exc:
            raise CommandError(str(exc)) from exc
        summary = seeded_summary()
        self.stdout.write(
            f"Gotowe w {report.seconds:.0f} s: "
            + ", ".join(f"{k} {v:,}".replace(",", " ") for k, v in summary.items())
        )

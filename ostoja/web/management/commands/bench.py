"""``ostoja bench [--json FILE]`` — page latencies, the monthly payment run, the law core and
memory against the configured (seeded) database; the runner is ``bench/run.py``."""

from __future__ import annotations

import importlib.util
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def load_runner() -> Any:
    path = settings.BASE_DIR / "bench" / "run.py"
    if not path.exists():
        raise CommandError(f"Brak {path} — benchmark działa z katalogu repozytorium.")
    spec = importlib.util.spec_from_file_location("ostoja_bench_run", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Command(BaseCommand):
    help = (
        "Mierzy p50/p95 stron (teczka, biurko, wyszukiwanie, rejestr decyzji), miesięczną listę "
        "wypłat, wydajność rdzenia prawa i pamięć procesu na skonfigurowanej bazie."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", dest="json_path", default=None, help="Plik wyników JSON.")
        parser.add_argument("--samples", type=int, default=50)
        parser.add_argument("--warmup", type=int, default=5)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--calc-n", type=int, default=100_000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["samples"] < 1:
            raise CommandError("--samples musi być dodatnie.")
        load_runner().run(
            json_path=options["json_path"],
            samples=options["samples"],
            warmup=options["warmup"],
            seed=options["seed"],
            calc_n=options["calc_n"],
            out=self.stdout.write,
        )

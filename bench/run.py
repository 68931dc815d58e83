"""The benchmark runner behind ``ostoja bench [--json FILE]`` (issue 8).

Against the configured database (seeded by ``ostoja seed``), in this process:

* pages through Django's test ``Client`` (whole stack: middleware, access rules, audit of
  reads, templates), logged in as the staff member whose scope covers the sampled record —
  the case's social worker for the case file and the desk, a district worker for search, the
  district head for the decision register; warm-up first, then ≥ 50 timed samples each,
  drawn deterministically (``--seed``);
* the monthly payment run for every active benefit line of the first unseeded month
  (``payable_lines`` + ``payroll_build``) in a transaction that is rolled back;
* the law core's throughput (``bench/bench_law.py``);
* the process's peak resident memory (``resource.getrusage``).

Prints a table and returns (and optionally writes) the JSON document.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ostoja.core import dates

BENCH_DIR = Path(__file__).resolve().parent


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _database() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"postgresql {cursor.fetchone()[0].split()[0]}"
        cursor.execute("select sqlite_version()")
        return f"sqlite {cursor.fetchone()[0]}"


class Pages:
    """Logged-in clients (one per user, created outside the timed part) and timed GETs."""

    def __init__(self) -> None:
        from django.conf import settings

        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        self.clients: dict[int, Any] = {}
        self.errors: list[str] = []

    def client(self, user_id: int) -> Any:
        from django.contrib.auth import get_user_model
        from django.test import Client

        if user_id not in self.clients:
            client = Client(secure=True)
            client.force_login(get_user_model().objects.get(pk=user_id))
            self.clients[user_id] = client
        return self.clients[user_id]

    @staticmethod
    def request(client: Any, url: str) -> Any:
        """Searches are POSTed (no PESEL or surname in a URL); other pages are GETs."""
        path, _, query = url.partition("?q=")
        if query:
            from urllib.parse import unquote

            return client.post(path, {"q": unquote(query)})
        return client.get(url)

    def time(self, user_id: int, url: str) -> float:
        client = self.client(user_id)
        t0 = time.perf_counter()
        response = self.request(client, url)
        _ = response.content
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status_code != 200:
            self.errors.append(f"{url} → {response.status_code}")
        return elapsed

    def queries(self, user_id: int, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = self.client(user_id)
        with CaptureQueriesContext(connection) as ctx:
            self.request(client, url)
        return len(ctx.captured_queries)


def _samples(pages: Pages, targets: list[tuple[int, str]], warmup: int) -> tuple[list[float], int]:
    for user_id, url in targets[:warmup]:
        pages.time(user_id, url)
    timings = [pages.time(user_id, url) for user_id, url in targets]
    return timings, pages.queries(*targets[0])


def _targets(rng: random.Random, n: int) -> dict[str, list[tuple[int, str]]]:
    """What to request, as whom: deterministic samples of seeded cases, persons, staff."""
    from urllib.parse import quote

    from ostoja.cases.models import Case
    from ostoja.org.models import StaffMember
    from ostoja.org.roles import Role
    from ostoja.registry.models import Person

    districts = [f"ro{i}" for i in range(1, 11)]
    case_rows = list(
        Case.objects.filter(unit__code__in=districts, worker__isnull=False, protected=False)
        .order_by("pk")
        .values_list("pk", "worker_id")
    )
    cases = rng.sample(case_rows, min(n, len(case_rows)))
    workers = sorted({w for _, w in case_rows})
    desk_users = [rng.choice(workers) for _ in range(n)]
    heads = list(
        StaffMember.objects.filter(
            unit__code__in=districts, user__groups__name=Role.HEAD_OF_UNIT.value
        )
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    worker_of_unit: dict[int, list[int]] = {}
    for user_id, unit_id in StaffMember.objects.filter(
        unit__code__in=districts, user__groups__name=Role.SOCIAL_WORKER.value
    ).values_list("user_id", "unit_id"):
        worker_of_unit.setdefault(unit_id, []).append(user_id)
    max_pk = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    persons = []
    for _ in range(n * 3):
        if len(persons) >= n:
            break
        row = (
            Person.objects.filter(
                pk__gte=rng.randint(1, max_pk),
                pesel__isnull=False,
                registered_by_unit__code__in=districts,
            )
            .order_by("pk")
            .values_list("last_name", "pesel", "registered_by_unit_id")
            .first()
        )
        if row and worker_of_unit.get(row[2]):
            persons.append((rng.choice(worker_of_unit[row[2]]), row[0], row[1]))
    return {
        "case_file": [(w, f"/sprawy/{pk}/") for pk, w in cases],
        "desk": [(u, "/sprawy/") for u in desk_users],
        "search_surname": [(u, f"/klienci/?q={quote(s)}") for u, s, _ in persons],
        "search_pesel": [(u, f"/klienci/?q={p}") for u, _, p in persons],
        "decision_register": [(rng.choice(heads), "/decyzje/") for _ in range(n)],
    }


def _payroll(month: date) -> dict[str, Any]:
    from django.db import transaction

    from ostoja.payments import services, sources

    first = date(month.year, month.month, 1)
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    out: dict[str, Any] = {"payroll_month": f"{first:%Y-%m}"}
    with transaction.atomic():
        t0 = time.perf_counter()
        lines = sources.payable_lines(period_start=first, period_end=after)
        t1 = time.perf_counter()
        result = services.payroll_build(
            now=dates.now(), month=f"{first:%Y-%m}", lines=lines, actor=None
        )
        t2 = time.perf_counter()
        transaction.set_rollback(True)
    out.update(
        payroll_lines=len(lines),
        payroll_payments=result.created,
        payroll_select_s=round(t1 - t0, 2),
        payroll_build_s=round(t2 - t1, 2),
        payroll_month_s=round(t2 - t0, 2),
    )
    return out


def _calc(seed: int, n: int) -> float:
    spec = importlib.util.spec_from_file_location("bench_law", BENCH_DIR / "bench_law.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return round(module.calc_throughput(n, seed), 1)


def run(
    *,
    json_path: str | None = None,
    samples: int = 50,
    warmup: int = 5,
    seed: int = 1,
    calc_n: int = 20_000,
    out: Callable[[str], None] = print,
) -> dict[str, Any]:
    from django.conf import settings

    from ostoja.web.seed import marker, seeded_summary

    settings.DEBUG = False
    meta = marker() or {}
    if meta.get("state") != "gotowe":
        out("Uwaga: baza nie jest zasilona przez `ostoja seed` (albo seed się nie skończył).")
    rng = random.Random(f"{seed}:bench")
    summary = seeded_summary()
    result: dict[str, Any] = {
        "scale": float(meta.get("scale", 0) or 0),
        "database": _database(),
        "cpu_count": os.cpu_count(),
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "samples": samples,
        "counts": summary,
    }
    pages = Pages()
    targets = _targets(rng, samples)
    names = {
        "case_file": "case_file",
        "desk": "desk",
        "search_surname": "search_surname",
        "search_pesel": "search_pesel",
        "decision_register": "decision_register",
    }
    search_all: list[float] = []
    for key, label in names.items():
        if not targets[key]:
            out(f"{label}: brak próbek")
            continue
        timings, n_queries = _samples(pages, targets[key], warmup)
        result[f"{label}_p50_ms"] = round(statistics.median(timings), 1)
        result[f"{label}_p95_ms"] = round(_pct(timings, 0.95), 1)
        result[f"{label}_queries"] = n_queries
        if key.startswith("search"):
            search_all += timings
    if search_all:
        result["search_p50_ms"] = round(statistics.median(search_all), 1)
        result["search_p95_ms"] = round(_pct(search_all, 0.95), 1)
    result["rss_pages_mb"] = _rss_mb()
    until = meta.get("until")
    month = date.fromisoformat(until) if until else date.today().replace(day=1)
    result.update(_payroll(month))
    result["calc_households_per_s"] = _calc(seed, calc_n)
    result["rss_mb"] = _rss_mb()
    result["errors"] = pages.errors[:20]
    _print_table(result, out)
    if json_path:
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        out(f"JSON: {json_path}")
    return result


TARGETS = {  # issue 8, scale 10 on PostgreSQL
    "case_file_p95_ms": 150,
    "desk_p95_ms": 150,
    "search_p95_ms": 100,
    "payroll_month_s": 10,
    "rss_mb": 500,
}


def _print_table(r: dict[str, Any], out: Callable[[str], None]) -> None:
    out(
        f"\nOstoja — benchmark: skala {r['scale']:g}, {r['database']}, CPU {r['cpu_count']}, "
        f"{r['date']}"
    )
    out("  " + ", ".join(f"{k} {v}" for k, v in r["counts"].items()))
    out(f"{'miara':<24}{'p50':>10}{'p95':>10}{'zapytań':>9}{'cel (x10, PG)':>15}")
    for label, title in (
        ("case_file", "teczka sprawy [ms]"),
        ("desk", "biurko [ms]"),
        ("search_surname", "szukaj: nazwisko [ms]"),
        ("search_pesel", "szukaj: PESEL [ms]"),
        ("search", "szukaj: razem [ms]"),
        ("decision_register", "rejestr decyzji [ms]"),
    ):
        if f"{label}_p95_ms" not in r:
            continue
        target = TARGETS.get(f"{label}_p95_ms", "")
        q = r.get(f"{label}_queries", "")
        out(
            f"{title:<24}{r.get(f'{label}_p50_ms', ''):>10}{r[f'{label}_p95_ms']:>10}"
            f"{q!s:>9}{('≤ ' + str(target)) if target else '':>15}"
        )
    out(
        f"{'lista wypłat (miesiąc)':<24}{r['payroll_month_s']:>10} s  "
        f"({r['payroll_lines']} linii, {r['payroll_payments']} płatności, {r['payroll_month']})"
        f"{'≤ 10 s':>12}"
    )
    out(f"{'rdzeń prawa':<24}{r['calc_households_per_s']:>10} gospodarstw/s (1 rdzeń)")
    out(f"{'pamięć procesu (RSS)':<24}{r['rss_mb']:>10} MB (po stronach {r['rss_pages_mb']} MB)"
        f"{'≤ 500 MB':>10}")  # fmt: skip
    if r.get("errors"):
        out("Błędy: " + "; ".join(r["errors"]))


if __name__ == "__main__":
    sys.stderr.write("Uruchom przez: .venv/bin/ostoja bench [--json FILE]\n")
    sys.exit(2)

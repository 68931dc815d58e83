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
import re
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


def _samples(
    pages: Pages, targets: list[tuple[int, str]], warmup: int, bare: list[float] | None = None
) -> tuple[list[float], int]:
    """Timed samples of one page; with ``bare``, each sample is followed by one request of the
    bare view as the same user (appended to ``bare``), so that the page and its yardstick see
    the same load on a shared machine (issue 19's ratios)."""
    for user_id, url in targets[:warmup]:
        pages.time(user_id, url)
        if bare is not None:
            pages.time(user_id, BARE_URL)
    timings = []
    for user_id, url in targets:
        timings.append(pages.time(user_id, url))
        if bare is not None:
            bare.append(pages.time(user_id, BARE_URL))
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
    extra = _list_targets(rng, n, heads)
    return {
        **extra,
        "case_file": [(w, f"/sprawy/{pk}/") for pk, w in cases],
        "desk": [(u, "/sprawy/") for u in desk_users],
        "search_surname": [(u, f"/klienci/?q={quote(s)}") for u, s, _ in persons],
        "search_pesel": [(u, f"/klienci/?q={p}") for u, _, p in persons],
        "decision_register": [(rng.choice(heads), "/decyzje/") for _ in range(n)],
    }


def _role_users(role: str) -> list[int]:
    from ostoja.org.models import StaffMember

    return list(
        StaffMember.objects.filter(user__groups__name=role, user__is_active=True)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )


def _list_targets(rng: random.Random, n: int, heads: list[int]) -> dict[str, list[tuple[int, str]]]:
    """Issue 19: every list and register page, as the role that uses it, with the filters
    staff use most (the register: granted decisions of one benefit in the last quarter)."""
    from ostoja.org.roles import Role
    from ostoja.payments.models import PaymentList

    out: dict[str, list[tuple[int, str]]] = {}
    finance = _role_users(Role.FINANCE.value) or _role_users(Role.BENEFITS_CLERK.value)
    dpo = _role_users(Role.DATA_PROTECTION_OFFICER.value) or _role_users(Role.ADMINISTRATOR.value)
    analysts = _role_users(Role.ANALYST.value)
    if heads:
        anchor = dates.today()
        quarter = f"date_from={date(anchor.year - 1, anchor.month, 1).isoformat()}"
        out["register_filtered"] = [
            (rng.choice(heads), f"/decyzje/?benefit=zasilek_okresowy&{quarter}") for _ in range(n)
        ]
        out["caseload"] = [(rng.choice(heads), "/praca-socjalna/obciazenie/") for _ in range(n)]
    if finance:
        out["payment_lists"] = [(rng.choice(finance), "/wyplaty/") for _ in range(n)]
        biggest = PaymentList.objects.order_by("-month", "-pk").values_list("pk", flat=True).first()
        if biggest:
            out["payment_list"] = [
                (rng.choice(finance), f"/wyplaty/listy/{biggest}/") for _ in range(n)
            ]
        out["receivables"] = [(rng.choice(finance), "/wyplaty/naleznosci/") for _ in range(n)]
    if dpo:
        out["audit_trail"] = [(rng.choice(dpo), "/audyt/") for _ in range(n)]
    if analysts:
        out["reports"] = [(rng.choice(analysts), "/analiza/") for _ in range(n)]
        out["mrpips03"] = [(rng.choice(analysts), "/analiza/mrpips03/") for _ in range(n)]
    return out


def _bare_view(request: Any) -> Any:
    """Issue 19's yardstick: a bare view (no query, no template) behind the same middleware,
    for any logged-in user (``login_only``, like every page behind the access middleware)."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


def _bare() -> Any:
    from ostoja.core.access import login_only

    return login_only(_bare_view)


BARE_URL = "/__bench__/bare/"


def _install_bare_view() -> None:
    """Register ``BARE_URL`` for this process only (the bench's own urlconf: the project's
    patterns plus the bare view) — never in the served URL configuration."""
    import types

    from django.conf import settings
    from django.urls import clear_url_caches, include, path, set_urlconf

    if getattr(settings, "ROOT_URLCONF", "") == "ostoja_bench_urls":
        return
    module = types.ModuleType("ostoja_bench_urls")
    project = settings.ROOT_URLCONF
    module.urlpatterns = [  # type: ignore[attr-defined]
        path(BARE_URL.strip("/") + "/", _bare()),
        path("", include(project)),
    ]
    for name in ("handler400", "handler403", "handler404", "handler500"):
        handler = getattr(
            sys.modules.get(project) or __import__(project, fromlist=["x"]), name, None
        )
        if handler:
            setattr(module, name, handler)
    sys.modules["ostoja_bench_urls"] = module
    settings.ROOT_URLCONF = "ostoja_bench_urls"
    clear_url_caches()
    set_urlconf(None)


def _copy_payments_table(copy: str, tag: str, *, run_id: int, filled: bool) -> None:
    """A copy of the payments table with the same columns, defaults, checks and indexes.

    ``filled``: the copy first receives every row of the table except this run's, and its
    indexes are built after that fill (a bulk build, minutes faster than inserting into them),
    so that the timed insert maintains indexes as large as the real table's — the run itself
    inserts into a table of millions of rows; an empty copy's tiny indexes make the yardstick
    several times too kind (issue 19: "a copy of the payments table with the same indexes").
    """
    from django.db import connection

    from ostoja.payments.models import Payment

    table = Payment._meta.db_table
    columns = ", ".join(f'"{f.column}"' for f in Payment._meta.concrete_fields)
    fill = (
        f'INSERT INTO "{copy}" ({columns}) SELECT {columns} FROM "{table}" '
        "WHERE run_id IS NULL OR run_id <> %s"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f'CREATE TABLE "{copy}" (LIKE "{table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)'
            )
            if filled:
                cursor.execute(fill, [run_id])
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table]
            )
            for name, definition in cursor.fetchall():
                renamed = definition.replace(f"INDEX {name} ON", f"INDEX {name}_{tag} ON", 1)
                renamed = re.sub(rf"ON (\S+\.)?\"?{table}\"? ", f'ON "{copy}" ', renamed, count=1)
                cursor.execute(renamed)
        else:
            cursor.execute(
                "SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            ddl = cursor.fetchall()
            for kind, statement in ddl:  # the table first, filled, then its indexes
                renamed = statement.replace(f'"{table}"', f'"{copy}"')
                # index names are global in SQLite: give the copy's indexes their own
                renamed = re.sub(
                    r'^(CREATE (?:UNIQUE )?INDEX )"([^"]+)"', rf'\1"\2_{tag}"', renamed
                )
                cursor.execute(renamed)
                if kind == "table" and filled:
                    cursor.execute(fill, [run_id])


def _raw_insert_select(run_id: int, *, filled: bool = True) -> float:
    """Seconds the database itself takes to insert-select this run's payments into a copy of
    the payments table with the same indexes — by default a copy holding the table's other
    rows (see ``_copy_payments_table``); ``filled=False`` is the earlier, empty yardstick.
    The copy is made inside the caller's transaction, which is rolled back; only the insert
    of the run's rows is timed."""
    from django.db import connection

    from ostoja.payments.models import Payment

    table = Payment._meta.db_table
    tag = "bcf" if filled else "bce"
    copy = f"{table}_{tag}"
    _copy_payments_table(copy, tag, run_id=run_id, filled=filled)
    columns = ", ".join(f'"{f.column}"' for f in Payment._meta.concrete_fields)
    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        cursor.execute(
            f'INSERT INTO "{copy}" ({columns}) SELECT {columns} FROM "{table}" WHERE run_id = %s',
            [run_id],
        )
        return time.perf_counter() - t0


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
        raw = _raw_insert_select(result.run_id)
        raw_empty = _raw_insert_select(result.run_id, filled=False)
        transaction.set_rollback(True)
    out.update(
        payroll_lines=len(lines),
        payroll_payments=result.created,
        payroll_select_s=round(t1 - t0, 2),
        payroll_build_s=round(t2 - t1, 2),
        payroll_month_s=round(t2 - t0, 2),
        payroll_raw_sql_s=round(raw, 3),
        # The whole month's run (select the lines + build the payments) per the database's own
        # insert-select of the same rows (issue 19: ≤ 3).
        payroll_ratio=round((t2 - t0) / raw, 2) if raw > 0 else None,
        payroll_build_ratio=round((t2 - t1) / raw, 2) if raw > 0 else None,
        # The earlier yardstick (an empty copy), kept so that figures before 7 December 2026
        # can be compared.
        payroll_raw_sql_empty_s=round(raw_empty, 3),
        payroll_ratio_empty_copy=round((t2 - t0) / raw_empty, 2) if raw_empty > 0 else None,
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
    # A caseload of ten times Kielce (100,000 families) in one batch, as bench/bench_law.py
    # (issue 19; 20,000 until 8 December 2026 — more of each batch was first-seen dates).
    calc_n: int = 100_000,
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
    _install_bare_view()
    pages = Pages()
    targets = _targets(rng, samples)
    names = {
        "case_file": "case_file",
        "desk": "desk",
        "search_surname": "search_surname",
        "search_pesel": "search_pesel",
        "decision_register": "decision_register",
        "register_filtered": "register_filtered",
        "payment_lists": "payment_lists",
        "payment_list": "payment_list",
        "receivables": "receivables",
        "audit_trail": "audit_trail",
        "caseload": "caseload",
        "reports": "reports",
        "mrpips03": "mrpips03",
    }
    search_all: list[float] = []
    bare_all: list[float] = []
    ratios: dict[str, float] = {}
    for key, label in names.items():
        if not targets.get(key):
            out(f"{label}: brak próbek")
            continue
        bare: list[float] = []
        timings, n_queries = _samples(pages, targets[key], warmup, bare)
        result[f"{label}_p50_ms"] = round(statistics.median(timings), 1)
        result[f"{label}_p95_ms"] = round(_pct(timings, 0.95), 1)
        result[f"{label}_queries"] = n_queries
        # Issue 19: the page's p95 against the p95 of the bare view requested right after
        # each of its samples (target ≤ 5×).
        ratios[label] = round(_pct(timings, 0.95) / _pct(bare, 0.95), 1)
        bare_all += bare
        if key.startswith("search"):
            search_all += timings
    if "decision_register_p95_ms" in result:
        result["register_p95_ms"] = result["decision_register_p95_ms"]
    if bare_all:
        result["bare_view_p50_ms"] = round(statistics.median(bare_all), 1)
        result["bare_view_p95_ms"] = round(_pct(bare_all, 0.95), 1)
        result["bare_view_queries"] = pages.queries(targets["desk"][0][0], BARE_URL)
        result["ratios_to_bare"] = ratios
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


TARGETS = {  # issues 8 and 19, scale 10 on PostgreSQL
    "case_file_p95_ms": 50,
    "desk_p95_ms": 50,
    "search_p95_ms": 30,
    "decision_register_p95_ms": 150,
    "register_filtered_p95_ms": 150,
    "payment_lists_p95_ms": 150,
    "payment_list_p95_ms": 150,
    "receivables_p95_ms": 150,
    "audit_trail_p95_ms": 150,
    "caseload_p95_ms": 150,
    "reports_p95_ms": 150,
    "mrpips03_p95_ms": 150,
    "payroll_month_s": 10,
    "payroll_ratio": 3,
    "calc_households_per_s": 100_000,
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
        ("register_filtered", "rejestr z filtrami [ms]"),
        ("payment_lists", "listy wypłat [ms]"),
        ("payment_list", "lista wypłat [ms]"),
        ("receivables", "należności [ms]"),
        ("audit_trail", "dziennik audytu [ms]"),
        ("caseload", "obciążenie [ms]"),
        ("reports", "analiza [ms]"),
        ("mrpips03", "MRPiPS-03 [ms]"),
        ("bare_view", "pusty widok [ms]"),
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
    if r.get("payroll_ratio") is not None:
        out(
            f"{'  surowy INSERT…SELECT':<24}{r['payroll_raw_sql_s']:>10} s  "
            f"(krotność: całość {r['payroll_ratio']}×, zapis {r['payroll_build_ratio']}×)"
            f"{'≤ 3×':>8}"
        )
    if r.get("payroll_ratio_empty_copy") is not None:
        out(
            f"{'  …do pustej kopii':<24}{r['payroll_raw_sql_empty_s']:>10} s  "
            f"(krotność: całość {r['payroll_ratio_empty_copy']}×; dawna miara)"
        )
    if r.get("ratios_to_bare"):
        out("p95 strony ÷ p95 pustego widoku (cel ≤ 5×): "
            + ", ".join(f"{k} {v}×" for k, v in r["ratios_to_bare"].items()))  # fmt: skip
    out(f"{'rdzeń prawa':<24}{r['calc_households_per_s']:>10} gospodarstw/s (1 rdzeń)")
    out(f"{'pamięć procesu (RSS)':<24}{r['rss_mb']:>10} MB (po stronach {r['rss_pages_mb']} MB)"
        f"{'≤ 500 MB':>10}")  # fmt: skip
    if r.get("errors"):
        out("Błędy: " + "; ".join(r["errors"]))


if __name__ == "__main__":
    sys.stderr.write("Uruchom przez: .venv/bin/ostoja bench [--json FILE]\n")
    sys.exit(2)

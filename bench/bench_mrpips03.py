"""Benchmark (not a test): MRPiPS-03 at city scale, against the configured seeded database.

Run (after ``ostoja seed --scale 10 --until 2026-12``, see bench/README.md):

    DATABASE_URL=postgres://… python bench/bench_mrpips03.py [--period 2026-H1] [--json FILE]

Times, in this process: the half-year report, the annual report (the whole cumulative year,
the larger of the two), each export of the half-year, and the drill-down of the largest cell
(dział 1B total, payments) as the director — its first page and its last (the list is counted
and paged by the database, issue 13). Prints one JSON document.

Target (scale 10 on PostgreSQL, 2-core server): half-year report ≤ 10 s, annual ≤ 20 s,
drill-down of the largest cell ≤ 20 s — a statutory report runs a few times a year, so the
budget is "well within a coffee", not a page's 200 ms; the report page is therefore opened for
the period on demand, not on the start page.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")
os.environ.setdefault("OSTOJA_DEV", "1")

TARGETS_S = {"half_year_s": 10.0, "year_s": 20.0, "drilldown_s": 20.0}


def _timed(fn: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, round(time.perf_counter() - t0, 2)


def run(period_code: str | None = None) -> dict[str, Any]:
    import django

    django.setup()
    from datetime import date

    from django.contrib.auth import get_user_model

    from ostoja.analysis import exports, selectors
    from ostoja.analysis.periods import ReportPeriod, last_completed_half_year, parse_period
    from ostoja.web.seed import marker

    seeded = marker() or {}
    until = date.fromisoformat(seeded["until"]) if "until" in seeded else date(2026, 12, 1)
    half = parse_period(period_code) if period_code else last_completed_half_year(on=until)
    year = ReportPeriod(half.year - 1, half=False)  # the last whole year before it
    out: dict[str, Any] = {"scale": seeded.get("scale"), "period": half.code, "year": year.code}
    report, out["half_year_s"] = _timed(lambda: selectors.mrpips03_report(period=half))
    out["half_year_payments"] = report.value("1B.TOTAL.benefits")
    out["half_year_persons"] = report.value("1B.TOTAL.persons")
    out["half_year_valid"] = report.valid
    annual, out["year_s"] = _timed(lambda: selectors.mrpips03_report(period=year))
    out["year_payments"] = annual.value("1B.TOTAL.benefits")
    for fmt in exports.FORMATS:
        if report.valid:
            _, out[f"export_{fmt}_s"] = _timed(lambda fmt=fmt: exports.export(report, fmt))
    director = get_user_model().objects.get(username="dyrektor")
    drill, out["drilldown_s"] = _timed(
        lambda: selectors.mrpips03_drilldown(
            user=director, period=half, section="1B", row="TOTAL", column="benefits"
        )
    )
    out["drilldown_items"] = drill.total_items
    out["drilldown_scoped"] = drill.scoped  # paged by keyset (issue 13): page 1, then the last
    last, out["drilldown_last_page_s"] = _timed(
        lambda: selectors.mrpips03_drilldown(
            user=director, period=half, section="1B", row="TOTAL", column="benefits",
            last=True,
        )
    )  # fmt: skip
    out["drilldown_last_page_items"] = len(last.items)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["targets_s"] = TARGETS_S
    out["met"] = all(out[k] <= v for k, v in TARGETS_S.items())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", help="RRRR-H1 albo RRRR (domyślnie ostatnie półrocze)")
    parser.add_argument("--json", help="zapisz wynik do pliku")
    args = parser.parse_args()
    result = run(args.period)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

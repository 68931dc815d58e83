"""Benchmark (not a test): the policy what-if over a caseload of city size.

Run (against a seeded database, see bench/README.md):

    DATABASE_URL=postgres://… python bench/bench_whatif.py [--cases N] [--json FILE]

The seed writes no calculation snapshots, so the caseload is built from the seeded families
themselves: the law core's request document for the latest application of ``--sample`` cases
(``cases.selectors.calculation_request_build``, outside the timed part), repeated until it has
``--cases`` entries (default: scale × 10,000 — one benefit per family). The timed part is
``whatif.run`` — every entry computed twice (baseline and scenario) with the full trace — for
the scenario ``kryterium_dochodowe.single=1100, per_person=900``.

Target (scale 10 = 100,000 cases, one core): ≤ 120 s — a policy question for the council,
asked a few times a year.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ostoja.settings")
os.environ.setdefault("OSTOJA_DEV", "1")

TARGET_S_PER_100K = 120.0


def run(cases: int | None, sample: int) -> dict[str, Any]:
    import django

    django.setup()
    from datetime import date

    from ostoja.analysis import whatif
    from ostoja.cases.models import Application
    from ostoja.cases.selectors import CaseloadCalculation, calculation_request_build
    from ostoja.web.seed import marker

    seeded = marker() or {}
    scale = float(seeded.get("scale", "0.1"))
    target = cases or max(1, round(scale * 10_000))
    on = date.fromisoformat(seeded["until"]) if "until" in seeded else date(2026, 12, 1)
    apps = Application.objects.select_related("case__household", "case__unit", "applicant")
    requests = []
    for app in apps.order_by("-received_on")[:sample]:
        benefit = "zasilek_staly" if "zasilek_staly" in (app.forms or []) else "zasilek_okresowy"
        doc = calculation_request_build(application=app, benefit=benefit)
        requests.append((app.case_id, app.case.unit.name, benefit, doc))
    caseload = [
        CaseloadCalculation(i, r[0], r[1], r[2], r[3])
        for i, r in ((i, requests[i % len(requests)]) for i in range(target))
    ]
    changes = whatif.parse_changes(
        ["kryterium_dochodowe.single=1100", "kryterium_dochodowe.per_person=900"], on=on
    )
    t0 = time.perf_counter()
    result = whatif.run(caseload=caseload, changes=changes, on=on)
    seconds = round(time.perf_counter() - t0, 2)
    limit = TARGET_S_PER_100K * target / 100_000
    return {
        "scale": seeded.get("scale"),
        "cases": target,
        "distinct_inputs": len(requests),
        "whatif_s": seconds,
        "per_second": round(target / seconds) if seconds else None,
        "totals": result.totals.as_dict(),
        "skipped": result.skipped,
        "target_s": round(limit, 1),
        "met": seconds <= limit,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, help="liczba spraw (domyślnie skala × 10 000)")
    parser.add_argument("--sample", type=int, default=500, help="różnych rodzin z bazy")
    parser.add_argument("--json", help="zapisz wynik do pliku")
    args = parser.parse_args()
    result = run(args.cases, args.sample)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

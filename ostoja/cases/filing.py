"""The centre's filing list (JRWA) as packaged data (``data/jrwa.csv``)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

JRWA_CSV = Path(__file__).resolve().parent / "data" / "jrwa.csv"


def filing_rows() -> list[dict[str, Any]]:
    with JRWA_CSV.open(encoding="utf-8", newline="") as fh:
        return [
            {
                "symbol": r["symbol"],
                "heading": r["heading"],
                "category": r["category"],
                "other_category": r["other_category"],
                "for_applications": r["for_applications"] == "1",
                "forms": [f for f in r["forms"].split("|") if f],
                "valid_from": date.fromisoformat(r["valid_from"]),
            }
            for r in csv.DictReader(fh)
        ]


FORMS_OF_CLASS: dict[str, tuple[str, ...]] = {r["symbol"]: tuple(r["forms"]) for r in filing_rows()}


def load_filing_list(model: Any) -> int:
    """Idempotent upsert by symbol (used by the data migration with the historical model)."""
    changed = 0
    for r in filing_rows():
        values = {k: v for k, v in r.items() if k not in ("symbol", "forms")}
        obj = model.objects.filter(symbol=r["symbol"]).first()
        if obj is None:
            model.objects.create(symbol=r["symbol"], **values)
            changed += 1
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
            changed += 1
    return changed

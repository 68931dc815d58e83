"""The retention map and the register of processing activities, as data (CSV beside this file).

``retention.csv``: each record class → JRWA symbol, archival category and period, with its source.
The JRWA classes come from the project's illustrative filing list (``ostoja/cases/data/jrwa.csv``):
MOPR's own wykaz akt, agreed with the Archiwum Państwowe w Kielcach, replaces both.
``register.csv``: the register of processing activities (rejestr czynności przetwarzania,
art. 30 RODO) kept for the DPO.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class RetentionRule:
    record_class: str
    description: str
    jrwa_symbol: str
    archival_category: str  # A (kept forever), B<n> (n years), Bc (checked by the archive)
    period_years: int
    counted_from: str
    source: str

    def expires_on(self, *, closed_in_year: int) -> date | None:
        """Okres przechowywania counts from 1 January of the year after closure."""
        if self.archival_category == "A":
            return None
        return date(closed_in_year + 1 + self.period_years, 1, 1)


def retention_rules() -> dict[str, RetentionRule]:
    with (HERE / "retention.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {
        r["record_class"]: RetentionRule(**{**r, "period_years": int(r["period_years"])})
        for r in rows
    }


def processing_register() -> list[dict[str, str]]:
    with (HERE / "register.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))

"""The budget classification table (dział 852) as data — ``data/klasyfikacja_budzetowa.toml``.

Every payment carries dział / rozdział / paragraf, the task type and the funding source from its
decision line; this table names the codes for reports and says what a benefit is normally
classified as (used to flag a line whose classification differs, and by demo/benchmark data).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from ostoja.decisions.lines import BudgetClassification, FundingSource, TaskType

__all__ = [
    "FUNDING_LABELS",
    "SECTION",
    "TASK_LABELS",
    "chapter_name",
    "classification_for",
    "paragraph_name",
    "table",
]

SECTION = "852"
_PATH = Path(__file__).with_name("data") / "klasyfikacja_budzetowa.toml"

TASK_LABELS = {
    TaskType.GMINA_OWN_MANDATORY: "gmina — zadanie własne obowiązkowe",
    TaskType.GMINA_OWN_OPTIONAL: "gmina — zadanie własne fakultatywne",
    TaskType.GMINA_COMMISSIONED: "gmina — zadanie zlecone",
    TaskType.POWIAT_OWN: "powiat — zadanie własne",
    TaskType.POWIAT_COMMISSIONED: "powiat — zadanie zlecone",
}
FUNDING_LABELS = {
    FundingSource.CITY: "budżet miasta",
    FundingSource.STATE_GRANT: "dotacja celowa z budżetu państwa",
}


@lru_cache(maxsize=1)
def table() -> dict:
    with _PATH.open("rb") as fh:
        return tomllib.load(fh)


def chapter_name(code: str) -> str:
    return str(table()["rozdzialy"].get(code, ""))


def paragraph_name(code: str) -> str:
    return str(table()["paragrafy"].get(code, ""))


def classification_for(benefit: str) -> BudgetClassification | None:
    row = table()["swiadczenia"].get(benefit)
    if row is None:
        return None
    return BudgetClassification(
        section=SECTION,
        chapter=row["rozdzial"],
        paragraph=row["paragraf"],
        task_type=TaskType(row["zadanie"]),
        funding=FundingSource(row["finansowanie"]),
    )

"""Links into the report pages, shared by the pages (``views``) and the API (``api``)."""

from __future__ import annotations

from django.urls import reverse


def cell_url(period: str, section: str, row: str, column: str) -> str:
    """The page listing the cases counted in one MRPiPS-03 cell."""
    return reverse(
        "analysis:mrpips03_cell",
        kwargs={"period": period, "section": section, "row": row, "column": column},
    )

"""REST API of analysis: ``GET /api/v1/reports/mrpips03?period=YYYY-H1|YYYY``.

The same cells as the page and the exports: sections → rows → columns, each cell with its value
and the drill-down link (the list itself is a page, scoped to the viewer, paged by the database:
``drilldown_page`` is the link of its first page, ``drilldown_page_size`` items a page; the
pages are keyset-paged: each page links the next one as ``?po=<key of its last item>``, the
previous as ``?przed=<key>``, the end as ``?koniec=1``). Aggregates only.
An invalid period answers 422 naming the field ``period``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from ostoja.analysis import exports, selectors
from ostoja.analysis.links import cell_url, page_url
from ostoja.analysis.periods import parse_period
from ostoja.core.api import require

router = Router(tags=["sprawozdania"])


@router.get("/reports/mrpips03", response=dict[str, Any])
def mrpips03(request: HttpRequest, period: str = "") -> dict[str, Any]:
    # ``period`` is checked after the permission (a user without the role learns nothing).
    require(request, "analysis.view_reports")
    p = parse_period(period, field="period")
    report = selectors.mrpips03_report(period=p)
    data = exports.as_dict(report, link=lambda s, r, c: cell_url(p.code, s, r, c))
    for section in data["sections"]:
        for row in section["rows"]:
            for column in row["columns"]:
                if column.get("drilldown"):
                    column["drilldown_page"] = page_url(column["drilldown"])
    data["drilldown_page_size"] = selectors.PAGE_SIZE
    return data

"""REST API of analysis: ``GET /api/v1/reports/mrpips03?period=YYYY-H1|YYYY``.

The same cells as the page and the exports: sections → rows → columns, each cell with its value
and the drill-down link (the list itself is a page, scoped to the viewer). Aggregates only.
An invalid period answers 422 naming the field ``period``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from ostoja.analysis import exports, selectors
from ostoja.analysis.links import cell_url
from ostoja.analysis.periods import parse_period
from ostoja.core.api import require

router = Router(tags=["sprawozdania"])


@router.get("/reports/mrpips03", response=dict[str, Any])
def mrpips03(request: HttpRequest, period: str = "") -> dict[str, Any]:
    # ``period`` is checked after the permission (a user without the role learns nothing).
    require(request, "analysis.view_reports")
    p = parse_period(period, field="period")
    report = selectors.mrpips03_report(period=p)
    return exports.as_dict(report, link=lambda s, r, c: cell_url(p.code, s, r, c))

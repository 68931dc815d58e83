"""The care panel on the family's case file (registered with the cases context): the care
orders with their last month, and the help in kind recorded for the family."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ostoja.care import selectors
from ostoja.care.models import CareOrder, ServiceEvent
from ostoja.core.dates import local_date


def care_panel(case: Any, user: Any, now: datetime) -> dict[str, Any] | None:
    if not user.has_perm("care.view") or not user.has_perm("cases.view_case", case):
        return None
    orders = list(
        CareOrder.objects.filter(case=case)
        .select_related("provider", "decision")
        .prefetch_related("months", selectors.changes_prefetch())
    )
    events = list(ServiceEvent.objects.filter(case=case).order_by("-occurred_on", "-pk")[:10])
    if not orders and not events:
        return None
    on = local_date(now)
    # the hours granted now: a changing decision in force may have set others than the order's
    rows = [
        (o, max(o.months.all(), key=lambda m: m.month, default=None), selectors.terms_now(o, on))
        for o in orders
    ]
    return {
        "template": "care/_panel.html",
        "title": "Usługi i pomoc w naturze",
        "context": {"care_rows": rows, "care_events": events},
    }

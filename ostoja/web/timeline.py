"""What the web layer adds to the case timeline (issue 17): the payments of the case and a
link from every entry to its record. The web layer sits above the contexts, so it may read
payments and name other contexts' pages; the cases context stays free of them."""

from __future__ import annotations

from typing import Any

from ostoja.cases.timeline import (
    TimelineItem,
    register_timeline_link,
    register_timeline_links,
    register_timeline_source,
)
from ostoja.core.dates import noon
from ostoja.core.urls import record_url
from ostoja.law.codes import BENEFITS
from ostoja.payments.models import Payment, PaymentStatus
from ostoja.payments.selectors import payments_visible
from ostoja.web.templatetags.ostoja_format import pln

PAYMENTS_SHOWN = 60  # the most recent; older ones are on the payment lists
_SHOWN_COLUMNS = (
    "settled_on", "returned_on", "due_date", "benefit", "amount", "status", "period_start",
    "period_end", "decision_number", "decision_id",
)  # fmt: skip


def payment_items(case: Any, user: Any, limit: int = PAYMENTS_SHOWN) -> list[TimelineItem]:
    """Payments of the case the user may see (the newest ``limit``, at most ``PAYMENTS_SHOWN``),
    dated when paid (or due), each linking to the decision it carries out (open to the case
    worker, unlike the finance lists). Only the columns shown are read."""
    rows = (
        payments_visible(user=user)
        .filter(case_id=case.pk)
        .exclude(status=PaymentStatus.CANCELLED)
        .only(*_SHOWN_COLUMNS)
        .order_by("-due_date", "-pk")[: min(limit, PAYMENTS_SHOWN)]
    )
    items = []
    for p in rows:
        when = p.settled_on or p.returned_on or p.due_date
        benefit = BENEFITS.get(p.benefit, "świadczenie")
        items.append(
            TimelineItem(
                occurred_at=noon(when),
                kind="wyplata",
                kind_label="Wypłata",
                title=f"{benefit}: {pln(p.amount)} ({p.get_status_display()})",
                detail=f"Za okres {p.period_start:%d.%m.%Y}–{p.period_end:%d.%m.%Y} (bez dnia "
                f"końcowego); decyzja {p.decision_number}",
                actor="",
                url=record_url("decisions:detail", p.decision_id),
            )
        )
    return items


def _payment_links(source_ids: list[str], case: Any) -> dict[str, str]:
    """The decisions the payments of a page's events carry out, in one query."""
    ids = [int(s) for s in source_ids if s.isascii() and s.isdigit()]
    rows = Payment.objects.filter(pk__in=ids).values_list("pk", "decision_id")
    return {str(pk): record_url("decisions:detail", d) for pk, d in rows if d}


def _socialwork(source_id: str, case: Any) -> str | None:
    return record_url("socialwork:case", case.pk)


def register() -> None:
    """Called from ``WebConfig.ready``."""
    register_timeline_source("wyplata", payment_items)
    register_timeline_links("payments", _payment_links)
    register_timeline_link("decisions", lambda sid, case: record_url("decisions:detail", sid))
    register_timeline_link("socialwork", _socialwork)
    register_timeline_link(
        "socialwork.note",
        lambda sid, case: record_url("socialwork:case", case.pk) + f"#notatka-{sid}",
    )
    for prefix in ("socialwork.contract", "socialwork.contract_end"):
        register_timeline_link(prefix, lambda sid, case: record_url("socialwork:contract", sid))
    register_timeline_link(
        "partners", lambda sid, case: record_url("partners:case_referrals", case.pk)
    )

"""What the web layer adds to the case timeline (issue 17): the payments of the case and a
link from every entry to its record. The web layer sits above the contexts, so it may read
payments and name other contexts' pages; the cases context stays free of them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ostoja.cases.timeline import TimelineItem, register_timeline_link, register_timeline_source
from ostoja.core.dates import noon
from ostoja.law.codes import BENEFITS
from ostoja.payments.models import Payment, PaymentStatus
from ostoja.payments.selectors import payments_visible
from ostoja.web.templatetags.ostoja_format import pln

PAYMENTS_SHOWN = 60  # the most recent; older ones are on the payment lists


def payment_items(case: Any, user: Any) -> list[TimelineItem]:
    """Payments of the case the user may see, dated when paid (or due), each linking to the
    decision it carries out (open to the case worker, unlike the finance lists)."""
    rows = (
        payments_visible(user=user)
        .filter(case_id=case.pk)
        .exclude(status=PaymentStatus.CANCELLED)
        .order_by("-due_date", "-pk")[:PAYMENTS_SHOWN]
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
                url=reverse("decisions:detail", args=[p.decision_id]),
            )
        )
    return items


def _payment_link(source_id: str, case: Any) -> str | None:
    decision_id = Payment.objects.filter(pk=source_id).values_list("decision_id", flat=True).first()
    return reverse("decisions:detail", args=[decision_id]) if decision_id else None


def _socialwork(source_id: str, case: Any) -> str | None:
    return reverse("socialwork:case", args=[case.pk])


def register() -> None:
    """Called from ``WebConfig.ready``."""
    register_timeline_source("wyplata", payment_items)
    register_timeline_link("payments", _payment_link)
    register_timeline_link("decisions", lambda sid, case: reverse("decisions:detail", args=[sid]))
    register_timeline_link("socialwork", _socialwork)
    register_timeline_link(
        "socialwork.note",
        lambda sid, case: reverse("socialwork:case", args=[case.pk]) + f"#notatka-{sid}",
    )
    for prefix in ("socialwork.contract", "socialwork.contract_end"):
        register_timeline_link(prefix, lambda sid, case: reverse("socialwork:contract", args=[sid]))
    register_timeline_link(
        "partners", lambda sid, case: reverse("partners:case_referrals", args=[case.pk])
    )

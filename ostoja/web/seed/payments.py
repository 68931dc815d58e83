"""Seeding the payments context: every month of history paid — one run per month, lists per
month, method and budget line (exported), payments paid and locked. The anchor month itself
is left unpaid, so the benchmark can run the monthly payment run on it."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Sum

from ostoja.decisions.catalog import BENEFITS
from ostoja.payments.models import ListStatus, Payment, PaymentList, PaymentRun, PaymentStatus
from ostoja.web.seed.cases import at
from ostoja.web.seed.plan import Episode, Family, add_months
from ostoja.web.seed.state import SeedState

MODELS = {"payment_run": PaymentRun, "payment_list": PaymentList, "payment": Payment}


def prepare(state: SeedState) -> None:
    # List numbers count per month, method and budget line (PaymentList.number is unique).
    seq: dict[tuple[Any, ...], int] = {}
    for row in PaymentList.objects.values("month", "method", "chapter", "paragraph").annotate(
        m=Max("sequence")
    ):
        seq[(row["month"], row["method"], row["chapter"], row["paragraph"])] = row["m"]
    state.cache["pay_seq"] = seq
    state.cache["pay_lists"] = {}
    state.cache["pay_runs"] = {}
    state.cache["pay_run_stats"] = defaultdict(lambda: [0, Decimal("0.00")])


def _run(state: SeedState, month: date) -> int:
    runs = state.cache["pay_runs"]
    if month not in runs:
        runs[month] = state.tables["payment_run"].add(
            {"month": month, "actor_id": None, "started_at": at(month - timedelta(days=5), 8)}
        )
    return runs[month]


def _list(state: SeedState, month: date, method: str, budget: tuple[str, ...]) -> int:
    key = (month, method, *budget)
    lists = state.cache["pay_lists"]
    if key not in lists:
        section, chapter, paragraph, task_type, funding = budget
        number_key = (month, method, chapter, paragraph)
        sequence = state.cache["pay_seq"].get(number_key, 0) + 1
        state.cache["pay_seq"][number_key] = sequence
        approved = at(month - timedelta(days=3), 14)
        lists[key] = state.tables["payment_list"].add(
            {
                "month": month, "method": method, "sequence": sequence,
                "number": f"LW/{month:%Y/%m}/{chapter}/{paragraph}/{method}/{sequence}",
                "shared_account_reason": "",
                "status": ListStatus.EXPORTED, "execution_date": month + timedelta(days=9),
                "approved_at": approved, "created_at": approved,
                "section": section, "chapter": chapter, "paragraph": paragraph,
                "task_type": task_type, "funding": funding,
            }
        )  # fmt: skip
    return lists[key]


def emit(fam: Family, state: SeedState) -> None:
    for ep in fam.episodes:
        if ep.outcome != "grant" or "line" not in ep.ids:
            continue
        end = ep.period_to
        if ep.change_on is not None:
            _pay_line(state, fam, ep, ep.ids["line"], ep.ids["number"], ep.amount,
                      ep.period_from, ep.change_on)  # fmt: skip
            _pay_line(state, fam, ep, ep.ids["change_line"], ep.ids["change_number"],
                      ep.change_amount, ep.change_on, end)  # fmt: skip
        else:
            _pay_line(state, fam, ep, ep.ids["line"], ep.ids["number"], ep.amount,
                      ep.period_from, end)  # fmt: skip


def _pay_line(
    state: SeedState,
    fam: Family,
    ep: Episode,
    line_id: int,
    number: str,
    amount: Decimal,
    start: date | None,
    end: date | None,
) -> None:
    if start is None or amount <= 0 or start >= state.until:
        return
    b = BENEFITS[ep.benefit].budget
    budget = (b.section, b.chapter, b.paragraph, str(b.task_type), str(b.funding))
    person = fam.applicant
    common = {
        "line_id": line_id,
        "decision_id": 0,
        "decision_number": number,
        "case_id": fam.ids["case"],
        "person_id": person.ids["person"],
        "recipient_name": f"{person.first_name} {person.last_name}",
        "recipient_address": fam.address[:300],
        "benefit": ep.benefit,
        "method": ep.method,
        "account_number": "",
        "monthly_amount": amount,
        "amount": amount,
        "health_due": ep.benefit == "zasilek_staly" and fam.index % 3 == 0,
        "status": PaymentStatus.PAID,
        "locked": True,
        "section": b.section,
        "chapter": b.chapter,
        "paragraph": b.paragraph,
        "task_type": str(b.task_type),
        "funding": str(b.funding),
    }
    if ep.method == "przelew":
        from ostoja.payments.testing import nrb_for

        common["account_number"] = nrb_for(fam.account_serial)
    common["decision_id"] = (
        ep.ids["change_decision"] if line_id == ep.ids.get("change_line") else ep.ids["decision"]
    )
    stats = state.cache["pay_run_stats"]
    table = state.tables["payment"]
    if ep.one_off:
        month = date(start.year, start.month, 1)
        due = max(start, month + timedelta(days=9))
        row = dict(common)
        row.update(
            reference=f"W{line_id}-{start:%Y%m}", period_start=start,
            period_end=start + timedelta(days=1), days_covered=0, days_in_month=0,
            due_date=due, settled_on=due, run_id=_run(state, month),
            list_id=_list(state, month, ep.method, budget), created_at=at(month, 7),
        )  # fmt: skip
        table.add(row)
        stats[month][0] += 1
        stats[month][1] += amount
        return
    month = date(start.year, start.month, 1)
    stop = min(x for x in (end, state.until) if x is not None)
    while month < stop:
        days = calendar.monthrange(month.year, month.month)[1]
        due = month + timedelta(days=9)
        row = dict(common)
        row.update(
            reference=f"W{line_id}-{month:%Y%m}", period_start=month,
            period_end=add_months(month, 1), days_covered=days, days_in_month=days,
            due_date=due, settled_on=due, run_id=_run(state, month),
            list_id=_list(state, month, ep.method, budget), created_at=at(month, 7),
        )  # fmt: skip
        table.add(row)
        stats[month][0] += 1
        stats[month][1] += amount
        month = add_months(month, 1)


def finish(state: SeedState) -> None:
    ids = list(state.cache["pay_lists"].values())
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = (
            Payment.objects.filter(list_id__in=chunk)
            .values("list_id")
            .annotate(n=Count("id"), s=Sum("amount"))
        )
        for r in rows:
            PaymentList.objects.filter(pk=r["list_id"]).update(payment_count=r["n"], total=r["s"])
    for month, run_id in state.cache["pay_runs"].items():
        n, total = state.cache["pay_run_stats"][month]
        PaymentRun.objects.filter(pk=run_id).update(lines=n, created=n, total=total)

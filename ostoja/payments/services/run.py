"""The payroll run (naliczenie wypłat): build or rebuild a month's payments from the payable
decision lines, apply changes, recover undue payments, refresh health contributions.

Size (issue 18): ~650 lines, all of one operation: ``payroll_build`` and the private steps it
runs inside its one transaction (rows, bulk inserts, pruning, changes, recovery, health
contributions), several of which fill its ``BuildResult``; kept together so that the one
transaction reads in one place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from auditlog.models import LogEntry
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum

from ostoja.core.dates import local_date
from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.decisions.lines import BudgetClassification, HeldLine, PayableLine, PaymentMethod
from ostoja.law.benefits.zasilek_staly import health_contribution, health_rate
from ostoja.law.periods import YearMonth
from ostoja.law.policy import DEFAULT_POLICY, Policy

from .. import sources
from ..models import (
    HealthContribution,
    Overpayment,
    OverpaymentStatus,
    Payment,
    PaymentList,
    PaymentRun,
    PaymentStatus,
)
from ..schedule import PAYMENT_DAYS, Due, due_carried, dues_for_lines, line_end
from ._common import (
    _SENT,
    _ZERO,
    BATCH,
    _budget,
    _draft_list,
    _month,
    _need,
    _recalculated,
    _reference,
    _refresh_totals,
)
from .reissue import reissues_reconcile


@dataclass
class BuildResult:
    month: str
    run_id: int
    lines: int = 0
    due: int = 0
    created: int = 0
    skipped: int = 0
    total: Decimal = _ZERO
    adjusted: int = 0
    cancelled: int = 0
    overpayments: int = 0
    overpaid_total: Decimal = _ZERO
    recovery_drafts: list[str] = field(default_factory=list)
    recovery_pending: list[str] = field(default_factory=list)
    lists: list[int] = field(default_factory=list)
    arrears: int = 0
    held: list[dict[str, Any]] = field(default_factory=list)
    # Dues left out: the person's processing is restricted (art. 18 RODO) — ids only.
    restricted: list[dict[str, Any]] = field(default_factory=list)
    carried: int = 0  # dues an earlier run left out (art. 18 RODO) paid by this one

    @property
    def restricted_persons(self) -> int:
        return len({r["person"] for r in self.restricted})

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "run": self.run_id,
            "lines": self.lines,
            "due": self.due,
            "created": self.created,
            "skipped": self.skipped,
            "total": str(self.total),
            "adjusted": self.adjusted,
            "cancelled": self.cancelled,
            "overpayments": self.overpayments,
            "overpaid_total": str(self.overpaid_total),
            "recovery_drafts": self.recovery_drafts,
            "recovery_pending": self.recovery_pending,
            "lists": self.lists,
            "arrears": self.arrears,
            "held": self.held,
            "restricted": self.restricted,
            "restricted_persons": self.restricted_persons,
            "carried": self.carried,
        }


Recovery = Callable[..., str]

RESTRICTED_REASON = "ograniczenie przetwarzania (art. 18 RODO)"


def _check_payment_days(lines: list[PayableLine]) -> None:
    """The payment day is 1–28 (``schedule.PAYMENT_DAYS``; the decision line's check
    constraint): a line saying otherwise stops the run before anything is written, naming it."""
    bad = [ln for ln in lines if ln.payment_day not in PAYMENT_DAYS]
    if bad:
        raise ValidationFailed(
            {
                "payment_day": [
                    f"Dzień wypłaty w decyzji {ln.decision_number} (pozycja {ln.line_id}) to "
                    f"{ln.payment_day} — dozwolony jest dzień 1–28."
                    for ln in bad[:20]
                ]
            }
        )


def payroll_build(
    *,
    month: YearMonth | str,
    lines: Iterable[PayableLine],
    actor: Any,
    now: datetime,
    policy: Policy = DEFAULT_POLICY,
    progress: Callable[[int, int], None] | None = None,
    recovery: Recovery | None = None,
    prune: bool = True,
    held: Iterable[HeldLine] = (),
) -> BuildResult:
    """The monthly payment run: payments for every line due in ``month``, grouped into draft
    lists per payment method and budget line.

    Idempotent and safe in parallel: payments are inserted set-based with ON CONFLICT DO NOTHING
    against the unique (line, period) constraint, and counted by this run's id afterwards.
    Lines ended early (``effective_to``) stop; payments not yet approved are adjusted or cancelled,
    and what was already sent for days on/after ``effective_to`` becomes a proposed undue amount
    handed to decisions as a recovery draft (``recovery`` defaults to
    :func:`ostoja.payments.sources.recovery_draft`). With ``prune`` (the whole set of lines was
    given) open payments of the month whose line is no longer due are cancelled.

    Nothing is paid before a line's decision became enforceable (art. 130 KPA); months missed
    while it waited are paid as arrears (:func:`schedule.dues_for_run`). ``held`` — the granted
    lines that cannot be paid yet, with reasons (``sources.held_lines``) — is recorded on the run
    and returned, so the run says what it left out and why.
    """
    _need(actor, "payments.run_payroll")
    ym = _month(month)
    lines = sorted(lines, key=lambda ln: ln.line_id)
    _check_payment_days(lines)
    with transaction.atomic():
        run = PaymentRun.objects.create(month=ym.first_day, actor=actor, lines=len(lines))
        result = BuildResult(month=str(ym), run_id=run.id, lines=len(lines))
        result.held = [h.as_dict() for h in held]

        changed = [ln for ln in lines if ln.effective_to is not None]
        if changed:
            _apply_changes(changed, actor=actor, policy=policy, result=result, recovery=recovery)
        if actor is not None:
            _retry_pending_recovery(actor=actor, recovery=recovery, result=result)
        # Issue 21: re-issues waiting on draft lists follow their decision line as it is now
        # (cut or cancelled when the right ended or the decision no longer stands).
        adjusted, cancelled = reissues_reconcile(
            on=max(ym.first_day, local_date(now)), policy=policy
        )
        result.adjusted += adjusted
        result.cancelled += cancelled

        # Issue 19: the whole month's dues in one pass (``dues_for_lines``), not line by line.
        paid_lines = [ln for ln in lines if ln.payment_method != PaymentMethod.IN_KIND]
        dues = dues_for_lines(paid_lines, ym, policy)
        carried = _carried_dues(ym, paid_lines, {(d.line.line_id, d.period_start) for d in dues})
        dues.extend(carried)

        if prune:
            # A restricted person's open payments are left as they are (not cancelled either).
            _prune(ym, {d.line.line_id for d in dues}, result)

        # Art. 18 RODO: no new payment of a person whose processing is restricted — their dues
        # are left out (recorded on the run, audited) and paid by a later run once lifted.
        restricted = sources.restricted_persons(now=now)
        if restricted:
            kept = [d for d in dues if d.line.person_id not in restricted]
            result.restricted = [
                {
                    "person": d.line.person_id,
                    "line": d.line.line_id,
                    "decision": d.line.decision_number,
                    "period": d.period_start.isoformat(),
                    "amount": str(d.amount),
                    "reason": RESTRICTED_REASON,
                }
                for d in dues
                if d.line.person_id in restricted
            ]
            dues = kept
        result.due = len(dues)
        first = ym.first_day
        arrears = [d for d in dues if d.period_start < first and not d.line.one_off]
        result.arrears = len(arrears)

        # Dues already paid or scheduled need no list: a re-run must not open an empty
        # supplement list next to an approved one (the constraint still guards races).
        existing = set(
            Payment.objects.filter(
                period_start__gte=ym.first_day,
                period_start__lt=ym.shift(1).first_day,
                reissue_of__isnull=True,
            ).values_list("line_id", "period_start")
        )
        # Earlier periods this run may pay (arrears, a one-off dated earlier): few lines.
        earlier_ids = sorted({d.line.line_id for d in dues if d.period_start < first})
        for start in range(0, len(earlier_ids), BATCH):
            existing |= set(
                Payment.objects.filter(
                    line_id__in=earlier_ids[start : start + BATCH], reissue_of__isnull=True
                ).values_list("line_id", "period_start")
            )
        missing = (
            [d for d in dues if (d.line.line_id, d.period_start) not in existing]
            if existing
            else dues
        )
        del existing
        groups: dict[tuple[str, tuple[str, str, str, str, str]], PaymentList] = {}
        for gkey in dict.fromkeys((str(d.line.payment_method), _budget(d.line)) for d in missing):
            groups[gkey] = _draft_list(ym, gkey[0], gkey[1])
        list_of = {key: pl.id for key, pl in groups.items()}
        _insert_payments(missing, run_id=run.id, list_of=list_of, now=now, progress=progress)
        del missing

        agg = Payment.objects.filter(run=run).aggregate(n=Count("id"), s=Sum("amount"))
        result.created = agg["n"] or 0
        result.total = (agg["s"] or _ZERO).quantize(Decimal("0.01"))
        result.skipped = len(dues) - result.created
        list_ids = [pl.id for pl in groups.values()]
        _refresh_totals(
            list_ids
            + list(Payment.objects.filter(run=run).values_list("list_id", flat=True).distinct())
        )
        result.lists = sorted(set(list_ids))
        _health_refresh(ym, now=now)
        for back in sorted({YearMonth.of(d.period_start) for d in arrears}, key=str):
            _health_refresh(back, now=now)

        if carried:
            made = set(
                Payment.objects.filter(
                    run=run, line_id__in={d.line.line_id for d in carried}
                ).values_list("line_id", "period_start")
            )
            result.carried = sum((d.line.line_id, d.period_start) in made for d in carried)
        if result.restricted:
            _audit_restricted(run, result, actor=actor)
        PaymentRun.objects.filter(pk=run.pk).update(
            restricted=result.restricted,
            restricted_count=len(result.restricted),
            held=result.held,
            created=result.created,
            skipped=result.skipped,
            total=result.total,
            adjusted=result.adjusted,
            cancelled=result.cancelled,
            overpayments=result.overpayments,
        )
    return result


def _carried_dues(
    ym: YearMonth, lines: list[PayableLine], proposed: set[tuple[int, Any]]
) -> list[Due]:
    """Dues earlier runs (of this month or before) left out for a restricted person (art. 18
    RODO), not paid since: proposed again, dated in this run (``schedule.due_carried``). Whether
    the person is still restricted is decided by the caller like for any due; what was paid in
    the meantime is dropped by the payment key, so each is paid exactly once."""
    wanted: dict[tuple[int, str], None] = {}
    for entries in PaymentRun.objects.filter(
        month__lte=ym.first_day, restricted_count__gt=0
    ).values_list("restricted", flat=True):
        for e in entries:
            wanted[(int(e["line"]), str(e["period"]))] = None
    if not wanted:
        return []
    by_id = {ln.line_id: ln for ln in lines}
    paid = set(
        Payment.objects.filter(
            line_id__in={lid for lid, _ in wanted}, reissue_of__isnull=True
        ).values_list("line_id", "period_start")
    )
    out: list[Due] = []
    for line_id, period in wanted:
        ln = by_id.get(line_id)
        start = date.fromisoformat(period)
        if ln is None or (line_id, start) in paid or (line_id, start) in proposed:
            continue
        due = due_carried(ln, start, ym)
        if due is not None:
            out.append(due)
    return out


def _audit_restricted(run: PaymentRun, result: BuildResult, *, actor: Any) -> None:
    """One audit entry on the run: which persons' dues were left out and why (ids only)."""
    LogEntry.objects.log_create(
        run,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"restricted_count": ["0", str(len(result.restricted))]},
        actor=actor,
        additional_data={
            "reason": RESTRICTED_REASON,
            "persons": sorted({r["person"] for r in result.restricted}),
            "dues": [[r["line"], r["period"]] for r in result.restricted],
        },
    )


# The columns a new payment is written with (attnames of ``Payment``). Rows are plain tuples:
# no model instances are built for the month (73k lines at scale 10).
_PAYMENT_FIELDS = (
    "run_id",
    "list_id",
    "reference",
    "line_id",
    "decision_id",
    "decision_number",
    "case_id",
    "person_id",
    "recipient_name",
    "recipient_address",
    "benefit",
    "method",
    "account_number",
    "period_start",
    "period_end",
    "days_covered",
    "days_in_month",
    "monthly_amount",
    "amount",
    "due_date",
    "health_due",
    "status",
    "locked",
    "note",
    "created_at",
    "section",
    "chapter",
    "paragraph",
    "task_type",
    "funding",
)


def _payment_row(d: Due, *, run_id: int, list_of: dict[Any, int], now: datetime) -> tuple[Any, ...]:
    """One payment's row, in the order of ``_PAYMENT_FIELDS`` (the reference implementation of
    :func:`_payment_rows`, kept for the equivalence test)."""
    ln = d.line
    b = ln.budget
    method = str(ln.payment_method)
    return (
        run_id,
        list_of[(method, _budget(ln))],
        _reference(d.period_start, ln.line_id),
        ln.line_id,
        ln.decision_id,
        ln.decision_number,
        ln.case_id,
        ln.person_id,
        ln.recipient_name[:200],
        ln.recipient_address[:300],
        ln.benefit,
        method,
        (ln.account_number or "").replace(" ", "")[:26],
        d.period_start,
        d.period_end,
        d.days_covered,
        d.days_in_month,
        ln.monthly_amount,
        d.amount,
        d.due_date,
        ln.benefit == "zasilek_staly" and not ln.health_insured_elsewhere,
        PaymentStatus.SCHEDULED.value,
        False,
        "",
        now,
        b.section,
        b.chapter,
        b.paragraph,
        str(b.task_type),
        str(b.funding),
    )


def _payment_rows(
    dues: Iterable[Due], *, run_id: int, list_of: dict[Any, int], now: datetime
) -> Iterator[tuple[Any, ...]]:
    """The rows of :func:`_payment_row` for a whole run (issue 19: ~4× faster per row).

    What is the same for many rows is computed once: the list and budget columns per
    (method, budget) group, the reference's month suffix per period (``W<line>-<yyyymm>``, as
    :func:`._common._reference` — the equivalence is tested)."""
    group: dict[tuple[str, BudgetClassification], tuple[Any, ...]] = {}
    suffix: dict[Any, str] = {}
    scheduled = PaymentStatus.SCHEDULED.value
    for d in dues:
        ln = d.line
        method = str(ln.payment_method)
        key = (method, ln.budget)
        g = group.get(key)
        if g is None:
            b = ln.budget
            g = group[key] = (
                list_of[(method, _budget(ln))],
                b.section,
                b.chapter,
                b.paragraph,
                str(b.task_type),
                str(b.funding),
            )
        start = d.period_start
        month = suffix.get(start)
        if month is None:
            month = suffix[start] = _reference(start, 0)[2:]
        account = ln.account_number
        yield (
            run_id,
            g[0],
            f"W{ln.line_id}{month}",
            ln.line_id,
            ln.decision_id,
            ln.decision_number,
            ln.case_id,
            ln.person_id,
            ln.recipient_name[:200],
            ln.recipient_address[:300],
            ln.benefit,
            method,
            account.replace(" ", "")[:26] if account else "",
            start,
            d.period_end,
            d.days_covered,
            d.days_in_month,
            ln.monthly_amount,
            d.amount,
            d.due_date,
            ln.benefit == "zasilek_staly" and not ln.health_insured_elsewhere,
            scheduled,
            False,
            "",
            now,
            g[1],
            g[2],
            g[3],
            g[4],
            g[5],
        )


def _insert_payments(
    dues: list[Due],
    *,
    run_id: int,
    list_of: dict[Any, int],
    now: datetime,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Insert the month's new payments, skipping any that exist (ON CONFLICT DO NOTHING against
    the unique (line, period) and reference constraints — a parallel run inserts nothing twice).

    PostgreSQL: COPY into a temporary table, then one ``INSERT … SELECT … ON CONFLICT DO
    NOTHING``. Elsewhere (SQLite): ``executemany`` into a temporary table, then the same
    ``INSERT … SELECT``."""
    rows = _payment_rows(dues, run_id=run_id, list_of=list_of, now=now)
    if connection.vendor == "postgresql":
        _insert_copy(connection, rows, total=len(dues), progress=progress)
        return
    # Issue 19: plain tuples, not model instances through bulk_create (~¾ of the run's time at
    # scale 1 on SQLite), written into a temporary table without indexes and moved into the
    # payments with one ``INSERT … SELECT`` in key order, as on PostgreSQL (the indexes of the
    # payments table are then updated in one statement, not row by row).
    qn = connection.ops.quote_name
    column_of = {f.attname: str(f.column) for f in Payment._meta.concrete_fields}
    table = qn(Payment._meta.db_table)
    columns = ", ".join(qn(column_of[n]) for n in _PAYMENT_FIELDS)
    tmp = qn("ostoja_payroll_new")
    at = _PAYMENT_FIELDS.index("created_at")
    stamp = connection.ops.adapt_datetimefield_value(now)
    done = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS temp.{tmp}")
        # Identifiers only, from the model's meta (quoted): no user input reaches the SQL.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {tmp} AS SELECT {columns} FROM {table} WHERE 0"  # noqa: S608
        )
        sql = f"INSERT INTO {tmp} ({columns}) VALUES ({', '.join(['%s'] * len(_PAYMENT_FIELDS))})"  # noqa: S608
        for _ in range(0, len(dues), BATCH):
            batch = [(*r[:at], stamp, *r[at + 1 :]) for r in islice(rows, BATCH)]
            cursor.executemany(sql, batch)
            done += len(batch)
            if progress:
                progress(done, len(dues))
        # ``WHERE true``: SQLite's parser needs it before ON CONFLICT in an INSERT … SELECT.
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {tmp} "  # noqa: S608
            f"WHERE true ORDER BY {qn(column_of['line_id'])}, {qn(column_of['period_start'])} "
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE temp.{tmp}")


def _insert_copy(
    connection: Any,
    rows: Iterable[tuple[Any, ...]],
    *,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    qn = connection.ops.quote_name
    column_of = {f.attname: str(f.column) for f in Payment._meta.concrete_fields}
    done = 0

    def counted() -> Iterable[tuple[Any, ...]]:
        nonlocal done
        for row in rows:
            yield row
            done += 1
            if progress and done % BATCH == 0:
                progress(done, total)

    with connection.cursor() as cursor:
        _copy_then_insert(
            cursor,
            model=Payment,
            fields=_PAYMENT_FIELDS,
            rows=counted(),
            order_by=f"{qn(column_of['line_id'])}, {qn(column_of['period_start'])}",
        )
    if progress:
        progress(done, total)


def _copy_then_insert(
    cursor: Any,
    *,
    model: Any,
    fields: Iterable[str],
    rows: Iterable[tuple[Any, ...]],
    order_by: str = "",
) -> None:
    """PostgreSQL: ``rows`` (values of ``fields``, attribute names) COPYed into a temporary
    table shaped like ``model``'s, then moved with one ``INSERT … SELECT … ON CONFLICT DO
    NOTHING`` (in ``order_by``, when given) — the table's indexes are updated in one statement
    and a parallel run's rows are kept."""
    qn = cursor.db.ops.quote_name
    column_of = {f.attname: str(f.column) for f in model._meta.concrete_fields}
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(column_of[name]) for name in fields)
    tmp = qn(f"ostoja_new_{model._meta.db_table}")
    cursor.execute(f"DROP TABLE IF EXISTS {tmp}")
    # Identifiers only, from the model's meta (quoted): no user input reaches the SQL.
    cursor.execute(
        f"CREATE TEMPORARY TABLE {tmp} ON COMMIT DROP AS "  # noqa: S608
        f"SELECT {columns} FROM {table} WITH NO DATA"
    )
    with cursor.cursor.copy(f"COPY {tmp} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {tmp} "  # noqa: S608
        + (f"ORDER BY {order_by} " if order_by else "")
        + "ON CONFLICT DO NOTHING"
    )
    cursor.execute(f"DROP TABLE {tmp}")


# The payments a change of the line reaches: the line's own, the replacement of one withheld
# from a bank file under art. 18 RODO (its original cancelled; ``services.restricted``) and the
# re-issue of one the bank returned (issue 21: its original is ``zwrócona``, outside the
# ledger) — each stands for the original, so a sent one is an overpayment once the right ended.
_ORIGINAL_OR_WITHHELD = (
    Q(reissue_of__isnull=True)
    | Q(reissue_of__status=PaymentStatus.CANCELLED)
    | Q(reissue_of__status=PaymentStatus.RETURNED)
)


def _prune(ym: YearMonth, due_line_ids: set[int], result: BuildResult) -> None:
    """Cancel open payments on this month's draft lists whose line is no longer due."""
    stale = [
        pid
        for pid, line_id in Payment.objects.filter(
            list__month=ym.first_day,
            locked=False,
            status=PaymentStatus.SCHEDULED,
        )
        .filter(_ORIGINAL_OR_WITHHELD)
        .values_list("id", "line_id")
        if line_id not in due_line_ids
    ]
    for start in range(0, len(stale), BATCH):
        ids = stale[start : start + BATCH]
        list_ids = set(Payment.objects.filter(id__in=ids).values_list("list_id", flat=True))
        result.cancelled += Payment.objects.filter(id__in=ids, locked=False).update(
            status=PaymentStatus.CANCELLED,
            note="Anulowano: linia decyzji nie jest już wykonalna w tym miesiącu.",
        )
        _refresh_totals(list_ids)


def _apply_changes(
    lines: list[PayableLine],
    *,
    actor: Any,
    policy: Policy,
    result: BuildResult,
    recovery: Recovery | None,
) -> None:
    """Lines ended early: adjust open payments, propose recovery of what was already sent."""
    by_id = {ln.line_id: ln for ln in lines}
    ids = list(by_id)
    affected: list[Payment] = []
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        # A payment ending on or before its line's end is untouched (``recalculate`` → None):
        # read only those reaching past the earliest end in the chunk, not the line's history.
        ends = [line_end(by_id[i]) for i in chunk]
        qs = (
            Payment.objects.filter(line_id__in=chunk)
            .exclude(status__in=[PaymentStatus.CANCELLED, PaymentStatus.RETURNED])
            .filter(overpayment__isnull=True)
        )
        if all(e is not None for e in ends):
            qs = qs.filter(period_end__gt=min(e for e in ends if e is not None))
        # ``_ORIGINAL_OR_WITHHELD`` read as two queries: the originals through the partial
        # (line, period) index, the re-issues standing for a cancelled or returned original
        # (few) through the re-issue index. Under the one OR no index serves ``line_id``:
        # issue 19 — PostgreSQL scanned all 4.6 million payments at ten times Kielce (0.6 s of
        # every run) to find the few of the month's ended lines.
        affected.extend(qs.filter(reissue_of__isnull=True))
        affected.extend(
            qs.filter(
                reissue_of__isnull=False,
                reissue_of__status__in=[PaymentStatus.CANCELLED, PaymentStatus.RETURNED],
            )
        )
    affected.sort(key=lambda p: p.pk)  # the order the one query gave (Payment.Meta.ordering)
    new_overpayments: list[Overpayment] = []
    touched_lists: set[int] = set()
    for p in affected:
        ln = by_id[p.line_id]
        re_ = _recalculated(p, ln, policy)
        if re_ is None:
            continue
        if not p.locked:
            if p.list_id:
                touched_lists.add(p.list_id)
            if re_.amount <= 0:
                p.status = PaymentStatus.CANCELLED
                p.note = f"Anulowano: prawo ustało od {ln.effective_to:%Y-%m-%d}."
                p.save(update_fields=["status", "note"])
                result.cancelled += 1
            else:
                p.amount, p.period_end, p.days_covered = (
                    re_.amount,
                    re_.period_end,
                    re_.days_covered,
                )
                p.note = f"Skorygowano: prawo ustało od {ln.effective_to:%Y-%m-%d}."
                p.save(update_fields=["amount", "period_end", "days_covered", "note"])
                result.adjusted += 1
        elif p.status in _SENT and re_.overpaid > 0:
            new_overpayments.append(
                Overpayment(
                    payment=p,
                    line_id=p.line_id,
                    case_id=p.case_id,
                    person_id=p.person_id,
                    effective_to=ln.effective_to,
                    days=re_.overpaid_days,
                    amount=re_.overpaid,
                )
            )
    _refresh_totals(touched_lists)
    if not new_overpayments:
        return
    created: list[Overpayment] = []
    for op in new_overpayments:
        try:
            with transaction.atomic():
                op.save()
            created.append(op)
        except IntegrityError:  # a parallel run proposed it already
            continue
    result.overpayments += len(created)
    result.overpaid_total += sum((op.amount for op in created), _ZERO)
    _send_recovery(created, actor=actor, recovery=recovery or sources.recovery_draft, result=result)


def _retry_pending_recovery(*, actor: Any, recovery: Recovery | None, result: BuildResult) -> None:
    """Overpayments proposed earlier whose recovery draft could not be made then (e.g. a run
    from the command line has no author for the draft) are handed to decisions again."""
    pending = list(
        Overpayment.objects.filter(status=OverpaymentStatus.PROPOSED, recovery_draft="")
        .select_related("payment")
        .order_by("id")
    )
    if pending:
        _send_recovery(
            pending, actor=actor, recovery=recovery or sources.recovery_draft, result=result
        )


def _send_recovery(
    ops: list[Overpayment], *, actor: Any, recovery: Recovery, result: BuildResult
) -> None:
    grouped: dict[tuple[int, int], list[Overpayment]] = defaultdict(list)
    for op in ops:
        grouped[(op.case_id, op.person_id)].append(op)
    for (case_id, person_id), items in sorted(grouped.items()):
        amount = sum((op.amount for op in items), _ZERO)
        periods = ", ".join(
            f"{op.payment.period_start:%m/%Y} ({op.days} dni, {op.amount} zł)" for op in items
        )
        reason = (
            f"Wypłacono świadczenie za okres, za który prawo ustało od "
            f"{min(op.effective_to for op in items):%d.%m.%Y}: {periods}. Kwota do oceny jako "
            "świadczenie nienależnie pobrane (art. 6 pkt 16, art. 98 i 104 u.p.s.)."
        )
        line_ids = sorted({op.line_id for op in items})
        try:
            with transaction.atomic():
                ref = recovery(
                    case_id=case_id,
                    person_id=person_id,
                    amount=amount,
                    reason=reason,
                    source_line_ids=line_ids,
                    actor=actor,
                )
        except DomainError as exc:
            Overpayment.objects.filter(id__in=[op.id for op in items]).update(
                note=exc.message[:300]
            )
            result.recovery_pending.append(f"{case_id}/{person_id}: {amount}")
            continue
        Overpayment.objects.filter(id__in=[op.id for op in items]).update(
            status=OverpaymentStatus.DRAFTED, recovery_draft=str(ref)[:80]
        )
        result.recovery_drafts.append(str(ref))


def _health_refresh(ym: YearMonth, *, now: datetime) -> None:
    """Rebuild the month's health contributions from zasiłek stały payments (art. 79 u.ś.o.z.)."""
    rows = (
        Payment.objects.filter(
            period_start__gte=ym.first_day,
            period_start__lt=ym.shift(1).first_day,
            health_due=True,
            benefit="zasilek_staly",
        )
        .exclude(status__in=[PaymentStatus.CANCELLED])
        .filter(Q(reissue_of__isnull=True))
        .values_list("person_id", "case_id", "recipient_name")
        .annotate(basis=Sum("amount"))
        .order_by("person_id")
    )
    rate = health_rate(ym.first_day)
    # Issue 19: one contribution per distinct basis (most recipients get the same amounts),
    # the law core still computes every one of them.
    amount_of: dict[Decimal, Decimal] = {}
    wanted: dict[int, tuple[int, str, Decimal, Decimal]] = {}
    for person_id, case_id, name, basis in rows:
        basis = Decimal(str(basis)).quantize(Decimal("0.01"))  # SQLite sums come back as floats
        amount = amount_of.get(basis)
        if amount is None:
            amount = amount_of[basis] = health_contribution(basis, ym.first_day)
        wanted[person_id] = (case_id, name, basis, amount)
    existing = {h.person_id: h for h in HealthContribution.objects.filter(month=ym.first_day)}
    stale = [h.id for pid, h in existing.items() if pid not in wanted]
    if stale:
        HealthContribution.objects.filter(id__in=stale).delete()
    changed = []
    for pid, h in existing.items():
        w = wanted.get(pid)
        if w is not None and (h.basis != w[2] or h.amount != w[3]):
            h.basis, h.amount, h.rate = w[2], w[3], rate
            changed.append(h)
    if changed:
        HealthContribution.objects.bulk_update(changed, ["basis", "amount", "rate"])
    new = [
        (ym.first_day, pid, case_id, name, basis, rate, amount, now)
        for pid, (case_id, name, basis, amount) in wanted.items()
        if pid not in existing
    ]
    if not new:
        return
    # Plain tuples through executemany (not model instances through bulk_create); a parallel
    # run's rows are kept (ON CONFLICT DO NOTHING on the unique (person, month)).
    qn = connection.ops.quote_name
    fields = ("month", "person_id", "case_id", "recipient_name", "basis", "rate", "amount")
    column_of = {f.attname: str(f.column) for f in HealthContribution._meta.concrete_fields}
    sql = (
        f"INSERT INTO {qn(HealthContribution._meta.db_table)} "  # noqa: S608 — from the meta
        f"({', '.join(qn(column_of[n]) for n in (*fields, 'created_at'))}) "
        f"VALUES ({', '.join(['%s'] * (len(fields) + 1))}) ON CONFLICT DO NOTHING"
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    values = [(*row[:3], row[3][:200], *row[4:7], stamp) for row in new]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(sql, values)
            return
        # PostgreSQL: COPY and one INSERT … SELECT (tens of thousands of recipients at ten
        # times Kielce: executemany took ~0.7 s of the run, this ~0.1 s).
        _copy_then_insert(
            cursor, model=HealthContribution, fields=(*fields, "created_at"), rows=values
        )

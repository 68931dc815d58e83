"""Services of the payments context: every write goes through here (one transaction each)."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum

from ostoja.core.dates import local_time
from ostoja.core.errors import ConflictError, DomainError, NotPermitted, ValidationFailed
from ostoja.decisions.lines import HeldLine, PayableLine, PaymentMethod
from ostoja.law.periods import YearMonth
from ostoja.law.policy import DEFAULT_POLICY, Policy

from . import lawcore, sources
from .formats import elixir, pain001
from .formats.accounts import AccountError, validate_nrb
from .formats.statements import (
    StatementError,
    decode_statement,
    parse_csv_statement,
    parse_mt940,
)
from .models import (
    BankExport,
    BudgetPlan,
    EntryOutcome,
    HealthContribution,
    Instalment,
    ListStatus,
    Overpayment,
    OverpaymentStatus,
    Payment,
    PaymentList,
    PaymentRun,
    PaymentStatus,
    Receivable,
    Repayment,
    StatementEntry,
    StatementImport,
    WriteOff,
)
from .schedule import Due, dues_for_run, line_end, recalculate
from .selectors import shared_accounts

__all__ = [
    "BuildResult",
    "bank_profile",
    "budget_plan_set",
    "payment_list_approve",
    "payment_list_export",
    "payment_reissue",
    "payment_reissue_confirm",
    "payroll_build",
    "receivable_register",
    "receivable_register_from_decision",
    "receivable_repay",
    "receivable_write_off",
    "statement_import",
]

_ZERO = Decimal("0.00")
BATCH = 2000
# Statuses in which money has left (or is irrevocably about to leave) the centre.
_SENT = (PaymentStatus.APPROVED, PaymentStatus.EXPORTED, PaymentStatus.PAID)


def _month(value: YearMonth | str | date) -> YearMonth:
    if isinstance(value, YearMonth):
        return value
    if isinstance(value, date):
        return YearMonth.of(value)
    from ostoja.law.periods import parse_year_month

    try:
        return parse_year_month(value)
    except ValueError as exc:
        raise ValidationFailed({"month": [str(exc)]}) from None


def _need(actor: Any, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise NotPermitted("Brak uprawnień do tej operacji.")


def _reference(period_start: date, line_id: int) -> str:
    """The payment identifier (ID WYPL): ``W<line>-<yyyymm>``, e.g. ``W12-202611``.

    Never shaped like a date: the former ``2026-11-12`` read as 12 November in a bank title.
    """
    return f"W{line_id}-{period_start:%Y%m}"


def _budget(line: PayableLine) -> tuple[str, str, str, str, str]:
    b = line.budget
    return (b.section, b.chapter, b.paragraph, str(b.task_type), str(b.funding))


def _draft_list(
    month: YearMonth, method: str, budget: tuple[str, str, str, str, str]
) -> PaymentList:
    """The open (draft) list for this month, method and budget line; a supplement when the
    previous one is already approved. Safe under concurrent runs (unique key + get_or_create)."""
    section, chapter, paragraph, task_type, funding = budget
    key = {
        "month": month.first_day,
        "method": method,
        "section": section,
        "chapter": chapter,
        "paragraph": paragraph,
        "task_type": task_type,
        "funding": funding,
    }
    while True:
        last = PaymentList.objects.filter(**key).order_by("-sequence").first()
        if last is not None and last.status == ListStatus.DRAFT:
            return last
        # The sequence counts per month, method and budget line, so the list number (which
        # names those) is unique even when task type or funding differ.
        numbered = PaymentList.objects.filter(
            month=month.first_day, method=method, chapter=chapter, paragraph=paragraph
        ).aggregate(m=Max("sequence"))["m"]
        sequence = (numbered or 0) + 1
        try:
            with transaction.atomic():
                obj, _ = PaymentList.objects.get_or_create(**key, sequence=sequence)
        except IntegrityError:
            continue
        if obj.status == ListStatus.DRAFT:
            return obj


def _refresh_totals(list_ids: Iterable[int]) -> None:
    ids = sorted(set(list_ids))
    if not ids:
        return
    rows = {
        r["list_id"]: r
        for r in Payment.objects.filter(list_id__in=ids)
        .exclude(status=PaymentStatus.CANCELLED)
        .values("list_id")
        .annotate(n=Count("id"), s=Sum("amount"))
    }
    for pl in PaymentList.objects.filter(id__in=ids, status=ListStatus.DRAFT):
        row = rows.get(pl.id)
        n, s = (row["n"], row["s"]) if row else (0, _ZERO)
        s = Decimal(str(s or 0)).quantize(Decimal("0.01"))  # SQLite sums come back as floats
        if pl.payment_count != n or pl.total != s:
            pl.payment_count, pl.total = n, s
            pl.save(update_fields=["payment_count", "total"])


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
        }


Recovery = Callable[..., str]


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
    with transaction.atomic():
        run = PaymentRun.objects.create(month=ym.first_day, actor=actor, lines=len(lines))
        result = BuildResult(month=str(ym), run_id=run.id, lines=len(lines))
        result.held = [h.as_dict() for h in held]

        changed = [ln for ln in lines if ln.effective_to is not None]
        if changed:
            _apply_changes(changed, actor=actor, policy=policy, result=result, recovery=recovery)
        if actor is not None:
            _retry_pending_recovery(actor=actor, recovery=recovery, result=result)

        dues: list[Due] = []
        for ln in lines:
            if ln.payment_method == PaymentMethod.IN_KIND:
                continue
            dues.extend(dues_for_run(ln, ym, policy))
        result.due = len(dues)
        first = ym.first_day
        arrears = [d for d in dues if d.period_start < first and not d.line.one_off]
        result.arrears = len(arrears)

        if prune:
            _prune(ym, {d.line.line_id for d in dues}, result)

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
        groups: dict[tuple[str, tuple[str, str, str, str, str]], PaymentList] = {}
        for d in dues:
            if (d.line.line_id, d.period_start) in existing:
                continue
            gkey = (str(d.line.payment_method), _budget(d.line))
            if gkey not in groups:
                groups[gkey] = _draft_list(ym, gkey[0], gkey[1])

        missing = [d for d in dues if (d.line.line_id, d.period_start) not in existing]
        del existing
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
        _health_refresh(ym)
        for back in sorted({YearMonth.of(d.period_start) for d in arrears}, key=str):
            _health_refresh(back)

        PaymentRun.objects.filter(pk=run.pk).update(
            held=result.held,
            created=result.created,
            skipped=result.skipped,
            total=result.total,
            adjusted=result.adjusted,
            cancelled=result.cancelled,
            overpayments=result.overpayments,
        )
    return result


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
    NOTHING``. Elsewhere (SQLite): ``bulk_create(ignore_conflicts=True)`` in chunks."""
    from django.db import connection

    rows = (_payment_row(d, run_id=run_id, list_of=list_of, now=now) for d in dues)
    if connection.vendor == "postgresql":
        _insert_copy(connection, rows, total=len(dues), progress=progress)
        return
    # Issue 19: plain tuples through executemany (INSERT … ON CONFLICT DO NOTHING), not model
    # instances through bulk_create (~¾ of the run's time at scale 1 on SQLite).
    qn = connection.ops.quote_name
    column_of = {f.attname: f.column for f in Payment._meta.concrete_fields}
    sql = (
        f"INSERT INTO {qn(Payment._meta.db_table)} "  # noqa: S608 — identifiers from the meta
        f"({', '.join(qn(column_of[n]) for n in _PAYMENT_FIELDS)}) "
        f"VALUES ({', '.join(['%s'] * len(_PAYMENT_FIELDS))}) ON CONFLICT DO NOTHING"
    )
    at = _PAYMENT_FIELDS.index("created_at")
    stamp = connection.ops.adapt_datetimefield_value(now)
    done = 0
    with connection.cursor() as cursor:
        for _ in range(0, len(dues), BATCH):
            batch = [(*r[:at], stamp, *r[at + 1 :]) for r in islice(rows, BATCH)]
            cursor.executemany(sql, batch)
            done += len(batch)
            if progress:
                progress(done, len(dues))


def _insert_copy(
    connection: Any,
    rows: Iterable[tuple[Any, ...]],
    *,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    qn = connection.ops.quote_name
    table = qn(Payment._meta.db_table)
    column_of = {f.attname: f.column for f in Payment._meta.concrete_fields}
    columns = ", ".join(qn(column_of[name]) for name in _PAYMENT_FIELDS)
    tmp = qn("ostoja_payroll_new")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {tmp}")
        # Identifiers only, from the model's meta (quoted): no user input reaches the SQL.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {tmp} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        done = 0
        with cursor.cursor.copy(f"COPY {tmp} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                done += 1
                if progress and done % BATCH == 0:
                    progress(done, total)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {tmp} "  # noqa: S608
            f"ORDER BY {qn(column_of['line_id'])}, {qn(column_of['period_start'])} "
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE {tmp}")
    if progress:
        progress(done, total)


def _prune(ym: YearMonth, due_line_ids: set[int], result: BuildResult) -> None:
    """Cancel open payments on this month's draft lists whose line is no longer due."""
    stale = [
        pid
        for pid, line_id in Payment.objects.filter(
            list__month=ym.first_day,
            locked=False,
            status=PaymentStatus.SCHEDULED,
            reissue_of__isnull=True,
        ).values_list("id", "line_id")
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
            Payment.objects.filter(line_id__in=chunk, reissue_of__isnull=True)
            .exclude(status__in=[PaymentStatus.CANCELLED, PaymentStatus.RETURNED])
            .filter(overpayment__isnull=True)
        )
        if all(e is not None for e in ends):
            qs = qs.filter(period_end__gt=min(e for e in ends if e is not None))
        affected.extend(qs)
    new_overpayments: list[Overpayment] = []
    touched_lists: set[int] = set()
    for p in affected:
        ln = by_id[p.line_id]
        paid_from = max(p.period_start, ln.period_from) if not ln.one_off else p.period_start
        re_ = recalculate(
            ln,
            period_start=p.period_start,
            paid_from=paid_from,
            paid_to=p.period_end,
            paid_amount=p.amount,
            policy=policy,
        )
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


def _health_refresh(ym: YearMonth) -> None:
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
        .values("person_id", "case_id", "recipient_name")
        .annotate(basis=Sum("amount"))
        .order_by("person_id")
    )
    rate = lawcore.health_rate(ym.first_day)
    wanted = {
        r["person_id"]: HealthContribution(
            month=ym.first_day,
            person_id=r["person_id"],
            case_id=r["case_id"],
            recipient_name=r["recipient_name"],
            basis=r["basis"],
            rate=rate,
            amount=lawcore.health_contribution(r["basis"], ym.first_day),
        )
        for r in rows
    }
    existing = {h.person_id: h for h in HealthContribution.objects.filter(month=ym.first_day)}
    stale = [h.id for pid, h in existing.items() if pid not in wanted]
    if stale:
        HealthContribution.objects.filter(id__in=stale).delete()
    changed = []
    for pid, h in existing.items():
        w = wanted.get(pid)
        if w is not None and (h.basis != w.basis or h.amount != w.amount):
            h.basis, h.amount, h.rate = w.basis, w.amount, w.rate
            changed.append(h)
    if changed:
        HealthContribution.objects.bulk_update(changed, ["basis", "amount", "rate"])
    HealthContribution.objects.bulk_create(
        [w for pid, w in wanted.items() if pid not in existing], ignore_conflicts=True
    )


# --------------------------------------------------------------------------- approve / export
def list_makers(pl: PaymentList) -> set[int]:
    """Everyone who built or changed ``pl``: whoever ran the month that put payments on it,
    re-issued a payment into it, or imported a statement that changed one of its payments
    (marked it paid or returned) or returned the payment that a re-issue on it replaces."""
    on_list = Payment.objects.filter(list=pl)
    makers = set(
        PaymentRun.objects.filter(payments__list=pl, actor__isnull=False)
        .values_list("actor_id", flat=True)
        .distinct()
    )
    makers |= set(
        on_list.filter(reissued_by__isnull=False).values_list("reissued_by_id", flat=True)
    )
    changed = Q(payment__list=pl) | Q(payment__reissues__list=pl)
    makers |= set(
        StatementEntry.objects.filter(changed)
        .filter(
            outcome__in=[EntryOutcome.PAID, EntryOutcome.RETURNED],
            statement__created_by__isnull=False,
        )
        .values_list("statement__created_by_id", flat=True)
        .distinct()
    )
    return makers


def _four_eyes(pl: PaymentList, actor: Any, *, doing: str = "zatwierdzić") -> None:
    """Four-eyes rule: whoever built or changed this list (``list_makers``) may not approve it
    or export its bank file (segregation of duties in the centre's financial control
    procedures; issue 20, finding 6)."""
    if getattr(actor, "pk", None) in list_makers(pl):
        raise ValidationFailed(
            {
                "__all__": [
                    f"Listę musi {doing} inna osoba niż ta, która ją sporządziła lub zmieniła "
                    "(uruchomienie miesiąca, ponowienie wypłaty, import wyciągu) — zasada dwóch "
                    "par oczu."
                ]
            }
        )


SHARED_ACCOUNT_REASON_MIN = 20


def _shared_account_confirmed(pl: PaymentList, reason: str) -> str:
    """The approver's reason when different recipients share an account ("" when none do)."""
    shared = shared_accounts(pl)
    if not shared:
        return ""
    reason = reason.strip()
    if len(reason) >= SHARED_ACCOUNT_REASON_MIN:
        return reason
    which = "; ".join(
        f"rachunek …{s.account_number[-4:]}: {', '.join(s.recipients)}" for s in shared
    )
    raise ValidationFailed(
        {
            "shared_account_reason": [
                f"Różni odbiorcy mają na tej liście wspólny rachunek bankowy ({which}). "
                "Sprawdź, czy to nie pomyłka, i zatwierdź listę, podając uzasadnienie "
                f"(co najmniej {SHARED_ACCOUNT_REASON_MIN} znaków), np. rachunek opiekuna "
                "prawnego obu osób."
            ]
        }
    )


def payment_list_approve(
    *,
    list_id: int,
    actor: Any,
    execution_date: date,
    expected_version: int,
    now: datetime,
    shared_account_reason: str = "",
) -> PaymentList:
    """Finance approves a draft list: totals frozen, payments locked (ledger discipline).

    When different recipients share one bank account the approver must confirm it with a
    reason (kept on the list and in its audit trail), or the list is not approved.
    """
    _need(actor, "payments.approve_list")
    with transaction.atomic():
        pl = PaymentList.objects.select_for_update().get(pk=list_id)
        if pl.version != expected_version:
            from ostoja.core.errors import ConflictError

            raise ConflictError()
        if pl.status != ListStatus.DRAFT:
            raise DomainError("Lista jest już zatwierdzona.")
        payments = list(pl.payments.exclude(status=PaymentStatus.CANCELLED).order_by("id"))
        if not payments:
            raise ValidationFailed({"__all__": ["Lista nie zawiera żadnej płatności."]})
        _four_eyes(pl, actor)
        waiting = [p.reference for p in payments if p.awaits_account_confirmation]
        if waiting:
            raise ValidationFailed(
                {
                    "__all__": [
                        "Ponowienie na zmieniony rachunek musi potwierdzić druga osoba przed "
                        "zatwierdzeniem listy: " + ", ".join(waiting) + "."
                    ]
                }
            )
        pl.shared_account_reason = _shared_account_confirmed(pl, shared_account_reason)
        if pl.method == PaymentMethod.TRANSFER:
            bad = []
            for p in payments:
                try:
                    validate_nrb(p.account_number)
                except AccountError as exc:
                    bad.append(f"{p.reference} ({p.recipient_name}): {exc}")
            if bad:
                raise ValidationFailed({"__all__": bad})
        pl.payment_count = len(payments)
        pl.total = sum((p.amount for p in payments), _ZERO)
        pl.execution_date = execution_date
        pl.status = ListStatus.APPROVED
        pl.approved_by = actor
        pl.approved_at = now.replace(microsecond=0)
        pl.version += 1
        pl.save()
        pl.payments.exclude(status=PaymentStatus.CANCELLED).update(
            status=PaymentStatus.APPROVED, locked=True
        )
        # Cancelled rows stay on the list for the record but are locked as well.
        pl.payments.filter(status=PaymentStatus.CANCELLED).update(locked=True)
    return pl


FORMATS = {"elixir": ("Elixir-O", "txt"), "pain001": ("pain.001.001.03", "xml")}


def _centre() -> Any:
    from ostoja.org.selectors import instance_settings

    return instance_settings()


def bank_profile(profile: str | None = None) -> str:
    """The Elixir-O bank profile: the one asked for, else ``settings.OSTOJA_BANK_PROFILE``
    (default ``pko_bp``); profiles in :data:`ostoja.payments.formats.elixir.PROFILES`."""
    from django.conf import settings

    code = profile or getattr(settings, "OSTOJA_BANK_PROFILE", "pko_bp") or "pko_bp"
    if code not in elixir.PROFILES:
        known = ", ".join(sorted(elixir.PROFILES))
        raise ValidationFailed(
            {"profile": [f"Nieznany profil banku „{code}” (dostępne: {known})."]}
        )
    return code


def render_bank_file(pl: PaymentList, fmt: str, profile: str | None = None) -> bytes:
    """The bank file of an approved list — a pure function of the stored list and the centre's
    identity (no clock): the same list renders to the same bytes."""
    centre = _centre()
    payments = list(pl.payments.exclude(status=PaymentStatus.CANCELLED).order_by("id"))
    if not centre.bank_account:
        raise ValidationFailed(
            {"__all__": ["Uzupełnij rachunek bankowy ośrodka w ustawieniach (Administracja)."]}
        )
    execution = pl.execution_date or pl.month
    try:
        if fmt == "elixir":
            return elixir.write_elixir(
                elixir.ElixirFile(
                    execution_date=execution,
                    ordering_account=centre.bank_account,
                    ordering_name_lines=[
                        centre.name,
                        centre.street_address,
                        f"{centre.postal_code} {centre.city}",
                    ],
                    records=[
                        elixir.ElixirRecord(
                            reference=p.reference,
                            amount=p.amount,
                            beneficiary_account=p.account_number,
                            beneficiary_name_lines=[
                                p.recipient_name,
                                *_address_lines(p.recipient_address),
                            ],
                            title_lines=p.title_lines,
                        )
                        for p in payments
                    ],
                ),
                elixir.PROFILES[bank_profile(profile)],
            )
        if fmt == "pain001":
            created = (
                local_time(pl.approved_at)
                if pl.approved_at
                else datetime(pl.month.year, pl.month.month, 1, tzinfo=UTC)
            )
            return pain001.write_pain001(
                pain001.Pain001Batch(
                    message_id=f"OSTOJA-LW{pl.id}-{created:%Y%m%d%H%M%S}",
                    created_at=created,
                    initiating_party=centre.name,
                    payment_info_id=pl.number,
                    execution_date=execution,
                    debtor_name=centre.name,
                    debtor_account=centre.bank_account,
                    transactions=[
                        pain001.Pain001Tx(
                            reference=p.reference,
                            amount=p.amount,
                            creditor_name=p.recipient_name,
                            creditor_account=p.account_number,
                            remittance=" ".join(p.title_lines),
                            creditor_address_lines=_address_lines(p.recipient_address),
                        )
                        for p in payments
                    ],
                )
            )
    except (elixir.ElixirError, pain001.Pain001Error) as exc:
        raise ValidationFailed({"__all__": exc.problems}) from None
    raise ValidationFailed({"format": ["Nieznany format pliku (elixir albo pain001)."]})


def _address_lines(address: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,\n]", address or "") if part.strip()][:2]


def payment_list_export(
    *, list_id: int, fmt: str, actor: Any, profile: str | None = None
) -> BankExport:
    """The bank file of an approved transfer list. The first export stores the bytes, their
    SHA-256 and control totals; any later export returns the same stored file. ``profile``
    defaults to ``settings.OSTOJA_BANK_PROFILE`` (see :func:`bank_profile`)."""
    _need(actor, "payments.export_bank_file")
    if fmt not in FORMATS:
        raise ValidationFailed({"format": ["Nieznany format pliku (elixir albo pain001)."]})
    if fmt == "elixir":
        profile = bank_profile(profile)
    with transaction.atomic():
        pl = PaymentList.objects.select_for_update().get(pk=list_id)
        if pl.method != PaymentMethod.TRANSFER:
            raise DomainError("Plik bankowy tworzy się tylko dla list przelewów.")
        if pl.status == ListStatus.DRAFT:
            raise DomainError("Najpierw księgowość musi zatwierdzić listę.")
        _four_eyes(pl, actor, doing="wyeksportować do banku")
        prof = profile if fmt == "elixir" else ""
        existing = BankExport.objects.filter(list=pl, format=fmt, profile=prof).first()
        if existing is not None:
            return existing
        content = render_bank_file(pl, fmt, profile)
        _label, ext = FORMATS[fmt]
        export = BankExport.objects.create(
            list=pl,
            format=fmt,
            profile=prof,
            filename=f"lista-{pl.month:%Y-%m}-{pl.id}-{fmt}.{ext}",
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            payment_count=pl.payment_count,
            total=pl.total,
            created_by=actor,
        )
        if pl.status == ListStatus.APPROVED:
            pl.status = ListStatus.EXPORTED
            pl.version += 1
            pl.save(update_fields=["status", "version"])
        pl.payments.filter(status=PaymentStatus.APPROVED).update(status=PaymentStatus.EXPORTED)
    return export


def cash_list_settle(*, list_id: int, paid_on: date, payment_ids: list[int], actor: Any) -> int:
    """Mark payments of an approved cash/post list as paid (signed at the pay desk / post)."""
    _need(actor, "payments.approve_list")
    with transaction.atomic():
        pl = PaymentList.objects.select_for_update().get(pk=list_id)
        if pl.status == ListStatus.DRAFT:
            raise DomainError("Najpierw księgowość musi zatwierdzić listę.")
        return pl.payments.filter(
            id__in=payment_ids, status__in=[PaymentStatus.APPROVED, PaymentStatus.EXPORTED]
        ).update(status=PaymentStatus.PAID, settled_on=paid_on)


# ----------------------------------------------------------------------------- statements
# Current identifiers (W12-202611) and those issued before the change (2026-11-12).
_REF = re.compile(r"(W\d+-\d{6}(?:-P\d+)?|\d{4}-\d{2}-\d+(?:-P\d+)?)")
RETURN_WINDOW_DAYS = 60


def statement_import(*, filename: str, data: bytes, actor: Any) -> tuple[StatementImport, bool]:
    """Import an MT940 or CSV statement; returns (import, already_imported).

    Idempotent: the same file is recognised by its SHA-256, the same line in another file by
    its fingerprint — nothing is marked twice. Debits with our payment id mark payments paid,
    credits mark them returned (matched by id in the title, else by account + amount).
    """
    _need(actor, "payments.import_statement")
    if len(data) > settings.OSTOJA_MAX_UPLOAD_BYTES:
        raise ValidationFailed(
            {"file": ["Plik jest za duży na wyciąg bankowy — sprawdź, czy to właściwy plik."]}
        )
    digest = hashlib.sha256(data).hexdigest()
    existing = StatementImport.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, True
    text = decode_statement(data)
    fmt = "mt940" if ":20:" in text or ":61:" in text else "csv"
    try:
        statement = parse_mt940(text) if fmt == "mt940" else parse_csv_statement(text)
    except StatementError as exc:
        raise ValidationFailed({"file": [str(exc)]}) from None
    problems = statement_problems(statement)
    if problems:
        raise ValidationFailed({"file": problems})
    with transaction.atomic():
        imp = StatementImport.objects.create(
            sha256=digest,
            filename=filename[:200],
            format=fmt,
            account=statement.account[:34],
            reference=statement.reference[:80],
            content=data,
            line_count=len(statement.lines),
            created_by=actor,
        )
        seen: dict[str, int] = defaultdict(int)
        fingerprints = []
        for line in statement.lines:
            base = "|".join(
                [
                    statement.account,
                    line.value_date.isoformat(),
                    line.direction,
                    str(line.reversal),
                    str(line.amount),
                    line.bank_reference,
                    line.title,
                    line.counterparty_account,
                ]
            )
            seen[base] += 1
            fingerprints.append(hashlib.sha256(f"{base}|{seen[base]}".encode()).hexdigest())
        known = set(
            StatementEntry.objects.filter(fingerprint__in=fingerprints).values_list(
                "fingerprint", flat=True
            )
        )
        refs = {
            m.group(1)
            for line in statement.lines
            for m in _REF.finditer(f"{line.title} {line.owner_reference} {line.bank_reference}")
        }
        by_ref = {p.reference: p for p in Payment.objects.filter(reference__in=refs)}
        counts = defaultdict(int)
        for line, fp in zip(statement.lines, fingerprints, strict=True):
            if fp in known:
                counts["dup"] += 1
                continue
            payment, how = None, ""
            for m in _REF.finditer(f"{line.title} {line.owner_reference} {line.bank_reference}"):
                # Our id in the title is not enough: the amount must be the payment's too.
                if m.group(1) in by_ref and by_ref[m.group(1)].amount == line.amount:
                    payment, how = by_ref[m.group(1)], "identyfikator wypłaty"
                    break
            if payment is None and line.direction == "C" and line.counterparty_account:
                payment = (
                    Payment.objects.filter(
                        account_number=line.counterparty_account,
                        amount=line.amount,
                        status__in=[PaymentStatus.EXPORTED, PaymentStatus.PAID],
                        due_date__gte=line.value_date - timedelta(days=RETURN_WINDOW_DAYS),
                        due_date__lte=line.value_date,
                    )
                    .order_by("-due_date", "-id")
                    .first()
                )
                how = "rachunek i kwota" if payment else ""
            outcome = _reconcile(line, payment, actor)
            counts[outcome] += 1
            StatementEntry.objects.create(
                statement=imp,
                sequence=line.sequence,
                fingerprint=fp,
                value_date=line.value_date,
                direction=line.direction,
                reversal=line.reversal,
                amount=line.amount,
                title=line.title[:400],
                counterparty_name=line.counterparty_name[:200],
                counterparty_account=line.counterparty_account[:34],
                bank_reference=line.bank_reference[:120],
                raw=line.raw,
                payment=payment,
                outcome=outcome,
                matched_by=how,
            )
        imp.paid = counts[EntryOutcome.PAID]
        imp.returned = counts[EntryOutcome.RETURNED]
        imp.unmatched = counts[EntryOutcome.UNMATCHED] + counts[EntryOutcome.REVERSAL]
        imp.duplicates = counts["dup"]
        imp.save(update_fields=["paid", "returned", "unmatched", "duplicates"])
    return imp, False


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def statement_problems(statement: Any) -> list[str]:
    """Why a statement cannot be trusted (empty: it can): it must be of the centre's own
    account (instance settings) and reconcile — opening balance plus its entries equals the
    closing balance (issue 20, finding 6). A home-made file fails one or the other."""
    problems = []
    own = _digits(_centre().bank_account or "")[-26:]
    account = _digits(statement.account)[-26:]
    if not own:
        problems.append(
            "Nie ustawiono rachunku bankowego ośrodka (Administracja → Ustawienia) — bez niego "
            "wyciągu nie można sprawdzić."
        )
    elif account != own:
        problems.append(
            f"Wyciąg dotyczy rachunku „{statement.account or 'brak'}”, a nie rachunku ośrodka "
            "— nie zaimportowano."
        )
    opening, closing = statement.opening_balance, statement.closing_balance
    if opening is None or closing is None:
        problems.append("Wyciąg nie podaje salda początkowego i końcowego — nie można go uzgodnić.")
    else:
        # C adds, D takes away; a reversal (RC/RD) books the opposite way.
        net = sum(
            (
                line.amount * (1 if line.direction == "C" else -1) * (-1 if line.reversal else 1)
                for line in statement.lines
            ),
            _ZERO,
        )
        if opening + net != closing:
            problems.append(
                f"Wyciąg się nie uzgadnia: saldo początkowe {opening} zł i operacje "
                f"({net} zł) nie dają salda końcowego {closing} zł."
            )
    return problems


def _reconcile(line: Any, payment: Payment | None, actor: Any) -> str:
    if line.reversal:
        return EntryOutcome.REVERSAL
    if payment is None:
        return EntryOutcome.UNMATCHED
    if line.direction == "D":
        if payment.status in (PaymentStatus.APPROVED, PaymentStatus.EXPORTED):
            payment.status, payment.settled_on = PaymentStatus.PAID, line.value_date
            payment.save(update_fields=["status", "settled_on"])
            return EntryOutcome.PAID
        return EntryOutcome.IGNORED
    if payment.status in (PaymentStatus.APPROVED, PaymentStatus.EXPORTED, PaymentStatus.PAID):
        payment.status, payment.returned_on = PaymentStatus.RETURNED, line.value_date
        payment.save(update_fields=["status", "returned_on"])
        sources.timeline_event(
            case_id=payment.case_id,
            kind="zwrot_przelewu",
            occurred_on=line.value_date,
            actor=actor,
            source_id=payment.pk,
            title=f"Zwrot przelewu {payment.reference} ({payment.amount} zł) — do ponownej wypłaty",
        )
        return EntryOutcome.RETURNED
    return EntryOutcome.IGNORED


# ------------------------------------------------------------------------------- returns
def payment_reissue(
    *, payment_id: int, method: str, account_number: str, actor: Any, note: str = ""
) -> Payment:
    """Re-issue a returned payment as a new payment (new account, or cash / post), kept on a
    draft list for finance to approve. The returned payment stays as it was."""
    _need(actor, "payments.reissue_payment")
    if method not in (PaymentMethod.TRANSFER, PaymentMethod.CASH, PaymentMethod.POST):
        raise ValidationFailed({"method": ["Wybierz przelew, kasę albo przekaz pocztowy."]})
    account = ""
    if method == PaymentMethod.TRANSFER:
        try:
            account = validate_nrb(account_number)
        except AccountError as exc:
            raise ValidationFailed({"account_number": [str(exc)]}) from None
    with transaction.atomic():
        orig = Payment.objects.select_for_update().get(pk=payment_id)
        if actor is not None:
            from ostoja.payments.selectors import payments_visible

            if not payments_visible(user=actor).filter(pk=orig.pk).exists():
                raise NotPermitted("Ta płatność dotyczy sprawy spoza Twojego zakresu.")
        if orig.status != PaymentStatus.RETURNED:
            raise DomainError("Ponownie wypłacić można tylko płatność zwróconą przez bank.")
        if Payment.objects.filter(reissue_of=orig).exists():
            raise DomainError("Ta płatność została już ponownie zlecona.")
        n = 1
        root = orig
        while root.reissue_of_id:
            n += 1
            root = root.reissue_of
        pl = _draft_list(YearMonth.of(orig.period_start), method, orig.budget_key)
        new = Payment.objects.create(
            list=pl,
            reference=f"{root.reference}-P{n}",
            line_id=orig.line_id,
            decision_id=orig.decision_id,
            decision_number=orig.decision_number,
            case_id=orig.case_id,
            person_id=orig.person_id,
            recipient_name=orig.recipient_name,
            recipient_address=orig.recipient_address,
            benefit=orig.benefit,
            method=method,
            account_number=account,
            period_start=orig.period_start,
            period_end=orig.period_end,
            days_covered=orig.days_covered,
            days_in_month=orig.days_in_month,
            monthly_amount=orig.monthly_amount,
            amount=orig.amount,
            due_date=orig.due_date,
            health_due=False,
            section=orig.section,
            chapter=orig.chapter,
            paragraph=orig.paragraph,
            task_type=orig.task_type,
            funding=orig.funding,
            reissue_of=orig,
            reissued_by=actor if getattr(actor, "is_authenticated", False) else None,
            note=(note or f"Ponowienie zwróconej płatności {orig.reference}")[:300],
        )
        _refresh_totals([pl.id])
    return new


def payment_reissue_confirm(*, payment_id: int, actor: Any, now: datetime) -> Payment:
    """A second person confirms a re-issue to a changed account (issue 20, finding 6): not
    the one who re-issued it, nor the one whose statement import returned the original."""
    _need(actor, "payments.reissue_payment")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        from ostoja.payments.selectors import payments_visible

        if not payments_visible(user=actor).filter(pk=payment.pk).exists():
            raise NotPermitted("Ta płatność dotyczy sprawy spoza Twojego zakresu.")
        if not payment.account_changed:
            raise DomainError("Ta płatność nie jest ponowieniem na zmieniony rachunek.")
        if payment.account_confirmed_by_id is not None:
            raise DomainError("Zmianę rachunku już potwierdzono.")
        if payment.list.status != ListStatus.DRAFT:
            raise DomainError("Lista z tą płatnością jest już zatwierdzona.")
        involved = {payment.reissued_by_id} | set(
            StatementEntry.objects.filter(
                payment_id=payment.reissue_of_id,
                outcome=EntryOutcome.RETURNED,
                statement__created_by__isnull=False,
            ).values_list("statement__created_by_id", flat=True)
        )
        if actor.pk in involved:
            raise NotPermitted(
                "Zmianę rachunku potwierdza inna osoba niż ta, która zleciła ponowienie lub "
                "zaimportowała wyciąg ze zwrotem (zasada dwóch par oczu)."
            )
        payment.account_confirmed_by = actor
        payment.account_confirmed_at = now
        payment.save(update_fields=["account_confirmed_by", "account_confirmed_at"])
    return payment


# ---------------------------------------------------------------------------- receivables
def receivable_register(
    *,
    person_id: int,
    case_id: int | None,
    debtor_name: str,
    decision_number: str,
    decided_on: date,
    due_date: date,
    principal: Decimal,
    reason: str,
    instalments: int = 1,
    instalment_decision: str = "",
    overpayment_ids: Iterable[int] = (),
    decision_id: int | None = None,
    actor: Any,
) -> Receivable:
    """Register a receivable from a final recovery decision (art. 104 ust. 1), optionally in
    monthly instalments (art. 104 ust. 4)."""
    _need(actor, "payments.manage_receivables")
    errors: dict[str, list[str]] = {}
    if principal is None or principal <= 0:
        errors["principal"] = ["Kwota należności musi być większa od zera."]
    if not decision_number.strip():
        errors["decision_number"] = ["Podaj numer decyzji o zwrocie."]
    if instalments < 1 or instalments > 120:
        errors["instalments"] = ["Liczba rat: od 1 do 120."]
    if due_date < decided_on:
        errors["due_date"] = ["Termin zwrotu nie może poprzedzać daty decyzji."]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        rec = Receivable.objects.create(
            person_id=person_id,
            case_id=case_id,
            debtor_name=debtor_name[:200],
            decision_number=decision_number.strip(),
            decided_on=decided_on,
            due_date=due_date,
            principal=principal,
            reason=reason[:400],
            decision_id=decision_id,
            created_by=actor,
        )
        base = (principal / instalments).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        rows = []
        for i in range(instalments):
            amount = base if i < instalments - 1 else principal - base * (instalments - 1)
            from ostoja.law.periods import add_months

            rows.append(
                Instalment(
                    receivable=rec,
                    number=i + 1,
                    due_date=add_months(due_date, i),
                    amount=amount,
                    decision_number=instalment_decision if instalments > 1 else "",
                )
            )
        Instalment.objects.bulk_create(rows)
        ids = list(overpayment_ids)
        if ids:
            Overpayment.objects.filter(
                id__in=ids, person_id=person_id, receivable__isnull=True
            ).update(receivable=rec, status=OverpaymentStatus.RECEIVABLE)
    return rec


def _already_registered(number: str) -> ConflictError:
    return ConflictError(
        f"Należność z decyzji {number} jest już zarejestrowana — nie utworzono drugiej."
    )


def receivable_register_from_decision(*, decision_id: int, actor: Any) -> Receivable:
    """Register the receivable of a signed recovery decision (art. 98 ust. 1, art. 104 ust. 1
    u.p.s.): debtor = the decision's addressee, principal = its amount to recover, due date = its
    termin zwrotu. Once per decision — a second attempt is refused (ConflictError) and the unique
    constraint on ``Receivable.decision_id`` guards against a concurrent one. Overpayments whose
    recovery draft became this decision are attached to the receivable."""
    from .selectors import recovery_decision_for_receivable

    _need(actor, "payments.manage_receivables")
    d = recovery_decision_for_receivable(decision_id=decision_id)
    if d is None:
        raise DomainError(
            "To nie jest podpisana decyzja o zwrocie nienależnie pobranego świadczenia "
            "z kwotą do zwrotu — należności nie zarejestrowano."
        )
    existing = Receivable.objects.filter(decision_id=decision_id).first()
    if existing is not None:
        raise _already_registered(existing.decision_number)
    decided_on = d.issued_on or d.final_on
    if decided_on is None:
        raise DomainError(
            f"Decyzja {d.number} nie ma daty wydania — należności nie zarejestrowano."
        )
    reason = "Zwrot nienależnie pobranego świadczenia (art. 98 ust. 1, art. 104 ust. 1 u.p.s.)"
    if d.reason.strip():
        reason = f"{reason} — {d.reason.strip()}"
    overpayment_ids = list(
        Overpayment.objects.filter(
            recovery_draft=str(decision_id), person_id=d.person_id, receivable__isnull=True
        ).values_list("pk", flat=True)
    )
    try:
        with transaction.atomic():
            return receivable_register(
                person_id=d.person_id,
                case_id=d.case_id,
                debtor_name=d.debtor_name,
                decision_number=d.number,
                decided_on=decided_on,
                # No termin zwrotu in the decision: due once it is final (art. 104 ust. 1).
                due_date=max(d.due_date or d.final_on or decided_on, decided_on),
                principal=d.amount,
                reason=reason,
                overpayment_ids=overpayment_ids,
                decision_id=decision_id,
                actor=actor,
            )
    except IntegrityError:
        if Receivable.objects.filter(decision_id=decision_id).exists():
            raise _already_registered(d.number) from None
        raise


def receivable_balance(rec: Receivable) -> Decimal:
    repaid = rec.repayments.aggregate(s=Sum("amount"))["s"] or _ZERO
    written = rec.write_offs.aggregate(s=Sum("amount"))["s"] or _ZERO
    return rec.principal - repaid - written


def receivable_repay(
    *, receivable_id: int, paid_on: date, amount: Decimal, reference: str, actor: Any
) -> Repayment:
    _need(actor, "payments.manage_receivables")
    with transaction.atomic():
        rec = Receivable.objects.select_for_update().get(pk=receivable_id)
        if amount is None or amount <= 0:
            raise ValidationFailed({"amount": ["Kwota wpłaty musi być większa od zera."]})
        if amount > receivable_balance(rec):
            raise ValidationFailed({"amount": ["Wpłata przekracza saldo należności."]})
        return Repayment.objects.create(
            receivable=rec,
            paid_on=paid_on,
            amount=amount,
            reference=reference[:120],
            created_by=actor,
        )


def receivable_write_off(
    *, receivable_id: int, decision_number: str, decided_on: date, amount: Decimal, actor: Any
) -> WriteOff:
    """Umorzenie — only on the basis of a decision (art. 104 ust. 4 u.p.s.)."""
    _need(actor, "payments.manage_receivables")
    with transaction.atomic():
        rec = Receivable.objects.select_for_update().get(pk=receivable_id)
        errors: dict[str, list[str]] = {}
        if not decision_number.strip():
            errors["decision_number"] = ["Umorzenie wymaga decyzji — podaj jej numer."]
        if amount is None or amount <= 0:
            errors["amount"] = ["Kwota musi być większa od zera."]
        elif amount > receivable_balance(rec):
            errors["amount"] = ["Kwota umorzenia przekracza saldo należności."]
        if errors:
            raise ValidationFailed(errors)
        return WriteOff.objects.create(
            receivable=rec,
            decision_number=decision_number.strip(),
            decided_on=decided_on,
            amount=amount,
            created_by=actor,
        )


# --------------------------------------------------------------------------------- budget
def budget_plan_set(
    *,
    year: int,
    chapter: str,
    paragraph: str,
    task_type: str,
    funding: str,
    amount: Decimal,
    actor: Any,
    section: str = "852",
) -> BudgetPlan:
    _need(actor, "payments.manage_budget")
    if amount is None or amount < 0:
        raise ValidationFailed({"amount": ["Plan nie może być ujemny."]})
    if not (chapter.isdigit() and len(chapter) == 5 and chapter.startswith(section)):
        raise ValidationFailed({"chapter": [f"Rozdział to 5 cyfr zaczynających się od {section}."]})
    if not (paragraph.isdigit() and len(paragraph) == 4):
        raise ValidationFailed({"paragraph": ["Paragraf to 4 cyfry."]})
    with transaction.atomic():
        plan, created = BudgetPlan.objects.get_or_create(
            year=year,
            section=section,
            chapter=chapter,
            paragraph=paragraph,
            task_type=task_type,
            funding=funding,
            defaults={"amount": amount},
        )
        if not created and plan.amount != amount:
            plan.amount = amount
            plan.version += 1
            plan.save()
    return plan

"""Reads of the payments context (templates get prepared data; queries do not grow with rows)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from ostoja.core import restriction
from ostoja.decisions.lines import PayableLine
from ostoja.law.periods import YearMonth
from ostoja.org.roles import Role
from ostoja.registry.selectors import persons_visible

from . import budget
from .formats.zus import INSURANCE_TITLE
from .instalments import instalments_as_corrected
from .models import (
    BudgetPlan,
    HealthContribution,
    Instalment,
    ListStatus,
    Overpayment,
    Payment,
    PaymentList,
    PaymentRun,
    PaymentStatus,
    Receivable,
    ReceivableCorrection,
    Repayment,
    StatementImport,
    WriteOff,
)
from .schedule import due_for_month

_ZERO = Decimal("0.00")
EXECUTED = (PaymentStatus.APPROVED, PaymentStatus.EXPORTED, PaymentStatus.PAID)


# ----------------------------------------------------------------------------- scope
# Finance and management work organisation-wide. Everyone else (the benefits clerk) sees the
# payments of the cases they may open (``cases.selectors.cases_visible``: unit subtree or
# assignment). Payment lists mix the districts of a month, so they are shown whole only to
# whoever sees every district: finance, management and a clerk whose unit's subtree covers all
# care districts (in Kielce the Dział Pomocy Środowiskowej, ``dpsr``). A clerk placed in one
# district sees no lists, only the payments of their cases (``/api/v1/payments``).
WIDE_ROLES = frozenset({Role.FINANCE, Role.DIRECTOR, Role.DEPUTY_DIRECTOR})


def sees_all_payments(*, user: Any) -> bool:
    from ostoja.org.selectors import user_roles

    return bool(user_roles(user) & WIDE_ROLES)


def sees_lists(*, user: Any) -> bool:
    """Finance, management, or a scope covering every care district (see above)."""
    if sees_all_payments(user=user):
        return True
    cached = getattr(user, "_ostoja_sees_payment_lists", None)
    if cached is None:
        from ostoja.org.choices import UnitKind
        from ostoja.org.selectors import unit_list
        from ostoja.registry.scope import visible_unit_ids

        visible = visible_unit_ids(user)
        districts = {u.pk for u in unit_list() if u.kind == UnitKind.CARE_DISTRICT}
        cached = bool(visible) and districts <= visible
        user._ostoja_sees_payment_lists = cached
    return bool(cached)


def payments_visible(*, user: Any) -> QuerySet[Payment]:
    qs = Payment.objects.all()
    if sees_all_payments(user=user):
        return qs
    from ostoja.cases.selectors import cases_visible

    return qs.filter(case_id__in=cases_visible(user=user).values("pk"))


def lists_visible(*, user: Any) -> QuerySet[PaymentList]:
    if sees_lists(user=user):
        return PaymentList.objects.all()
    return PaymentList.objects.none()


def months_overview(limit: int = 12) -> list[dict[str, Any]]:
    rows = (
        PaymentList.objects.values("month")
        .annotate(
            lists=Count("id"),
            count=Sum("payment_count"),
            total=Sum("total"),
            drafts=Count("id", filter=Q(status=ListStatus.DRAFT)),
        )
        .order_by("-month")[:limit]
    )
    return [{**r, "label": f"{r['month']:%Y-%m}", "total": r["total"] or _ZERO} for r in rows]


def lists_for_month(month: date) -> list[PaymentList]:
    return list(PaymentList.objects.filter(month=month).select_related("approved_by"))


def last_run(month: date) -> PaymentRun | None:
    return PaymentRun.objects.filter(month=month).select_related("actor").first()


def payment_list(list_id: int) -> PaymentList:
    return PaymentList.objects.select_related("approved_by").get(pk=list_id)


def list_payments(pl: PaymentList) -> list[Payment]:
    return list(pl.payments.select_related("reissue_of").order_by("recipient_name", "id"))


@dataclass(frozen=True)
class SharedAccount:
    """One bank account that two or more different recipients on a list are paid to."""

    account_number: str
    recipients: tuple[str, ...]
    references: tuple[str, ...]
    # Recipients on the same account whose processing is restricted (art. 18 RODO): named
    # only to a user who may see the person (``list_shared_accounts``), never counted.
    held: tuple[str, ...] = ()


def shared_accounts(pl: PaymentList, *, leaving_out: Iterable[int] = ()) -> list[SharedAccount]:
    """Accounts on the list paid to more than one person — a sign of an error or of money
    diverted from the party (each benefit belongs to its own addressee).

    ``leaving_out``: ids of payments that will not stay on the list (approval holds them back
    for art. 18 RODO) — they share nothing on it and are neither counted nor named."""
    rows = (
        pl.payments.exclude(status=PaymentStatus.CANCELLED)
        .exclude(account_number="")
        .exclude(pk__in=list(leaving_out))
        .values_list("account_number", "person_id", "recipient_name", "reference")
        .order_by("account_number", "recipient_name", "reference")
    )
    by_account: dict[str, list[tuple[int, str, str]]] = {}
    for account, person_id, name, reference in rows:
        by_account.setdefault(account, []).append((person_id, name, reference))
    found = []
    for account, items in by_account.items():
        if len({person_id for person_id, _, _ in items}) > 1:
            found.append(
                SharedAccount(
                    account_number=account,
                    recipients=tuple(dict.fromkeys(name for _, name, _ in items)),
                    references=tuple(ref for _, _, ref in items),
                )
            )
    return found


def list_shared_accounts(*, pl: PaymentList, user: Any, now: datetime) -> list[SharedAccount]:
    """The list page's shared-account box (issue 21): the accounts shared by the payments that
    stay on the list — a person whose processing is restricted at ``now`` (art. 18 RODO) is
    held back by approval and the bank export, so their payments neither make an account
    shared nor are counted in it, for everyone (the box then warns of exactly what approval
    will ask a reason for). Their names are added to an account already shown only for a user
    who may open the person (``registry.selectors.persons_visible``), as the list's report of
    held-back payments does; to anyone else they do not exist in the box."""
    restricted = restriction.restricted_persons(now=now)
    held_rows: list[tuple[int, str, int, str]] = []
    if restricted:
        held_rows = list(
            pl.payments.exclude(status=PaymentStatus.CANCELLED)
            .exclude(account_number="")
            .filter(person_id__in=list(restricted))
            .values_list("pk", "account_number", "person_id", "recipient_name")
        )
    shared = shared_accounts(pl, leaving_out=[pk for pk, _, _, _ in held_rows])
    if not held_rows or not shared:
        return shared
    accounts = {s.account_number for s in shared}
    persons = {pid for _, account, pid, _ in held_rows if account in accounts}
    visible = set(
        persons_visible(user=user).filter(pk__in=sorted(persons)).values_list("pk", flat=True)
    )
    named: dict[str, dict[str, None]] = defaultdict(dict)
    for _, account, pid, name in sorted(held_rows, key=lambda r: (r[3], r[0])):
        if account in accounts and pid in visible:
            named[account][name] = None
    return [
        replace(s, held=tuple(named[s.account_number])) if s.account_number in named else s
        for s in shared
    ]


def payments_query(
    *,
    user: Any,
    month: str | None = None,
    status: str | None = None,
    method: str | None = None,
    list_id: int | None = None,
) -> QuerySet[Payment]:
    qs = payments_visible(user=user).order_by("id")
    if month:
        ym = YearMonth(int(month[:4]), int(month[5:7]))
        qs = qs.filter(list__month=ym.first_day)
    if status:
        qs = qs.filter(status=status)
    if method:
        qs = qs.filter(method=method)
    if list_id:
        qs = qs.filter(list_id=list_id)
    return qs


def lists_query(
    *,
    user: Any = None,
    month: str | None = None,
    status: str | None = None,
    method: str | None = None,
) -> QuerySet[PaymentList]:
    """``user=None`` is unscoped — only for a caller that has already limited itself to finance
    (the home page's panel ``web.home``; it should pass ``user`` too)."""
    base = PaymentList.objects.all() if user is None else lists_visible(user=user)
    qs = base.order_by("-month", "id")
    if month:
        qs = qs.filter(month=YearMonth(int(month[:4]), int(month[5:7])).first_day)
    if status:
        qs = qs.filter(status=status)
    if method:
        qs = qs.filter(method=method)
    return qs


def returned_payments(*, user: Any) -> list[Payment]:
    return list(
        payments_visible(user=user)
        .filter(status=PaymentStatus.RETURNED)
        .select_related("list")
        .prefetch_related("reissues")
        .order_by("-returned_on", "-id")
    )


def statement_imports(limit: int = 20) -> list[StatementImport]:
    return list(StatementImport.objects.defer("content").select_related("created_by")[:limit])


def statement_detail(import_id: int) -> tuple[StatementImport, list[Any]]:
    imp = StatementImport.objects.defer("content").get(pk=import_id)
    return imp, list(imp.entries.select_related("payment").order_by("sequence"))


def overpayments(*, user: Any, limit: int = 200) -> list[Overpayment]:
    qs = Overpayment.objects.select_related("payment", "receivable")
    if not sees_all_payments(user=user):
        from ostoja.cases.selectors import cases_visible

        qs = qs.filter(case_id__in=cases_visible(user=user).values("pk"))
    return list(qs[:limit])


@dataclass
class ReceivableRow:
    receivable: Receivable
    repaid: Decimal
    written_off: Decimal
    corrected: Decimal = Decimal("0")  # correcting documents, signed (korekty)

    @property
    def balance(self) -> Decimal:
        return self.receivable.principal + self.corrected - self.repaid - self.written_off

    def schedule(self) -> list[tuple[Instalment, Decimal]]:
        """Each decided instalment with its amount as the correcting documents leave it (the
        change read from the schedule's end, ``instalments_as_corrected``); the instalments as
        prefetched (``receivable_detail``)."""
        rows = list(self.receivable.instalments.all())
        after = instalments_as_corrected([i.amount for i in rows], self.corrected)
        return list(zip(rows, after, strict=True))


def _sum_of(model: Any) -> Subquery:
    """The sum of ``model.amount`` rows of the outer receivable, as a scalar subquery: two
    joined reverse relations would multiply rows, and SUM(DISTINCT) would drop a second
    repayment of the same amount (two equal instalments paid)."""
    return Subquery(
        model.objects.filter(receivable_id=OuterRef("pk"))
        .order_by()
        .values("receivable_id")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )


def receivables(person_id: int | None = None) -> list[ReceivableRow]:
    qs = Receivable.objects.annotate(
        repaid=_sum_of(Repayment),
        written=_sum_of(WriteOff),
        corrected=_sum_of(ReceivableCorrection),
    )
    if person_id:
        qs = qs.filter(person_id=person_id)
    return [
        ReceivableRow(r, r.repaid or _ZERO, r.written or _ZERO, r.corrected or _ZERO) for r in qs
    ]


@dataclass(frozen=True)
class RecoveryToRegister:
    """A signed recovery decision (art. 98 ust. 1, art. 104 u.p.s.) without a receivable yet."""

    decision_id: int
    number: str
    status_label: str
    issued_on: date | None
    final_on: date | None
    person_id: int
    debtor_name: str
    case_id: int
    case_reference: str
    amount: Decimal
    due_date: date | None
    reason: str


def _recovery_decisions() -> QuerySet[Any]:
    """Signed recovery decisions still in force with an amount to recover (read-only query of
    the decisions context; payments sits above it in the layers and no decisions selector
    lists them)."""
    from ostoja.decisions.choices import DecisionKind
    from ostoja.decisions.models import SIGNED_STATUSES, Decision

    return Decision.objects.filter(
        kind=DecisionKind.RECOVERY,
        status__in=SIGNED_STATUSES,
        ended_on__isnull=True,
        recovery_amount__gt=0,
    )


def _recovery_row(d: Any) -> RecoveryToRegister:
    return RecoveryToRegister(
        decision_id=d.pk,
        number=d.number,
        status_label=d.get_status_display(),
        issued_on=d.issued_on,
        final_on=d.final_on,
        person_id=d.addressee_id,
        debtor_name=d.addressee_name,
        case_id=d.case_id,
        case_reference=d.case_reference,
        amount=d.recovery_amount,
        due_date=d.recovery_due,
        reason=d.reason_text,
    )


def recovery_decisions_to_register(*, limit: int = 500) -> list[RecoveryToRegister]:
    """Signed recovery decisions that have no receivable yet, oldest first (one query)."""
    registered = Receivable.objects.filter(decision_id__isnull=False).values("decision_id")
    qs = (
        _recovery_decisions()
        .exclude(pk__in=registered)
        .order_by("issued_on", "pk")
        .only(
            "pk",
            "number",
            "status",
            "issued_on",
            "final_on",
            "addressee_id",
            "addressee_name",
            "case_id",
            "case_reference",
            "recovery_amount",
            "recovery_due",
            "reason_text",
        )
    )
    return [_recovery_row(d) for d in qs[:limit]]


def recovery_decision_for_receivable(*, decision_id: int) -> RecoveryToRegister | None:
    """The signed recovery decision ``decision_id`` (registered or not), or None when it is no
    such decision (a draft, another kind, quashed on appeal, no amount)."""
    d = _recovery_decisions().filter(pk=decision_id).first()
    if d is None:
        return None
    return _recovery_row(d)


def balances_per_person() -> list[dict[str, Any]]:
    per: dict[int, dict[str, Any]] = {}
    for row in receivables():
        d = per.setdefault(
            row.receivable.person_id,
            {
                "person_id": row.receivable.person_id,
                "name": row.receivable.debtor_name,
                "principal": _ZERO,
                "balance": _ZERO,
                "count": 0,
            },
        )
        d["principal"] += row.receivable.principal
        d["balance"] += row.balance
        d["count"] += 1
    return sorted(per.values(), key=lambda d: (-d["balance"], d["name"]))


def receivable_detail(receivable_id: int) -> ReceivableRow:
    rec = Receivable.objects.prefetch_related(
        "instalments", "repayments", "write_offs", "overpayments", "corrections"
    ).get(pk=receivable_id)
    repaid = sum((r.amount for r in rec.repayments.all()), _ZERO)
    written = sum((w.amount for w in rec.write_offs.all()), _ZERO)
    corrected = sum((c.amount for c in rec.corrections.all()), _ZERO)
    return ReceivableRow(rec, repaid, written, corrected)


def health_list(month: date) -> dict[str, Any]:
    rows = list(
        HealthContribution.objects.filter(month=month).order_by("recipient_name", "person_id")
    )
    return {
        "rows": rows,
        "total": sum((r.amount for r in rows), _ZERO),
        "basis_total": sum((r.basis for r in rows), _ZERO),
        "title": INSURANCE_TITLE,
        "chapter": budget.classification_for("skladka_zdrowotna"),
    }


@dataclass
class PlanRow:
    key: tuple[str, str, str, str, str]
    plan: Decimal = _ZERO
    executed: Decimal = _ZERO
    committed: Decimal = _ZERO

    @property
    def chapter_name(self) -> str:
        return budget.chapter_name(self.key[1])

    @property
    def available(self) -> Decimal:
        return self.plan - self.executed - self.committed

    @property
    def percent(self) -> Decimal | None:
        if not self.plan:
            return None
        return (self.executed * 100 / self.plan).quantize(Decimal("0.1"))


def plan_vs_execution(
    *, year: int, lines: list[PayableLine] | None, from_month: YearMonth
) -> list[PlanRow]:
    """Plan for the year per classification line, what was paid (approved/exported/paid, less
    returned), and commitments: amounts the signed decisions will still make due from
    ``from_month`` to December that are not yet payments (None lines → commitments unknown)."""
    rows: dict[tuple[str, str, str, str, str], PlanRow] = {}

    def row(key: tuple[str, str, str, str, str]) -> PlanRow:
        if key not in rows:
            rows[key] = PlanRow(key)
        return rows[key]

    for p in BudgetPlan.objects.filter(year=year):
        row(p.budget_key).plan += p.amount
    fields = ("section", "chapter", "paragraph", "task_type", "funding")
    for r in (
        Payment.objects.filter(period_start__year=year, status__in=EXECUTED)
        .values(*fields)
        .annotate(s=Sum("amount"))
    ):
        row(tuple(r[f] for f in fields)).executed += r["s"] or _ZERO
    if lines:
        existing = defaultdict(set)
        for line_id, start in (
            Payment.objects.filter(period_start__year=year, reissue_of__isnull=True)
            .exclude(status=PaymentStatus.CANCELLED)
            .values_list("line_id", "period_start")
        ):
            existing[line_id].add(start)
        month = from_month
        while month.year == year:
            for ln in lines:
                due = due_for_month(ln, month)
                if due is None or due.period_start in existing.get(ln.line_id, ()):
                    continue
                if ln.one_off:
                    existing[ln.line_id].add(due.period_start)
                b = ln.budget
                row(
                    (b.section, b.chapter, b.paragraph, str(b.task_type), str(b.funding))
                ).committed += due.amount
            month = month.shift(1)
    return sorted(rows.values(), key=lambda r: r.key)


# ----------------------------------------------------------------------------- statistics
@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One executed payment as statistical reports (MRPiPS-03) read it."""

    payment_id: int
    reference: str
    case_id: int
    person_id: int
    recipient_name: str
    decision_id: int
    decision_number: str
    benefit: str
    task_type: str
    amount: Decimal
    due_date: date

    @property
    def payments(self) -> int:
        return 1


@dataclass(frozen=True, slots=True)
class LedgerGroup:
    """Executed payments of one decision's benefit to one person, summed (set-based: the
    statistics need counts and money per line, not each payment)."""

    case_id: int
    person_id: int
    decision_id: int
    benefit: str
    task_type: str
    payments: int
    amount: Decimal


def _executed(start: date, end: date) -> QuerySet[Payment]:
    return Payment.objects.filter(status__in=EXECUTED, due_date__gte=start, due_date__lt=end)


def ledger_executed_grouped(*, start: date, end: date) -> list[LedgerGroup]:
    """``ledger_executed`` summed per (case, person, decision, benefit, task type) in SQL."""
    cents = Decimal("0.01")
    keys = ("case_id", "person_id", "decision_id", "benefit", "task_type")
    rows = (
        _executed(start, end).values_list(*keys).annotate(n=Count("id"), s=Sum("amount")).order_by()
    )
    # SQLite sums decimals as floats: a handful of 2-place amounts rounds back exactly.
    return [LedgerGroup(*r[:5], r[5], Decimal(str(r[6])).quantize(cents)) for r in rows]


def ledger_executed(*, start: date, end: date) -> list[LedgerEntry]:
    """Payments on approved lists (approved, exported or paid; returned and cancelled ones
    excluded) due in ``[start, end)`` — the cash basis of MRPiPS-03 col. 3 (reporting.md §1.5
    rule 3). Organisation-wide: callers scope what they show of it."""
    fields = (
        "id", "reference", "case_id", "person_id", "recipient_name", "decision_id",
        "decision_number", "benefit", "task_type", "amount", "due_date",
    )  # fmt: skip
    rows = _executed(start, end).order_by("id").values_list(*fields)
    return [LedgerEntry(*r) for r in rows.iterator(chunk_size=5000)]


# ----------------------------------------------------------------------------- art. 18 RODO


@dataclass(frozen=True)
class RestrictedPerson:
    person_id: int
    name: str
    decisions: list[str]
    periods: list[str]  # "MM.RRRR"
    amount: Decimal
    reason: str


@dataclass(frozen=True)
class RestrictedSkips:
    """What a run left out because processing was restricted (art. 18 RODO): the persons
    ``user`` may see by name, the others only counted."""

    shown: list[RestrictedPerson]
    hidden: int  # persons outside the user's scope

    @property
    def total(self) -> int:
        return len(self.shown) + self.hidden


def run_restricted(*, run: PaymentRun | None, user: Any) -> RestrictedSkips:
    """The run's restricted persons, scoped like the person register
    (``registry.selectors.persons_visible``): a name only to whoever may open the person."""
    if run is None or not run.restricted:
        return RestrictedSkips([], 0)
    return _restricted_skips(run.restricted, user=user)


def list_restricted(*, pl: PaymentList, user: Any) -> RestrictedSkips:
    """Payments held back from ``pl`` because the person's processing was restricted (art. 18
    RODO) — taken off at approval (``pl.restricted``) or left out of a bank file
    (``BankExport.withheld``); named only to whoever may open the person, like the run's."""
    entries = list(pl.restricted or [])
    for withheld in pl.exports.exclude(withheld=[]).values_list("withheld", flat=True):
        entries.extend(withheld)
    return _restricted_skips(entries, user=user)


def _restricted_skips(entries: list[dict[str, Any]], *, user: Any) -> RestrictedSkips:
    if not entries:
        return RestrictedSkips([], 0)
    by_person: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        by_person[int(entry["person"])].append(entry)
    names = {
        pk: f"{first} {last}"
        for pk, first, last in persons_visible(user=user)
        .filter(pk__in=list(by_person))
        .values_list("pk", "first_name", "last_name")
    }
    shown = [
        RestrictedPerson(
            person_id=pid,
            name=names[pid],
            decisions=sorted({str(e.get("decision", "")) for e in entries}),
            periods=sorted(
                {f"{e['period'][5:7]}.{e['period'][:4]}" for e in entries},
                key=lambda p: (p[3:], p[:2]),
            ),
            amount=sum((Decimal(e["amount"]) for e in entries), _ZERO),
            reason=str(entries[0].get("reason", "")),
        )
        for pid, entries in sorted(by_person.items())
        if pid in names
    ]
    return RestrictedSkips(shown, len(by_person) - len(shown))

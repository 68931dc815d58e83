"""Art. 18 RODO after the run: a person whose processing became restricted after their payment
was put on a list is not paid while the restriction lasts.

- At approval (:func:`approval.payment_list_approve`) the person's payments are taken off the
  list before its totals are frozen and moved to the supplement draft list of the same month,
  method and budget line; the approved list records them (``PaymentList.restricted``).
- At the bank export (:func:`bank_files.payment_list_export`) an approved payment is never
  edited: it is cancelled on its list (left out of the file) and replaced by an equal payment
  (``reissue_of``) on the supplement draft list; the export records it (``BankExport.withheld``).

Either way the money waits on a draft list, whose approval leaves it out again while the
restriction lasts, and once lifted it is approved and sent once: the (line, period) key of the
original and the one-replacement-per-payment constraint keep it from being paid twice. Records
and audit entries carry ids only; names are shown by ``selectors.list_restricted`` to users who
may see the person.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from auditlog.models import LogEntry

from ostoja.law.periods import YearMonth

from .. import sources
from ..models import Payment, PaymentList, PaymentStatus
from ._common import _draft_list, _refresh_totals
from .run import RESTRICTED_REASON


def restricted_of(payments: list[Payment], *, now: datetime) -> list[Payment]:
    """The payments among ``payments`` whose person's processing is restricted at ``now``."""
    restricted = sources.restricted_persons(now=now)
    return [p for p in payments if p.person_id in restricted] if restricted else []


def entry(
    p: Payment, *, stage: str, moved_to: PaymentList | None = None, replacement: int | None = None
) -> dict[str, Any]:
    """The record of one held-back payment (ids, period, amount, reason; no name)."""
    out: dict[str, Any] = {
        "payment": p.pk,
        "reference": p.reference,
        "person": p.person_id,
        "line": p.line_id,
        "decision": p.decision_number,
        "period": p.period_start.isoformat(),
        "amount": str(p.amount),
        "reason": RESTRICTED_REASON,
        "stage": stage,
    }
    if moved_to is not None:
        out["moved_to"] = moved_to.pk
    if replacement is not None:
        out["replacement"] = replacement
    return out


def supplement_of(pl: PaymentList) -> PaymentList:
    """The draft list that takes what ``pl`` (already approved in this transaction) left out."""
    return _draft_list(YearMonth.of(pl.month), pl.method, pl.budget_key)


def move_to_supplement(pl: PaymentList, held: list[Payment]) -> PaymentList:
    """Approval: the draft payments in ``held`` leave ``pl`` for its supplement draft list."""
    target = supplement_of(pl)
    Payment.objects.filter(pk__in=[p.pk for p in held], locked=False).update(list=target)
    _refresh_totals([target.pk])
    return target


def replace_on_supplement(
    pl: PaymentList, held: list[Payment], *, actor: Any
) -> tuple[PaymentList, list[dict[str, Any]]]:
    """Export: each approved payment in ``held`` is cancelled on ``pl`` and replaced by an equal
    payment on the supplement draft list (a correction referencing it, never an edit).

    The replacement is written with ``bulk_create``: ops' ``pre_save`` guard refuses a *new*
    payment of a restricted person, and this is not one — it is the same money, already
    approved, kept waiting; it cannot leave before the restriction is lifted because approving
    its list takes it off again."""
    target = supplement_of(pl)
    who = actor if getattr(actor, "is_authenticated", False) else None
    copies = []
    for orig in held:
        n, root = 1, orig
        while root.reissue_of is not None:
            n, root = n + 1, root.reissue_of
        copy = Payment(
            **{
                f.attname: getattr(orig, f.attname)
                for f in Payment._meta.concrete_fields
                if not f.primary_key
            }
        )
        copy.list_id = target.pk
        copy.reference = f"{root.reference}-P{n}"
        copy.status = PaymentStatus.SCHEDULED
        copy.locked = False
        copy.reissue_of_id = orig.pk
        copy.reissued_by = who
        copy.account_confirmed_by = None
        copy.account_confirmed_at = None
        copy.settled_on = None
        copy.returned_on = None
        copy.note = f"Wstrzymana na liście {pl.number}: {RESTRICTED_REASON}"[:300]
        copies.append(copy)
    made = Payment.objects.bulk_create(copies)
    Payment.objects.filter(pk__in=[p.pk for p in held]).update(
        status=PaymentStatus.CANCELLED, note=f"Nie wysłana do banku: {RESTRICTED_REASON}"
    )
    _refresh_totals([target.pk])
    by_orig = {c.reissue_of_id: c.pk for c in made}
    if None in by_orig.values():  # SQLite < 3.35 gives no ids back
        by_orig = dict(
            Payment.objects.filter(reissue_of__in=[p.pk for p in held]).values_list(
                "reissue_of_id", "id"
            )
        )
    return target, [
        entry(p, stage="eksport", moved_to=target, replacement=by_orig.get(p.pk)) for p in held
    ]


def audit(
    pl: PaymentList,
    entries: list[dict[str, Any]],
    *,
    actor: Any,
    stage: str,
    moved_to: PaymentList,
) -> None:
    """One audit entry on the list: whose payments were held back, why and where (ids only)."""
    LogEntry.objects.log_create(
        pl,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"restricted": ["0", str(len(entries))]},
        actor=actor,
        additional_data={
            "reason": RESTRICTED_REASON,
            "stage": stage,
            "persons": sorted({e["person"] for e in entries}),
            "payments": [e["payment"] for e in entries],
            "moved_to": moved_to.number,
        },
    )

"""Settlement of a grant for a commissioned public task (*rozliczenie dotacji*): art. 25 u.p.s.
with the open-contest procedure of the public benefit act (u.d.p.p.), and the public finance
act (u.f.p.) for returns.

The part of the grant transferred but not used (*dotacja niewykorzystana*) is returned to the
budget — art. 251 ust. 1 u.f.p. (within 15 days after the task's end date set in the
agreement); spending above the transferred amount is the partner's own cost, never a claim on
the grant. Small grants (art. 19a u.d.p.p.): at most 10 000 zł and 90 days.

Pure: Decimals in, result with a trace out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .money import money, pln
from .trace import Step, TraceBuilder

__all__ = [
    "RETURN_DAYS",
    "SMALL_GRANT_MAX_AMOUNT",
    "SMALL_GRANT_MAX_DAYS",
    "GrantSettlement",
    "grant_settle",
    "return_deadline",
    "small_grant_errors",
]

SMALL_GRANT_MAX_AMOUNT = Decimal("10000.00")  # art. 19a ust. 1 pkt 1 u.d.p.p.
SMALL_GRANT_MAX_DAYS = 90  # art. 19a ust. 1 pkt 2 u.d.p.p.
RETURN_DAYS = 15  # art. 251 ust. 1 u.f.p.

_ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class GrantSettlement:
    """``paid`` = ``used`` + ``to_return``; ``own_cost`` is spending above ``paid``."""

    awarded: Decimal
    paid: Decimal
    spent: Decimal
    used: Decimal
    to_return: Decimal
    own_cost: Decimal
    trace: tuple[Step, ...]


def grant_settle(
    *, awarded: Decimal, instalments_paid: list[Decimal], spent: Decimal
) -> GrantSettlement:
    """Settle a grant from the instalments transferred and the spending in the final report."""
    if awarded <= 0:
        raise ValueError("awarded must be positive")
    if spent < 0 or any(i <= 0 for i in instalments_paid):
        raise ValueError("amounts must not be negative")
    tb = TraceBuilder()
    paid = money(sum(instalments_paid, _ZERO))
    if paid > awarded:
        raise ValueError("instalments exceed the grant")
    spent = money(spent)
    tb.add(
        "Dotacja przyznana umową", pln(money(awarded)), "art. 25 ust. 1 u.p.s.; art. 16 u.d.p.p."
    )
    tb.add(f"Przekazane transze ({len(instalments_paid)})", pln(paid), "umowa, harmonogram transz")
    tb.add("Wydatki z dotacji wg sprawozdania końcowego", pln(spent), "art. 18 u.d.p.p.")
    used = min(paid, spent)
    own_cost = money(spent - used)
    to_return = money(paid - used)
    if own_cost:
        tb.add(
            "Wydatki ponad przekazaną dotację — koszt własny realizatora",
            pln(own_cost),
            "art. 16 u.d.p.p. (dotacja do wysokości umowy)",
        )
    tb.add(
        "Dotacja niewykorzystana do zwrotu",
        f"{pln(paid)} − {pln(used)} = {pln(to_return)}",
        "art. 251 ust. 1 ustawy o finansach publicznych",
    )
    return GrantSettlement(
        awarded=money(awarded),
        paid=paid,
        spent=spent,
        used=used,
        to_return=to_return,
        own_cost=own_cost,
        trace=tb.build(),
    )


def return_deadline(task_end: date) -> date:
    """Last day to return unused grant money: 15 days after the task's end (art. 251 ust. 1
    u.f.p.)."""
    return task_end + timedelta(days=RETURN_DAYS)


def small_grant_errors(*, amount: Decimal, task_from: date, task_to: date) -> list[str]:
    """Why a task cannot be funded as a small grant (art. 19a ust. 1 u.d.p.p.); empty if it can.
    ``task_to`` is the last day of the task (inclusive)."""
    errors = []
    if amount > SMALL_GRANT_MAX_AMOUNT:
        errors.append(
            f"Mały grant nie może przekraczać {pln(SMALL_GRANT_MAX_AMOUNT)} "
            "(art. 19a ust. 1 pkt 1 u.d.p.p.)."
        )
    if (task_to - task_from).days + 1 > SMALL_GRANT_MAX_DAYS:
        errors.append(
            f"Zadanie w trybie art. 19a może trwać najwyżej {SMALL_GRANT_MAX_DAYS} dni "
            "(art. 19a ust. 1 pkt 2 u.d.p.p.)."
        )
    return errors

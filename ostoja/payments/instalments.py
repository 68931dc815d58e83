"""An instalment schedule as it stands after correcting documents — pure, no database.

The schedule (art. 104 ust. 4 u.p.s.: rozłożenie na raty) is the content of its decision and is
never edited. A later correcting document changes what the debtor owes in total (a correcting
bill of the care bill the receivable came from, ``ReceivableCorrection``); the schedule is then
read with the change applied from its end: a lowering takes the last instalments first (the
debtor's nearest terms stay as decided — nobody is asked to pay earlier or more at once), a
raise is added to the last one (a new instalment or a new term needs a new decision)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

ZERO = Decimal("0.00")


def instalments_as_corrected(amounts: Sequence[Decimal], correction: Decimal) -> list[Decimal]:
    """The decided instalment ``amounts`` with the signed ``correction`` applied from the end:
    negative — taken from the last instalment back, none below zero (a correction beyond the
    whole schedule leaves every instalment at zero); positive — added to the last one."""
    out = list(amounts)
    if not out or correction == 0:
        return out
    if correction > 0:
        out[-1] += correction
        return out
    left = -correction
    for i in range(len(out) - 1, -1, -1):
        if left <= 0:
            break
        taken = min(out[i], left)
        out[i] -= taken
        left -= taken
    return out

"""Exemption from a fee on the liable person's request (zwolnienie częściowe lub całkowite z
opłaty na wniosek) — on the terms the council's resolution sets: for a stay in a shelter or a
training / supported flat (art. 97 ust. 5 u.p.s.), for care services (art. 50 ust. 6 u.p.s.).

The fee table's parameter names the clause in ``exemption_basis``; a table without one admits
no exemption. What is waived is the fee's business (an amount of a monthly fee, a percentage of
a rate): each calculator applies it; the request, its date and the circumstance stated are
common, and become the trace step the decision's reasons quote (art. 107 § 3 KPA)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..errors import LawError
from ..store import Record
from ..trace import Step

__all__ = ["FeeExemption", "exemption_basis", "exemption_step"]


@dataclass(frozen=True, slots=True)
class FeeExemption:
    """An exemption granted on request: ``total``, or partial — ``amount`` of a monthly fee
    (art. 97) or ``percent`` of the fee (care services) waived. ``reason`` is the circumstance
    the decision states."""

    total: bool
    requested_on: date
    reason: str
    amount: Decimal | None = None
    percent: Decimal | None = None


def exemption_basis(table: Record) -> str:
    """The clause of the resolution that allows an exemption, or why none can be granted."""
    basis = table.get("exemption_basis")
    if not basis:
        raise LawError(
            f"Tabela odpłatności „{table.name}” nie wskazuje przepisu o zwolnieniu z opłaty "
            "(exemption_basis) — zwolnienia nie można przyznać, dopóki parametr go nie poda."
        )
    return str(basis)


def exemption_step(exemption: FeeExemption, figures: str, basis: str) -> Step:
    what = "całkowite" if exemption.total else "częściowe"
    return Step(
        f"Zwolnienie {what} z opłaty na wniosek z dnia "
        f"{exemption.requested_on:%d.%m.%Y} r. ({exemption.reason.strip()})",
        figures,
        basis,
    )

"""The monthly list of health contributions for zasiłek stały recipients — formats.md §7.

The contribution itself (9 %, monthly and indivisible, rounded to grosze) is computed by the law
core (:func:`ostoja.law.benefits.zasilek_staly.health_contribution`); this module only lays out
the list ZUS needs and its total. The insurance-title code is an unconfirmed, dated parameter
(formats.md §7.4) and is shown to finance staff with that mark.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ostoja.core.csvsafe import csv_writer

__all__ = ["INSURANCE_TITLE", "ZusRow", "write_zus_csv"]

# ⚠ formats.md §7.4: the 4-digit code for "person receiving zasiłek stały" could not be confirmed.
INSURANCE_TITLE = {
    "code": "",
    "confirmed": False,
    "note": "kod tytułu ubezpieczenia do potwierdzenia w ZUS/Płatniku",
}


@dataclass(frozen=True, slots=True)
class ZusRow:
    person_id: int
    name: str
    pesel: str
    basis: Decimal
    contribution: Decimal


def write_zus_csv(month: str, rows: Sequence[ZusRow]) -> bytes:
    """A working list for entering RZA/DRA data in Płatnik (not an official KEDU file)."""
    out = io.StringIO()
    w = csv_writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(["miesiac", "osoba", "nazwisko_imie", "pesel", "podstawa", "skladka", "kod_tytulu"])
    for r in rows:
        w.writerow(
            [
                month,
                r.person_id,
                r.name,
                r.pesel,
                f"{r.basis:.2f}",
                f"{r.contribution:.2f}",
                INSURANCE_TITLE["code"] or "DO USTALENIA",
            ]
        )
    total = sum((r.contribution for r in rows), Decimal("0.00"))
    w.writerow(["RAZEM", len(rows), "", "", "", f"{total:.2f}", ""])
    return out.getvalue().encode("utf-8")

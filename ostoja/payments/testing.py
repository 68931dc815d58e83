"""Synthetic decision lines for tests, the demo fallback and the benchmark (no real people)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from ostoja.decisions.lines import PayableLine, PaymentMethod

from .budget import classification_for

# The moment tests export a bank file at (no restriction of processing is in force then).
EXPORT_NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
# the day a returned payment is re-issued in tests: the decision is read as it stands then
REISSUE_ON = date(2026, 11, 20)

# Valid NRBs (MOD 97 computed): beneficiary accounts are generated from a serial number.
ORDERING_NRB = "73102026290000990201234567"  # formats.md §1.4, synthetic
BENEFICIARY_NRB = "48109010140000000123456789"  # formats.md §1.4, synthetic
_BANKS = ("10901014", "10205561", "11401108", "10202629")


def nrb_for(serial: int) -> str:
    bban = f"{_BANKS[serial % len(_BANKS)]}{serial:016d}"
    check = 98 - int(bban + "252100") % 97
    return f"{check:02d}{bban}"


def make_line(
    line_id: int,
    *,
    benefit: str = "zasilek_okresowy",
    amount: str = "600.00",
    period_from: date = date(2026, 1, 1),
    period_to: date | None = None,
    effective_to: date | None = None,
    method: PaymentMethod = PaymentMethod.TRANSFER,
    one_off: bool = False,
    insured: bool = True,
    person_id: int | None = None,
    account: str | None = None,
) -> PayableLine:
    budget = classification_for(benefit)
    assert budget is not None, benefit
    return PayableLine(
        line_id=line_id,
        decision_id=10_000 + line_id,
        decision_number=f"ZPS.4011.{line_id}.2026",
        case_id=20_000 + line_id,
        person_id=person_id or 30_000 + line_id,
        recipient_name=f"Jan Kowalski-{line_id}",
        recipient_address="ul. Testowa 5 m. 2, 25-001 Kielce",
        benefit=benefit,
        monthly_amount=Decimal(amount),
        period_from=period_from,
        period_to=period_to,
        effective_to=effective_to,
        payment_method=method,
        account_number=(account if account is not None else nrb_for(line_id))
        if method == PaymentMethod.TRANSFER
        else "",
        payment_day=10,
        budget=budget,
        one_off=one_off,
        health_insured_elsewhere=insured,
    )


CSV_HEADER = (
    "data_ksiegowania;strona;kwota;tytul;rachunek_kontrahenta;nazwa_kontrahenta;referencja_banku"
)


def csv_statement(
    rows: list[str], *, account: str = ORDERING_NRB, opening: Decimal = Decimal("10000.00")
) -> bytes:
    """A CSV statement of ``account`` whose closing balance reconciles with ``rows``
    (``data;strona;kwota;…`` in the documented layout)."""
    net = Decimal("0.00")
    for row in rows:
        side, amount = row.split(";")[1:3]
        value = Decimal(amount.replace(" ", "").replace(",", "."))
        net += value if side.strip().upper() == "C" else -value
    closing = opening + net
    preamble = [
        f"#rachunek;PL{account}",
        f"#saldo_poczatkowe;{opening}".replace(".", ","),
        f"#saldo_koncowe;{closing}".replace(".", ","),
    ]
    return ("\n".join([*preamble, CSV_HEADER, *rows]) + "\n").encode()


def decisions_know(monkeypatch: Any, lines: Iterable[PayableLine]) -> None:
    """Synthetic lines have no decision in the database: make ``sources.lines_now`` (what
    approval and the run ask of a re-issue's line, issue 21) answer from ``lines``."""
    from . import sources

    known = {ln.line_id: ln for ln in lines}

    def lines_now(
        *, line_ids: Iterable[int], period_start: date, period_end: date
    ) -> dict[int, PayableLine]:
        return {i: known[i] for i in line_ids if i in known}

    monkeypatch.setattr(sources, "lines_now", lines_now)

"""Reconciliation of a bank statement against the payments it names (uzgodnienie wyciągu).

Issue 20, finding 6: a statement is not trusted. Before anything is marked, every line that
carries one of our payment identifiers (``W12-202611``, ``W12-202611-P1`` …) in its title or
references must agree with that payment: the same amount and — when both sides have one — the
same recipient account. A statement that names our payment with another amount or account is
refused as a whole, with a Polish message per line; nothing is saved. (The statement's own
account and balances are checked by ``services.statement_problems``.)

Kept apart from ``services.py`` (which is being split into a package); ``statement_import``
calls :func:`named_payment_mismatches` next to ``statement_problems``.
"""

from __future__ import annotations

import re
from typing import Any

from ostoja.payments.models import Payment

# The same identifiers ``services.statement_import`` matches (current and pre-2026-11-12).
PAYMENT_REF = re.compile(r"(W\d+-\d{6}(?:-P\d+)?|\d{4}-\d{2}-\d+(?:-P\d+)?)")


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _amount(value: Any) -> str:
    return f"{value:.2f}".replace(".", ",")


def named_payment_mismatches(statement: Any) -> list[str]:
    """Lines naming one of our payments whose amount or account differ from the payment's.

    Empty when every named payment agrees (or the statement names none). Reversals (RC/RD)
    are the bank's own corrections and are left to the manual queue.
    """
    texts = [
        (line, f"{line.title} {line.owner_reference} {line.bank_reference}")
        for line in statement.lines
        if not line.reversal
    ]
    refs = {m.group(1) for _, text in texts for m in PAYMENT_REF.finditer(text)}
    if not refs:
        return []
    by_ref = {
        p.reference: p
        for p in Payment.objects.filter(reference__in=refs).only(
            "reference", "amount", "account_number"
        )
    }
    problems: list[str] = []
    for line, text in texts:
        for ref in dict.fromkeys(m.group(1) for m in PAYMENT_REF.finditer(text)):
            payment = by_ref.get(ref)
            if payment is None:
                continue
            if payment.amount != line.amount:
                problems.append(
                    f"Wiersz {line.sequence}: wypłata {ref} opiewa na "
                    f"{_amount(payment.amount)} zł, a wyciąg podaje {_amount(line.amount)} zł "
                    "— wyciąg się nie uzgadnia z wypłatą, nie zaimportowano."
                )
            own = _digits(payment.account_number)[-26:]
            theirs = _digits(line.counterparty_account)[-26:]
            if own and theirs and own != theirs:
                problems.append(
                    f"Wiersz {line.sequence}: wypłata {ref} była przelewem na inny rachunek "
                    f"niż rachunek kontrahenta w wyciągu ({line.counterparty_account}) — "
                    "wyciąg się nie uzgadnia z wypłatą, nie zaimportowano."
                )
    return problems

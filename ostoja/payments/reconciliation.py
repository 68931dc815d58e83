"""Reconciliation of a bank statement against the payments it names (uzgodnienie wyciągu).

Issue 20, finding 6: a statement is not trusted. Before anything is marked, every line that
carries one of our payment identifiers (``W12-202611``, ``W12-202611-P1`` …) in its title or
references must agree with that payment: the same amount and — when both sides have one — the
same recipient account. A statement that names our payment with another amount or account is
refused as a whole, with a Polish message per line; nothing is saved. (The statement's own
account and balances are checked by ``services.statement_problems``.)

Review after issue 20: a forged statement with the centre's account, balances that add up and
the right amounts was still accepted. :func:`provenance_problems` makes the statement prove it
answers a bank file we exported: every payment it names must be in the stored bytes of a
``BankExport`` of its list (Elixir reference / pain.001 ``EndToEndId``), a pain.001 message id
it quotes (``OSTOJA-LW…``) must be one of ours, a payout already confirmed by an earlier
statement is not confirmed again (the list is reconciled), and — the rule chosen — the person
who imports it is neither the one who approved the list nor the one who exported its file:
the statement is the bank's answer to that person's act, so someone else must check it.

Kept apart from ``services.py`` (which is being split into a package); ``statement_import``
calls :func:`named_payment_mismatches` next to ``statement_problems``.
"""

from __future__ import annotations

import re
from typing import Any

from ostoja.payments.models import BankExport, EntryOutcome, Payment, PaymentList, StatementEntry

# The same identifiers ``services.statement_import`` matches (current and pre-2026-11-12).
PAYMENT_REF = re.compile(r"(W\d+-\d{6}(?:-P\d+)?|\d{4}-\d{2}-\d+(?:-P\d+)?)")
# The pain.001 ``GrpHdr/MsgId`` of our exports (``bank_files.render_bank_file``).
MESSAGE_ID = re.compile(r"OSTOJA-LW(\d+)-\d{14}")

SEPARATION = (
    "Wyciąg do listy {number} importuje inna osoba niż ta, która listę zatwierdziła lub "
    "wyeksportowała do banku (zasada dwóch osób) — poproś o to drugą osobę z księgowości."
)


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


def _line_text(line: Any) -> str:
    return f"{line.title} {line.owner_reference} {line.bank_reference}"


def separation_problem(list_id: int, actor: Any) -> str | None:
    """The importer must not be the list's approver nor the exporter of its bank file."""
    pl = PaymentList.objects.only("number", "approved_by_id").get(pk=list_id)
    exporters = set(
        BankExport.objects.filter(list_id=list_id).values_list("created_by_id", flat=True)
    )
    if actor.pk == pl.approved_by_id or actor.pk in exporters:
        return SEPARATION.format(number=pl.number)
    return None


def provenance_problems(statement: Any, actor: Any) -> list[str]:
    """Why the statement cannot be the bank's answer to a file we exported (empty: it can).

    Checked per line that names one of our payments or message ids; a line naming nothing of
    ours is left to the account-and-amount match and the manual queue.
    """
    lines = [line for line in statement.lines if not line.reversal]
    refs = {m.group(1) for line in lines for m in PAYMENT_REF.finditer(_line_text(line))}
    msg_lists = {
        (m.group(0), int(m.group(1)))
        for line in lines
        for m in MESSAGE_ID.finditer(_line_text(line))
    }
    payments = {
        p.reference: p
        for p in Payment.objects.filter(reference__in=refs).only("reference", "list_id")
    }
    list_ids: set[int] = {p.list_id for p in payments.values() if p.list_id is not None}
    list_ids |= {lid for _, lid in msg_lists}
    exports: dict[int, list[bytes]] = {}
    for list_id, content in BankExport.objects.filter(list_id__in=list_ids).values_list(
        "list_id", "content"
    ):
        exports.setdefault(list_id, []).append(bytes(content))
    # The payouts earlier statements confirmed, with the line that did: the very same line in
    # an overlapping statement is a duplicate (skipped on import), another one is a forgery.
    confirmed = {
        ref: (value_date, bank_reference)
        for ref, value_date, bank_reference in StatementEntry.objects.filter(
            payment__reference__in=refs, outcome=EntryOutcome.PAID
        ).values_list("payment__reference", "value_date", "bank_reference")
    }
    problems: list[str] = []
    for msg_id, list_id in sorted(msg_lists):
        if not any(msg_id.encode() in c for c in exports.get(list_id, [])):
            problems.append(
                f"Wyciąg podaje identyfikator komunikatu {msg_id}, którego ośrodek nie wysłał "
                "do banku — nie zaimportowano."
            )
    for line in lines:
        for ref in dict.fromkeys(m.group(1) for m in PAYMENT_REF.finditer(_line_text(line))):
            payment = payments.get(ref)
            if payment is None or payment.list_id is None:
                continue
            files = exports.get(payment.list_id, [])
            if not files:
                problems.append(
                    f"Wiersz {line.sequence}: wypłata {ref} należy do listy, której plik nigdy "
                    "nie został wysłany do banku — wyciąg nie pochodzi z banku, nie zaimportowano."
                )
            elif not any(ref.encode() in c for c in files):
                problems.append(
                    f"Wiersz {line.sequence}: wypłaty {ref} nie ma w pliku wysłanym do banku "
                    "— nie zaimportowano."
                )
            elif (
                line.direction == "D"
                and ref in confirmed
                and confirmed[ref] != (line.value_date, line.bank_reference[:120])
            ):
                problems.append(
                    f"Wiersz {line.sequence}: wypłatę {ref} potwierdził już wcześniejszy wyciąg "
                    "— lista jest uzgodniona, nie zaimportowano."
                )
    for list_id in sorted(list_ids & set(exports)):
        problem = separation_problem(list_id, actor)
        if problem:
            problems.append(problem)
    return problems

"""Bank statements (wyciąg bankowy: MT940, CSV): import and reconciliation."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from ostoja.core.errors import ValidationFailed

from .. import sources
from ..formats.statements import (
    StatementError,
    decode_statement,
    parse_csv_statement,
    parse_mt940,
)
from ..models import (
    EntryOutcome,
    Payment,
    PaymentStatus,
    StatementEntry,
    StatementImport,
)
from ._common import _ZERO, _need
from .bank_files import _centre

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
    from ostoja.payments.reconciliation import (
        named_payment_mismatches,
        provenance_problems,
        separation_problem,
    )

    problems = statement_problems(statement) + named_payment_mismatches(statement)
    if not problems:
        problems = provenance_problems(statement, actor)
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
                # The same separation as for a named payment (reconciliation): a return
                # matched by account and amount is checked by someone else than the exporter.
                problem = (
                    separation_problem(payment.list_id, actor)
                    if payment is not None and payment.list_id is not None
                    else None
                )
                if problem:
                    raise ValidationFailed({"file": [problem]})
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

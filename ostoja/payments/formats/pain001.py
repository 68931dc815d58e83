"""ISO 20022 pain.001.001.03 (customer credit transfer initiation) for PLN domestic payouts.

pain.001.001.03 is the version of the Polish banking association's recommendation
(formats.md §3.1). One ``PmtInf`` per payment list; ``EndToEndId`` = our payment reference so
returns can be matched. ``CreDtTm`` is passed in (the list's approval time) — no clock — so the
same list gives byte-identical XML. Validated against the vendored official XSD in tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from lxml import etree

from .accounts import AccountError, sort_code, validate_nrb
from .text import sanitize, transliterate

__all__ = [
    "NS",
    "XSD_PATH",
    "Pain001Batch",
    "Pain001Error",
    "Pain001Tx",
    "validate",
    "write_pain001",
]

NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
XSD_PATH = Path(__file__).with_name("xsd") / "pain.001.001.03.xsd"
_CENT = Decimal("0.01")


class Pain001Error(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Pain001Tx:
    reference: str  # ≤ 35 chars: InstrId and EndToEndId
    amount: Decimal
    creditor_name: str
    creditor_account: str
    remittance: str  # ≤ 140 chars
    creditor_address_lines: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Pain001Batch:
    message_id: str
    created_at: datetime
    initiating_party: str
    payment_info_id: str
    execution_date: date
    debtor_name: str
    debtor_account: str
    transactions: Sequence[Pain001Tx] = field(default_factory=tuple)
    batch_booking: bool = False  # one debit per transfer on the statement (formats.md §4.5)


def _safe(text: str, limit: int) -> str:
    """SEPA-safe character set (formats.md §3.1), trimmed to ``limit``."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ ")
    clean = transliterate(sanitize(text))
    return "".join(c if c in allowed else " " for c in clean)[:limit].strip()


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, **attrib: str
) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS}}}{tag}", attrib)
    if text is not None:
        el.text = text
    return el


def _amount(value: Decimal) -> str:
    return str(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def write_pain001(batch: Pain001Batch) -> bytes:
    problems: list[str] = []
    try:
        debtor = validate_nrb(batch.debtor_account)
    except AccountError as exc:
        problems.append(f"rachunek ośrodka: {exc}")
        debtor = ""
    txs: list[tuple[Pain001Tx, str]] = []
    for tx in batch.transactions:
        try:
            txs.append((tx, validate_nrb(tx.creditor_account)))
        except AccountError as exc:
            problems.append(f"{tx.reference}: {exc}")
        if tx.amount <= 0:
            problems.append(f"{tx.reference}: kwota musi być większa od zera")
    if not batch.transactions:
        problems.append("lista nie zawiera żadnej płatności")
    if problems:
        raise Pain001Error(problems)

    total = sum((tx.amount.quantize(_CENT, rounding=ROUND_HALF_UP) for tx, _ in txs), Decimal(0))
    doc = etree.Element(f"{{{NS}}}Document", nsmap={None: NS})
    root = _sub(doc, "CstmrCdtTrfInitn")
    hdr = _sub(root, "GrpHdr")
    _sub(hdr, "MsgId", batch.message_id[:35])
    _sub(hdr, "CreDtTm", batch.created_at.replace(microsecond=0, tzinfo=None).isoformat())
    _sub(hdr, "NbOfTxs", str(len(txs)))
    _sub(hdr, "CtrlSum", _amount(total))
    _sub(_sub(hdr, "InitgPty"), "Nm", _safe(batch.initiating_party, 140))

    pmt = _sub(root, "PmtInf")
    _sub(pmt, "PmtInfId", batch.payment_info_id[:35])
    _sub(pmt, "PmtMtd", "TRF")
    _sub(pmt, "BtchBookg", "true" if batch.batch_booking else "false")
    _sub(pmt, "NbOfTxs", str(len(txs)))
    _sub(pmt, "CtrlSum", _amount(total))
    _sub(pmt, "ReqdExctnDt", batch.execution_date.isoformat())
    _sub(_sub(pmt, "Dbtr"), "Nm", _safe(batch.debtor_name, 140))
    dbtr_acct = _sub(pmt, "DbtrAcct")
    _sub(_sub(dbtr_acct, "Id"), "IBAN", "PL" + debtor)
    _sub(dbtr_acct, "Ccy", "PLN")
    _debtor_agent(_sub(pmt, "DbtrAgt"), debtor)
    for tx, account in txs:
        ti = _sub(pmt, "CdtTrfTxInf")
        pid = _sub(ti, "PmtId")
        _sub(pid, "InstrId", tx.reference[:35])
        _sub(pid, "EndToEndId", tx.reference[:35])
        _sub(_sub(ti, "Amt"), "InstdAmt", _amount(tx.amount), Ccy="PLN")
        _debtor_agent(_sub(ti, "CdtrAgt"), account)
        cdtr = _sub(ti, "Cdtr")
        _sub(cdtr, "Nm", _safe(tx.creditor_name, 70))
        address = [_safe(line, 70) for line in tx.creditor_address_lines if _safe(line, 70)]
        if address:
            adr = _sub(cdtr, "PstlAdr")
            _sub(adr, "Ctry", "PL")
            for line in address[:2]:
                _sub(adr, "AdrLine", line)
        _sub(_sub(_sub(ti, "CdtrAcct"), "Id"), "IBAN", "PL" + account)
        _sub(_sub(ti, "RmtInf"), "Ustrd", _safe(tx.remittance, 140))
    return etree.tostring(doc, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _debtor_agent(agent: etree._Element, nrb: str) -> None:
    """Bank by its 8-digit sort code under the Polish clearing system ``PLKNR`` (⚠ per bank)."""
    fin = _sub(agent, "FinInstnId")
    mmb = _sub(fin, "ClrSysMmbId")
    _sub(_sub(mmb, "ClrSysId"), "Cd", "PLKNR")
    _sub(mmb, "MmbId", sort_code(nrb))


_SCHEMA: etree.XMLSchema | None = None


def validate(xml: bytes) -> list[str]:
    """Errors of ``xml`` against the official pain.001.001.03 XSD (empty list = valid)."""
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = etree.XMLSchema(etree.parse(str(XSD_PATH)))
    doc = etree.fromstring(xml)
    if _SCHEMA.validate(doc):
        return []
    return [str(e) for e in _SCHEMA.error_log]

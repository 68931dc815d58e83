"""Bank statements: MT940 (SWIFT, Polish ``:86:`` dialects) and a documented CSV layout.

formats.md §4. Both parsers return the same :class:`Statement`; reconciliation works on that
and never on raw text. A maintained MT940 library (``mt-940``) could replace
:func:`parse_mt940` behind the same interface; the Polish ``:86:`` normaliser stays here.

CSV layout (``;``-separated, UTF-8 with an optional BOM, header row required):

    data_ksiegowania;strona;kwota;tytul;rachunek_kontrahenta;nazwa_kontrahenta;referencja_banku
    2026-11-27;D;1229,00;ZASILEK STALY 11/2026 ID WYPL 2026-11-0001532;4810...;JAN KOWALSKI;ELX0001

``strona`` is ``D`` (debit: money left the centre's account) or ``C`` (credit: money came back).

Before the header the file names the account and its balances, as every bank statement does
(lines starting with ``#``); without them a statement cannot be checked against the centre's
account nor reconciled, and the import refuses it:

    #rachunek;PL61109010140000071219812874
    #saldo_poczatkowe;15000,00
    #saldo_koncowe;13771,00
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ostoja.core.validation import parse_amount

__all__ = [
    "Statement",
    "StatementError",
    "StatementLine",
    "decode_statement",
    "parse_csv_statement",
    "parse_mt940",
]


class StatementError(ValueError):
    """The file is not a statement we can read (message in Polish)."""


@dataclass(frozen=True, slots=True)
class StatementLine:
    sequence: int  # position in the file, 1-based
    value_date: date
    entry_date: date | None
    direction: str  # "D" debit (payout) or "C" credit (return)
    reversal: bool
    amount: Decimal
    type_code: str
    owner_reference: str
    bank_reference: str
    title: str
    counterparty_name: str
    counterparty_account: str
    raw: str


@dataclass(slots=True)
class Statement:
    account: str = ""
    reference: str = ""
    number: str = ""
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None
    lines: list[StatementLine] = field(default_factory=list)


def decode_statement(data: bytes, encodings: tuple[str, ...] = ("utf-8", "cp852")) -> str:
    """Decode with the bank's code pages in order (formats.md §4.1)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("iso8859_2", errors="replace")


# ------------------------------------------------------------------------------- MT940
_TAG = re.compile(r"^:(\d{2}[A-Z]?):(.*)$")
_LINE61 = re.compile(
    r"^(?P<vdate>\d{6})(?P<edate>\d{4})?(?P<dc>RC|RD|C|D)(?P<funds>[A-Z])?"
    r"(?P<amount>\d+(?:,\d{0,2})?)(?P<type>[NSF][A-Z0-9]{3})(?P<rest>.*)$"
)
_BAL = re.compile(r"^(?P<dc>[CD])(?P<date>\d{6})(?P<ccy>[A-Z]{3})(?P<amount>\d+(?:,\d{0,2})?)$")
_SUBFIELD = re.compile(r"[~<^+](\d{2})")
_NRB = re.compile(r"(?:PL)?(\d{26})")


def _yymmdd(text: str) -> date:
    try:
        return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise StatementError(f"Niemożliwa data „{text}” (RRMMDD).") from None


def _entry_date(value_date: date, mmdd: str) -> date:
    """The :61: entry (booking) date has no year: it is the MMDD nearest the value date, so an
    entry booked on 2 January for a value date of 31 December falls in the next year (and the
    reverse); 29 February is taken only in a leap year."""
    month, day = int(mmdd[:2]), int(mmdd[2:])
    candidates = []
    for year in (value_date.year - 1, value_date.year, value_date.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise StatementError(f"Nieprawidłowa data księgowania „{mmdd}” w linii :61:.")
    return min(candidates, key=lambda d: abs((d - value_date).days))


def _amount(text: str) -> Decimal:
    """A statement amount: finite, at most two decimals, within the column (no NaN, Infinity,
    1E+40 — the shared validation layer)."""
    cleaned = text.strip().rstrip(".")
    try:
        return parse_amount(cleaned, label="kwota", max_digits=14, minimum=None)
    except ValueError as exc:
        raise StatementError(f"Nieczytelna kwota „{text[:30]}”: {exc}") from None


def _details(text: str) -> tuple[str, str, str]:
    """Normalise ``:86:`` → (title, counterparty name, counterparty account) — formats.md §4.4."""
    if len(text) > 3 and text[:3].isdigit() and len(text) > 3 and text[3] in "~<^+":
        parts: dict[str, list[str]] = {}
        pieces = _SUBFIELD.split(text[3:])
        for i in range(1, len(pieces) - 1, 2):
            parts.setdefault(pieces[i], []).append(pieces[i + 1])
        title = "".join("".join(parts.get(f"{n}", [])) for n in range(20, 28))
        name = " ".join("".join(parts.get(f"{n}", [])) for n in (32, 33)).strip()
        account = "".join(parts.get("38", [])) or "".join(parts.get("31", []))
        match = _NRB.search(account.replace(" ", ""))
        return title.strip(), name, match.group(1) if match else ""
    # mBank free-text dialect: "...; Z RACH.: <NRB>; OD: <name>; TYT.: <title>; ..."
    upper = text.upper()
    title = _keyword(text, upper, ("TYT.:", "TYTUŁ:", "TYTUL:"))
    name = _keyword(text, upper, ("OD:", "DLA:"))
    acct = _keyword(text, upper, ("Z RACH.:", "NA RACH.:"))
    match = _NRB.search(acct.replace(" ", ""))
    return (title or text).strip(), name, match.group(1) if match else ""


def _keyword(text: str, upper: str, keys: tuple[str, ...]) -> str:
    for key in keys:
        pos = upper.find(key)
        if pos >= 0:
            rest = text[pos + len(key) :]
            return rest.split(";", 1)[0].strip()
    return ""


def parse_mt940(text: str) -> Statement:
    """Parse one MT940 file (several statement blocks are merged into one list of lines)."""
    text = text.replace("\x01", "").replace("\x03", "")
    statement = Statement()
    tags: list[tuple[str, str]] = []
    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw_line.strip() or raw_line.strip() == "-":
            continue
        m = _TAG.match(raw_line)
        if m:
            tags.append((m.group(1), m.group(2)))
        elif tags:
            tag, value = tags[-1]
            tags[-1] = (tag, value + ("\n" if tag == "61" else "") + raw_line)
    if not any(tag == "61" or tag.startswith("60") for tag, _ in tags):
        raise StatementError("To nie jest wyciąg MT940 (brak pól :60F: i :61:).")
    pending: dict[str, object] | None = None
    seq = 0

    def flush(details: str = "") -> None:
        nonlocal pending
        if pending is None:
            return
        title, name, account = _details(details.replace("\n", ""))
        statement.lines.append(
            StatementLine(
                raw=str(pending.pop("raw")) + "\n:86:" + details,
                title=title,
                counterparty_name=name,
                counterparty_account=account,
                **pending,
            )
        )
        pending = None

    for tag, value in tags:
        if tag == "20":
            statement.reference = statement.reference or value.strip()
        elif tag == "25":
            match = _NRB.search(value.replace(" ", ""))
            statement.account = statement.account or (match.group(1) if match else value.strip())
        elif tag == "28C":
            statement.number = statement.number or value.strip()
        elif tag in ("60F", "60M"):
            bal = _BAL.match(value.strip())
            if bal and statement.opening_balance is None:
                sign = -1 if bal.group("dc") == "D" else 1
                statement.opening_balance = sign * _amount(bal.group("amount"))
        elif tag in ("62F", "62M"):
            flush()
            bal = _BAL.match(value.strip())
            if bal:
                sign = -1 if bal.group("dc") == "D" else 1
                statement.closing_balance = sign * _amount(bal.group("amount"))
        elif tag == "61":
            flush()
            first, _, supplementary = value.partition("\n")
            m = _LINE61.match(first.strip())
            if not m:
                raise StatementError(f"Nieczytelna linia :61: „{first.strip()}”.")
            seq += 1
            vdate = _yymmdd(m.group("vdate"))
            edate = None
            if m.group("edate"):
                edate = _entry_date(vdate, m.group("edate"))
            owner, _, bank_ref = m.group("rest").partition("//")
            dc = m.group("dc")
            pending = {
                "sequence": seq,
                "value_date": vdate,
                "entry_date": edate,
                "direction": dc[-1],
                "reversal": dc.startswith("R"),
                "amount": _amount(m.group("amount")),
                "type_code": m.group("type"),
                "owner_reference": owner.strip(),
                "bank_reference": (bank_ref.strip() + " " + supplementary.strip()).strip(),
                "raw": ":61:" + value,
            }
        elif tag == "86":
            flush(value)
    flush()
    return statement


# --------------------------------------------------------------------------------- CSV
CSV_COLUMNS = (
    "data_ksiegowania",
    "strona",
    "kwota",
    "tytul",
    "rachunek_kontrahenta",
    "nazwa_kontrahenta",
    "referencja_banku",
)


CSV_PREAMBLE = ("#rachunek", "#saldo_poczatkowe", "#saldo_koncowe")


def _csv_preamble(text: str, statement: Statement) -> str:
    """Read the ``#key;value`` lines before the header into ``statement``; the rest back."""
    rows = text.splitlines(keepends=True)
    while rows and rows[0].startswith("#"):
        key, _, value = rows.pop(0).strip().partition(";")
        value = value.strip()
        if key == "#rachunek":
            match = _NRB.search(value.replace(" ", ""))
            statement.account = match.group(1) if match else value
        elif key in ("#saldo_poczatkowe", "#saldo_koncowe"):
            try:
                amount = _amount(value.replace(" ", ""))
            except StatementError:
                raise StatementError(f"Nieczytelne saldo w wierszu „{key}”.") from None
            if key == "#saldo_poczatkowe":
                statement.opening_balance = amount
            else:
                statement.closing_balance = amount
        else:
            known = ", ".join(CSV_PREAMBLE)
            raise StatementError(f"Nieznany wiersz „{key}” przed nagłówkiem (znane: {known}).")
    return "".join(rows)


def parse_csv_statement(text: str) -> Statement:
    if text.startswith("\ufeff"):
        text = text[1:]
    statement = Statement()
    text = _csv_preamble(text, statement)
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise StatementError("Brak kolumn w pliku CSV: " + ", ".join(missing) + ".")
    try:
        rows = list(reader)
    except csv.Error:
        raise StatementError(
            f"Wiersz {reader.line_num}: nieczytelny (zbyt długie pole albo cudzysłów)."
        ) from None
    for seq, row in enumerate(rows, start=1):
        if None in row or any(row.get(c) is None for c in CSV_COLUMNS):
            raise StatementError(
                f"Wiersz {seq}: liczba kolumn różni się od nagłówka ({len(CSV_COLUMNS)})."
            )
        try:
            booked = date.fromisoformat(row["data_ksiegowania"].strip())
        except ValueError:
            raise StatementError(f"Wiersz {seq}: data musi mieć postać RRRR-MM-DD.") from None
        side = row["strona"].strip().upper()
        if side not in ("C", "D"):
            raise StatementError(f"Wiersz {seq}: strona musi być C albo D.")
        account = _NRB.search((row["rachunek_kontrahenta"] or "").replace(" ", ""))
        statement.lines.append(
            StatementLine(
                sequence=seq,
                value_date=booked,
                entry_date=booked,
                direction=side,
                reversal=False,
                amount=abs(_amount(row["kwota"].strip().replace(" ", ""))),
                type_code="",
                owner_reference="",
                bank_reference=(row["referencja_banku"] or "").strip(),
                title=(row["tytul"] or "").strip(),
                counterparty_name=(row["nazwa_kontrahenta"] or "").strip(),
                counterparty_account=account.group(1) if account else "",
                raw=";".join(row[c] or "" for c in CSV_COLUMNS),
            )
        )
    return statement

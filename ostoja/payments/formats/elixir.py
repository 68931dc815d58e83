"""Elixir-O bulk transfer file, message type 110 (polecenie przelewu) — formats.md §2.

One record per line, comma-separated, text fields in double quotes, CR LF after every record
(including the last), no header, no footer, no BOM. Amounts in grosze. Multi-line fields
(names, title) are at most 4 lines × 35 characters joined with ``|``.

Bank-specific choices (code page, 15 vs 16 fields, ASCII-only text, extra forbidden characters)
live in a :class:`BankProfile`; the default follows PKO BP's manual (CP852, 16 fields).
The centre picks its bank with the setting ``OSTOJA_BANK_PROFILE`` (read by
``ostoja.payments.services.bank_profile``; ``ostoja payroll export --profile`` overrides it):

- ``pko_bp`` (default) — PKO BP iPKO biznes: CP852, 16 fields, Polish letters kept;
- ``iso8859_2`` — generic Elixir-O in ISO-8859-2, 16 fields;
- ``ing`` — ING Multicash (PLI): ISO-8859-2, 15 fields (its sample has no 16th);
- ``e25`` — e25 (SGB / PBS cooperative banks): ISO-8859-2, also forbids ``: ; & @ $``;
- ``ascii`` — safe mode: Polish letters transliterated, for a bank that rejects them.

Which one a given bank accepts is to be confirmed with the bank's own import test
(formats.md §2 lists what is still uncertain).
The output depends only on its input — no clock — so the same list gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .accounts import AccountError, sort_code, validate_nrb
from .text import sanitize, split_lines

__all__ = [
    "PROFILES",
    "BankProfile",
    "ElixirError",
    "ElixirFile",
    "ElixirRecord",
    "amount_in_grosze",
    "write_elixir",
]

MESSAGE_TYPE = "110"
CLASSIFICATION = "51"  # ordinary credit transfer


@dataclass(frozen=True, slots=True)
class BankProfile:
    code: str
    label: str
    encoding: str = "cp852"
    fields: int = 16  # ING's sample stops at 15
    ascii_only: bool = False
    forbidden: str = '"|'
    max_records: int = 5000


PROFILES: dict[str, BankProfile] = {
    "pko_bp": BankProfile("pko_bp", "PKO BP (iPKO biznes) — CP852"),
    "iso8859_2": BankProfile("iso8859_2", "ISO-8859-2", encoding="iso8859_2"),
    "ing": BankProfile("ing", "ING (Multicash PLI) — ISO-8859-2, 15 pól", "iso8859_2", fields=15),
    "e25": BankProfile("e25", "e25 (SGB/PBS) — ISO-8859-2", "iso8859_2", forbidden='"|:;&@$'),
    "ascii": BankProfile(
        "ascii", "bez polskich znaków (tryb bezpieczny)", "ascii", ascii_only=True
    ),
}


class ElixirError(ValueError):
    """The batch cannot be written; ``problems`` lists every record that failed (Polish)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class ElixirRecord:
    reference: str  # our payment id, for error messages
    amount: Decimal
    beneficiary_account: str
    beneficiary_name_lines: Sequence[str]
    title_lines: Sequence[str]


@dataclass(frozen=True, slots=True)
class ElixirFile:
    execution_date: date
    ordering_account: str
    ordering_name_lines: Sequence[str]
    records: Sequence[ElixirRecord] = field(default_factory=tuple)


def amount_in_grosze(amount: Decimal) -> int:
    """Decimal złoty → integer grosze (quantised half-up to 0.01 first)."""
    return int((amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100).to_integral_value())


def _text(lines: Sequence[str], profile: BankProfile) -> str:
    out: list[str] = []
    for line in lines:
        clean = sanitize(line, forbidden=profile.forbidden, ascii_only=profile.ascii_only)
        if clean:
            out.extend(split_lines(clean))
    return "|".join(out[:4])


def _q(value: str) -> str:
    return f'"{value}"'


def write_elixir(batch: ElixirFile, profile: BankProfile = PROFILES["pko_bp"]) -> bytes:
    """Render the batch; raises :class:`ElixirError` naming every bad record."""
    problems: list[str] = []
    try:
        ordering = validate_nrb(batch.ordering_account)
    except AccountError as exc:
        problems.append(f"rachunek ośrodka: {exc}")
        ordering = ""
    if not batch.records:
        problems.append("lista nie zawiera żadnej płatności")
    if len(batch.records) > profile.max_records:
        problems.append(
            f"plik może mieć najwyżej {profile.max_records} zleceń (jest {len(batch.records)})"
        )
    sender = _text(batch.ordering_name_lines, profile)
    rows: list[str] = []
    for rec in batch.records:
        try:
            beneficiary = validate_nrb(rec.beneficiary_account)
        except AccountError as exc:
            problems.append(f"{rec.reference}: {exc}")
            continue
        grosze = amount_in_grosze(rec.amount)
        if grosze <= 0:
            problems.append(f"{rec.reference}: kwota musi być większa od zera")
            continue
        fields = [
            MESSAGE_TYPE,  # 1 typ komunikatu
            batch.execution_date.strftime("%Y%m%d"),  # 2 data wykonania
            str(grosze),  # 3 kwota w groszach
            sort_code(ordering) if ordering else "",  # 4 nr rozliczeniowy banku zleceniodawcy
            "0",  # 5 pole zerowe
            _q(ordering),  # 6 rachunek zleceniodawcy
            _q(beneficiary),  # 7 rachunek kontrahenta
            _q(sender),  # 8 nazwa i adres zleceniodawcy
            _q(_text(rec.beneficiary_name_lines, profile)),  # 9 nazwa i adres kontrahenta
            "0",  # 10 pole zerowe
            sort_code(beneficiary),  # 11 nr rozliczeniowy banku kontrahenta
            _q(_text(rec.title_lines, profile)),  # 12 tytuł
            _q(""),  # 13
            _q(""),  # 14
            _q(CLASSIFICATION),  # 15 klasyfikacja polecenia
        ]
        if profile.fields >= 16:
            fields.append(_q(""))  # 16 informacje klient–bank
        rows.append(",".join(fields) + "\r\n")
    if problems:
        raise ElixirError(problems)
    text = "".join(rows)
    try:
        return text.encode(profile.encoding)
    except UnicodeEncodeError as exc:
        raise ElixirError(
            [f"znak „{exc.object[exc.start]}” nie istnieje w {profile.encoding}"]
        ) from None

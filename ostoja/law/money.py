"""Money and decimal helpers for the law core.

Every amount is a :class:`decimal.Decimal`; binary floating point is never used for money.
Amounts are quantised to 0.01 zł with an explicit rounding mode (``ROUND_HALF_UP`` by
default — the "zaokrąglenie handlowe" used by Polish offices; see ``Policy.rounding``).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

__all__ = [
    "CENT",
    "HUNDRED",
    "ZERO",
    "fmt",
    "fmt_percent",
    "money",
    "parse_decimal",
    "pct",
    "percent_of",
    "pln",
]

_NUMBER_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def money(value: Decimal | int | str, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Quantise ``value`` to grosze (0.01 zł) with an explicit rounding mode."""
    if not isinstance(value, Decimal):
        value = Decimal(value)
    return value.quantize(CENT, rounding=rounding)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """``percent`` % of ``amount``, exact (not rounded)."""
    return amount * percent / HUNDRED


def parse_decimal(raw: object, *, max_places: int | None = 2) -> Decimal:
    """Parse a decimal string (or int) into a finite ``Decimal``.

    Floats are converted through their shortest ``repr`` so that ``0.1`` becomes
    ``Decimal("0.1")``. Raises ``ValueError`` with a Polish message on bad input.
    """
    if isinstance(raw, bool):
        raise ValueError('oczekiwano liczby zapisanej jako tekst, np. "123.45"')
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = raw.strip().replace(",", ".")
        if not text:
            raise ValueError("wartość jest pusta")
        if not _NUMBER_RE.match(text):
            raise ValueError(f'„{raw}” nie jest poprawną liczbą (np. "123.45")')
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f'„{raw}” nie jest poprawną liczbą (np. "123.45")') from None
    else:
        raise ValueError('oczekiwano liczby zapisanej jako tekst, np. "123.45"')
    if not value.is_finite():
        raise ValueError("liczba musi być skończona")
    if max_places is not None:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > max_places:
            raise ValueError(f"dopuszczalne są najwyżej {max_places} miejsca po przecinku")
    return value


def fmt(value: Decimal | None, rounding: str = ROUND_HALF_UP) -> str | None:
    """Machine format for documents: two decimals with a dot, ``None`` stays ``None``."""
    if value is None:
        return None
    return str(money(value, rounding))


def fmt_percent(value: Decimal | None) -> str | None:
    """A percentage as a decimal string with two decimals (``Decimal("1.5")`` → ``"1.50"``)."""
    if value is None:
        return None
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def pln(value: Decimal) -> str:
    """Polish display format for the trace: ``Decimal("1313")`` → ``"1 313,00 zł"``."""
    quantized = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if not quantized:
        quantized = abs(quantized)  # no "-0,00 zł"
    # One C-level format with thousands separators, then the Polish marks (the unit has
    # neither mark, so it can go into the same f-string).
    return f"{quantized:,.2f} zł".replace(",", " ").replace(".", ",")


@lru_cache(maxsize=256)
@lru_cache(maxsize=256)
def pct(value: Decimal) -> str:
    """Polish display of a percentage: ``Decimal("130")`` → ``"130%"``, ``1.5`` → ``"1,5%"``
    (a handful of distinct rates: memoised — issue 19)."""
    normalized = value.normalize()
    if normalized == normalized.to_integral():
        text = str(normalized.quantize(Decimal(1)))
    else:
        text = format(normalized, "f").replace(".", ",")
    return f"{text}%"

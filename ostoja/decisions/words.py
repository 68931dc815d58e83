"""Amounts in words ("słownie") for decisions — the one wrapper around num2words.

The library is slow-moving (ecosystem.md), so every use goes through :func:`amount_in_words`
and golden tests pin its output; it can be replaced by an own implementation without touching
templates. Format used on decisions: ``"tysiąc dwieście dwadzieścia dziewięć złotych 00/100"``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from num2words import num2words
from num2words.lang_PL import Num2Word_PL

__all__ = ["amount_in_words", "zloty_form"]

_PL = Num2Word_PL()
_ZLOTY_FORMS = ("złoty", "złote", "złotych")
_CENT = Decimal("0.01")


def zloty_form(whole: int) -> str:
    """The grammatical form of "złoty" after ``whole`` (1 złoty, 2 złote, 5 złotych, 22 złote)."""
    return str(_PL.pluralize(whole, _ZLOTY_FORMS))


def amount_in_words(amount: Decimal) -> str:
    """``Decimal("1229.00")`` → ``"tysiąc dwieście dwadzieścia dziewięć złotych 00/100"``."""
    if not isinstance(amount, Decimal):
        raise TypeError("Kwota musi być typu Decimal.")
    value = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    if value < 0:
        return "minus " + amount_in_words(-value)
    whole = int(value)
    cents = int((value - whole) * 100)
    return f"{num2words(whole, lang='pl')} {zloty_form(whole)} {cents:02d}/100"

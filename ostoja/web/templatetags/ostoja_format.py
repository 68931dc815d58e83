"""Polish number formatting for templates: ``{{ amount|pln }}`` → "1 229,00 zł"."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()
NBSP = "\u00a0"


@register.filter
def pln(value: object) -> str:
    """A decimal amount the Polish way: non-breaking thousands, comma, "zł"."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return str(value)
    sign = "−" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{NBSP.join(groups)},{cents}{NBSP}zł"

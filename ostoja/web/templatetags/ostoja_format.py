"""Polish number formatting for templates: ``{{ amount|pln }}`` → "1 229,00 zł"."""

from __future__ import annotations

import re
from datetime import date, datetime
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


@register.filter
def pl_date(value: object) -> str:
    """One date format on screen (issue 17): "04.12.2026" (the templates' d.m.Y) from a date
    or an ISO string; "12.2026" from a month ("2026-12"); anything else unchanged."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    text = str(value or "")
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return f"{m[3]}.{m[2]}.{m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return f"{m[2]}.{m[1]}"
    return text


@register.inclusion_tag("web/_readable.html")
def readable(value: object) -> dict[str, object]:
    """A stored document (dict/list) as an indented list of Polish labels and values."""
    from ostoja.web.readable import lines

    return {"rows": lines(value)}


@register.filter
def code_label(value: object) -> str:
    """Codes inside a value (a trace step's figure, an audited list) → their Polish labels:
    ``obywatel_pl`` → "Obywatel polski" (issue 17: no raw codes on screen)."""
    from ostoja.web.readable import replace_codes

    return replace_codes(str(value)) if value is not None else ""

"""Polish number formatting for templates: ``{{ amount|pln }}`` → "1 229,00 zł"."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone

from ostoja.core.dates import local_date

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
        # an aware moment is shown as the Warsaw calendar day, not the UTC one
        value = local_date(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    text = str(value or "")
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return f"{m[3]}.{m[2]}.{m[1]}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return f"{m[2]}.{m[1]}"
    return text


# An ISO date (2026-12-04) or month (2026-12) inside a text, not part of a longer number or
# reference (no digit, dot, slash or hyphen right before it, no digit or hyphen-digit after).
_ISO_IN_TEXT = re.compile(r"(?<![\d./-])(\d{4})-(\d{2})(?:-(\d{2}))?(?![\d]|-\d)")


def _pl_iso(m: re.Match[str]) -> str:
    year, month, day = m[1], m[2], m[3]
    if not 1 <= int(month) <= 12 or (day is not None and not 1 <= int(day) <= 31):
        return m[0]
    return f"{day}.{month}.{year}" if day is not None else f"{month}.{year}"


@register.filter
def pl_dates(value: object) -> str:
    """Every ISO date and month inside a text (a law-core trace step, its figures) shown the
    Polish way, as :func:`pl_date` shows one: "od 2026-12-04" → "od 04.12.2026", "2026-11" →
    "11.2026" (issue 19: traces keep ISO text — the law core and stored snapshots stay as
    they are; staff and clients read them through this filter)."""
    if value is None:
        return ""
    return _ISO_IN_TEXT.sub(_pl_iso, str(value))


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


@register.filter
def lookup(mapping: object, key: object) -> object:
    """``mapping[key]`` in a template (``{{ rows.undecided|lookup:c.pk }}``); empty when the
    key is absent or the value is not a mapping."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""

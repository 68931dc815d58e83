from decimal import Decimal

from django import template

from ostoja.law.money import pln as _pln
from ostoja.payments.formats.accounts import format_nrb

register = template.Library()


@register.filter
def pln(value: object) -> str:
    if value is None or value == "":
        return "—"
    return _pln(Decimal(str(value)))


@register.filter
def nrb(value: str) -> str:
    return format_nrb(value) if value else "—"


@register.filter
def benefit_label(code: str) -> str:
    """The Polish name of a benefit code (never the code itself on a page)."""
    from ostoja.decisions.catalog import label_of

    return label_of(code)

"""One validation layer for every input path (pages, API, imports): text, amounts, model rows.

Bad input must never reach the database: SQLite would store a NUL byte or a 10,000-character
surname, PostgreSQL would refuse it with a 500. So every path checks, before any write:

* text — no control characters (NUL and the other C0 codes except tab and line breaks), no more
  than the column's ``max_length``;
* amounts — a finite decimal with at most two decimal places, inside the column's digits and the
  range the caller allows (no NaN, Infinity, 1E+40, 100.555);
* a model row given as a dict — each value against its model field (length, characters,
  decimals, NOT NULL), with the field's Polish verbose name in the message.

Every message is Polish and names the field; the caller raises ``ValidationFailed`` with all of
them, so nothing is half-saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from ostoja.core.errors import ValidationFailed

# C0 control characters (NUL included) and DEL, except tab, line feed and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A request may not carry a longer string anywhere, whatever the field (a cheap first gate).
MAX_ANY_TEXT = 10_000


def text_error(value: str, *, label: str, max_length: int | None = None) -> str | None:
    """What is wrong with ``value`` as text for the field ``label`` (None when fine)."""
    if CONTROL.search(value):
        return f"Pole „{label}” zawiera niedozwolone znaki sterujące (np. bajt zerowy)."
    limit = max_length or MAX_ANY_TEXT
    if len(value) > limit:
        return f"Pole „{label}” może mieć najwyżej {limit} znaków (wpisano {len(value)})."
    return None


def parse_amount(
    raw: Any,
    *,
    label: str,
    max_digits: int = 12,
    decimal_places: int = 2,
    minimum: Decimal | None = Decimal("0"),
    maximum: Decimal | None = None,
    positive: bool = False,
) -> Decimal:
    """``raw`` as a money Decimal, or ``ValueError`` with a Polish message naming ``label``.

    Refuses NaN, Infinity, exponents beyond the column (1E+40), more than ``decimal_places``
    decimals (100.555 is not rounded silently), and values outside the range.
    """
    if isinstance(raw, float):
        raw = repr(raw)
    text = str(raw).strip().replace(",", ".").replace(" ", "").replace("\u00a0", "")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError(f"Pole „{label}”: nieprawidłowa kwota ({text[:20]!r}).") from None
    if not value.is_finite():
        raise ValueError(f"Pole „{label}”: kwota musi być liczbą skończoną.")
    whole_digits = max_digits - decimal_places
    if abs(value) >= Decimal(10) ** whole_digits:  # before quantize: 1E+40 cannot be quantized
        raise ValueError(f"Pole „{label}”: kwota jest za duża (najwyżej {whole_digits} cyfr).")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    step = Decimal(1).scaleb(-decimal_places)
    if -exponent > decimal_places and value != value.quantize(step):
        raise ValueError(
            f"Pole „{label}”: najwyżej {decimal_places} miejsca po przecinku (wpisano {text})."
        )
    value = value.quantize(step)
    if minimum is not None and value < minimum:
        raise ValueError(f"Pole „{label}”: kwota nie może być mniejsza niż {minimum} zł.")
    if positive and value <= 0:
        raise ValueError(f"Pole „{label}”: kwota musi być większa od zera.")
    if maximum is not None and value > maximum:
        raise ValueError(f"Pole „{label}”: kwota nie może przekraczać {maximum} zł.")
    return value


def _column(model: type[models.Model], name: str) -> models.Field[Any, Any] | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) else None  # type: ignore[return-value]


def _label(field: models.Field[Any, Any]) -> str:
    return str(field.verbose_name or field.name)


def model_input_errors(
    model: type[models.Model], data: Mapping[str, Any], *, prefix: str = ""
) -> dict[str, list[str]]:
    """Problems of ``data`` (field name → value) against ``model``'s columns."""
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        field = _column(model, name)
        if field is None:  # not a column (a form-only key): other checks handle it
            continue
        key = prefix + name
        label = _label(field)
        if value is None:
            if not field.null and not isinstance(field, models.ForeignKey | models.AutoField):
                if isinstance(field, models.CharField | models.TextField) and field.blank:
                    continue  # the caller maps None to "" for optional text
                errors.setdefault(key, []).append(f"Pole „{label}” nie może być puste.")
            continue
        if isinstance(field, models.CharField | models.TextField) and isinstance(value, str):
            problem = text_error(value, label=label, max_length=field.max_length)
            if problem:
                errors.setdefault(key, []).append(problem)
        elif isinstance(field, models.DecimalField) and not isinstance(value, bool):
            try:
                parse_amount(
                    value,
                    label=label,
                    max_digits=field.max_digits or 12,
                    decimal_places=field.decimal_places or 0,
                    minimum=None,
                )
            except ValueError as exc:
                errors.setdefault(key, []).append(str(exc))
    return errors


def blank_none_text(model: type[models.Model], data: dict[str, Any], names: Iterable[str]) -> None:
    """Optional text columns (blank, NOT NULL) take ``None`` as "cleared": store ""."""
    for name in names:
        if name in data and data[name] is None:
            field = _column(model, name)
            text = isinstance(field, models.CharField | models.TextField)
            if text and field is not None and field.blank and not field.null:
                data[name] = ""


def check_model_input(model: type[models.Model], data: Mapping[str, Any]) -> None:
    errors = model_input_errors(model, data)
    if errors:
        raise ValidationFailed(errors)


def merge_errors(into: dict[str, list[str]], more: Mapping[str, list[str]]) -> None:
    for key, messages in more.items():
        into.setdefault(key, []).extend(m for m in messages if m not in into.get(key, []))

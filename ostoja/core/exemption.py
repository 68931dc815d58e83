"""A request for an exemption from a fee (zwolnienie z opłaty na wniosek) as staff type it —
the kind, the partial part, the request's date and the circumstance — checked field by field
and turned into the law core's :class:`FeeExemption`. Shared by the fees of stays (art. 97
ust. 5 u.p.s., facilities) and of care services (art. 50 ust. 6 u.p.s., care)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from ostoja.core.errors import ValidationFailed
from ostoja.law.benefits.exemption import FeeExemption

__all__ = ["EXEMPTION_CHOICES", "EXEMPTION_KINDS", "exemption_of"]

EXEMPTION_KINDS = {"czesciowe": "częściowe", "calkowite": "całkowite"}
EXEMPTION_CHOICES = [
    ("", "bez zwolnienia"),
    ("czesciowe", "zwolnienie częściowe"),
    ("calkowite", "zwolnienie całkowite"),
]


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed({field: [message]})


def exemption_of(
    kind: str,
    part: Decimal | None,
    requested_on: date | None,
    reason: str,
    *,
    today: date,
    part_is: Literal["amount", "percent"],
    prefix: str = "exemption",
) -> FeeExemption | None:
    """``None`` when no exemption is asked for; otherwise the exemption, or a refusal at the
    field (``{prefix}``, ``{prefix}_{part_is}``, ``{prefix}_requested_on``,
    ``{prefix}_reason``). ``part`` is the amount or the percentage of a partial exemption."""
    part_field = f"{prefix}_{part_is}"
    if not kind:
        if part is not None:
            raise _fail(prefix, "Podano część zwalnianą bez wybrania zwolnienia — wybierz "
                        "zwolnienie częściowe albo usuń tę wartość.")  # fmt: skip
        return None
    if kind not in EXEMPTION_KINDS:
        raise _fail(prefix, "Wybierz rodzaj zwolnienia z listy.")
    if requested_on is None:
        raise _fail(f"{prefix}_requested_on", "Podaj datę wniosku o zwolnienie — zwolnienie "
                    "następuje na wniosek osoby zobowiązanej.")  # fmt: skip
    if requested_on > today:
        raise _fail(f"{prefix}_requested_on", "Data wniosku nie może być późniejsza niż dziś.")
    if not (reason or "").strip():
        raise _fail(f"{prefix}_reason", "Podaj okoliczności uzasadniające zwolnienie — "
                    "decyzja musi je wskazać (art. 107 § 3 KPA).")  # fmt: skip
    total = kind == "calkowite"
    if not total and part is None:
        what = "miesięczną kwotę" if part_is == "amount" else "procent opłaty objęty zwolnieniem"
        raise _fail(part_field, f"Podaj {what} przy zwolnieniu częściowym.")
    value = None if total or part is None else Decimal(part)
    return FeeExemption(
        total=total,
        requested_on=requested_on,
        reason=reason.strip(),
        amount=value if part_is == "amount" else None,
        percent=value if part_is == "percent" else None,
    )

"""JSON codec for the law core's frozen inputs (cases and policies) of the regression set.

The regression set (issue 22) freezes every calculation the test-suite made *before* the law
core was extended: the input ``Case`` (or request document), the ``Policy`` and the result
document. Dataclasses are written as ``{"$t": "ClassName", ...fields}``, decimals as
``{"$d": "1.23"}``, dates as ``{"$date": "2025-11-05"}``.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from ostoja.law import household, periods, policy

_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        household.IncomeItem,
        household.Member,
        household.Household,
        household.DpsRelative,
        household.DpsInput,
        household.CareInput,
        household.Case,
        periods.YearMonth,
        policy.Policy,
    )
}


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {"$t": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = encode(getattr(value, f.name))
        return out
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(decode(v) for v in value)
    if isinstance(value, dict):
        if "$d" in value:
            return Decimal(value["$d"])
        if "$date" in value:
            return date.fromisoformat(value["$date"])
        if "$t" in value:
            cls = _TYPES[value["$t"]]
            return cls(**{k: decode(v) for k, v in value.items() if k != "$t"})
        return {k: decode(v) for k, v in value.items()}
    return value

"""Policy what-if (issue 13 §4): change a dated parameter and run the law core over the live
caseload — nothing real changes.

``--set RECORD.FIELD=VALUE`` names a parameter record and field as in ``ostoja/law/parameters``
(``kryterium_dochodowe.single=1100``). The scenario replaces that field in the record **in
force on** ``on`` (a copy of the parameter store; the files are untouched), and every case's
latest calculation per benefit is recomputed twice **as of** ``on`` — with today's parameters
and with the scenario's — from the same inputs (household, incomes). The difference is the
policy change alone.

Cost: the amount a calculation yields is the monthly benefit (zasiłek okresowy, stały) or the
one-off amount (zasiłek celowy); monthly cost = Σ scenario − Σ baseline, yearly = 12 × monthly
for periodic benefits and the one-off difference once — ⚠ an approximation: it assumes each
family keeps claiming for the whole year.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ostoja.core.errors import ValidationFailed
from ostoja.law.errors import ParameterNotFound
from ostoja.law.interface import RequestError, calculate_document
from ostoja.law.periods import YearMonth
from ostoja.law.store import ParameterStore, default_store

ONE_OFF = frozenset(
    {"zasilek_celowy", "specjalny_zasilek_celowy", "zasilek_celowy_zdarzenie_losowe", "pogrzeb"}
)
_SET = re.compile(r"^([a-z0-9_]+)\.([a-z0-9_]+)=(-?\d+(?:\.\d+)?)$")
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Change:
    record: str
    field: str
    value: Decimal

    @property
    def text(self) -> str:
        return f"{self.record}.{self.field}={self.value}"


def parse_changes(
    texts: list[str], *, on: date, store: ParameterStore | None = None
) -> list[Change]:
    """``RECORD.FIELD=VALUE`` strings → changes; errors name the field ``set``."""
    store = store or default_store()
    errors: list[str] = []
    out: list[Change] = []
    for text in texts:
        match = _SET.match(text.strip())
        if match is None:
            errors.append(
                f"„{text}”: oczekiwano REKORD.POLE=WARTOŚĆ, np. kryterium_dochodowe.single=1100."
            )
            continue
        record, name, raw = match.groups()
        try:
            current = store.get(record, on)
        except ParameterNotFound:
            errors.append(f"„{text}”: brak parametru „{record}” obowiązującego {on:%d.%m.%Y}.")
            continue
        if not isinstance(current.values.get(name), Decimal):
            errors.append(f"„{text}”: parametr „{record}” nie ma pola kwotowego „{name}”.")
            continue
        try:
            out.append(Change(record, name, Decimal(raw).quantize(ZERO)))
        except InvalidOperation:
            errors.append(f"„{text}”: nieprawidłowa liczba.")
    if not texts:
        errors.append("Podaj co najmniej jedną zmianę --set REKORD.POLE=WARTOŚĆ.")
    if errors:
        raise ValidationFailed({"set": errors})
    return out


def scenario_store(base: ParameterStore, changes: list[Change], *, on: date) -> ParameterStore:
    """A copy of ``base`` where each changed field of the record in force on ``on`` is set."""
    series = {name: base.series(name) for name in base.names()}
    for change in changes:
        series[change.record] = tuple(
            dataclasses.replace(
                r,
                values={**r.values, change.field: change.value},
                note=f"scenariusz: {change.text}",
            )
            if r.period.contains(on)
            else r
            for r in series[change.record]
        )
    return ParameterStore(series)


@dataclass
class Outcome:
    case_id: int
    unit: str
    benefit: str
    base_eligible: bool
    new_eligible: bool
    base_amount: Decimal
    new_amount: Decimal

    @property
    def delta(self) -> Decimal:
        return self.new_amount - self.base_amount


@dataclass
class Totals:
    cases: int = 0
    gainers: int = 0
    losers: int = 0
    monthly: Decimal = ZERO
    yearly: Decimal = ZERO

    def add(self, o: Outcome) -> None:
        self.cases += 1
        if o.delta > 0 or (o.new_eligible and not o.base_eligible):
            self.gainers += 1
        elif o.delta < 0 or (o.base_eligible and not o.new_eligible):
            self.losers += 1
        if o.benefit in ONE_OFF:
            self.yearly += o.delta
        else:
            self.monthly += o.delta
            self.yearly += 12 * o.delta

    def as_dict(self) -> dict[str, Any]:
        return {
            "cases": self.cases,
            "gainers": self.gainers,
            "losers": self.losers,
            "monthly_cost": f"{self.monthly:.2f}",
            "yearly_cost": f"{self.yearly:.2f}",
        }


@dataclass
class WhatIf:
    on: date
    changes: list[Change]
    totals: Totals = field(default_factory=Totals)
    by_unit: dict[str, Totals] = field(default_factory=lambda: defaultdict(Totals))
    by_benefit: dict[str, Totals] = field(default_factory=lambda: defaultdict(Totals))
    outcomes: list[Outcome] = field(default_factory=list)  # changed ones only
    skipped: int = 0  # calculations the law core refused as of ``on`` (incomplete inputs)

    def as_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "changes": [c.text for c in self.changes],
            "totals": self.totals.as_dict(),
            "by_district": {k: v.as_dict() for k, v in sorted(self.by_unit.items())},
            "by_benefit": {k: v.as_dict() for k, v in sorted(self.by_benefit.items())},
            "skipped": self.skipped,
        }


def _as_of(request: dict[str, Any], on: date) -> dict[str, Any]:
    doc = dict(request)
    doc["application_date"] = on.isoformat()
    doc["income_month"] = str(YearMonth.of(on).shift(-1))
    doc.pop("entitlement_from", None)
    return doc


def _amount(result: dict[str, Any]) -> tuple[bool, Decimal]:
    eligible = bool(result.get("eligible"))
    raw = result.get("amount")
    return eligible, (Decimal(str(raw)) if eligible and raw not in (None, "") else ZERO)


def run(*, caseload: list[Any], changes: list[Change], on: date) -> WhatIf:
    """Recompute every (case, benefit) as of ``on`` with and without the changes."""
    base = default_store()
    scenario = scenario_store(base, changes, on=on)
    out = WhatIf(on=on, changes=changes)
    for calc in caseload:
        doc = _as_of(calc.request, on)
        try:
            b_ok, b_amount = _amount(calculate_document(doc, store=base))
            n_ok, n_amount = _amount(calculate_document(doc, store=scenario))
        except (RequestError, ParameterNotFound, KeyError, ValueError):
            out.skipped += 1
            continue
        o = Outcome(calc.case_id, calc.unit, calc.benefit, b_ok, n_ok, b_amount, n_amount)
        out.totals.add(o)
        out.by_unit[calc.unit].add(o)
        out.by_benefit[calc.benefit].add(o)
        if o.delta or b_ok != n_ok:
            out.outcomes.append(o)
    return out

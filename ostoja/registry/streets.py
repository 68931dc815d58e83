"""Streets of Kielce (GUS TERYT ULIC) and the street → care district table: loading, refreshing
from a newer ULIC file, and editing the district assignment. Streets are never deleted: a street
missing from a newer register is marked inactive."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.registry.models import Street, StreetDistrict
from ostoja.registry.text import search_key

PACKAGED_CSV = Path(__file__).resolve().parent / "data" / "kielce_streets.csv"
KIELCE_TERC = ("26", "61", "01", "1")  # WOJ, POW, GMI, RODZ_GMI → TERC 2661011
ULIC_COLUMNS = [
    "WOJ",
    "POW",
    "GMI",
    "RODZ_GMI",
    "SYM",
    "SYM_UL",
    "CECHA",
    "NAZWA_1",
    "NAZWA_2",
    "STAN_NA",
]


def full_name(cecha: str, name_1: str, name_2: str) -> str:
    return " ".join(p for p in (cecha, name_2, name_1) if p)


def _date(text: str) -> date | None:
    text = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 — a calendar date
        except ValueError:
            continue
    return None


def packaged_rows() -> list[dict[str, Any]]:
    """Rows of the packaged ``kielce_streets.csv`` (ULIC as of 2022-03-24)."""
    with PACKAGED_CSV.open(encoding="utf-8", newline="") as fh:
        return [
            {
                "sym_ul": r["teryt_sym_ul"].zfill(5),
                "cecha": r["cecha"],
                "name_1": r["nazwa_1"],
                "name_2": r["nazwa_2"],
                "full_name": r["full_name"],
                "postal_codes": r["postal_codes"],
                "stan_na": _date(r["source_stan_na"]),
            }
            for r in csv.DictReader(fh)
        ]


def load_rows(street_model: Any, rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Idempotent upsert (used by the data migration with the historical model).
    Returns ``(created, updated)``; a second run changes nothing."""
    existing = {s.sym_ul: s for s in street_model.objects.all()}
    created = updated = 0
    for r in rows:
        key = search_key(r["full_name"])
        s = existing.get(r["sym_ul"])
        if s is None:
            street_model.objects.create(search_key=key, active=True, **r)
            created += 1
            continue
        changed = False
        for k, v in r.items():
            if k == "postal_codes" and not v:
                continue  # a newer register carries no postal codes; keep the hint we had
            if getattr(s, k) != v:
                setattr(s, k, v)
                changed = True
        if s.search_key != key or not s.active:
            s.search_key = key
            s.active = True
            changed = True
        if changed:
            s.save()
            updated += 1
    return created, updated


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped_other_gminas: int = 0


def parse_ulic(text: str) -> tuple[list[dict[str, Any]], int]:
    """Kielce rows (TERC 2661011) of a GUS ULIC CSV (``;`` or ``,`` separated)."""
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().upper() for h in (reader.fieldnames or [])]
    missing = [c for c in ULIC_COLUMNS if c not in header]
    if missing:
        raise ValidationFailed(
            {"file": [f"To nie jest plik ULIC GUS — brak kolumn: {', '.join(missing)}."]}
        )
    rows, skipped = [], 0
    for raw in reader:
        r = {k.strip().upper(): (v or "").strip() for k, v in raw.items() if k}
        terc = (r["WOJ"].zfill(2), r["POW"].zfill(2), r["GMI"].zfill(2), r["RODZ_GMI"])
        if terc != KIELCE_TERC:
            skipped += 1
            continue
        cecha, name_1, name_2 = r["CECHA"], r["NAZWA_1"], r["NAZWA_2"]
        rows.append(
            {
                "sym_ul": r["SYM_UL"].zfill(5),
                "cecha": cecha,
                "name_1": name_1,
                "name_2": name_2,
                "full_name": full_name(cecha, name_1, name_2),
                "postal_codes": "",
                "stan_na": _date(r["STAN_NA"]),
            }
        )
    return rows, skipped


@transaction.atomic
def streets_import_ulic(*, text: str) -> ImportReport:
    """Refresh the street list from a newer ULIC file: rename, add, mark vanished inactive."""
    rows, skipped = parse_ulic(text)
    if not rows:
        raise DomainError(
            "Plik nie zawiera ulic Kielc (TERC 2661011) — nic nie zmieniono.", field="file"
        )
    report = ImportReport(skipped_other_gminas=skipped)
    existing = {s.sym_ul: s for s in Street.objects.select_for_update()}
    seen = set()
    for r in rows:
        seen.add(r["sym_ul"])
        s = existing.get(r["sym_ul"])
        if s is None:
            Street.objects.create(search_key=search_key(r["full_name"]), active=True, **r)
            report.created.append(r["full_name"])
            continue
        before = s.full_name
        changed = False
        for k in ("cecha", "name_1", "name_2", "full_name", "stan_na"):
            if getattr(s, k) != r[k]:
                setattr(s, k, r[k])
                changed = True
        if not s.active:
            s.active = True
            changed = True
        if changed:
            s.search_key = search_key(s.full_name)
            s.save()
            if before != s.full_name:
                report.renamed.append(f"{before} → {s.full_name}")
            else:
                report.unchanged += 1
        else:
            report.unchanged += 1
    for sym, s in existing.items():
        if sym not in seen and s.active:
            s.active = False
            s.save()
            report.deactivated.append(s.full_name)
    return report


@transaction.atomic
def street_district_set(
    *, street: Any, unit: Any, number_from: int | None = None, number_to: int | None = None
) -> Any:
    """Assign a street (or a house-number range of it) to a care district."""
    if unit.kind != "rejon":
        raise ValidationFailed({"unit": ["Wybierz rejon opiekuńczy."]})
    if number_from is not None and number_to is not None and number_to < number_from:
        raise ValidationFailed({"number_to": ["Koniec zakresu nie może poprzedzać początku."]})
    if number_from is None and number_to is None:
        row = StreetDistrict.objects.filter(
            street=street, number_from__isnull=True, number_to__isnull=True
        ).first()
        if row is None:
            return StreetDistrict.objects.create(street=street, unit=unit)
        row.unit = unit
        row.save()
        return row
    return StreetDistrict.objects.create(
        street=street, unit=unit, number_from=number_from, number_to=number_to
    )


@transaction.atomic
def street_district_remove(*, row: Any) -> None:
    row.delete()


@transaction.atomic
def street_districts_demo_assign(*, units: list[Any]) -> int:
    """Demo: spread every street without an assignment over the districts by postal code
    (neighbouring codes → the same district). Idempotent: assigned streets are left alone."""
    if not units:
        return 0
    assigned = set(StreetDistrict.objects.values_list("street_id", flat=True))
    streets = [s for s in Street.objects.order_by("sym_ul") if s.pk not in assigned]
    if not streets:
        return 0
    codes = sorted({s.postal_codes.split("|")[0] for s in Street.objects.all() if s.postal_codes})
    per = max(1, -(-len(codes) // len(units)))
    unit_of_code = {code: units[min(i // per, len(units) - 1)] for i, code in enumerate(codes)}
    rows = []
    for s in streets:
        code = s.postal_codes.split("|")[0] if s.postal_codes else ""
        unit = unit_of_code.get(code) or units[int(s.sym_ul) % len(units)]
        rows.append(StreetDistrict(street=s, unit=unit))
    StreetDistrict.objects.bulk_create(rows)
    return len(rows)

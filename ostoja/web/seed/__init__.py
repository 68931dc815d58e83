"""City-scale synthetic data shaped like Kielce (``ostoja seed --scale N``).

Scale 1 ≈ 10,000 client families, 25,000 persons, ~60,000 decisions and ~500–600,000 payments
over five years, ~700 staff. Deterministic: the same ``seed`` and anchor month (``until``, the
first day not seeded; default the current month) give the same data.

One module per context turns the pure plan (:mod:`ostoja.web.seed.plan`) into rows of its own
tables — ``prepare(state)``, ``emit(family, state)``, ``finish(state)`` — so a model change in
one context touches one module. Rows are written in bulk (COPY on PostgreSQL, executemany on
SQLite) with ids assigned here; no ``save()``, no signals, auditlog disabled — the creation
entries of the audited records are written in bulk too, sealed into the chain
(:mod:`ostoja.web.seed.audit`).

Seeding runs once per database: a marker account ``ostoja-seed`` (inactive) records scale, seed
and anchor; a second run is refused (``SeedRefused``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from ostoja.web.seed import cases, decisions, payments, registry, socialwork
from ostoja.web.seed.audit import AuditTrail
from ostoja.web.seed.org import org_models, seed_staff
from ostoja.web.seed.plan import PeselBook, family
from ostoja.web.seed.state import SeedState
from ostoja.web.seed.writer import Table, analyze, reset_sequences

FAMILIES_PER_SCALE = 10_000
MARKER = "ostoja-seed"
CONTEXTS = (cases, decisions, payments, socialwork)  # registry is written first, separately
# Flush order = foreign-key order.
TABLE_ORDER = (
    "person", "household", "membership", "income", "case", "application", "interview",
    "decision", "line", "timeline", "payment_run", "payment_list", "payment", "note", "visit",
    "contract",
)  # fmt: skip

Progress = Callable[[str, int, int], None]


class SeedRefused(Exception):
    pass


@dataclass
class SeedReport:
    scale: float
    seed: int
    until: date
    families: int
    rows: dict[str, int]
    seconds: float


def marker() -> dict[str, str] | None:
    """What the seeded database says about itself (scale, seed, until, state) or None."""
    row = get_user_model().objects.filter(username=MARKER).values_list("last_name", flat=True)
    text = row.first()
    if text is None:
        return None
    return dict(part.split("=", 1) for part in text.split(";") if "=" in part)


def _write_marker(scale: float, seed: int, until: date, state: str) -> None:
    User = get_user_model()
    text = f"scale={scale:g};seed={seed};until={until.isoformat()};state={state}"
    user, created = User.objects.get_or_create(
        username=MARKER,
        defaults={"is_active": False, "first_name": "Dane syntetyczne", "last_name": text,
                  "password": "!seed-marker"},
    )  # fmt: skip
    if not created:
        User.objects.filter(pk=user.pk).update(last_name=text)


def default_until(today: date) -> date:
    return date(today.year, today.month, 1)


def seed_city(
    *,
    scale: float,
    seed: int = 1,
    until: date,
    now: datetime,
    progress: Progress | None = None,
    append: bool = False,
    chunk: int = 1000,
) -> SeedReport:
    """Seed ``scale`` × Kielce. ``append`` (tests only) adds families to an already seeded
    database instead of refusing."""
    from auditlog.context import disable_auditlog

    if scale <= 0:
        raise ValueError("scale must be positive")
    if marker() is not None and not append:
        raise SeedRefused(
            "Ta baza jest już zasilona danymi syntetycznymi "
            f"({get_user_model().objects.get(username=MARKER).last_name}). "
            "Użyj nowej bazy (seed nie dopisuje drugi raz)."
        )
    started = time.perf_counter()
    n_families = max(1, round(FAMILIES_PER_SCALE * scale))
    report_rows: dict[str, int] = {}
    with disable_auditlog():
        with transaction.atomic():
            _write_marker(scale, seed, until, "w toku")
            staff = seed_staff(scale=scale, seed=seed, now=now)
            streets = registry.street_refs(units=staff.units)
        models = {**registry.MODELS}
        for ctx in CONTEXTS:
            models.update(ctx.MODELS)
        tables = {name: Table(model, now) for name, model in models.items()}
        state = SeedState(tables=tables, staff=staff, until=until, now=now)
        for ctx in CONTEXTS:
            ctx.prepare(state)
        trail = AuditTrail(tables, now)
        from ostoja.registry.models import Household, Person

        pesels = PeselBook(set(Person.objects.exclude(pesel=None).values_list("pesel", flat=True)))
        first = Household.objects.count() if append else 0
        done = 0
        while done < n_families:
            size = min(chunk, n_families - done)
            with transaction.atomic():
                for i in range(first + done, first + done + size):
                    fam = family(seed=seed, index=i, until=until, streets=streets, pesels=pesels)
                    registry.emit(fam, tables=tables, units=staff.units, now=now)
                    for ctx in CONTEXTS:
                        ctx.emit(fam, state)
                for name in TABLE_ORDER:
                    report_rows[name] = report_rows.get(name, 0) + tables[name].flush()
                    trail.record(name, tables[name].flushed)
                report_rows["audit"] = report_rows.get("audit", 0) + trail.flush()
            done += size
            if progress:
                progress("rodziny", done, n_families)
        with transaction.atomic():
            for ctx in CONTEXTS:
                ctx.finish(state)
            reset_sequences([*models.values(), *org_models().values(), *trail.models()])
            _write_marker(scale, seed, until, "gotowe")
        analyze()
    return SeedReport(
        scale=scale,
        seed=seed,
        until=until,
        families=n_families,
        rows={k: v for k, v in report_rows.items() if k in (*TABLE_ORDER, "audit")},
        seconds=time.perf_counter() - started,
    )


def seeded_summary() -> dict[str, Any]:
    """Row counts of the main tables (for the command's last line and the benchmark)."""
    from ostoja.cases.models import Application, Case
    from ostoja.decisions.models import Decision
    from ostoja.payments.models import Payment
    from ostoja.registry.models import Household, Person

    return {
        "families": Household.objects.count(),
        "persons": Person.objects.count(),
        "cases": Case.objects.count(),
        "applications": Application.objects.count(),
        "decisions": Decision.objects.count(),
        "payments": Payment.objects.count(),
        "staff": get_user_model().objects.filter(staff__isnull=False).count(),
    }

"""What the context seeders share while one seeding run goes on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ostoja.web.seed.org import Staff
from ostoja.web.seed.writer import Table


@dataclass
class SeedState:
    tables: dict[str, Table]
    staff: Staff
    until: date  # first day not seeded (the anchor month)
    now: datetime
    counters: dict[tuple[Any, ...], int] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def units(self) -> dict[str, Any]:
        return self.staff.units

    def next_number(self, key: tuple[Any, ...]) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def worker_of(self, unit_code: str, slot: int) -> int | None:
        workers = self.staff.workers(unit_code)
        return workers[slot % len(workers)] if workers else None

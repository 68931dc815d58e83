"""Seeding the org context: ~700 staff per scale unit on top of the demo organisation.

Social workers are spread over the ten care districts (ro1..ro10) and the homelessness
department, each district has a head (kierownik), benefits clerks sit in the community
assistance department, finance in the finance department. Accounts have unusable passwords
(benchmarks log in with ``force_login``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ostoja.core.dates import local_date
from ostoja.org.models import StaffMember, Unit
from ostoja.org.roles import Role
from ostoja.web.seed.plan import _FEMALE_FIRST, _MALE_FIRST, _SURNAMES, _feminine
from ostoja.web.seed.writer import Table

DISTRICTS = [f"ro{n}" for n in range(1, 11)]
UNUSABLE = "!seed-no-login"

# (unit code, role, count at scale 1, position)
STAFF_PLAN: list[tuple[str, Role, float, str]] = [
    *[(code, Role.SOCIAL_WORKER, 18, "Pracownik socjalny") for code in DISTRICTS],
    *[(code, Role.HEAD_OF_UNIT, 1, "Kierownik Rejonu Opiekuńczego") for code in DISTRICTS],
    ("bezdomnosc", Role.SOCIAL_WORKER, 22, "Pracownik socjalny ds. bezdomności"),
    ("bezdomnosc", Role.HEAD_OF_UNIT, 1, "Kierownik Działu ds. Bezdomności"),
    ("dpsr", Role.BENEFITS_CLERK, 45, "Specjalista ds. świadczeń"),
    ("dpsr", Role.HEAD_OF_UNIT, 1, "Kierownik Działu Pomocy Środowiskowej"),
    ("swiadczenia-rodzinne", Role.BENEFITS_CLERK, 100, "Specjalista ds. świadczeń rodzinnych"),
    ("uslugi", Role.BENEFITS_CLERK, 80, "Specjalista ds. usług opiekuńczych"),
    ("adaptacja", Role.BENEFITS_CLERK, 35, "Specjalista ds. rehabilitacji"),
    ("opieka-wychowanie", Role.SOCIAL_WORKER, 60, "Pracownik socjalny ds. pieczy"),
    ("sow", Role.SOCIAL_WORKER, 55, "Specjalista pracy z rodziną"),
    ("kis", Role.SOCIAL_WORKER, 20, "Instruktor KIS"),
    ("finanse", Role.FINANCE, 45, "Specjalista ds. księgowości"),
    ("organizacja", Role.ANALYST, 40, "Specjalista ds. organizacyjnych"),
    ("organizacja", Role.ADMINISTRATOR, 4, "Informatyk"),
    ("dyrekcja", Role.DEPUTY_DIRECTOR, 2, "Zastępca dyrektora"),
]  # sums to 700 at scale 1

ROLE_SHORT = {
    Role.SOCIAL_WORKER: "ps",
    Role.HEAD_OF_UNIT: "kier",
    Role.BENEFITS_CLERK: "sp",
    Role.FINANCE: "fk",
    Role.ANALYST: "an",
    Role.ADMINISTRATOR: "adm",
    Role.DEPUTY_DIRECTOR: "zdyr",
}


@dataclass
class Staff:
    """Who was seeded: user ids per (unit code, role), units by code."""

    units: dict[str, Unit]
    by_unit_role: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def workers(self, unit_code: str) -> list[int]:
        return self.by_unit_role.get((unit_code, Role.SOCIAL_WORKER.value), [])

    def head(self, unit_code: str) -> int | None:
        heads = self.by_unit_role.get((unit_code, Role.HEAD_OF_UNIT.value), [])
        return heads[0] if heads else None


def seed_staff(*, scale: float, seed: int, now: Any) -> Staff:
    """Create the staff accounts missing for ``scale`` (existing usernames are kept)."""
    from ostoja.org.demo import load_demo_organisation

    load_demo_organisation(on=local_date(now))  # units, roles, the demo accounts (idempotent)
    tables = {k: Table(m, now) for k, m in org_models().items()}  # ids after the demo accounts
    User = get_user_model()
    units = {u.code: u for u in Unit.objects.all()}
    groups = {g.name: g.pk for g in Group.objects.all()}
    existing = dict(User.objects.filter(username__contains=".").values_list("username", "pk"))
    users, staff = tables["user"], tables["staff"]
    membership = tables["user_groups"]
    rng = random.Random(f"{seed}:staff")
    result = Staff(units=units)
    for unit_code, role, per_scale, position in STAFF_PLAN:
        count = max(1, round(per_scale * scale))
        ids = result.by_unit_role.setdefault((unit_code, role.value), [])
        for n in range(1, count + 1):
            username = f"{unit_code}.{ROLE_SHORT[role]}.{n:04d}"
            sex = "K" if rng.random() < 0.8 else "M"  # social work is mostly women
            first = rng.choice(_FEMALE_FIRST if sex == "K" else _MALE_FIRST)
            last = rng.choice(_SURNAMES)
            last = _feminine(last) if sex == "K" else last
            if username in existing:
                ids.append(existing[username])
                continue
            pk = users.add(
                {
                    "username": username,
                    "password": UNUSABLE,
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@ostoja.invalid",
                    "is_active": True,
                    "is_staff": False,
                    "is_superuser": False,
                    "date_joined": now,
                    "last_login": None,
                }
            )
            staff.add({"user_id": pk, "unit_id": units[unit_code].pk, "position": position})
            membership.add({"user_id": pk, "group_id": groups[role.value]})
            ids.append(pk)
    for name in ("user", "staff", "user_groups"):
        tables[name].flush()
    return result


def org_models() -> dict[str, Any]:
    User = get_user_model()
    return {"user": User, "staff": StaffMember, "user_groups": User.groups.through}

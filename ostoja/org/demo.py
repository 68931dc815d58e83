"""Demo organisation of MOPR Kielce: units, staff accounts for every role, authorisations.

Idempotent: records are looked up by their natural keys and created only when missing, so a
second run writes nothing (and leaves no audit entries).
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from ostoja.core.dates import shift_months, shift_years
from ostoja.org.choices import MatterKind, UnitKind
from ostoja.org.models import Authorisation, StaffMember, Unit
from ostoja.org.roles import Role
from ostoja.org.services import instance_settings_ensure, roles_ensure

SINCE = date(2017, 3, 23)  # the centre's current statute (City Council resolution 806/2017)

# (code, name, kind, parent code, case symbol, address)
UNITS: list[tuple[str, str, str, str | None, str, str]] = [
    ("dyrekcja", "Dyrekcja", UnitKind.MANAGEMENT, None, "DYR", "ul. Studzienna 2, 25-544 Kielce"),
    ("dpsr", "Dział Pomocy Środowiskowej", UnitKind.DEPARTMENT, "dyrekcja", "DPŚ",
     "ul. Studzienna 2, 25-544 Kielce"),
    *[
        (f"ro{n}", f"Rejon Opiekuńczy nr {n}", UnitKind.CARE_DISTRICT, "dpsr", f"RO{n}",
         "ul. Studzienna 2, 25-544 Kielce")
        for n in range(1, 11)
    ],
    ("bezdomnosc", "Dział ds. Bezdomności", UnitKind.DEPARTMENT, "dyrekcja", "DB",
     "ul. Mielczarskiego 51, Kielce"),
    ("uslugi", "Dział Usług", UnitKind.DEPARTMENT, "dyrekcja", "DU", ""),
    ("swiadczenia-rodzinne", "Dział Świadczeń Rodzinnych i Dodatków Mieszkaniowych",
     UnitKind.DEPARTMENT, "dyrekcja", "DŚR", "ul. Targowa 18, 25-520 Kielce"),
    ("adaptacja", "Dział Adaptacji Osób Niepełnosprawnych", UnitKind.DEPARTMENT, "dyrekcja",
     "DAON", "ul. Studzienna 2, 25-544 Kielce"),
    ("opieka-wychowanie", "Dział Opieki i Wychowania", UnitKind.DEPARTMENT, "dyrekcja", "DOW", ""),
    ("sow", "Specjalistyczny Ośrodek Wsparcia dla Osób Doznających Przemocy Domowej",
     UnitKind.FACILITY, "dyrekcja", "SOW", "ul. Wesoła 51, 25-363 Kielce"),
    ("kis", "Klub Integracji Społecznej", UnitKind.TEAM, "dyrekcja", "KIS",
     "ul. Sienkiewicza 34, 25-501 Kielce"),
    ("finanse", "Dział Finansowo-Księgowy", UnitKind.DEPARTMENT, "dyrekcja", "DFK",
     "ul. Studzienna 2, 25-544 Kielce"),
    ("organizacja", "Dział Spraw Organizacyjnych", UnitKind.DEPARTMENT, "dyrekcja", "DSO",
     "ul. Studzienna 2, 25-544 Kielce"),
    ("iod", "Inspektor Ochrony Danych", UnitKind.POST, "dyrekcja", "IOD",
     "ul. Studzienna 2, 25-544 Kielce"),
]  # fmt: skip

# The district named in public sources; the other names were not published.
DISTRICT_NAMES = {"ro10": "Za Torami"}

# username, first name, last name, role, unit code, position
DEMO_USERS: list[tuple[str, str, str, Role, str, str]] = [
    ("admin", "Adam", "Kowalczyk", Role.ADMINISTRATOR, "organizacja", "Administrator systemu"),
    ("socjalny", "Anna", "Wójcik", Role.SOCIAL_WORKER, "ro1", "Starszy pracownik socjalny"),
    ("swiadczenia", "Paweł", "Zieliński", Role.BENEFITS_CLERK, "dpsr",
     "Specjalista ds. świadczeń"),
    ("kierownik", "Małgorzata", "Łęcka", Role.HEAD_OF_UNIT, "ro1",
     "Kierownik Rejonu Opiekuńczego nr 1"),
    ("dyrektor", "Krzysztof", "Żółkiewski", Role.DIRECTOR, "dyrekcja", "Dyrektor"),
    ("ksiegowosc", "Ewa", "Szymańska", Role.FINANCE, "finanse", "Główna księgowa"),
    ("analityk", "Tomasz", "Mazur", Role.ANALYST, "organizacja", "Analityk"),
    ("iod", "Joanna", "Dąbrowska", Role.DATA_PROTECTION_OFFICER, "iod",
     "Inspektor ochrony danych"),
]  # fmt: skip

# One social worker for each of the other districts, so every district's cases have a worker.
DISTRICT_WORKERS: list[tuple[str, str, str, Role, str, str]] = [
    (f"socjalny{n}", first, last, Role.SOCIAL_WORKER, f"ro{n}", "Pracownik socjalny")
    for n, (first, last) in enumerate(
        [("Jan", "Nowak"), ("Katarzyna", "Wróbel"), ("Piotr", "Kaczmarek"),
         ("Agnieszka", "Pawlak"), ("Michał", "Górski"), ("Barbara", "Sikora"),
         ("Łukasz", "Ostrowski"), ("Zofia", "Baran"), ("Grzegorz", "Śliwa")],
        start=2,
    )
]  # fmt: skip

DEMO_PASSWORD = "demo"

ALL_CASH = [
    MatterKind.PERMANENT_ALLOWANCE, MatterKind.PERIODIC_ALLOWANCE, MatterKind.PURPOSE_ALLOWANCE,
    MatterKind.SPECIAL_PURPOSE_ALLOWANCE, MatterKind.RANDOM_EVENT_ALLOWANCE, MatterKind.MEALS,
]  # fmt: skip


@transaction.atomic
def load_demo_organisation(*, on: date) -> None:
    """Units, accounts and authorisations; authorisations are dated around ``on`` so that the
    demo signs on any day it is loaded (issue 11)."""
    roles_ensure()
    instance_settings_ensure()
    by_code: dict[str, Unit] = {}
    for code, name, kind, parent, symbol, address in UNITS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            unit = Unit.objects.create(
                code=code,
                name=name,
                short_name=DISTRICT_NAMES.get(code, ""),
                kind=kind,
                parent=by_code.get(parent) if parent else None,
                case_symbol=symbol,
                address=address,
                valid_from=SINCE,
            )
        by_code[code] = unit

    User = get_user_model()
    users = {}
    hashed: str | None = None  # one (slow, PBKDF2) hash for the shared demo password
    for username, first, last, role, unit_code, position in DEMO_USERS + DISTRICT_WORKERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            # Demo passwords are deliberately weak; they bypass the validators on purpose.
            hashed = hashed or make_password(DEMO_PASSWORD)
            user = User.objects.create_user(
                username=username, first_name=first, last_name=last,
                email=f"{username}@ostoja.invalid",
            )  # fmt: skip
            user.password = hashed
            user.save(update_fields=["password"])
            user.groups.add(*_groups(role))
            StaffMember.objects.create(user=user, unit=by_code[unit_code], position=position)
        users[username] = user

    # The register's numbers are fixed (documents issued in the past); their dates are set
    # around ``on`` so that on any load day the director's open-ended authorisation and the
    # head's current one (to the end of next year at least) are valid, the head's predecessor
    # has expired and the clerk's has been revoked — the same picture as on 2026-12-04.
    head_until = max(date(2027, 12, 31), date(on.year + 1, 12, 31))
    old_until = min(date(2024, 12, 31), shift_years(on, -1))
    revoked = min(date(2026, 6, 30), shift_months(on, -1))
    grants = [
        ("DYR/1/2024", "dyrektor", [m.value for m in MatterKind],
         min(date(2024, 1, 2), shift_years(on, -2)), None, None),
        ("DYR/7/2025", "kierownik", [m.value for m in ALL_CASH] + [MatterKind.CARE_SERVICES.value],
         min(date(2025, 1, 2), shift_years(on, -1)), head_until, None),
        ("DYR/3/2023", "kierownik", [m.value for m in ALL_CASH],
         min(date(2023, 1, 2), shift_years(old_until, -2)), old_until, None),
        ("DYR/12/2025", "swiadczenia", [MatterKind.PERMANENT_ALLOWANCE.value,
         MatterKind.PERIODIC_ALLOWANCE.value], min(date(2025, 3, 1), shift_months(revoked, -6)),
         None, revoked),
    ]  # fmt: skip
    for number, holder, scope, valid_from, valid_until, revoked_on in grants:
        if Authorisation.objects.filter(number=number).exists():
            continue
        Authorisation.objects.create(
            holder=users[holder],
            number=number,
            scope=scope,
            valid_from=valid_from,
            valid_until=valid_until,
            granted_by="Prezydent Miasta Kielce",
            granted_on=valid_from,
            revoked_on=revoked_on,
            revoked_reason="Zmiana zakresu obowiązków" if revoked_on else "",
        )


def _groups(role: Role) -> list[object]:
    from django.contrib.auth.models import Group

    return [Group.objects.get(name=role.value)]

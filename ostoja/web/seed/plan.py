"""The synthetic city, as plain data: who lives where, what they asked for, what they got.

Pure Python (no database): every family is generated from its own random stream
``Random(f"{seed}:family:{index}")``, so the same seed and anchor month give the same families,
and a family does not change when the scale does. The context modules (registry, cases,
decisions, payments, socialwork) turn these plans into rows of their own tables.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from faker.providers.person.pl_PL import Provider as _PlNames
from stdnum.pl import pesel as stdnum_pesel

from ostoja.core.polish import family_name

MONTHS = 60  # five years of history

# Household size 1–6, mostly 1–3; mean ≈ 2.5 persons (25,000 persons per 10,000 families).
SIZE_WEIGHTS = ((1, 30), (2, 22), (3, 20), (4, 13), (5, 9), (6, 6))

# Share of families by the help they mostly live on.
PROFILES = (("staly", 33), ("okresowy", 57), ("dorazny", 10))

INCOME_AMOUNTS = {  # kind → (low, high) net zł a month
    "wynagrodzenie": (900, 3200),
    "emerytura": (1200, 2600),
    "renta": (900, 1900),
    "renta_socjalna": (1300, 1800),
    "zasilek_dla_bezrobotnych": (1000, 1400),
    "alimenty": (300, 900),
    "zasilek_rodzinny": (95, 250),
    "zasilek_pielegnacyjny": (215, 216),
    "dodatek_mieszkaniowy": (150, 450),
    "swiadczenie_wychowawcze": (800, 800),
    "inne": (50, 600),
}
ADULT_INCOME_KINDS = (
    ("wynagrodzenie", 25),
    ("emerytura", 12),
    ("renta", 8),
    ("renta_socjalna", 4),
    ("zasilek_dla_bezrobotnych", 10),
    ("alimenty", 6),
    ("dodatek_mieszkaniowy", 6),
    ("inne", 5),
    ("", 24),  # no income
)

NOTE_TEXTS = (
    "Rozmowa z klientem w siedzibie rejonu; omówiono sytuację mieszkaniową i dochodową.",
    "Wizyta w miejscu zamieszkania — warunki mieszkaniowe bez zmian, mieszkanie ogrzewane.",
    "Telefon od klienta w sprawie terminu wypłaty zasiłku; udzielono informacji.",
    "Pismo do PUP w sprawie statusu osoby bezrobotnej; oczekuje na odpowiedź.",
    "Konsultacja z asystentem rodziny — plan wsparcia na najbliższy kwartał.",
    "Praca socjalna: motywowanie do podjęcia leczenia i kontaktu z poradnią.",
    "Klient zgłosił się z prośbą o pomoc w zakupie opału na zimę.",
    "Ustalono z klientką kolejne kroki w poszukiwaniu zatrudnienia.",
)
NOTE_CATEGORIES = ("rozmowa", "wizyta", "telefon", "pismo", "konsultacja", "praca_socjalna")
VISIT_PURPOSES = (
    "Aktualizacja rodzinnego wywiadu środowiskowego",
    "Wizyta monitorująca realizację kontraktu socjalnego",
    "Rozpoznanie sytuacji po zgłoszeniu sąsiadów",
    "Ocena potrzeb w zakresie usług opiekuńczych",
)
REASONS_BY_PROFILE = {
    "staly": ("5", "6", "1"),
    "okresowy": ("1", "4", "6", "9", "8", "13"),
    "dorazny": ("1", "14", "4", "5"),
}


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def _feminine(surname: str) -> str:
    for end in ("ski", "cki", "dzki"):
        if surname.endswith(end):
            return surname[:-1] + "a"
    return surname


_MALE_FIRST = tuple(_PlNames.first_names_male)
_FEMALE_FIRST = tuple(_PlNames.first_names_female)
_SURNAMES = tuple(_PlNames.male_last_names) * 6 + tuple(_PlNames.unisex_last_names)


def pesel_for(birth: date, sex: str, serial: int) -> str:
    """A valid PESEL: date with the century offset, 3-digit serial, sex digit, check digit."""
    month = birth.month + {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[birth.year // 100]
    sex_digit = (serial % 5) * 2 + (1 if sex == "M" else 0)
    body = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial // 5 % 1000:03d}{sex_digit}"
    return body + stdnum_pesel.calc_check_digit(body)


class PeselBook:
    """Allocates unique PESELs (deterministically, in the order families are generated)."""

    def __init__(self, used: set[str]) -> None:
        self.used = used

    def take(self, rng: random.Random, birth: date, sex: str) -> str:
        for _ in range(200):
            number = pesel_for(birth, sex, rng.randrange(5000))
            if number not in self.used:
                self.used.add(number)
                return number
        raise RuntimeError("seed: brak wolnych numerów PESEL dla daty urodzenia")


@dataclass
class Member:
    first_name: str
    second_name: str
    last_name: str
    sex: str
    birth_date: date
    pesel: str
    relation: str
    income_kind: str = ""
    income_amount: Decimal = Decimal("0")
    disability: str = ""
    ids: dict[str, int] = field(default_factory=dict)


@dataclass
class Episode:
    """One application and what came of it: a decision (and, for a change, a second one)."""

    received_on: date
    benefit: str
    reasons: list[str]
    outcome: str  # "grant" | "refusal" | "open"
    amount: Decimal = Decimal("0")
    period_from: date | None = None
    period_to: date | None = None  # exclusive; None = indefinitely
    one_off: bool = False
    method: str = "przelew"
    change_on: date | None = None  # a change decision from this day (new amount)
    change_amount: Decimal = Decimal("0")
    ids: dict[str, Any] = field(default_factory=dict)

    @property
    def decided_on(self) -> date:
        return self.received_on + timedelta(days=12)


@dataclass
class Family:
    index: int
    unit_code: str
    street_id: int | None
    street_name: str
    house: str
    flat: str
    postal_code: str
    homeless: bool
    profile: str
    members: list[Member]
    opened_on: date
    worker_slot: int  # which social worker of the unit holds the case
    episodes: list[Episode]
    notes: list[tuple[date, str, str]]
    visits: list[tuple[date, str, str]]  # (planned_on, status, purpose)
    contract: bool
    account_serial: int
    ids: dict[str, Any] = field(default_factory=dict)

    @property
    def applicant(self) -> Member:
        return self.members[0]

    @property
    def name(self) -> str:
        # "Rodzina Lewandowskich (Anna)": the surname declined as the registry names a new
        # family (issue 17); the applicant's first name keeps same-surname families apart.
        return f"{family_name(self.applicant.last_name)} ({self.applicant.first_name})"

    @property
    def address(self) -> str:
        if self.homeless:
            return "bez stałego adresu — Dział ds. Bezdomności, ul. Mielczarskiego 51, Kielce"
        flat = f"/{self.flat}" if self.flat else ""
        return f"{self.street_name} {self.house}{flat}, {self.postal_code} Kielce".strip()


@dataclass(frozen=True)
class StreetRef:
    pk: int
    name: str
    postal_code: str
    unit_code: str


def _weighted(rng: random.Random, pairs: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2).quantize(Decimal("0.01"))


def _birth(rng: random.Random, on: date, age_low: int, age_high: int) -> date:
    days = rng.randint(age_low * 365, age_high * 365 + 364)
    return on - timedelta(days=days)


def family(
    *,
    seed: int,
    index: int,
    until: date,
    streets: list[StreetRef],
    pesels: PeselBook,
) -> Family:
    """Family number ``index`` of the synthetic city (``until``: first day not seeded)."""
    rng = random.Random(f"{seed}:family:{index}")
    start = add_months(until, -MONTHS)
    profile = _weighted(rng, PROFILES)
    size = _weighted(rng, SIZE_WEIGHTS)
    if profile == "staly":
        size = min(size, 3)  # zasiłek stały: mostly people alone or couples
    surname = rng.choice(_SURNAMES)
    members: list[Member] = []
    head_sex = "K" if rng.random() < 0.58 else "M"
    head_age = (60, 88) if profile == "staly" and rng.random() < 0.6 else (20, 64)
    roles: list[tuple[str, str, tuple[int, int]]] = [("wnioskodawca", head_sex, head_age)]
    if size >= 2:
        partner = "malzonek" if rng.random() < 0.7 else "partner"
        if size == 2 and rng.random() < 0.35:
            roles.append(("dziecko", rng.choice("KM"), (1, 17)))
        else:
            roles.append((partner, "M" if head_sex == "K" else "K", head_age))
    for _ in range(size - len(roles)):
        roles.append(("dziecko", rng.choice("KM"), (0, 17)))
    for relation, sex, (lo, hi) in roles:
        birth = _birth(rng, until, lo, hi)
        first = rng.choice(_FEMALE_FIRST if sex == "K" else _MALE_FIRST)
        second = (
            rng.choice(_FEMALE_FIRST if sex == "K" else _MALE_FIRST) if rng.random() < 0.4 else ""
        )
        last = _feminine(surname) if sex == "K" else surname
        member = Member(first, second, last, sex, birth, pesels.take(rng, birth, sex), relation)
        if relation != "dziecko":
            member.income_kind = _weighted(rng, ADULT_INCOME_KINDS)
            if member.income_kind:
                member.income_amount = _money(rng, *INCOME_AMOUNTS[member.income_kind])
            if profile == "staly" and relation == "wnioskodawca":
                member.disability = rng.choice(("znaczny", "umiarkowany", ""))
        elif rng.random() < 0.5:
            member.income_kind = "swiadczenie_wychowawcze"
            member.income_amount = Decimal("800.00")
        members.append(member)

    homeless = size == 1 and rng.random() < 0.05
    street = None if homeless else rng.choice(streets)
    unit_code = "bezdomnosc" if street is None else street.unit_code
    house = "" if homeless else str(rng.randint(1, 120))
    flat = "" if homeless or rng.random() < 0.3 else str(rng.randint(1, 80))

    first_month = rng.randrange(0, 10) if profile != "dorazny" else rng.randrange(0, MONTHS - 1)
    opened = add_months(start, first_month) + timedelta(days=rng.randrange(0, 27))
    episodes = _episodes(rng, profile, opened, until)
    last_contact = max([e.received_on for e in episodes] or [opened])
    notes = []
    for _ in range(rng.randint(1, 7)):
        on = opened + timedelta(days=rng.randrange(max(1, (until - opened).days)))
        notes.append((on, rng.choice(NOTE_CATEGORIES), rng.choice(NOTE_TEXTS)))
    visits = []
    for _ in range(rng.randint(0, 3)):
        on = opened + timedelta(days=rng.randrange(max(1, (until - opened).days)))
        visits.append((on, "odbyta", rng.choice(VISIT_PURPOSES)))
    if profile != "dorazny" and rng.random() < 0.25:  # an upcoming visit on the worker's desk
        visits.append((until + timedelta(days=rng.randrange(0, 21)), "zaplanowana",
                       rng.choice(VISIT_PURPOSES)))  # fmt: skip
    return Family(
        index=index,
        unit_code=unit_code,
        street_id=street.pk if street else None,
        street_name=street.name if street else "",
        house=house,
        flat=flat,
        postal_code=street.postal_code if street else "",
        homeless=homeless,
        profile=profile,
        members=members,
        opened_on=min(opened, last_contact),
        worker_slot=rng.randrange(1_000_000),
        episodes=episodes,
        notes=sorted(notes),
        visits=sorted(visits),
        contract=profile == "okresowy" and rng.random() < 0.12,
        account_serial=index * 7 + 3,
    )


def _episodes(rng: random.Random, profile: str, opened: date, until: date) -> list[Episode]:
    out: list[Episode] = []
    reasons = REASONS_BY_PROFILE[profile]

    def method() -> str:
        return _weighted(rng, (("przelew", 78), ("kasa", 16), ("poczta", 6)))

    if profile == "staly":
        received = opened
        start = add_months(received, 1)
        ep = Episode(received, "zasilek_staly", [rng.choice(reasons)], "grant",
                     amount=_money(rng, 150, 1229), period_from=start, method=method())  # fmt: skip
        if (until - start).days > 400 and rng.random() < 0.6:  # new income → amount changed
            ep.change_on = add_months(start, rng.randrange(6, max(7, (until - start).days // 31)))
            ep.change_amount = _money(rng, 100, 1229)
        out.append(ep)
    elif profile == "okresowy":
        month = add_months(opened, 1)
        received = opened
        while month < until:
            length = rng.choice((3, 6, 6, 6, 9, 12))
            if rng.random() < 0.07:
                out.append(Episode(received, "zasilek_okresowy", [rng.choice(reasons)], "refusal"))
            else:
                out.append(
                    Episode(
                        received,
                        "zasilek_okresowy",
                        [rng.choice(reasons)],
                        "grant",
                        amount=_money(rng, 200, 900),
                        period_from=month,
                        period_to=add_months(month, length),
                        method=method(),
                    )
                )
            month = add_months(month, length)
            received = month - timedelta(days=rng.randint(14, 28))
            if rng.random() < 0.02:  # the family left assistance
                break
    # one-off help (zasiłek celowy) for everyone now and then
    span = max(1, (until - opened).days)
    for _ in range(rng.choice((0, 1, 1, 2, 3) if profile != "dorazny" else (1, 2, 3, 4))):
        received = opened + timedelta(days=rng.randrange(span))
        if received + timedelta(days=12) >= until:
            continue
        benefit = "specjalny_zasilek_celowy" if rng.random() < 0.08 else "zasilek_celowy"
        start = received + timedelta(days=12)
        out.append(
            Episode(
                received,
                benefit,
                [rng.choice(reasons)],
                "grant" if rng.random() < 0.9 else "refusal",
                amount=_money(rng, 150, 1200),
                period_from=start,
                period_to=add_months(start, 1),
                one_off=True,
                method=method(),
            )
        )
    if rng.random() < 0.04:  # an application still waiting (the desk's deadlines)
        received = until - timedelta(days=rng.randrange(0, 25))
        out.append(Episode(received, rng.choice(("zasilek_okresowy", "zasilek_celowy")),
                           [rng.choice(reasons)], "open"))  # fmt: skip
    out = [e for e in out if e.received_on < until]
    out.sort(key=lambda e: e.received_on)
    return out

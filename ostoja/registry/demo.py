"""Demo data of the registry context (idempotent): street → district assignment and a few dozen
families across the ten care districts, with Polish names carrying diacritics, valid PESELs
(check digit from python-stdnum), addresses from the street list and incomes.

Looked up by PESEL: a second run writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from stdnum.pl import pesel as stdnum_pesel

from ostoja.core.dates import local_date, month_start, shift_months, shift_years
from ostoja.core.polish import family_name
from ostoja.org.models import Unit
from ostoja.registry import services, streets
from ostoja.registry.models import HouseholdMembership, Income, Person, StreetDistrict

SURNAMES = [
    ("Żółkiewski", "Żółkiewska"),
    ("Łęcki", "Łęcka"),
    ("Kowalski", "Kowalska"),
    ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"),
    ("Kamiński", "Kamińska"),
    ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"),
    ("Woźniak", "Woźniak"),
    ("Dąbrowski", "Dąbrowska"),
    ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"),
    ("Mazur", "Mazur"),
    ("Kwiatkowski", "Kwiatkowska"),
    ("Krawczyk", "Krawczyk"),
    ("Piotrowski", "Piotrowska"),
    ("Grabowski", "Grabowska"),
    ("Nowakowski", "Nowakowska"),
    ("Pawłowski", "Pawłowska"),
    ("Michalski", "Michalska"),
    ("Król", "Król"),
    ("Wieczorek", "Wieczorek"),
    ("Jabłoński", "Jabłońska"),
    ("Wróbel", "Wróbel"),
    ("Majewski", "Majewska"),
    ("Olszewski", "Olszewska"),
    ("Stępień", "Stępień"),
    ("Jaworski", "Jaworska"),
    ("Malinowski", "Malinowska"),
    ("Górski", "Górska"),
    ("Rutkowski", "Rutkowska"),
    ("Sikora", "Sikora"),
    ("Bąk", "Bąk"),
    ("Chmielewski", "Chmielewska"),
    ("Ślusarczyk", "Ślusarczyk"),
]
WOMEN = [
    "Anna",
    "Małgorzata",
    "Elżbieta",
    "Józefa",
    "Jadwiga",
    "Zofia",
    "Łucja",
    "Bożena",
    "Grażyna",
    "Katarzyna",
    "Halina",
    "Urszula",
]
MEN = [
    "Józef",
    "Stanisław",
    "Łukasz",
    "Zbigniew",
    "Grzegorz",
    "Mieczysław",
    "Paweł",
    "Tomasz",
    "Jarosław",
    "Bartłomiej",
    "Kazimierz",
    "Wiesław",
]
GIRLS = ["Zuzanna", "Maja", "Hanna", "Łucja", "Julia", "Zofia"]
BOYS = ["Jakub", "Szymon", "Kacper", "Mikołaj", "Jędrzej", "Antoni"]


def make_pesel(birth: date, serial: int, sex: str) -> str:
    """A valid PESEL for a birth date and sex (check digit by python-stdnum)."""
    month = birth.month + (20 if birth.year >= 2000 else 0)
    sex_digit = (serial % 5) * 2 + (1 if sex == "M" else 0)
    body = f"{birth.year % 100:02d}{month:02d}{birth.day:02d}{serial % 1000:03d}{sex_digit}"
    return body + stdnum_pesel.calc_check_digit(body)


@dataclass
class DemoMember:
    first: str
    last: str
    sex: str
    birth: date
    relation: str
    incomes: list[dict[str, object]]
    disability: str = ""
    incapacity: bool = False


def _family(i: int) -> list[DemoMember]:
    """A deterministic family of one of five kinds."""
    male, female = SURNAMES[i % len(SURNAMES)]
    kind = i % 5
    w, m = WOMEN[i % len(WOMEN)], MEN[i % len(MEN)]
    g, b = GIRLS[i % len(GIRLS)], BOYS[i % len(BOYS)]
    if i == 0:
        kind = 1  # „Żółkiewski”: a couple with children
    if i == 1:
        kind = 0  # „Łęcka”: an elderly woman living alone
    if kind == 0:  # elderly woman alone, small pension
        return [
            DemoMember(
                w,
                female,
                "K",
                date(1948 + i % 10, 1 + i % 12, 3 + i % 25),
                "wnioskodawca",
                [{"kind": "emerytura", "amount": "950.00"}],
            )
        ]
    if kind == 1:  # couple with two children, one low wage, 800+
        return [
            DemoMember(
                m,
                male,
                "M",
                date(1984 + i % 6, 1 + i % 12, 10),
                "wnioskodawca",
                [
                    {
                        "kind": "wynagrodzenie",
                        "gross": "3200.00",
                        "tax": "0.00",
                        "social": "438.72",
                        "health": "248.52",
                    }
                ],
            ),
            DemoMember(w, female, "K", date(1986 + i % 5, 2 + i % 10, 14), "malzonek", []),
            DemoMember(
                g,
                female,
                "K",
                date(2012 + i % 5, 3, 1 + i % 27),
                "dziecko",
                [{"kind": "swiadczenie_wychowawcze", "amount": "800.00"}],
            ),
            DemoMember(
                b,
                male,
                "M",
                date(2016 + i % 4, 5, 2 + i % 26),
                "dziecko",
                [{"kind": "swiadczenie_wychowawcze", "amount": "800.00"}],
            ),
        ]
    if kind == 2:  # single mother, alimony
        return [
            DemoMember(
                w,
                female,
                "K",
                date(1990 + i % 6, 4, 1 + i % 27),
                "wnioskodawca",
                [
                    {"kind": "alimenty", "amount": "600.00"},
                    {"kind": "zasilek_rodzinny", "amount": "215.00"},
                ],
            ),
            DemoMember(
                b,
                male,
                "M",
                date(2015 + i % 5, 7, 1 + i % 27),
                "dziecko",
                [{"kind": "swiadczenie_wychowawcze", "amount": "800.00"}],
            ),
        ]
    if kind == 3:  # man alone, unemployed, no income
        return [DemoMember(m, male, "M", date(1970 + i % 10, 6, 1 + i % 27), "wnioskodawca", [])]
    return [  # person with a significant disability and a disability pension
        DemoMember(
            m,
            male,
            "M",
            date(1962 + i % 8, 9, 1 + i % 27),
            "wnioskodawca",
            [{"kind": "renta", "amount": "1180.00"}],
            disability="znaczny",
            incapacity=True,
        ),
        DemoMember(
            w,
            female,
            "K",
            date(1965 + i % 8, 11, 1 + i % 27),
            "malzonek",
            [{"kind": "zasilek_pielegnacyjny", "amount": "215.84"}],
        ),
    ]


FAMILIES = 36
RO1_FAMILIES = 8  # socjalny works in ro1: the desk is not empty


def _district_of(i: int) -> str:
    if i < RO1_FAMILIES:
        return "ro1"
    return f"ro{(i - RO1_FAMILIES) % 9 + 2}"


def _demo_user() -> object | None:
    return get_user_model().objects.filter(username="swiadczenia").first()


@transaction.atomic
def load_demo(*, now: datetime) -> None:
    districts = list(Unit.objects.filter(kind="rejon", code__regex=r"^ro\d+$"))
    districts.sort(key=lambda u: int(u.code[2:]))
    if not districts:
        return
    streets.street_districts_demo_assign(units=districts)
    user = _demo_user()
    on = local_date(now)
    month = shift_months(month_start(on), -1)  # the income month of applications made now
    # Households formed over the last six years (relative to the load day, so any day works).
    formed_since = shift_years(month_start(on), -6)
    by_code = {u.code: u for u in districts}
    streets_of: dict[int, list[StreetDistrict]] = {}
    for row in StreetDistrict.objects.select_related("street").order_by("street__sym_ul"):
        if row.street.active:
            streets_of.setdefault(row.unit_id, []).append(row)
    for i in range(FAMILIES):
        unit = by_code.get(_district_of(i))
        if unit is None or not streets_of.get(unit.pk):
            continue
        rows = streets_of[unit.pk]
        street = rows[(i * 7) % len(rows)].street
        members = _family(i)
        persons = []
        for n, dm in enumerate(members):
            pesel = make_pesel(dm.birth, 100 + i * 7 + n, dm.sex)
            person = Person.objects.filter(pesel=pesel).first()
            if person is None:
                data = {
                    "first_name": dm.first,
                    "last_name": dm.last,
                    "pesel": pesel,
                    "birth_date": dm.birth,
                    "sex": dm.sex,
                    "act_street": street,
                    "act_house": str(1 + (i * 3) % 40),
                    "act_flat": str(1 + i % 12) if i % 3 else "",
                    "act_postal_code": street.postal_codes.split("|")[0]
                    if street.postal_codes
                    else "",
                    "act_city": "Kielce",
                    "phone": f"600 {100 + i:03d} {200 + n:03d}",
                    "disability_degree": dm.disability,
                    "incapacity_for_work": dm.incapacity,
                    "insured_elsewhere": bool(dm.incomes),
                }
                person = services.person_create(data=data, user=user, on=on)
                Person.objects.filter(pk=person.pk).update(registered_by_unit=unit)
                for back in range(3):  # the income months of recent applications
                    m = shift_months(month, -back)
                    for item in dm.incomes:
                        services.income_add(
                            person=person,
                            data={"month": m, "proof": "zaświadczenie", **item},
                            user=user,
                            on=on,
                        )
            persons.append((person, dm))
        applicant = persons[0][0]
        if HouseholdMembership.objects.filter(person=applicant).exists():
            continue
        household = services.household_create(
            name=family_name(SURNAMES[i % len(SURNAMES)][0])  # "Rodzina Żółkiewskich"
            if len(members) > 1
            else f"{members[0].first} {members[0].last}",
            applicant=applicant,
            valid_from=formed_since + timedelta(days=i * 30),
            user=user,
        )
        household.registered_by_unit = unit
        household.save(update_fields=["registered_by_unit"])
        for person, dm in persons[1:]:
            household.refresh_from_db(fields=["version"])
            services.membership_add(
                household=household,
                person=person,
                relation=dm.relation,
                valid_from=max(dm.birth, formed_since + timedelta(days=i * 30)),
                expected_version=household.version,
            )
    _special_cases(user, on, month)


def _special_cases(user: object, on: date, month: date) -> None:
    """A homeless man and a woman who moved outside Kielce (to forward under art. 101)."""
    homeless_pesel = make_pesel(date(1966, 2, 12), 901, "M")
    if not Person.objects.filter(pesel=homeless_pesel).exists():
        p = services.person_create(
            data={
                "first_name": "Mirosław",
                "last_name": "Gałązka",
                "pesel": homeless_pesel,
                "birth_date": date(1966, 2, 12),
                "sex": "M",
                "homeless": True,
                "act_place": "noclegownia, ul. Mielczarskiego 51",
            },
            user=user,
            on=on,
        )
        services.household_create(
            name="Mirosław Gałązka",
            applicant=p,
            valid_from=shift_months(month_start(on), -19),
            user=user,
        )
    outside_pesel = make_pesel(date(1979, 8, 30), 902, "K")
    if not Person.objects.filter(pesel=outside_pesel).exists():
        p = services.person_create(
            data={
                "first_name": "Bożena",
                "last_name": "Świątek",
                "pesel": outside_pesel,
                "birth_date": date(1979, 8, 30),
                "sex": "K",
                "act_city": "Masłów Pierwszy",
                "act_street_text": "ul. Spacerowa",
                "act_house": "12",
                "act_postal_code": "26-001",
                "confirm_outside": True,
            },
            user=user,
            on=on,
        )
        Income.objects.filter(person=p).delete()
        ro1 = Unit.objects.filter(code="ro1").first()
        Person.objects.filter(pk=p.pk).update(registered_by_unit=ro1)
        household = services.household_create(
            name="Bożena Świątek",
            applicant=p,
            valid_from=shift_months(month_start(on), -33),
            user=user,
        )
        household.registered_by_unit = ro1
        household.save(update_fields=["registered_by_unit"])

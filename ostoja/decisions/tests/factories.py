"""Test and demo data: a household with an application ready for decision (no UI needed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ostoja.law.interface import calculate_document

REQUESTS: dict[str, dict[str, Any]] = {
    "zasilek_staly": {
        "members": [
            {
                "id": "A",
                "role": "wnioskodawca",
                "birth_date": "1955-04-02",
                "sex": "K",
                "insured_elsewhere": False,
                "incomes": [{"kind": "emerytura", "amount": "900.00"}],
            }
        ],
    },
    "zasilek_okresowy": {
        "members": [
            {
                "id": "A",
                "role": "wnioskodawca",
                "birth_date": "1980-04-02",
                "sex": "M",
                "incomes": [{"kind": "zasilek_dla_bezrobotnych", "amount": "400.00"}],
            }
        ],
    },
    "zasilek_celowy": {
        "members": [
            {
                "id": "A",
                "role": "wnioskodawca",
                "birth_date": "1970-01-12",
                "sex": "K",
                "incomes": [{"kind": "renta", "amount": "700.00"}],
            }
        ],
        "requested_amount": "450.00",
    },
    "refused": {
        "benefit": "zasilek_okresowy",
        "members": [
            {
                "id": "A",
                "role": "wnioskodawca",
                "birth_date": "1980-04-02",
                "sex": "M",
                "incomes": [{"kind": "emerytura", "amount": "2500.00"}],
            }
        ],
    },
}

NAMES = [
    ("Zofia", "Żółtańska", "K"),
    ("Jan", "Kowalski", "M"),
    ("Halina", "Ślęzak", "K"),
    ("Stanisław", "Wąs", "M"),
    ("Grażyna", "Łuczak", "K"),
]
_counter = {"n": 0}


def make_ready_application(
    benefit: str = "zasilek_staly",
    unit: str = "ro1",
    received_on: date = date(2026, 11, 3),
    worker: Any = None,
    first_name: str | None = None,
    last_name: str | None = None,
    sex: str | None = None,
) -> Any:
    from ostoja.cases.models import Application, Calculation, Case, Interview
    from ostoja.org.models import Unit
    from ostoja.registry.models import Household, HouseholdMembership, Person

    _counter["n"] += 1
    n = _counter["n"]
    first, last, default_sex = NAMES[n % len(NAMES)]
    first, last, sex = first_name or first, last_name or last, sex or default_sex
    spec = dict(REQUESTS[benefit])
    code = spec.pop("benefit", benefit)
    person = Person.objects.create(
        first_name=first,
        last_name=last,
        birth_date=date(1955, 4, 2),
        sex=sex,
        act_street_text="ul. Źródłowa",
        act_house=str(10 + n),
        act_flat="4",
        act_postal_code="25-001",
        act_city="Kielce",
    )
    household = Household.objects.create(name=f"Rodzina {last} {n}")
    HouseholdMembership.objects.create(
        household=household, person=person, relation="wnioskodawca", valid_from=date(2020, 1, 1)
    )
    u = Unit.objects.get(code=unit)
    case = Case.objects.create(household=household, unit=u, worker=worker, opened_on=received_on)
    symbol = u.case_symbol or unit.upper()
    application = Application.objects.create(
        case=case,
        applicant=person,
        reference=f"{symbol}.8311.{n}.{received_on.year}.T{n}",
        reference_number=1000 + n,
        reference_year=received_on.year,
        filing_symbol="8311",
        unit_symbol=symbol,
        received_on=received_on,
        channel="osobiscie",
        forms=[code],
        reasons=["1"],
        status="gotowy_do_decyzji",
        interview_due=received_on,
        decision_due=received_on,
    )
    Interview.objects.create(
        case=case,
        application=application,
        status="zakonczony",
        conducted_on=received_on,
        sections={
            "analiza": {
                "ocena": "osoba samotna, utrzymuje się z niskiego świadczenia, "
                "nie ma innych źródeł dochodu"
            }
        },
    )
    request = {"benefit": code, "application_date": received_on.isoformat(), **spec}
    result = calculate_document(request)
    Calculation.objects.create(
        case=case,
        application=application,
        benefit=code,
        request=request,
        result=result,
        eligible=bool(result["eligible"]),
        amount=result.get("amount"),
        parameters_valid_from=date.fromisoformat(result["parameters"]["valid_from"]),
    )
    return application


def add_calculation(application: Any, benefit: str, **overrides: Any) -> Any:
    """Another calculation on ``application`` (a second form of help, or one „for comparison”);
    ``benefit`` keys :data:`REQUESTS`; ``overrides`` change the request (e.g. an amount)."""
    from ostoja.cases.models import Calculation

    spec = dict(REQUESTS[benefit])
    code = spec.pop("benefit", benefit)
    request = {
        "benefit": code,
        "application_date": application.received_on.isoformat(),
        **spec,
        **overrides,
    }
    result = calculate_document(request)
    return Calculation.objects.create(
        case=application.case,
        application=application,
        benefit=code,
        request=request,
        result=result,
        eligible=bool(result["eligible"]),
        amount=result.get("amount"),
        parameters_valid_from=date.fromisoformat(result["parameters"]["valid_from"]),
    )


def make_two_benefit_application(received_on: date = date(2026, 11, 3), **kw: Any) -> Any:
    """One application asking for zasiłek okresowy and zasiłek celowy, each calculated."""
    application = make_ready_application("zasilek_okresowy", received_on=received_on, **kw)
    add_calculation(application, "zasilek_celowy")
    application.forms = ["zasilek_okresowy", "zasilek_celowy"]
    application.save(update_fields=["forms"])
    return application

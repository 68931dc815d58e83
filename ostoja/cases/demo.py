"""Demo data of the cases context (idempotent): applications in various states for the demo
families, completed interviews with a proposal, calculations by the law core, one application
forwarded under art. 101. A household that already has a case is left alone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import QueryDict

from ostoja.cases import services
from ostoja.cases.models import Case
from ostoja.core.dates import local_date, noon
from ostoja.registry.models import Household, HouseholdMembership

PLAN = {
    0: ("zasilek_okresowy", ["1", "6"]),
    1: ("zasilek_okresowy", ["1", "4", "8"]),
    2: ("zasilek_celowy", ["1", "9"]),
    3: ("zasilek_okresowy", ["1", "4"]),
    4: ("zasilek_staly", ["5", "6"]),
}


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def load_demo(*, now: datetime) -> None:
    clerk = _user("swiadczenia")
    worker = _user("socjalny")
    if clerk is None:
        return
    on = local_date(now)
    households = list(
        Household.objects.filter(case__isnull=True).order_by("pk").prefetch_related("memberships")
    )
    for n, household in enumerate(households):
        applicant_m = (
            HouseholdMembership.objects.filter(household=household, relation="wnioskodawca")
            .select_related("person")
            .first()
        )
        if applicant_m is None:
            continue
        applicant = applicant_m.person
        benefit, reasons = PLAN[n % 5]
        if applicant.homeless:
            benefit, reasons = "zasilek_celowy", ["1", "3"]
        days_ago = [40, 20, 12, 5, 2, 1, 0][n % 7]
        registering = worker if applicant.outside_kielce and worker else clerk
        application = services.application_register(
            household=household,
            applicant=applicant,
            received_on=on - timedelta(days=days_ago),
            channel=["osobiscie", "poczta", "epuap", "empatia", "z_urzedu"][n % 5],
            forms=[benefit],
            reasons=reasons,
            user=registering,
            on=on,
            urgent=(n % 11 == 3),
            description="Wniosek o pomoc (dane demonstracyjne).",
        )
        case = application.case
        if applicant.outside_kielce:
            services.application_forward(
                application=application,
                target="Gminny Ośrodek Pomocy Społecznej w Masłowie",
                on=on,
                today=on,
                expected_version=application.version,
                user=registering,
            )
            continue
        if case.worker is None or days_ago < 5 or n % 3 == 1:
            continue  # waiting for the interview (the desk shows the deadline)
        _interview(case, application, case.worker, benefit, on=on, conducted_days_ago=days_ago - 3)
        if n % 3 == 0:
            services.case_set_ongoing_help(case=case, ongoing=True)
    _assign_unassigned(clerk, now=now)


def _assign_unassigned(clerk: Any, *, now: datetime) -> None:
    """Cases opened before their district had a social worker (e.g. an earlier demo without
    socjalny2..socjalny10) go to the district's least-loaded worker once one exists; a district
    still without a worker is left alone, so a second run writes nothing."""
    unassigned = Case.objects.filter(worker__isnull=True).select_related("unit").order_by("pk")
    for case in unassigned:
        services.case_assign_district_worker(case=case, user=clerk, now=now)


def interview_for(case: Case, application: Any, user: Any, benefit: str, *, conducted: Any) -> None:
    """A completed interview for ``application`` conducted on ``conducted`` (other contexts'
    demo history uses it too)."""
    _interview(case, application, user, benefit, on=conducted, conducted_days_ago=0)


def _interview(
    case: Case, application: Any, user: Any, benefit: str, *, on: Any, conducted_days_ago: int
) -> None:
    interview = services.interview_start(
        case=case,
        application=application,
        user=user,
        now=noon(application.received_on),
        planned_on=application.received_on + timedelta(days=2),
    )
    sections = {
        "identyfikacja": {
            "identyfikacja-miejsce": "mieszkanie",
            "identyfikacja-tryb": "wniosek",
            "identyfikacja-obecni": "wnioskodawca",
        },
        "rodzina": {
            "rodzina-opis": "Rodzina wspólnie gospodarująca; więzi poprawne.",
            "rodzina-samotnie": "",
        },
        "mieszkanie": {
            "mieszkanie-rodzaj": "komunalny",
            "mieszkanie-izby": "2",
            "mieszkanie-oplaty": "620.00",
            "mieszkanie-warunki": "Mieszkanie ogrzewane piecem kaflowym.",
        },
        "trudnosci": {
            "trudnosci-powody": application.reasons,
            "trudnosci-opis": "Niewystarczający dochód.",
        },
        "analiza": {
            "analiza-ocena": "Rodzina nie zaspokaja samodzielnie podstawowych potrzeb.",
            "analiza-plan": "Pomoc finansowa, praca socjalna, kontakt z PUP.",
            "analiza-proponowane_swiadczenie": benefit,
        },
    }
    for name, values in sections.items():
        qd = QueryDict(mutable=True)
        for key, value in values.items():
            if isinstance(value, list):
                qd.setlist(key, value)
            else:
                qd[key] = value
        interview = services.interview_save_section(
            interview=interview, section=name, data=qd, expected_version=interview.version
        )
    conducted = max(application.received_on, on - timedelta(days=max(conducted_days_ago, 0)))
    services.interview_complete(
        interview=interview,
        conducted_on=conducted,
        expected_version=interview.version,
        user=user,
        on=on,
        now=noon(conducted),
    )
    services.calculation_run(
        application=application, benefit=benefit, user=user, now=noon(conducted)
    )

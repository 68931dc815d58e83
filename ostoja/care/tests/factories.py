"""Care records of one district for the security suite (horizontal access tests)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from ostoja.care import services as svc
from ostoja.care.tests.helpers import order_for, person_of, provider_with_contract


def security_records(*, case: Any, actor: Any, on: date) -> dict[str, Any]:
    """An order of care services (*zlecenie usług opiekuńczych*, art. 50 u.p.s.) on ``case``
    with one month billed by the district's head (``kierownik``) and a correcting bill of it
    proposed, a leaving-care programme (*program usamodzielnienia*, art. 88) and
    an integration programme (*program integracji*, art. 92) — all in the case's district."""
    from ostoja.core.dates import noon

    contract = provider_with_contract(actor, kind="uo", rate="32.50")
    order = order_for(actor, on=on, case=case, contract=contract)
    month = svc.care_month_report(
        order=order, month=on, hours_delivered=Decimal("38"), actor=actor, now=noon(on)
    )
    # billed by the district's head, then a correcting bill proposed by the worker (pending)
    head = get_user_model().objects.get(username="kierownik")
    month = svc.care_month_bill(month=month, actor=head, on=on, expected_version=month.version)
    correction = svc.care_month_correction_propose(
        month=month, hours_delivered=Decimal("30"), reason="Poprawiona karta pracy",
        actor=actor, now=noon(on), expected_version=month.version,
    )  # fmt: skip
    person = person_of(case)
    leaving = svc.leaving_care_programme_create(
        person=person, case=case, unit=case.unit, institution_kind="mow",
        institution_name="MOW Kielce", left_on=on, stay_months=30,
        guardian_name="Ewa Opiekun", goals="Mieszkanie, praca, nauka.", agreed_on=on,
        actor=actor,
    )  # fmt: skip
    integration = svc.integration_programme_create(
        person=person, case=case, unit=case.unit, family_size=2, starts_on=on,
        obligations="Nauka języka polskiego.", actor=actor,
    )  # fmt: skip
    return {
        "care_order": order,
        "care_month": month,
        "care_correction": correction,
        "leaving_programme": leaving,
        "integration_programme": integration,
    }

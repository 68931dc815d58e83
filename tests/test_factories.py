"""The factory world (tests/factories.py) is consistent on any date (issue 11: „Ostoja works on
every day of the year”), including a leap day and the last day of a year — the days a
``date.replace`` or a fixed authorisation end date would break. The world is built with the
real clock running, years away from ``on``: every timestamp landing on its own day proves the
factories and the services they call take the time as an input and never read the clock."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ostoja.core.dates import local_date
from tests.factories import World, build_world


def assert_consistent(w: World) -> None:
    """Every record of the world is dated on or before ``on``, in the order the law requires,
    and every actor could do on that day what the world says they did."""
    from ostoja.decisions.models import Decision
    from ostoja.decisions.services import signing_refusal
    from ostoja.law.periods import YearMonth
    from ostoja.payments.models import Payment
    from ostoja.registry.models import Income, Person
    from ostoja.socialwork.models import CaseNote

    on = w.on
    head = w.users["kierownik"]
    # ro1 records in ro1, worked by the ro1 social worker; the ro2 family in ro2
    for case in (w.case, w.signed_case, w.protected_case):
        assert case.unit.code == "ro1" and case.worker == w.users["socjalny"]
    assert w.ro2_case.unit.code == "ro2" and w.ro2_person.registered_by_unit.code == "ro2"
    assert w.person.registered_by_unit.code == "ro1"
    # applications: received, interviewed and calculated before ``on`` (art. 106 ust. 4 u.p.s.)
    assert w.application.received_on <= w.interview.conducted_on <= on
    assert w.calculation.eligible and w.calculation.application_id == w.application.pk
    # income months (art. 8 ust. 3 u.p.s.) lie before ``on``'s month
    month = YearMonth.of(on).first_day
    assert not Income.objects.filter(month__gte=month).exists()
    # decisions: final, signed (rygor, art. 108 KPA), draft — dates in order, none after ``on``
    final = Decision.objects.get(pk=w.decision.pk)
    assert final.status == "ostateczna"
    assert final.issued_on == on - timedelta(days=60)
    assert final.issued_on <= final.delivered_on <= final.appeal_deadline < final.final_on <= on
    signed = Decision.objects.get(pk=w.signed_decision.pk)
    assert (signed.status, signed.immediate, signed.issued_on) == (
        "podpisana",
        True,
        on - timedelta(days=3),
    )
    assert signed.document.sha256 and signed.lines.filter(granted=True).exists()
    assert Decision.objects.get(pk=w.draft_decision.pk).status == "projekt"
    # each step stamped on its own day, not on the day the world was built
    for d in (final, signed):
        assert local_date(d.checked_at) == local_date(d.signed_at) == d.issued_on
    assert local_date(w.interview.completed_at) == w.interview.conducted_on
    # the head's authorisation covers every signing day and ``on`` itself (art. 110 u.p.s.)
    for day in (final.issued_on, signed.issued_on, on):
        assert signing_refusal(user=head, matter=final.matter, on=day) is None, day
    # decision numbers carry the year of signing, not of ``on``
    assert final.number.endswith(f"/{final.issued_on.year}")
    # payments: the month before ``on``, approved by finance on ``on``, locked, paid as arrears
    paid_month = YearMonth.of(on).shift(-1)
    assert w.payment_run.month == paid_month.first_day
    assert w.payment_lists and all(pl.status == "zatwierdzona" for pl in w.payment_lists)
    for pl in w.payment_lists:
        assert pl.approved_by == w.users["ksiegowosc"]
        assert pl.execution_date == on and local_date(pl.approved_at) == on
    assert Payment.objects.filter(list__in=w.payment_lists, locked=True).exists()
    # social work: notes before ``on``, the contract in force on ``on``, the case protected
    assert not CaseNote.objects.filter(occurred_on__gt=on).exists()
    assert w.contract.status == "zawarty"
    assert w.contract.valid_from <= on <= w.contract.valid_to
    assert w.visit.planned_on <= on
    assert w.plan.valid_from <= on
    w.protected_case.refresh_from_db()
    assert w.protected_case.protected
    # people: born before ``on``, valid and unique PESEL numbers
    persons = list(Person.objects.all())
    assert all(p.birth_date < on for p in persons)
    assert len({p.pesel for p in persons}) == len(persons)


@pytest.mark.parametrize("on", [date(2028, 2, 29), date(2027, 12, 31)], ids=str)
def test_world_is_consistent_on_a_leap_day_and_a_years_last_day(on: date, db: Any) -> None:
    assert_consistent(build_world(on=on))


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(on=st.dates(min_value=date(2025, 3, 1), max_value=date(2030, 12, 31)))
def test_world_is_consistent_on_any_day(on: date, db: Any) -> None:
    """From March 2025: family B's zasiłek stały is granted under the criteria in force from
    1 January 2025 (rozporządzenie RM z 2024 r.), and the application is 20 days old."""
    with transaction.atomic():
        assert_consistent(build_world(on=on))
        transaction.set_rollback(True)

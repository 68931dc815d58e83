"""A care order (art. 50 u.p.s.) behind a paper decision — issued before Ostoja or outside it,
known only by its number: hours are settled only from the day that decision became final or
immediately enforceable (art. 130 KPA), which the worker records (audited) with the order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from auditlog.models import LogEntry

from ostoja.care import selectors as sel
from ostoja.care import services as svc
from ostoja.care.models import CareMonth, CareOrder
from ostoja.core import dates
from ostoja.core.errors import ConflictError, NotPermitted, ValidationFailed
from ostoja.decisions.tests.factories import make_ready_application
from ostoja.org.roles import Role
from ostoja.socialwork.tests.factories import make_case

from .helpers import order_for, person_of, provider_with_contract

pytestmark = pytest.mark.django_db
DAY = "paper_enforceable_from"


@pytest.fixture
def worker(make_staff: Any) -> Any:
    return make_staff("papier_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")


def _args(worker: Any, *, period_from: date, period_until: date, on: date) -> dict[str, Any]:
    case = make_case(worker=worker)
    return dict(
        case=case, person=person_of(case), decision_number="DPS-UO.8310.5.2025",
        service_kind="uo", scope=["zakupy"], hours_per_day=D("2"), days_per_week=5,
        hours_per_month=D("40"), period_from=period_from, period_until=period_until,
        place="Kielce", living_alone=True, contract=provider_with_contract(worker),
        income=D("1300.00"), single=True, actor=worker, on=on,
    )  # fmt: skip


def _report(order: CareOrder, month: date, worker: Any, on: date) -> CareMonth:
    return svc.care_month_report(
        order=order, month=month, hours_delivered=D("20"), actor=worker, now=dates.noon(on)
    )


def test_art_130_kpa_paper_order_is_refused_without_the_day_its_decision_became_enforceable(
    worker: Any,
) -> None:
    """Art. 50 u.p.s. with art. 130 KPA: the day is required, cannot be later than today nor
    after the period of services; each refusal names the field and saves nothing."""
    on = date(2026, 3, 31)
    args = _args(worker, period_from=date(2026, 3, 1), period_until=date(2026, 6, 30), on=on)
    with pytest.raises(ValidationFailed) as exc:
        svc.care_order_create(**args)
    assert "art. 130 KPA" in exc.value.errors[DAY][0]
    with pytest.raises(ValidationFailed) as exc:
        svc.care_order_create(paper_enforceable_from=date(2026, 4, 1), **args)
    assert "późniejszy niż dzisiejszy" in exc.value.errors[DAY][0]
    args["on"] = date(2026, 8, 3)
    with pytest.raises(ValidationFailed) as exc:
        svc.care_order_create(paper_enforceable_from=date(2026, 7, 1), **args)
    assert "po końcu okresu" in exc.value.errors[DAY][0]
    assert not CareOrder.objects.exists()
    order = svc.care_order_create(paper_enforceable_from=date(2026, 6, 30), **args)
    assert (order.paper_enforceable_from, order.paper_enforceable_by) == (date(2026, 6, 30), worker)
    assert sel.order_active_from(order) == date(2026, 6, 30)


def test_art_130_kpa_no_hours_for_a_month_that_ended_before_the_paper_decision_was_enforceable(
    worker: Any,
) -> None:
    """Month ends: final on 31 January — January's hours count (the last day is in it); final
    on 1 February — January is refused at the month, February is settled."""
    on = date(2026, 2, 20)
    args = _args(worker, period_from=date(2026, 1, 1), period_until=date(2026, 12, 31), on=on)
    late_january = svc.care_order_create(paper_enforceable_from=date(2026, 1, 31), **args)
    assert _report(late_january, date(2026, 1, 1), worker, on).hours_delivered == D("20")
    args = _args(worker, period_from=date(2026, 1, 1), period_until=date(2026, 12, 31), on=on)
    february = svc.care_order_create(paper_enforceable_from=date(2026, 2, 1), **args)
    with pytest.raises(ValidationFailed) as exc:
        _report(february, date(2026, 1, 1), worker, on)
    assert "01.02.2026" in exc.value.errors["month"][0]
    assert "art. 130 KPA" in exc.value.errors["month"][0]
    assert not CareMonth.objects.filter(order=february).exists()
    assert _report(february, date(2026, 2, 1), worker, on).month == date(2026, 2, 1)


def test_art_130_kpa_paper_decision_final_on_29_february_2028(worker: Any) -> None:
    """Leap day: final on 29.02.2028 — February 2028 is settled, January is not; final on
    1.03.2028 — February is refused."""
    on = date(2028, 3, 6)
    args = _args(worker, period_from=date(2028, 1, 1), period_until=date(2028, 12, 31), on=on)
    leap = svc.care_order_create(paper_enforceable_from=date(2028, 2, 29), **args)
    with pytest.raises(ValidationFailed):
        _report(leap, date(2028, 1, 1), worker, on)
    assert _report(leap, date(2028, 2, 1), worker, on).hours_delivered == D("20")
    args = _args(worker, period_from=date(2028, 1, 1), period_until=date(2028, 12, 31), on=on)
    march = svc.care_order_create(paper_enforceable_from=date(2028, 3, 1), **args)
    with pytest.raises(ValidationFailed) as exc:
        _report(march, date(2028, 2, 1), worker, on)
    assert "01.03.2028" in exc.value.errors["month"][0]


def test_art_130_kpa_paper_day_cannot_bypass_a_decision_in_the_register(worker: Any) -> None:
    """An order whose number is a decision in the register takes its day from the register:
    typing an earlier paper day for it is refused at that field."""
    case = make_ready_application(
        "zasilek_celowy", worker=worker, received_on=date(2026, 3, 2)
    ).case
    first = order_for(worker, on=date(2026, 3, 10), case=case, decision_number="")
    draft = svc.care_order_decision_draft(
        order=first, actor=worker, on=date(2026, 3, 10), expected_version=first.version
    )
    args = _args(worker, period_from=date(2026, 4, 1), period_until=date(2026, 9, 30),
                 on=date(2026, 3, 10))  # fmt: skip
    args.update(case=first.case, person=first.person, decision=draft)
    with pytest.raises(ValidationFailed) as exc:
        svc.care_order_create(paper_enforceable_from=date(2026, 3, 1), **args)
    assert "rejestrze Ostoi" in exc.value.errors[DAY][0]


def test_art_130_kpa_an_order_typed_before_the_rule_waits_for_its_day_recorded_once(
    worker: Any, make_staff: Any
) -> None:
    """An order saved without the day (before this rule) settles no hours until the day is
    recorded — by a worker of its unit, once, audited with who recorded it."""
    on = date(2026, 3, 10)
    order = order_for(worker, on=on)
    CareOrder.objects.filter(pk=order.pk).update(paper_enforceable_from=None,
                                                 paper_enforceable_by=None)  # fmt: skip
    order.refresh_from_db()
    assert sel.order_active_from(order) is None
    with pytest.raises(ValidationFailed) as exc:
        _report(order, on, worker, on)
    assert "uzupełnij" in exc.value.errors["month"][0]
    outsider = make_staff("papier_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")
    with pytest.raises(NotPermitted):
        svc.care_order_paper_day_record(
            order=order, enforceable_from=date(2026, 3, 5), actor=outsider, on=on,
            expected_version=order.version,
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        svc.care_order_paper_day_record(
            order=order, enforceable_from=None, actor=worker, on=on, expected_version=order.version
        )
    assert DAY in exc.value.errors
    svc.care_order_paper_day_record(
        order=order, enforceable_from=date(2026, 3, 5), actor=worker, on=on,
        expected_version=order.version,
    )  # fmt: skip
    order.refresh_from_db()
    assert (order.paper_enforceable_from, order.paper_enforceable_by) == (date(2026, 3, 5), worker)
    entry = LogEntry.objects.get_for_object(order).filter(changes__icontains=DAY).latest("pk")
    assert "2026-03-05" in str(entry.changes)
    assert _report(order, on, worker, on).hours_delivered == D("20")
    with pytest.raises(ConflictError):
        svc.care_order_paper_day_record(
            order=order, enforceable_from=date(2026, 3, 1), actor=worker, on=on,
            expected_version=order.version,
        )  # fmt: skip


def test_art_130_kpa_order_without_a_number_waits_for_its_decision_drafted_in_ostoja(
    worker: Any,
) -> None:
    """A blank number: the decision is drafted from the order (decisions workflow), so a paper
    day is refused at its field, no hours are settled before the draft, and a paper order
    gets no second decision."""
    on = date(2026, 3, 10)
    args = _args(worker, period_from=date(2026, 3, 1), period_until=date(2026, 6, 30), on=on)
    args["decision_number"] = ""
    with pytest.raises(ValidationFailed) as exc:
        svc.care_order_create(paper_enforceable_from=date(2026, 3, 1), **args)
    assert "Bez numeru decyzji papierowej" in exc.value.errors[DAY][0]
    waiting = svc.care_order_create(**args)
    assert waiting.paper_enforceable_by is None and sel.order_active_from(waiting) is None
    with pytest.raises(ValidationFailed) as exc:
        _report(waiting, on, worker, on)
    assert "nie ma jeszcze decyzji" in exc.value.errors["month"][0]
    with pytest.raises(ConflictError):
        svc.care_order_paper_day_record(
            order=waiting, enforceable_from=date(2026, 3, 1), actor=worker, on=on,
            expected_version=waiting.version,
        )  # fmt: skip
    paper = order_for(worker, on=on)
    with pytest.raises(ConflictError) as conflict:
        svc.care_order_decision_draft(
            order=paper, actor=worker, on=on, expected_version=paper.version
        )
    assert "decyzji papierowej" in conflict.value.message

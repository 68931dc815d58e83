"""Correcting the day a paper decision became final or immediately enforceable (art. 130 KPA)
of a care order (art. 50 u.p.s.): two people — one proposes with the reason and the paper
evidence, a different worker with the manage right in the order's unit confirms; months
already settled under the old day never change, so a day that would make one unlawful is
refused naming the month. Tested from the adversary's side."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal as D
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.db.models import F

from ostoja.care import selectors as sel
from ostoja.care import services as svc
from ostoja.care.models import CareMonth, CareOrder, PaperDayCorrection
from ostoja.care.policy import CorrectionStatus
from ostoja.core import dates
from ostoja.core.errors import ConflictError, NotPermitted, ValidationFailed
from ostoja.org.roles import Role

from .helpers import order_for

pytestmark = pytest.mark.django_db
NEW = "new_day"
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def worker(make_staff: Any) -> Any:
    return make_staff("spr_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")


@pytest.fixture
def head(make_staff: Any) -> Any:
    return make_staff("spr_kier_ro1", role=Role.HEAD_OF_UNIT, unit_code="ro1")


def _order(worker: Any, *, period_from: date, day: date, on: date) -> CareOrder:
    """An order from ``period_from`` behind a paper decision typed as enforceable from ``day``."""
    order = order_for(worker, on=on, paper_enforceable_from=day)
    CareOrder.objects.filter(pk=order.pk).update(period_from=period_from)
    order.refresh_from_db()
    return order


def _propose(order: CareOrder, actor: Any, day: date | None, on: date, **kw: Any) -> Any:
    args: dict[str, Any] = {
        "reason": "Przepisano datę doręczenia zamiast daty ostateczności.",
        "evidence": "Decyzja z adnotacją o ostateczności, teczka DPS-UO/2026/5",
    }
    args.update(kw)
    return svc.care_order_paper_day_propose(
        order=order, new_day=day, actor=actor, now=dates.noon(on),
        expected_version=order.version, **args,
    )  # fmt: skip


def _report(order: CareOrder, month: date, actor: Any, on: date) -> CareMonth:
    return svc.care_month_report(
        order=order, month=month, hours_delivered=D("20"), actor=actor, now=dates.noon(on)
    )


def test_art_130_kpa_two_people_correct_the_day_on_29_february_2028(worker: Any, head: Any) -> None:
    """Mistyped 1.03.2028, the decision was final on 29.02.2028: February could not be settled;
    after the worker's proposal and the head's confirmation it can. Audited, with history."""
    on = date(2028, 3, 6)
    order = _order(worker, period_from=date(2028, 1, 1), day=date(2028, 3, 1), on=on)
    with pytest.raises(ValidationFailed):
        _report(order, date(2028, 2, 1), worker, on)
    proposal = _propose(order, worker, date(2028, 2, 29), on)
    order.refresh_from_db()
    assert order.paper_enforceable_from == date(2028, 3, 1)  # nothing changes before the 2nd pair
    with pytest.raises(NotPermitted) as exc:
        svc.care_order_paper_day_confirm(correction=proposal, actor=worker, now=dates.noon(on))
    assert "inna osoba" in exc.value.message
    svc.care_order_paper_day_confirm(correction=proposal, actor=head, now=dates.noon(on))
    order.refresh_from_db()
    proposal.refresh_from_db()
    assert order.paper_enforceable_from == date(2028, 2, 29)
    assert order.paper_enforceable_by == worker
    assert (proposal.status, proposal.decided_by, proposal.old_day) == (
        CorrectionStatus.CONFIRMED, head, date(2028, 3, 1),
    )  # fmt: skip
    assert sel.order_active_from(order) == date(2028, 2, 29)
    assert _report(order, date(2028, 2, 1), worker, on).month == date(2028, 2, 1)
    entry = LogEntry.objects.get_for_object(order).latest("pk")
    assert "2028-02-29" in str(entry.changes)
    assert LogEntry.objects.get_for_object(proposal).exists()
    with pytest.raises(ConflictError):  # decided once
        svc.care_order_paper_day_confirm(correction=proposal, actor=head, now=dates.noon(on))


def test_the_proposer_never_confirms_even_through_the_database(worker: Any, head: Any) -> None:
    on = date(2026, 3, 31)
    order = order_for(worker, on=on, paper_enforceable_from=date(2026, 3, 5))
    proposal = _propose(order, head, date(2026, 3, 4), on)
    with pytest.raises(NotPermitted):
        svc.care_order_paper_day_confirm(correction=proposal, actor=head, now=dates.noon(on))
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperDayCorrection.objects.filter(pk=proposal.pk).update(
            status=CorrectionStatus.CONFIRMED, decided_by=head
        )
    order.refresh_from_db()
    assert order.paper_enforceable_from == date(2026, 3, 5)


def test_a_head_of_another_unit_can_neither_propose_nor_confirm(
    worker: Any, make_staff: Any
) -> None:
    on = date(2026, 3, 31)
    outsider = make_staff("spr_kier_ro2", role=Role.HEAD_OF_UNIT, unit_code="ro2")
    director = make_staff("spr_dyr", role=Role.DIRECTOR, unit_code="ro1")
    order = order_for(worker, on=on, paper_enforceable_from=date(2026, 3, 5))
    with pytest.raises(NotPermitted):
        _propose(order, outsider, date(2026, 3, 4), on)
    proposal = _propose(order, worker, date(2026, 3, 4), on)
    for adversary in (outsider, director):  # another unit; no manage right
        with pytest.raises(NotPermitted):
            svc.care_order_paper_day_confirm(
                correction=proposal, actor=adversary, now=dates.noon(on)
            )
        with pytest.raises(NotPermitted):
            svc.care_order_paper_day_reject(
                correction=proposal, actor=adversary, now=dates.noon(on)
            )
    proposal.refresh_from_db()
    assert proposal.status == CorrectionStatus.PENDING


def test_a_stale_proposal_is_refused_and_can_be_withdrawn(worker: Any, head: Any) -> None:
    """The order changed after the proposal (another edit saved it): the confirmation is
    refused; the proposer withdraws and proposes again on the current order."""
    on = date(2026, 3, 31)
    order = order_for(worker, on=on, paper_enforceable_from=date(2026, 3, 5))
    proposal = _propose(order, worker, date(2026, 3, 4), on)
    CareOrder.objects.filter(pk=order.pk).update(version=F("version") + 1)
    with pytest.raises(ConflictError) as exc:
        svc.care_order_paper_day_confirm(correction=proposal, actor=head, now=dates.noon(on))
    assert "nieaktualna" in exc.value.message
    order.refresh_from_db()
    assert order.paper_enforceable_from == date(2026, 3, 5)
    with pytest.raises(ValidationFailed) as refused:  # one pending proposal at a time
        _propose(order, head, date(2026, 3, 3), on)
    assert "czeka już" in refused.value.errors[NEW][0]
    with pytest.raises(ConflictError):  # proposing against the version read before the change
        svc.care_order_paper_day_propose(
            order=order, new_day=date(2026, 3, 3), reason="x", evidence="y", actor=head,
            now=dates.noon(on), expected_version=order.version - 1,
        )  # fmt: skip
    svc.care_order_paper_day_reject(correction=proposal, actor=worker, now=dates.noon(on))
    again = _propose(order, worker, date(2026, 3, 4), on)
    svc.care_order_paper_day_confirm(correction=again, actor=head, now=dates.noon(on))
    order.refresh_from_db()
    assert order.paper_enforceable_from == date(2026, 3, 4)
    assert [c.status for c in order.day_corrections.all()] == [
        CorrectionStatus.REJECTED, CorrectionStatus.CONFIRMED,
    ]  # fmt: skip


def test_a_billed_month_is_never_made_unlawful_by_a_later_day(worker: Any, head: Any) -> None:
    """Month end: typed 31.01.2026, January billed. Moving the day to 1.02.2026 would leave
    January before the decision was enforceable — refused at the field, naming 01.2026; an
    earlier day (30.01.2026) is fine and January stays as billed."""
    on = date(2026, 2, 20)
    order = order_for(worker, on=date(2026, 1, 31), paper_enforceable_from=date(2026, 1, 31))
    january = _report(order, date(2026, 1, 1), worker, on)
    svc.care_month_bill(month=january, actor=head, on=on, expected_version=january.version)
    order.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        _propose(order, worker, date(2026, 2, 1), on)
    assert "01.2026" in exc.value.errors[NEW][0] and "rachunek" in exc.value.errors[NEW][0]
    assert not PaperDayCorrection.objects.exists()
    earlier = _propose(order, worker, date(2026, 1, 30), on)
    svc.care_order_paper_day_confirm(correction=earlier, actor=head, now=dates.noon(on))
    january.refresh_from_db()
    assert (january.status, january.hours_delivered) == ("naliczony", D("20"))


def test_a_month_settled_after_the_proposal_still_blocks_the_confirmation(
    worker: Any, head: Any
) -> None:
    """Proposed 1.03.2026 while February was unsettled; February is then reported and billed
    under the old day (28.02.2026) — the confirmation is refused naming 02.2026."""
    on = date(2026, 3, 2)
    order = _order(worker, period_from=date(2026, 2, 1), day=date(2026, 2, 28), on=on)
    proposal = _propose(order, worker, date(2026, 3, 1), on)
    february = _report(order, date(2026, 2, 1), worker, on)
    svc.care_month_bill(month=february, actor=head, on=on, expected_version=february.version)
    with pytest.raises(ValidationFailed) as exc:
        svc.care_order_paper_day_confirm(correction=proposal, actor=head, now=dates.noon(on))
    assert "02.2026" in exc.value.errors[NEW][0]
    order.refresh_from_db()
    assert order.paper_enforceable_from == date(2026, 2, 28)
    proposal.refresh_from_db()
    assert proposal.status == CorrectionStatus.PENDING


def test_the_proposal_needs_reason_evidence_and_a_lawful_day(worker: Any) -> None:
    on = date(2026, 3, 31)
    order = order_for(worker, on=on, paper_enforceable_from=date(2026, 3, 5))
    with pytest.raises(ValidationFailed) as exc:
        _propose(order, worker, date(2026, 4, 1), on, reason=" ", evidence="")
    assert set(exc.value.errors) == {"reason", "evidence", NEW}
    assert "późniejszy niż dzisiejszy" in exc.value.errors[NEW][0]
    with pytest.raises(ValidationFailed) as exc:
        _propose(order, worker, date(2026, 3, 5), on)
    assert "dotychczasowy" in exc.value.errors[NEW][0]
    with pytest.raises(ValidationFailed) as exc:
        _propose(order, worker, None, on)
    assert NEW in exc.value.errors
    assert not PaperDayCorrection.objects.exists()


def test_just_after_midnight_in_warsaw_today_is_the_local_day(worker: Any, head: Any) -> None:
    """00:30 on 1 March 2026 in Warsaw is still 28 February in UTC: 1 March is today, not a
    future day."""
    order = _order(worker, period_from=date(2026, 2, 1), day=date(2026, 2, 2), on=date(2026, 2, 27))
    now = datetime.combine(date(2026, 3, 1), time(0, 30), tzinfo=WARSAW)
    proposal = svc.care_order_paper_day_propose(
        order=order, new_day=date(2026, 3, 1), reason="Błąd w dacie.", evidence="ZPO z 15.02.",
        actor=worker, now=now, expected_version=order.version,
    )  # fmt: skip
    svc.care_order_paper_day_confirm(correction=proposal, actor=head, now=now)
    order.refresh_from_db()
    assert order.paper_enforceable_from == date(2026, 3, 1)


def test_only_a_typed_paper_day_is_corrected(worker: Any) -> None:
    """An order still waiting for its day (or linked to a register decision) has nothing to
    correct: the day is recorded once through its own form."""
    on = date(2026, 3, 10)
    order = order_for(worker, on=on)
    CareOrder.objects.filter(pk=order.pk).update(
        paper_enforceable_from=None, paper_enforceable_by=None
    )
    order.refresh_from_db()
    with pytest.raises(ConflictError):
        _propose(order, worker, date(2026, 3, 4), on)

"""A changed fee is charged only once the decision changing it may be executed (art. 130
KPA; art. 59 ust. 1, art. 61 and art. 97 u.p.s.): till then the earlier decision stands, and
the month is not charged at all — one charge per payer and month could not be set right
afterwards — so a later run builds it at the changed rate. A stay's first fee is charged at
once (the city pays the home from the first day); only its pursuit waits (see
test_charge_receivables)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostoja.decisions.tests.factories import make_ready_application
from ostoja.facilities import selectors, services
from ostoja.facilities.models import Charge, FeeArrangement, Stay
from ostoja.facilities.tests.factories import fee_decided, make_facility, placed_referral

pytestmark = pytest.mark.django_db
D = Decimal
FEB, MAR = date(2026, 2, 1), date(2026, 3, 1)


def _resident(staff: Any, now: Any, facility: Any = None) -> Stay:
    f = facility or make_facility(places=3, cost="7000.00", on=date(2025, 1, 1), unit_code="ro1")
    p = make_ready_application(received_on=date(2026, 1, 5)).applicant
    r = placed_referral(person=p, actor=staff.worker, now=now, on=date(2026, 1, 16))
    return services.stay_admit(person=p, facility=f, on=date(2026, 1, 16), actor=staff.worker,
                               now=now, referral=r)  # fmt: skip


def _fee(stay: Stay, staff: Any, now: Any, valid_from: date, income: str) -> FeeArrangement:
    return services.fee_set(stay=stay, valid_from=valid_from, resident_income=D(income),
                            relatives=[], actor=staff.clerk, now=now)  # fmt: skip


def _resident_charge(stay: Stay, month: date) -> D:
    return Charge.objects.get(stay=stay, month=month, payer_kind="mieszkaniec").amount


@pytest.fixture
def raised(staff: Any, travel: Any) -> FeeArrangement:
    """A resident's fee decided and final from 16 January (1 260 zł = 70 % of 1 800 zł), then
    raised from 1 March after the pension's indexation (70 % of 1 900 zł = 1 330 zł), its
    decision drafted on 2 March and not yet signed."""
    now = travel("2026-01-20")
    stay = _resident(staff, now)
    fee_decided(_fee(stay, staff, now, date(2026, 1, 16), "1800"), staff, date(2026, 1, 20))
    now = travel("2026-03-02")
    services.charges_build(month=FEB, now=now)
    change = _fee(stay, staff, now, MAR, "1900")
    services.fee_decision_draft(fee=change, actor=staff.clerk)
    return change


def test_the_month_of_a_change_waits_for_its_decision_art_130_kpa(
    staff: Any, raised: FeeArrangement, travel: Any, client_for: Any
) -> None:
    stay = raised.stay
    assert _resident_charge(stay, FEB) == D("1260.00")  # the decided fee, February
    run = services.charges_build(month=MAR, now=travel("2026-03-31"))
    assert (run.created, run.waiting) == (0, 1)
    assert not Charge.objects.filter(stay=stay, month=MAR).exists()  # no charge at the old rate
    page = client_for(staff.finance).get("/placowki/naleznosci/?miesiac=2026-03")
    text = page.content.decode()
    waiting = text.split('id="month-waiting"', 1)[1].split("</ul>", 1)[0]
    assert stay.person.last_name in waiting
    assert "decyzja zmieniająca opłatę od 01.03.2026 nie jest jeszcze wykonalna" in waiting
    assert "projekt decyzji" in waiting
    # The decision signed and delivered on 1 April, final 14 days on: the run of 16 April
    # builds March at the changed rate; running it again adds nothing.
    travel("2026-04-01")
    fee_decided(raised, staff, date(2026, 4, 1))  # the draft of 2 March
    assert services.charges_build(month=MAR, now=travel("2026-04-15")).waiting == 1
    run = services.charges_build(month=MAR, now=travel("2026-04-16"))
    assert (run.created, run.waiting) == (2, 0)
    assert _resident_charge(stay, MAR) == D("1330.00")
    assert Charge.objects.get(stay=stay, month=MAR, payer_kind="gmina").amount == D("5670.00")
    again = services.charges_build(month=MAR, now=travel("2026-04-16"))
    assert (again.created, again.skipped, again.waiting) == (0, 2, 0)
    assert selectors.charges_month(month=MAR, on=date(2026, 4, 16)).waiting == []


def test_a_change_never_decided_waits_with_its_reason(staff: Any, travel: Any) -> None:
    now = travel("2026-01-20")
    stay = _resident(staff, now)
    fee_decided(_fee(stay, staff, now, date(2026, 1, 16), "1800"), staff, date(2026, 1, 20))
    now = travel("2026-03-02")
    _fee(stay, staff, now, MAR, "1900")  # computed, no decision drafted
    assert services.charges_build(month=MAR, now=now).waiting == 1
    [w] = selectors.charges_waiting(month=MAR, on=date(2026, 3, 2))
    assert w.stay == stay and w.why == "zmiany opłaty od 01.03.2026 nie ustalono decyzją"
    # The months before the change are charged at the decided rate as always.
    services.charges_build(month=FEB, now=now)
    assert _resident_charge(stay, FEB) == D("1260.00")


def test_a_change_with_rygor_is_charged_from_delivery(staff: Any, travel: Any) -> None:
    """Rygor natychmiastowej wykonalności (art. 108 § 1 KPA): enforceable on delivery."""
    now = travel("2026-01-20")
    stay = _resident(staff, now)
    fee_decided(_fee(stay, staff, now, date(2026, 1, 16), "1800"), staff, date(2026, 1, 20))
    now = travel("2026-03-02")
    fee_decided(_fee(stay, staff, now, MAR, "1900"), staff, date(2026, 3, 2), immediate=True)
    run = services.charges_build(month=MAR, now=now)
    assert (run.created, run.waiting) == (2, 0) and _resident_charge(stay, MAR) == D("1330.00")


def test_a_first_fee_is_charged_at_once(staff: Any, travel: Any) -> None:
    now = travel("2026-03-02")
    stay = _resident(staff, now)
    _fee(stay, staff, now, date(2026, 1, 16), "1800")  # no decision yet
    run = services.charges_build(month=FEB, now=now)
    assert (run.created, run.waiting) == (2, 0) and _resident_charge(stay, FEB) == D("1260.00")


def test_waiting_stays_are_found_in_a_fixed_number_of_queries(staff: Any, travel: Any) -> None:
    now = travel("2026-01-20")
    home = make_facility(places=6, cost="7000.00", on=date(2025, 1, 1), unit_code="ro1")

    def one() -> None:
        stay = _resident(staff, travel("2026-01-20"), home)
        _fee(stay, staff, now, date(2026, 1, 16), "1800")
        _fee(stay, staff, now, MAR, "1900")

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert selectors.charges_month(month=MAR, on=date(2026, 3, 2)).waiting
        return len(q)

    one()
    before = count()
    for _ in range(3):
        one()
    assert count() == before
    assert len(selectors.charges_waiting(month=MAR, on=date(2026, 3, 2))) == 4


def test_a_changing_decision_quashed_on_appeal_leaves_the_earlier_fee(
    staff: Any, raised: FeeArrangement, travel: Any
) -> None:
    """The SKO quashes the raise (art. 138 § 1 pkt 2 KPA): the months are charged under the
    decision that stands again — never at the quashed rate."""
    from ostoja.core import dates
    from ostoja.decisions import services as dsvc
    from ostoja.decisions.choices import AppealOutcome

    travel("2026-03-03")
    d = raised.fee_decision
    dsvc.decision_check(now=dates.now(), decision=d, actor=staff.head)
    d = dsvc.decision_sign(now=dates.now(), decision=d, actor=staff.director, on=date(2026, 3, 3))
    d = dsvc.decision_send(decision=d, actor=staff.worker, on=date(2026, 3, 3), channel="zpo")
    d = dsvc.decision_deliver(decision=d, actor=staff.worker, delivered_on=date(2026, 3, 3),
                              channel="zpo", today=date(2026, 3, 3))  # fmt: skip
    appeal = dsvc.decision_appeal(decision=d, actor=staff.worker, lodged_on=date(2026, 3, 5))
    dsvc.appeal_forward(appeal=appeal, actor=staff.worker, on=date(2026, 3, 6))
    travel("2026-04-20")
    dsvc.appeal_outcome_record(appeal=appeal, outcome=AppealOutcome.QUASHED,
                               on=date(2026, 4, 20), actor=staff.worker)  # fmt: skip
    run = services.charges_build(month=MAR, now=travel("2026-06-10"))
    assert (run.created, run.waiting) == (2, 0)
    assert _resident_charge(raised.stay, MAR) == D("1260.00")  # the January decision's fee


def test_a_change_of_the_relatives_shares_alone_waits_for_nothing(staff: Any, travel: Any) -> None:
    """The daughter's income rose, the resident's fee did not: no decision to the resident is
    needed (her agreement binds the daughter, art. 103 ust. 2), so the month is charged."""
    from ostoja.core.errors import ValidationFailed
    from ostoja.facilities.services import RelativeIn

    now = travel("2026-01-20")
    stay = _resident(staff, now)
    first = services.fee_set(stay=stay, valid_from=date(2026, 1, 16), resident_income=D("1800"),
                             relatives=[RelativeIn("Anna Nowak", "corka", 1, D("4500"))],
                             actor=staff.clerk, now=now)  # fmt: skip
    fee_decided(first, staff, date(2026, 1, 20))
    now = travel("2026-03-02")
    change = services.fee_set(stay=stay, valid_from=MAR, resident_income=D("1800"),
                              relatives=[RelativeIn("Anna Nowak", "corka", 1, D("5500"))],
                              actor=staff.clerk, now=now)  # fmt: skip
    assert change.resident_amount == first.resident_amount
    assert change.relatives[0]["amount"] != first.relatives[0]["amount"]
    run = services.charges_build(month=MAR, now=now)
    assert (run.created, run.waiting) == (3, 0)
    with pytest.raises(ValidationFailed, match="udział krewnego ustala umowa"):
        services.fee_decision_draft(fee=change, actor=staff.clerk)


def test_a_change_starts_on_the_first_of_a_month(staff: Any, travel: Any) -> None:
    """A month is charged under one arrangement: a change from the 15th is refused at its
    field (a stay's first fee may start on the day of admission)."""
    from ostoja.core.errors import ValidationFailed

    now = travel("2026-03-02")
    stay = _resident(staff, now)
    _fee(stay, staff, now, date(2026, 1, 16), "1800")  # admission day: allowed
    with pytest.raises(ValidationFailed) as e:
        _fee(stay, staff, now, date(2026, 3, 15), "1900")
    assert e.value.field == "valid_from" and "od 01.04.2026" in e.value.message
    assert FeeArrangement.objects.filter(stay=stay).count() == 1


def test_a_discarded_change_draft_frees_its_arrangement(staff: Any, raised: FeeArrangement) -> None:
    """ "Podpisz ją albo odrzuć": discarding the draft works and a new draft can be made."""
    from ostoja.decisions import services as dsvc

    dsvc.decision_discard(decision=raised.fee_decision, actor=staff.clerk)
    raised.refresh_from_db()
    assert raised.fee_decision is None
    assert services.fee_decision_draft(fee=raised, actor=staff.clerk).kind == "zmiana"

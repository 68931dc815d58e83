"""Waiting lists (art. 59 ust. 3 u.p.s.) and the three-month rule (art. 54 ust. 2a u.p.s.),
with dated cases."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from ostoja.core.errors import ValidationFailed
from ostoja.facilities import selectors, services
from ostoja.facilities.tests.factories import make_facility, make_person, placed_referral


@pytest.fixture
def now(travel: Any) -> Any:
    return travel("2026-03-02")


def full_home(staff: Any, now: Any, *, places: int, freed_last_year: int, on: date) -> Any:
    """A DPS with ``places`` all taken on ``on`` and ``freed_last_year`` places freed (stays
    ended) in the twelve months before ``on``."""
    f = make_facility(places=places, on=date(2024, 1, 1))
    for i in range(freed_last_year):
        start = date(2025, 4, 1) + timedelta(days=20 * i)
        p = make_person()
        r = placed_referral(person=p, actor=staff.worker, now=now, on=start)
        s = services.stay_admit(person=p, facility=f, on=start, actor=staff.worker, now=now,
                                referral=r)  # fmt: skip
        services.stay_end(stay=s, on=start + timedelta(days=10), reason="zgon",
                          actor=staff.worker, now=now)  # fmt: skip
    for _ in range(places):
        p = make_person()
        r = placed_referral(person=p, actor=staff.worker, now=now, on=date(2025, 12, 1))
        services.stay_admit(person=p, facility=f, on=date(2025, 12, 1), actor=staff.worker,
                            now=now, referral=r)  # fmt: skip
    return f


def queue(f: Any, staff: Any, now: Any, *days: date) -> list[Any]:
    entries = []
    for d in days:
        r = placed_referral(person=make_person(), actor=staff.worker, now=now, on=d)
        entries.append(services.waiting_list_add(referral=r, facility=f, on=d))
    return entries


def test_order_by_date_of_entry_art_59_ust_3(staff: Any, now: Any) -> None:
    f = make_facility(places=0)
    late, early, middle = queue(
        f, staff, now, date(2026, 2, 10), date(2026, 1, 5), date(2026, 1, 20)
    )
    rows = selectors.waiting_list(facility=f, on=date(2026, 3, 2))
    assert [r.entry.pk for r in rows] == [early.pk, middle.pk, late.pk]
    assert [r.position for r in rows] == [1, 2, 3]
    assert rows[0].days_waiting == 56  # 5.01 → 2.03.2026
    # On 15.01.2026 only the first entry was on the list.
    assert [r.entry.pk for r in selectors.waiting_list(facility=f, on=date(2026, 1, 15))] == [
        early.pk
    ]


def test_out_of_turn_needs_a_recorded_reason(staff: Any, now: Any) -> None:
    f = make_facility(places=0)
    first, _second = queue(f, staff, now, date(2026, 1, 5), date(2026, 1, 6))
    r = placed_referral(person=make_person(), actor=staff.worker, now=now, on=date(2026, 2, 1))
    urgent = services.waiting_list_add(
        referral=r, facility=f, on=date(2026, 2, 1),
        priority_reason="Opiekun zmarł, osoba pozostała bez opieki (notatka z 1.02.2026)",
    )  # fmt: skip
    rows = selectors.waiting_list(facility=f, on=date(2026, 3, 2))
    assert rows[0].entry.pk == urgent.pk and rows[1].entry.pk == first.pk


def test_only_a_referred_person_enters_a_dps_list(staff: Any, now: Any) -> None:
    from ostoja.org.models import Unit

    f = make_facility(places=0)
    r = services.referral_create(
        person=make_person(), facility_kind="dps", subtype="podeszly_wiek",
        unit=Unit.objects.get(code="ro1"), referral_date=date(2026, 3, 2),
        actor=staff.worker, now=now,
    )  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.waiting_list_add(referral=r, facility=f, on=date(2026, 3, 2))
    # The referral decision needs the § 8 documents first.
    with pytest.raises(ValidationFailed) as e:
        services.referral_decide(referral=r, number="X", on=date(2026, 3, 2), expected_version=1)
    assert "Brakuje dokumentów" in e.value.message


def test_wrong_type_of_home_is_refused_art_56(staff: Any, now: Any) -> None:
    f = make_facility(places=0, subtypes=["psychicznie_chorzy"])
    r = placed_referral(person=make_person(), actor=staff.worker, now=now, on=date(2026, 3, 2))
    with pytest.raises(ValidationFailed):
        services.waiting_list_add(referral=r, facility=f, on=date(2026, 3, 2))


def test_expected_wait_from_queue_and_places_freed_in_a_year(staff: Any, now: Any) -> None:
    on = date(2026, 3, 2)
    f = full_home(staff, now, places=2, freed_last_year=4, on=on)
    (entry,) = queue(f, staff, now, date(2026, 3, 1))
    wait = selectors.expected_wait(facility=f, on=on, entry=entry)
    # first in line, no free place, 4 places freed in 12 months → 1 × 12 / 4 = 3 months
    assert wait.months == Decimal("3.0")
    assert not wait.over_three_months and not wait.under_three_months


def test_three_month_rule_art_54_ust_2a(staff: Any, now: Any) -> None:
    """Over 3 months at the nearest home → the person may ask for a home of the same type with
    an expected wait under 3 months."""
    on = date(2026, 3, 2)
    slow = full_home(staff, now, places=1, freed_last_year=1, on=on)  # 12 months per place
    fast = full_home(staff, now, places=1, freed_last_year=6, on=on)  # 2 months per place
    other_type = make_facility(places=1, subtypes=["somatycznie_chorzy"])
    (entry,) = queue(slow, staff, now, date(2026, 2, 1))
    assert selectors.expected_wait(facility=slow, on=on, entry=entry).months == Decimal("12.0")
    assert selectors.expected_wait(facility=fast, on=on).months == Decimal("2.0")
    assert selectors.nearest_under_three_months(entry=entry, on=on) == [fast]
    with pytest.raises(ValidationFailed):
        services.waiting_list_move(entry=entry, target=other_type, on=on)
    moved = services.waiting_list_move(entry=entry, target=fast, on=on)
    entry.refresh_from_db()
    assert entry.status == "przeniesiony" and moved.moved_from_id == entry.pk
    assert moved.entered_on == on


def test_three_month_rule_not_applicable_when_wait_is_short(staff: Any, now: Any) -> None:
    on = date(2026, 3, 2)
    home = full_home(staff, now, places=1, freed_last_year=6, on=on)  # 2 months
    other = full_home(staff, now, places=1, freed_last_year=12, on=on)  # 1 month
    (entry,) = queue(home, staff, now, date(2026, 2, 1))
    with pytest.raises(ValidationFailed) as e:
        services.waiting_list_move(entry=entry, target=other, on=on)
    assert "nie przekracza 3 miesięcy" in e.value.message


def test_three_month_rule_target_must_be_under_three_months(staff: Any, now: Any) -> None:
    on = date(2026, 3, 2)
    home = full_home(staff, now, places=1, freed_last_year=1, on=on)  # 12 months
    exactly_three = full_home(staff, now, places=1, freed_last_year=4, on=on)  # 3 months
    (entry,) = queue(home, staff, now, date(2026, 2, 1))
    with pytest.raises(ValidationFailed) as e:
        services.waiting_list_move(entry=entry, target=exactly_three, on=on)
    assert e.value.field == "target"


def test_admission_closes_the_waiting_entries(staff: Any, now: Any) -> None:
    f = make_facility(places=0)
    g = make_facility(places=1)
    p = make_person()
    r = placed_referral(person=p, actor=staff.worker, now=now, on=date(2026, 1, 5))
    e1 = services.waiting_list_add(referral=r, facility=f, on=date(2026, 1, 5))
    e2 = services.waiting_list_add(referral=r, facility=g, on=date(2026, 1, 5))
    services.stay_admit(person=p, facility=g, on=date(2026, 3, 2), actor=staff.worker, now=now,
                        referral=r)  # fmt: skip
    e1.refresh_from_db()
    e2.refresh_from_db()
    assert (e1.status, e2.status) == ("skreslony", "przyjety")
    assert selectors.waiting_list(facility=f, on=date(2026, 3, 2)) == []
    # History: on 1.03.2026 the person was still waiting in both homes.
    assert len(selectors.waiting_list(facility=f, on=date(2026, 3, 1))) == 1
    stats = {s.facility.pk: s for s in selectors.queue_stats(on=date(2026, 3, 1))}
    assert stats[f.pk].length == 1 and stats[f.pk].average_days == 55

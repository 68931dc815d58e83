"""The demo loads Kielce's facilities with residents, a waiting list, charges and nights on any
day (a winter day, a summer day, 29 February) and a second load writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from ostoja.core.dates import local_date
from ostoja.facilities import demo, selectors
from ostoja.facilities.models import Charge, Facility, Night, Stay, WaitingListEntry


@pytest.mark.parametrize("day", ["2026-12-01", "2028-02-29", "2027-07-15"])
def test_demo_on_any_day(staff: Any, travel: Any, day: str) -> None:
    now = travel(day)
    demo.load_demo(now=now)
    on = local_date(now)
    assert Facility.objects.filter(kind="dps").count() == 4
    assert Facility.objects.filter(name__contains="Żniwna").count() == 0  # names, not addresses
    summary = {t["kind"]: t for t in selectors.facilities_summary(on=on)}
    assert summary["dps"]["occupied"] == 6 and summary["dps"]["waiting"] == 2
    assert Stay.objects.count() == 6 and WaitingListEntry.objects.count() == 2
    assert Charge.objects.exists()
    # One resident came through the city's own decisions: referral (art. 59 ust. 1) and
    # placement (art. 59 ust. 2), each checked, signed, delivered and final, then admission on
    # the day the placement became final (art. 130 KPA).
    own = Stay.objects.get(referral__placement_decision__isnull=False)
    ref = own.referral
    for d in (ref.referral_decision, ref.placement_decision):
        assert d.is_signed and d.number and d.checker_id and d.final_on is not None
        assert d.final_on <= on
    assert ref.status == "umieszczony" and ref.placement_number == ref.placement_decision.number
    assert own.started_on == ref.placement_decision.final_on and own.facility.kind == "dps"
    assert ref.placement_decision.lines.get().benefit == "umieszczenie_dps"
    winter = on.month in (10, 11, 12, 1, 2, 3)
    assert Night.objects.filter(facility__kind="ogrzewalnia").exists() == winter or on.day < 15
    counts = (Facility.objects.count(), Stay.objects.count(), Charge.objects.count(),
              Night.objects.count())  # fmt: skip
    demo.load_demo(now=now)
    assert counts == (Facility.objects.count(), Stay.objects.count(), Charge.objects.count(),
                      Night.objects.count())  # fmt: skip

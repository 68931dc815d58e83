"""The demo holds Kielce partners, a settled grant and referrals with feedback, on any day."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ostoja.partners.models import GrantAgreement, Partner, Referral, ReferralStatus


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2028-02-29"])
def test_demo_loads_on_any_day_and_twice(travel: Any, day: str) -> None:
    from ostoja.web.demo import load_demo

    now = travel(day)
    load_demo(now=now)
    load_demo(now=now)
    assert Partner.objects.filter(name__startswith="Caritas Diecezji Kieleckiej").count() == 1
    ag = GrantAgreement.objects.get(status="rozliczona")
    assert ag.to_return is not None and ag.to_return > 0 and ag.returned_on is not None
    assert Referral.objects.filter(status=ReferralStatus.COMPLETED).count() >= 1
    assert date.fromisoformat(day) >= ag.settled_on

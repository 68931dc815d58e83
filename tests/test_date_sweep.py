"""The date sweep (issue 11): the demo and a small seed load on every awkward day.

Every first and last day of each month of 2027, every day from 2026-12-20 to 2027-01-10 and
29 February 2028: the Kielce demo loads (and a second load writes nothing), its dates are
consistent with the day it was loaded on, and ``ostoja seed --scale 0.01`` completes. The clock
is moved with time-machine; the loaders themselves never read it (tests/test_clock.py).

Decision PDFs are rendered for real on the last day of each quarter, year ends and 29 February;
on the other days a stand-in renderer keeps the sweep inside CI's time budget (the PDF path is
dated by the decision's own fields, which these assertions check).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from ostoja.core import dates

pytestmark = [pytest.mark.sweep, pytest.mark.django_db]


def _sweep_days() -> list[date]:
    days: set[date] = set()
    for month in range(1, 13):
        days.add(date(2027, month, 1))
        days.add(date(2027, month, calendar.monthrange(2027, month)[1]))
    d = date(2026, 12, 20)
    while d <= date(2027, 1, 10):
        days.add(d)
        d += timedelta(days=1)
    days.add(date(2028, 2, 29))
    return sorted(days)


SWEEP = _sweep_days()
REAL_PDF_DAYS = {
    date(2026, 12, 31), date(2027, 1, 1), date(2027, 3, 31), date(2027, 6, 30),
    date(2027, 9, 30), date(2027, 12, 31), date(2028, 2, 29),
}  # fmt: skip


@pytest.fixture
def fast_pdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    day: date = request.node.callspec.params["day"]
    if day not in REAL_PDF_DAYS:
        from ostoja.decisions import documents

        monkeypatch.setattr(documents, "render_pdf", lambda html: b"%PDF-1.7 sweep\n%%EOF\n")
    yield


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label
        in {"org", "registry", "cases", "decisions", "payments", "socialwork", "auditlog"}
    }


@pytest.mark.parametrize("day", SWEEP, ids=[d.isoformat() for d in SWEEP])
def test_demo_loads_and_is_consistent_on(day: date, travel: Any, fast_pdf: None) -> None:
    from ostoja.cases.models import Application, Interview
    from ostoja.decisions.models import Decision
    from ostoja.org.selectors import authorisations_valid_for
    from ostoja.payments.models import ListStatus, PaymentList
    from ostoja.web.demo import load_demo

    travel(day)
    now = dates.now()
    on = dates.local_date(now)
    assert on == day
    load_demo(now=now)

    apps = list(Application.objects.all())
    assert apps, "the demo holds applications"
    assert all(a.received_on <= on for a in apps), "no application is received in the future"
    assert all(i.conducted_on <= on for i in Interview.objects.filter(conducted_on__isnull=False))
    signed = list(Decision.objects.filter(signed_at__isnull=False).select_related("signer"))
    assert len(signed) >= 5, "the demo signs decisions of several kinds"
    for d in signed:
        assert d.issued_on <= on, f"{d.number} issued after the load day"
        assert authorisations_valid_for(user=d.signer, matter=d.matter, on=d.issued_on), (
            f"{d.number}: the signer held no valid authorisation on {d.issued_on}"
        )
    last_month = dates.shift_months(dates.month_start(on), -1)
    lists = PaymentList.objects.filter(month=last_month)
    assert lists.filter(status=ListStatus.APPROVED).exists(), "last month's lists are approved"

    before = _counts()
    travel(day + timedelta(days=1))  # reloading on a later day changes nothing
    load_demo(now=dates.now())
    assert _counts() == before


@pytest.mark.parametrize("day", SWEEP, ids=[d.isoformat() for d in SWEEP])
def test_small_seed_completes_on(day: date, travel: Any) -> None:
    from ostoja.payments.models import Payment
    from ostoja.web.seed import default_until, seed_city

    travel(day)
    now = dates.now()
    until = default_until(dates.local_date(now))
    report = seed_city(scale=0.01, seed=7, until=until, now=now)
    assert report is not None
    assert Payment.objects.exists()
    assert not Payment.objects.filter(period_start__gte=until).exists(), "no month after --until"

"""The care demo loads on any day (the stop hook's days) and a second load writes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.care.models import (
    CareFeeChange,
    CareMonth,
    CareOrder,
    LeavingCareProgramme,
    ProviderInvoice,
    ServiceEvent,
)


@pytest.mark.django_db
@pytest.mark.parametrize("day", [date(2026, 12, 1), date(2028, 2, 29)], ids=str)
def test_care_demo_on(day: date, travel: Any, monkeypatch: Any) -> None:
    from ostoja.core.dates import noon
    from ostoja.decisions import documents
    from ostoja.web.demo import load_demo

    monkeypatch.setattr(documents, "render_pdf", lambda html: b"%PDF-1.7 test\n%%EOF\n")
    travel(day)
    load_demo(now=noon(day))
    month = CareMonth.objects.get()
    exempt = CareOrder.objects.get(decision_number="DPS-UO.8310.2.DEMO")  # art. 50 ust. 6
    assert exempt.fee_exemption["kind"] == "czesciowe"
    assert exempt.fee_rate == Decimal(exempt.fee_exemption["rate_before"]) / 2
    assert month.status == "naliczony" and month.billed_on == day
    assert ProviderInvoice.objects.get().matches
    kinds = set(ServiceEvent.objects.values_list("kind", flat=True))
    assert {"pogrzeb", "interwencja"} <= kinds
    assert LeavingCareProgramme.objects.get().helps.count() == 2
    # art. 50 ust. 4, art. 106 ust. 5 u.p.s.: more hours from next month, a draft to sign
    change = CareFeeChange.objects.get()
    assert change.hours_per_month == Decimal("60") and change.order.hours_per_month == 40
    assert change.decision.status == "projekt" and change.effective_from.day == 1
    count = ServiceEvent.objects.count()
    load_demo(now=noon(day))
    assert ServiceEvent.objects.count() == count

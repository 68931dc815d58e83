"""What the client reads in the DPS decisions (issue 14 review): the placement cites its own
basis, art. 59 ust. 2 u.p.s. (the Prezydent as starosta), not only the referral's ust. 1; the
referral names the type of home (art. 56); the fee decision sets the resident's fee only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ostoja.decisions import documents
from ostoja.decisions.content import content_of
from ostoja.facilities import services
from ostoja.facilities.tests import test_dps_decisions as _dps
from ostoja.facilities.tests.factories import make_facility
from ostoja.facilities.tests.test_dps_decisions import (
    _admitted_with_fee,
    _placement,
    _referred,
)

pytestmark = pytest.mark.django_db
now, referral = _dps.now, _dps.referral  # the fixtures of the DPS decision tests, shared


def test_referral_placement_and_fee_read_as_the_law_says(referral: Any, staff: Any, now: Any):
    facility = make_facility(places=1, cost="6000.00", on=date(2026, 1, 1), name="DPS Słoneczny")
    r = _referred(referral, staff)
    ref_points = documents.operative_points(content_of(r.referral_decision, on=date(2026, 12, 4)))
    assert ref_points[0].endswith("do domu pomocy społecznej dla osób w podeszłym wieku.")
    assert ref_points[0].startswith(("Skierować Pana ", "Skierować Panią "))
    d = _placement(r, staff, facility, immediate="Stan zdrowia wymaga natychmiastowej opieki.")
    assert "art. 59 ust. 2 u.p.s." in d.trace_bases
    assert "art. 59 ust. 1 u.p.s." not in d.trace_bases  # the referral is a fact, not the basis
    content = content_of(d, on=date(2026, 12, 4))
    assert "art. 59 ust. 2" in documents.legal_basis_text(content)
    points = documents.operative_points(content)
    assert points[0].startswith(("Umieścić Pana ", "Umieścić Panią "))
    assert "w domu pomocy społecznej: DPS Słoneczny, ul. Jagiellońska 76" in points[0]
    assert "0,00 zł" not in " ".join(points)
    # A placement is not paid out: the rygor's reasons speak of care, not of money.
    assert "zwłoka w realizacji świadczenia" in d.justification
    assert "wypłacie" not in d.justification
    _stay, fee = _admitted_with_fee(d, r, staff, facility, now)
    fd = services.fee_decision_draft(fee=fee, actor=staff.worker)
    fc = content_of(fd, on=date(2026, 12, 4))
    fee_points = documents.operative_points(fc)
    assert len(fee_points) == 1 and "1 400,00 zł" in fee_points[0]
    assert "70% dochodu mieszkańca" in fee_points[0]
    assert "Adam Syn (syn) — 4 600,00 zł miesięcznie" in documents.fee_others(fc)
    html = documents.render_html(fc)
    assert "z dnia —" not in html and documents.internal_markers(fee_points[0]) == []

"""The care-services decision as the client reads it (issue 15 review, art. 50 u.p.s.): the
scope, extent, period and place of the services and the fee of the city's resolution, in Polish
numbers and words — not „z przeznaczeniem na Usługi opiekuńcze: 40.00 h” nor „0,00 zł”."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from ostoja.care import services as svc
from ostoja.care.models import CareOrder
from ostoja.care.tests import test_decided as _decided
from ostoja.care.tests.helpers import order_for
from ostoja.decisions import documents
from ostoja.decisions.content import content_of

pytestmark = pytest.mark.django_db
ON = _decided.ON
# the fixtures of the decided-care tests, shared
users, worker, case = _decided.users, _decided.worker, _decided.case


def test_care_decision_states_extent_scope_place_and_fee(case: Any, worker: Any, users: Any):
    order = order_for(worker, on=ON, case=case, decision_number="", income="2500.00")
    d = svc.care_order_decision_draft(
        order=order, actor=worker, on=ON, expected_version=order.version, immediate=True,
        immediate_reason="Osoba samotna wymaga pomocy od zaraz.",
    )  # fmt: skip
    order.refresh_from_db()
    point, rygor = documents.operative_points(content_of(d, on=ON))
    assert (
        point.startswith("Przyznać Pani " if order.person.sex == "K" else "Przyznać Panu ")
        and "usługi opiekuńcze w wymiarze 40 godzin miesięcznie (2 godziny dziennie, 5 dni "
        in point
    )
    assert "w zakresie: zakupy, sprzątanie" in point
    assert "od 1 listopada 2026 r. do 31 grudnia 2027 r." in point
    assert "Miejsce świadczenia usług: Kielce, ul. Próbna 1." in point
    assert f"Odpłatność za usługi wynosi {order.fee_rate.normalize():f}% ceny" in point
    for wrong in ("z przeznaczeniem", "40.00", " h ", "0,00 zł", "płatne"):
        assert wrong not in point
    assert rygor.endswith("— przyczyna: osoba samotna wymaga pomocy od zaraz.")
    assert "zwłoka w realizacji świadczenia" in d.justification


def test_free_services_say_so_and_fractions_take_a_comma(case: Any, worker: Any) -> None:
    order = order_for(worker, on=ON, case=case, decision_number="", income="500.00")
    CareOrder.objects.filter(pk=order.pk).update(hours_per_day="1.50", hours_per_month="22")
    order.refresh_from_db()
    d = svc.care_order_decision_draft(order=order, actor=worker, on=date(2026, 11, 10),
                                      expected_version=order.version)  # fmt: skip
    line = d.lines.get()
    assert "22 godziny miesięcznie (1,5 godziny dziennie" in line.purpose
    assert line.note.endswith("Usługi są nieodpłatne.") and order.fee_rate == 0

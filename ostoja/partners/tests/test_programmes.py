"""Programmes and projects (eligibility, participants, services and hours, funding, the report
reproduced from data), self-help groups, volunteers (art. 42–46 u.d.p.p.)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.core.errors import ValidationFailed
from ostoja.partners import selectors as sel
from ostoja.partners import services as svc
from ostoja.registry.models import Person
from ostoja.socialwork.tests.factories import make_case

pytestmark = pytest.mark.django_db
D = Decimal


def _senior(case: Any, born: date) -> Person:
    p = case.household.memberships.get().person
    p.birth_date = born
    p.save()
    return p


def _aoon() -> Any:
    return svc.programme_create(
        name="Asystent osobisty osoby z niepełnosprawnością", kind="rzadowy", edition_year=2026,
        funding_source="Fundusz Solidarnościowy", budget=D("100000"), grant_percent=D("100"),
        requires_disability=True, hours_limit=10, valid_from=date(2026, 1, 1),
        valid_to=date(2027, 1, 1), indicator="Uczestnicy z zrealizowanym planem wsparcia",
        target=D("2"),
    )  # fmt: skip


def test_eligibility_age_and_disability(staff: Any) -> None:
    kws = svc.programme_create(
        name="Korpus Wsparcia Seniorów", kind="rzadowy", edition_year=2026,
        funding_source="MRPiPS", grant_percent=D("80"), min_age=60,
        valid_from=date(2026, 1, 1), valid_to=date(2027, 1, 1),
    )  # fmt: skip
    young = _senior(make_case(), date(1967, 6, 2))
    with pytest.raises(ValidationFailed) as exc:
        svc.participant_enrol(programme=kws, person=young, on=date(2026, 6, 1))
    assert "60 lat" in exc.value.errors["person"][0]
    old = _senior(make_case(), date(1966, 6, 1))
    assert svc.participant_enrol(programme=kws, person=old, on=date(2026, 6, 1)).pk
    with pytest.raises(ValidationFailed) as exc:
        svc.participant_enrol(programme=_aoon(), person=old, on=date(2026, 6, 1))
    assert "has_disability_certificate" in exc.value.errors


def test_hours_limit_and_report_from_data(staff: Any) -> None:
    prog = _aoon()
    vol = svc.volunteer_register(name="Ewa Nowak", agreement_number="W/1/2026",
                                 agreement_from=date(2026, 1, 1), scope="towarzyszenie")  # fmt: skip
    people = [_senior(make_case(), date(1950, 1, 1)) for _ in range(2)]
    parts = [svc.participant_enrol(programme=prog, person=p, on=date(2026, 2, 1),
                                   has_disability_certificate=True) for p in people]  # fmt: skip
    svc.service_record(participant=parts[0], delivered_on=date(2026, 2, 2), hours=D("6"),
                       activity="asystencja", cost=D("300"))  # fmt: skip
    svc.service_record(participant=parts[0], delivered_on=date(2026, 2, 3), hours=D("4"),
                       activity="asystencja", cost=D("200"), volunteer=vol)  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        svc.service_record(participant=parts[0], delivered_on=date(2026, 2, 4), hours=D("0.5"),
                           activity="asystencja")  # fmt: skip
    assert "limit" in exc.value.errors["hours"][0]
    svc.service_record(participant=parts[1], delivered_on=date(2026, 3, 1), hours=D("2"),
                       activity="transport", cost=D("80"))  # fmt: skip
    svc.participant_result(participant=parts[1], achieved=True, left_on=date(2026, 4, 1))
    r = sel.programme_report(programme=prog, on=date(2026, 5, 1))
    assert (r.participants, r.with_disability, r.active_on) == (2, 2, 1)
    assert r.hours == D("12") and r.services == 3 and r.cost == D("580")
    assert r.grant_part + r.own_part == r.cost and r.grant_part == D("580.00")
    assert r.volunteer_hours == D("4") and r.results_achieved == 1
    assert r.by_activity == [("asystencja", 2, D("10")), ("transport", 1, D("2"))]
    vols = sel.volunteer_list()
    assert vols[0]["hours"] == D("4") and vols[0]["helped"] == 1


def test_volunteer_outside_agreement_refused(staff: Any) -> None:
    prog = _aoon()
    vol = svc.volunteer_register(name="Jan", agreement_number="W/2", scope="x",
                                 agreement_from=date(2026, 3, 1))  # fmt: skip
    part = svc.participant_enrol(programme=prog, person=_senior(make_case(), date(1950, 1, 1)),
                                 on=date(2026, 2, 1), has_disability_certificate=True)  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        svc.service_record(participant=part, delivered_on=date(2026, 2, 2), hours=D("1"),
                           activity="x", volunteer=vol)  # fmt: skip
    assert "art. 44" in exc.value.errors["volunteer"][0]


def test_programme_page_shows_the_report(staff: Any, client_for: Any, travel: Any) -> None:
    travel("2026-12-01")
    prog = _aoon()
    r = client_for(staff.analyst).get(f"/wspolpraca/programy/{prog.pk}/")
    assert r.status_code == 200 and "Sprawozdanie programu" in r.content.decode()
    assert client_for(staff.worker).get("/wspolpraca/dotacje/").status_code == 403

"""Ocena zasobów pomocy społecznej (art. 16a u.p.s.): the ministry's sections filled from the
data over the form's window (two years before, the year, a forecast), the narrative parts
edited with optimistic locking, the whole as PDF; the infrastructure section takes
``ostoja.facilities.selectors.facilities_summary`` when that function exists (a stub here)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
import time_machine

ON = date(2026, 12, 4)


def _client(client_for: Any, name: str) -> Any:
    from django.contrib.auth import get_user_model

    return client_for(get_user_model().objects.get(username=name))


@pytest.mark.django_db
@time_machine.travel("2026-12-04 10:00 +0100", tick=False)
def test_art_16a_assessment_from_data_edit_and_pdf(seeded: Any, client_for: Any) -> None:
    """Section 3 (persons, families) and 7 (amounts) equal MRPiPS-03 of each window year;
    demography is "." (GUS data, not held); the narrative is saved, a stale save is 409;
    the PDF carries every section and the people-written text."""
    from pypdf import PdfReader

    from ostoja.analysis import ozps, selectors
    from ostoja.analysis.models import ResourceAssessment
    from ostoja.analysis.periods import ReportPeriod

    d = ozps.draft(year=2025, stored=None, on=ON)
    assert d.years == [2023, 2024, 2025]
    people = next(s for s in d.sections if s.number == "3")
    money = next(s for s in d.sections if s.number == "7")
    for i, year in enumerate(d.years):
        report = selectors.mrpips03_report(period=ReportPeriod(year, half=False))
        assert people.rows[0].values[i] == report.value("1B.TOTAL.persons")
        assert people.rows[1].values[i] == report.value("1B.TOTAL.families")
        assert money.rows[0].values[i] == report.value("1B.TOTAL.amount")
    assert people.rows[0].values[3] == ozps.NO_DATA  # forecast: the unit's own estimate
    assert people.rows[0].values[2] > 0
    demography = next(s for s in d.sections if s.number == "2")
    assert all(v == ozps.NO_DATA for r in demography.rows for v in r.values)
    reasons = next(s for s in d.sections if s.number == "4")
    assert reasons.rows and reasons.rows[0].label == "Ubóstwo"
    staff = next(s for s in d.sections if s.number == "6")
    assert staff.rows[0].values[2] > 0

    director = _client(client_for, "dyrektor")
    assert director.get("/analiza/ocena-zasobow/2025/").status_code == 200
    saved = director.post("/analiza/ocena-zasobow/2025/", {
        "version": "0", "introduction": "Ocena przygotowana z danych ośrodka.",
        "conclusions": "Rośnie liczba osób starszych.",
        "recommendations": "Mieszkania chronione — 12 miejsc\n\nDrugie centrum usług",
    })  # fmt: skip
    assert saved.status_code == 302
    stored = ResourceAssessment.objects.get(year=2025)
    assert stored.recommendations.splitlines() == [
        "Mieszkania chronione — 12 miejsc",
        "Drugie centrum usług",
    ]
    stale = director.post("/analiza/ocena-zasobow/2025/", {
        "version": "0", "introduction": "inaczej", "conclusions": "", "recommendations": ""})  # fmt: skip
    assert stale.status_code == 409
    assert ResourceAssessment.objects.get(year=2025).introduction.startswith("Ocena")
    pdf = director.get("/analiza/ocena-zasobow/2025/?pdf=1")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for title in ("Wprowadzenie", "Sytuacja demograficzna", "Powody przyznania pomocy",
                  "Zasoby instytucjonalne", "Kadra jednostki", "Środki finansowe",
                  "Wnioski końcowe", "Mieszkania chronione"):  # fmt: skip
        assert title in text, title
    # Client-facing roles without the right are refused.
    assert _client(client_for, "socjalny").get("/analiza/ocena-zasobow/2025/").status_code == 403


@pytest.mark.django_db
def test_art_16a_infrastructure_from_the_facilities_register(
    demo_org: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Section 5 (infrastructure): with no facility in the register the section is "." and
    says why; with the register's summary each window year is read as on its last day, in
    Polish labels (never the register's type codes), and years after ``on`` stay "."."""
    from ostoja.analysis import ozps

    d = ozps.draft(year=2025, stored=None, on=ON)
    infra = next(s for s in d.sections if s.number == "5")
    assert d.infrastructure_source == "" and infra.note
    assert infra.rows[0].values == [ozps.NO_DATA] * 4
    seen: list[date] = []

    def summary(*, on: date) -> list[dict[str, object]]:
        seen.append(on)
        dps = {"kind": "dps", "label": "Dom pomocy społecznej", "facilities": 4,
               "places": 400, "occupied": 390 if on.year == 2025 else 380, "free": 10,
               "waiting": 7}  # fmt: skip
        return [dps]

    monkeypatch.setattr(ozps.facilities_selectors, "facilities_summary", summary)
    d = ozps.draft(year=2025, stored=None, on=ON)
    infra = next(s for s in d.sections if s.number == "5")
    assert d.infrastructure_source == "facilities" and not infra.note
    assert seen == [date(2023, 12, 31), date(2024, 12, 31), date(2025, 12, 31)]
    assert [(r.label, r.values) for r in infra.rows] == [
        ("Dom pomocy społecznej — placówki", [4, 4, 4, ozps.NO_DATA]),
        ("Dom pomocy społecznej — miejsca", [400, 400, 400, ozps.NO_DATA]),
        ("Dom pomocy społecznej — miejsca zajęte", [380, 380, 390, ozps.NO_DATA]),
    ]

"""The director's annual report with the list of needs (art. 110 ust. 9 u.p.s.): figures from
the data, narrative and needs edited with optimistic locking, exported as PDF."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
import time_machine


def _client(client_for: Any, name: str) -> Any:
    from django.contrib.auth import get_user_model

    return client_for(get_user_model().objects.get(username=name))


@pytest.mark.django_db
@time_machine.travel("2026-12-04 10:00 +0100", tick=False)
def test_art_110_report_draft_edit_and_pdf(seeded: Any, client_for: Any) -> None:
    from pypdf import PdfReader

    from ostoja.analysis import selectors
    from ostoja.analysis.annual import draft
    from ostoja.analysis.models import AnnualReport
    from ostoja.analysis.periods import ReportPeriod

    d = draft(year=2025, stored=None, on=date(2026, 12, 4))
    total = selectors.mrpips03_report(period=ReportPeriod(2025, half=False))
    row = next(r for s in d.report["sections"] if s["code"] == "1B" for r in s["rows"]
               if r["code"] == "TOTAL")  # fmt: skip
    assert row["columns"][2]["value"] == f"{total.value('1B.TOTAL.amount'):.2f}"
    assert d.applications > 0

    director = _client(client_for, "dyrektor")
    page = director.get("/analiza/sprawozdanie-roczne/2025/")
    assert page.status_code == 200
    saved = director.post("/analiza/sprawozdanie-roczne/2025/", {
        "version": "0", "narrative": "Rok stabilny.",
        "needs": "Mieszkania chronione — 12 miejsc\n\nDrugi noclegownia zimą",
    })  # fmt: skip
    assert saved.status_code == 302
    stored = AnnualReport.objects.get(year=2025)
    assert stored.needs.splitlines() == [
        "Mieszkania chronione — 12 miejsc",
        "Drugi noclegownia zimą",
    ]
    # The form shows the saved needs one a line (not the template's own text).
    form = director.get("/analiza/sprawozdanie-roczne/2025/").text
    assert "Mieszkania chronione — 12 miejsc\nDrugi noclegownia zimą</textarea>" in form
    stale = director.post("/analiza/sprawozdanie-roczne/2025/", {
        "version": "0", "narrative": "inaczej", "needs": ""})  # fmt: skip
    assert stale.status_code == 409  # someone saved since: nothing overwritten
    assert AnnualReport.objects.get(year=2025).narrative == "Rok stabilny."
    pdf = director.get("/analiza/sprawozdanie-roczne/2025/?pdf=1")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "art. 110" in text.lower() or "Art. 110" in text
    assert "Mieszkania chronione" in text


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["socjalny", "ksiegowosc", "kierownik"])
def test_art_110_report_refused_to_others(seeded: Any, client_for: Any, name: str) -> None:
    assert _client(client_for, name).get("/analiza/sprawozdanie-roczne/2025/").status_code == 403

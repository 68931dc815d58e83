"""The family community interview printed as the regulation's questionnaire (rozp. MRiPS z
8 IV 2021, Dz.U. 2021 poz. 893; art. 107 u.p.s.) and as its six-monthly update, with every part,
the client's statement (art. 233 § 1 KK, art. 109 u.p.s.) and both signatures; the art. 7
reasons of the application are pre-filled."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from ostoja.cases import services as case_services
from ostoja.cases.interview_print import interview_pdf
from ostoja.cases.sections import SECTIONS, section_form
from ostoja.core import dates

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())  # line breaks of the layout are not content


def test_questionnaire_has_all_parts_statement_and_signatures(ready_application, users):
    app = ready_application("zasilek_staly")
    interview = app.interviews.get()
    text = _text(interview_pdf(interview=interview, on=date(2026, 12, 4)))
    assert "KWESTIONARIUSZ RODZINNEGO WYWIADU" in text and "2021 poz. 893" in text
    for _, title, _ in SECTIONS:
        assert title.split(" (")[0] in text
    assert "art. 233 § 1" in text and "podpis osoby, z którą przeprowadzono wywiad" in text
    assert "podpis pracownika socjalnego" in text
    assert "3 listopada 2026 r." in text and "(a)" not in text
    assert "[X] tak" in text  # reason 1 (ubóstwo) from the application


def test_update_form_and_art_7_reasons_prefilled_from_the_application(
    ready_application, users, client
):
    app = ready_application("zasilek_staly")
    app.reasons = ["1", "6"]
    app.save(update_fields=["reasons"])
    update = case_services.interview_start(
        now=dates.now(),
        case=app.case,
        application=app,
        user=users["socjalny"],
        planned_on=date(2026, 12, 4),
    )
    assert update.previous_id is not None and set(update.reasons) >= {"1", "6"}
    assert set(section_form("trudnosci", update)["powody"].value()) >= {"1", "6"}
    client.force_login(users["socjalny"])
    response = client.get(f"/sprawy/wywiady/{update.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "AKTUALIZACJA RODZINNEGO WYWIADU" in text and "Aktualizacja wywiadu z dnia" in text

"""Letters generated from the case (art. 36, art. 10 § 1, art. 50 § 1 and 64 § 2, art. 133 KPA):
PDF stored with its hash, on the timeline, in correct Polish (dates as „4 grudnia 2026 r.”,
words by the addressee's sex, never „(a)”)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from ostoja.cases import letters
from ostoja.cases.models import CaseLetter, TimelineEvent
from ostoja.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db
ON = date(2026, 12, 4)


def _text(letter: CaseLetter) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(letter.pdf))).pages)


def _clean(text: str) -> None:
    assert "(a)" not in text and not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert "zasilek_" not in text


def test_request_to_supplement_art_64_par_2(ready_application, users):
    app = ready_application("zasilek_staly")
    letter = letters.letter_create(
        application=app, kind="wezwanie_uzupelnienie", actor=users["socjalny"], on=ON,
        missing="zaświadczenie o wysokości emerytury za październik 2026 r.",
    )  # fmt: skip
    text = _text(letter)
    assert "art. 64 § 2" in text and "7 dni" in text and "bez rozpoznania" in text
    assert "4 grudnia 2026 r." in text and "3 listopada 2026 r." in text
    _clean(text)
    assert len(letter.sha256) == 64
    assert TimelineEvent.objects.filter(case=app.case, kind="pismo").count() == 1


def test_words_follow_the_addressee_s_sex(ready_application, users):
    app = ready_application("zasilek_staly")
    app.applicant.sex = "K"
    app.applicant.save(update_fields=["sex"])
    she = _text(letters.letter_create(
        application=app, kind="wezwanie_uzupelnienie", actor=users["socjalny"], on=ON,
        missing="podpis na wniosku",
    ))  # fmt: skip
    assert "Szanowna Pani" in she and "złożyła Pani" in she and "wzywam Panią" in she
    app.applicant.sex = "M"
    app.applicant.save(update_fields=["sex"])
    he = _text(letters.letter_create(
        application=app, kind="wezwanie_uzupelnienie", actor=users["socjalny"], on=ON,
        missing="podpis na wniosku",
    ))  # fmt: skip
    assert "Szanowny Panie" in he and "złożył Pan" in he and "wzywam Pana" in he


def test_notice_of_delay_art_36_with_the_new_date_from_the_law_core(ready_application, users):
    app = ready_application("zasilek_okresowy")
    letter = letters.letter_create(
        application=app, kind="zawiadomienie_zwloka", actor=users["socjalny"], on=ON,
        reason="oczekiwanie na zaświadczenie z ZUS", days=15,
    )  # fmt: skip
    text = _text(letter)
    # 4 Dec 2026 + 15 days = Sat 19 Dec → Mon 21 Dec 2026 (art. 57 § 4 KPA)
    assert "21 grudnia 2026 r." in text and "ponaglenia" in text and "art. 37" in text
    _clean(text)


def test_notice_of_delay_names_every_missing_field(ready_application, users):
    app = ready_application("zasilek_okresowy")
    with pytest.raises(ValidationFailed) as exc:
        letters.letter_create(
            application=app, kind="zawiadomienie_zwloka", actor=users["socjalny"], on=ON
        )
    assert set(exc.value.errors) == {"reason", "days"}
    assert not CaseLetter.objects.exists()


def test_notice_of_right_to_see_the_file_art_10(ready_application, users):
    app = ready_application("zasilek_staly")
    text = _text(letters.letter_create(
        application=app, kind="zawiadomienie_art10", actor=users["socjalny"], on=ON
    ))  # fmt: skip
    assert "art. 10 § 1" in text and "zapoznać się z aktami" in text
    _clean(text)


def test_letters_page_makes_and_serves_the_pdf(client, ready_application, users):
    app = ready_application("zasilek_staly")
    client.force_login(users["socjalny"])
    url = f"/sprawy/wnioski/{app.pk}/pisma/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "zawiadomienie_art10", "days": "7"})
    assert response.status_code == 302
    letter = CaseLetter.objects.get()
    pdf = client.get(f"{url}{letter.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_forwarding_an_appeal_makes_the_letter_to_the_sko_art_133(ready_application, users, on):
    from ostoja.decisions import services
    from ostoja.decisions.tests.test_workflow import signed

    d = signed(ready_application, users, on)
    d = services.decision_deliver(
        decision=d, actor=users["socjalny"], channel="zpo", delivered_on=date(2026, 11, 27),
        today=date(2026, 11, 27),
    )  # fmt: skip
    appeal = services.decision_appeal(
        decision=d, actor=users["socjalny"], lodged_on=date(2026, 12, 2)
    )
    services.appeal_forward(appeal=appeal, actor=users["socjalny"], on=ON)
    letter = CaseLetter.objects.get(kind="przekazanie_odwolania")
    text = _text(letter)
    assert "art. 133" in text and d.number in text and "2 grudnia 2026 r." in text
    assert "Kolegium" in letter.addressee
    _clean(text)

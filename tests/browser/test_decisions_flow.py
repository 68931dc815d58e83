"""From a case ready for decision to a signed PDF, in a real browser (art. 104, 107 KPA;
art. 110 ust. 8 u.p.s.): the social worker drafts from the calculation, the head of the
district checks and signs under DYR/7/2025, the PDF is downloaded and read back."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from ostoja.core import dates

NRB = "61109010140000071219812874"


@pytest.mark.django_db(transaction=True)
def test_draft_check_sign_download(page: Any, login: Any, live_server: Any, shot: Any) -> None:
    from ostoja.decisions.tests.factories import make_ready_application
    from ostoja.web.demo import load_demo

    load_demo(now=dates.now())
    app = make_ready_application("zasilek_staly", unit="ro1", first_name="Zofia",
                                 last_name="Żółtańska", sex="K")  # fmt: skip

    # 1. socjalny (ro1) drafts from the case file
    login("socjalny")
    page.goto(f"{live_server.url}/sprawy/{app.case_id}/")
    page.fill(f"#draft{app.pk}_account_number", NRB)
    # the calculation is chosen explicitly — none is preselected (art. 104 KPA)
    page.check(f"#draft-{app.pk} input[name=calculations]")
    shot("decisions-01-case-ready")
    page.click("form.draft-form button[type=submit]")
    page.wait_for_url(re.compile(r"/decyzje/\d+/$"))
    assert "(projekt)" in page.inner_text("h1")
    assert "art. 37 ust. 1 pkt 1, ust. 2–3 i ust. 5 u.p.s." in page.inner_text(
        "#podstawa + ul, .basis"
    )
    decision_url = page.url
    shot("decisions-02-draft")
    # the drafter has no "Sprawdź" button (four eyes)
    assert page.locator("button", has_text="Sprawdź").count() == 0
    page.goto(f"{live_server.url}/konto/logout/")
    page.click("main button[type=submit]")

    # 2. kierownik checks and signs (authorisation DYR/7/2025 covers zasiłek stały)
    login("kierownik")
    page.goto(decision_url)
    page.click("button:has-text('Sprawdź')")
    page.wait_for_load_state()
    assert "Sprawdzona" in page.inner_text("#status")
    assert "DYR/7/2025" in page.inner_text("#id_authorisation")
    page.click("button:has-text('Podpisz decyzję')")
    page.wait_for_load_state()
    assert "Podpisana" in page.inner_text("#status")
    number = page.inner_text("h1").split("Decyzja ")[1].split(" —")[0]
    assert re.fullmatch(r"\d{6}/RO1/\d{4}", number)
    sha = page.inner_text("#sha256")
    shot("decisions-03-signed")

    # 3. the stored PDF, downloaded
    with page.expect_download() as info:
        page.click("#pdf-download")
    from pathlib import Path

    data = Path(info.value.path()).read_bytes()
    import hashlib

    assert hashlib.sha256(data).hexdigest() == sha
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert f"DECYZJA nr {number}" in text
    assert "Zofia Żółtańska" in text
    # the legal basis cited once per article, with the act's title (art. 107 § 1 pkt 4 KPA)
    assert "art. 37 ust. 1 pkt 1, ust. 2–3 i ust. 5" in text
    assert "ustawy z dnia 12 marca 2004 r. o pomocy społecznej" in text
    # the party named and the verbs agreeing with her (art. 107 § 3 KPA), nothing internal
    assert "Przyznać Pani Zofii Żółtańskiej zasiłek stały" in text
    assert "Pani Zofia Żółtańska złożyła wniosek" in text
    assert "(a)" not in text and not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert "413,00 zł" in text and "czterysta trzynaście złotych 00/100" in text
    assert "z upoważnienia Prezydenta Miasta Kielce" in text and "DYR/7/2025" in text
    assert "Samorządowego Kolegium Odwoławczego w Kielcach" in text
    assert "art. 127a KPA" in text

    # 4. no edit once signed; the register shows it
    page.goto(decision_url + "edycja/")
    assert "nie można jej edytować" in page.content()
    page.goto(f"{live_server.url}/decyzje/")
    assert number in page.inner_text("main")
    shot("decisions-04-register")

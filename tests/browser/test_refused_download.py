"""Issue 17: a refused download (the file expired) is „Moje pliki do pobrania” again — the
summary on top links to the file's row, the reason stands at the row, axe finds nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ostoja.core import dates
from tests.browser.a11y import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def org(transactional_db: Any) -> None:
    from ostoja.org.demo import load_demo_organisation

    load_demo_organisation(on=dates.today())


def test_an_expired_file_is_refused_at_its_row(org: None, login: Any, live_server: Any) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.ops.models import GeneratedFile

    analyst = get_user_model().objects.get(username="analityk")
    now = dates.now()
    row = GeneratedFile.objects.create(
        requested_by=analyst, kind="mrpips03", params={"okres": "2026", "format": "pdf"},
        params_key="okres=2026;format=pdf", status="gotowy", filename="MRPiPS-03_2026.pdf",
        content_type="application/pdf", data=b"%PDF-1.4", size=8, sha256="0" * 64,
        created_at=now - timedelta(days=8), finished_at=now - timedelta(days=8),
        expires_at=now - timedelta(days=1),
    )  # fmt: skip
    page = login("analityk")
    response = page.goto(f"{live_server.url}/moje-pliki/{row.pk}/pobierz/")
    assert response is not None and response.status == 410
    summary = page.locator("[data-error-summary]")
    assert "Plik wygasł" in summary.inner_text()
    summary.locator(f'a[href="#plik-{row.pk}"]').click()
    assert "Plik wygasł" in page.locator(f"#plik-{row.pk}_error").inner_text()
    assert page.evaluate("document.activeElement.id") == f"plik-{row.pk}"
    assert axe_violations(page) == []

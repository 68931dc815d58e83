"""In a real browser: the director opens MRPiPS-03 for the last half-year on the synthetic city,
follows a cell to the list behind it and from the list to a family's case file."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest


@pytest.fixture
def city(transactional_db: Any) -> None:
    from ostoja.core.dates import noon
    from ostoja.web.demo import reference_data_ensure
    from ostoja.web.seed import seed_city

    reference_data_ensure()  # a transactional test before this one flushed the streets
    seed_city(scale=0.005, seed=4, until=date(2026, 12, 1), now=noon(date(2026, 12, 1)))


@pytest.mark.django_db(transaction=True)
def test_director_drills_from_a_cell_to_a_case_file(
    city: Any, login: Any, page: Any, live_server: Any, shot: Any
) -> None:
    page = login("dyrektor")
    page.goto(f"{live_server.url}/analiza/mrpips03/?okres=2026-H1")
    assert "Poprawne" in page.locator("#checks-h + p").inner_text()
    cell = page.locator('a[data-cell="1B.TOTAL.families"]')
    families = int(cell.inner_text())
    assert families > 0
    shot("analysis-mrpips03")
    cell.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("cell-value").inner_text() == str(families)
    rows = page.locator("main table tbody tr")
    hidden = page.get_by_test_id("hidden-count")
    # the director sees every district; a protected case is counted, not named
    assert rows.count() + (int(hidden.inner_text()) if hidden.count() else 0) == families
    shot("analysis-mrpips03-cell")
    link = page.locator("main table tbody tr a").first
    case_url = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(case_url)
    assert page.locator("h1").count() == 1
    shot("analysis-case-file-from-cell")


@pytest.mark.django_db(transaction=True)
def test_director_dashboard_shows_charts_and_numbers_lead_to_lists(
    city: Any, login: Any, page: Any, live_server: Any, shot: Any
) -> None:
    page = login("dyrektor")
    panel = page.locator("section[aria-labelledby=p-analysis]")
    assert panel.count() == 1
    panel.get_by_role("link", name="Pulpit analityczny (wykresy)").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Pulpit analityczny"
    images = page.locator("figure[data-chart] img")
    assert images.count() == 6
    for i in range(images.count()):  # every SVG decoded and laid out by the browser
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 100")
    shot("analysis-dashboard")
    page.locator('a[data-kpi="decisions"]').click()
    page.wait_for_load_state()
    assert "/decyzje/" in page.url

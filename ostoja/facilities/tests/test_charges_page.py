"""The monthly charges page (/placowki/naleznosci/, issue 14): the month field shows the month the
page lists, and the title names every kind of stay it lists (DPS and art. 97 stays)."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db
URL = "/placowki/naleznosci/"


def _month_field(html: str) -> str:
    m = re.search(r'<input[^>]*name="month"[^>]*>', html)
    assert m, "no month field"
    v = re.search(r'value="([^"]*)"', m.group(0))
    return v.group(1) if v else ""


def test_month_field_shows_the_listed_month_not_today(
    staff: Any, travel: Any, client_for: Any
) -> None:
    travel("2026-12-06")
    html = client_for(staff.finance).get(f"{URL}?miesiac=2026-11").content.decode()
    assert _month_field(html) == "2026-11-01"
    assert "11.2026" in html
    # Without ?miesiac the page and the field both show the current month.
    html = client_for(staff.finance).get(URL).content.decode()
    assert _month_field(html) == "2026-12-01"


def test_month_field_just_after_midnight_in_warsaw(
    staff: Any, travel: Any, client_for: Any
) -> None:
    """00:30 on 1 March 2028 in Warsaw is still 29 February in UTC: the month is March."""
    travel("2028-03-01", hour=0)
    html = client_for(staff.finance).get(URL).content.decode()
    assert _month_field(html) == "2028-03-01"
    html = client_for(staff.finance).get(f"{URL}?miesiac=2028-02").content.decode()
    assert _month_field(html) == "2028-02-01" and "02.2028" in html
    # A malformed month falls back to the current one, in the field and the list alike.
    html = client_for(staff.finance).get(f"{URL}?miesiac=2028-13").content.decode()
    assert _month_field(html) == "2028-03-01"


def test_title_names_all_stays_not_only_dps(staff: Any, travel: Any, client_for: Any) -> None:
    travel("2026-12-06")
    html = client_for(staff.finance).get(f"{URL}?miesiac=2026-11").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)  # type: ignore[union-attr]
    h1 = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)  # type: ignore[union-attr]
    for text in (title, h1):
        assert "pobyt w DPS" not in text
        assert "Należności za pobyt w placówkach" in text
    assert "art. 97 u.p.s." in html and "schroniska" in html
    # The fixed sentence claiming § 4330 for everything is gone.
    assert "rozdział 85202, § 4330" not in html

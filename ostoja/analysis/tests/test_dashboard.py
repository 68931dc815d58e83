"""The management dashboard and start page (issue 13 §3): figures equal direct counts, charts
are server-rendered SVG with their data tables, and only management, heads, finance and the
analyst open it."""

from __future__ import annotations

import base64
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from ostoja.analysis import charts
from ostoja.analysis.dashboard import dashboard, start_figures, window

ON = date(2026, 12, 4)


def _user(name: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def test_charts_are_deterministic_svg_with_an_accessible_name() -> None:
    one = charts.bars(["a", "b"], [1, 2], title="Tytuł")
    assert one == charts.bars(["a", "b"], [1, 2], title="Tytuł")
    assert one.startswith('<svg role="img" aria-label="Tytuł"')
    assert "<script" not in one
    uri = charts.data_uri(charts.lines(["2026-01", "2026-02"], {"x": [1, 2]}, title="L"))
    assert base64.b64decode(uri.split(",", 1)[1]).startswith(b"<svg")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "label"),
    [(3_000_000.0, "3\u00a0000\u00a0000"), (2.5, "2,5"), (0.0, "0"), (1234.25, "1\u00a0234,25")],
)
def test_value_axis_labels_are_polish_numbers(value: float, label: str) -> None:
    """Money on the budget chart reads "3 000 000", not "3.0" under a "1e6" offset."""
    assert charts.axis_number(value) == label


def test_a_money_chart_has_no_scientific_offset() -> None:
    svg = charts.bars(["plan"], [Decimal("3250000.00")], title="Wydatki")
    assert "1e6" not in svg and "3\u00a0000\u00a0000" in svg


def test_dashboard_figures_equal_direct_counts(seeded: Any) -> None:
    """Applications by art. 7 reason and month, decisions issued, in the 12 whole months."""
    from ostoja.cases.models import Application
    from ostoja.decisions.models import SIGNED_STATUSES, Decision

    start, end = window(on=ON)
    assert (start, end) == (date(2025, 12, 1), date(2026, 12, 1))
    board = dashboard(on=ON)
    apps = Application.objects.filter(received_on__gte=start, received_on__lt=end)
    assert board.applications == apps.count() > 0
    assert (
        board.decisions
        == Decision.objects.filter(
            status__in=SIGNED_STATUSES, issued_on__gte=start, issued_on__lt=end
        ).count()
    )
    reasons = next(c for c in board.charts if c.key == "reasons")
    assert sum(int(r[1]) for r in reasons.rows) == sum(len(a.reasons) for a in apps)
    flow = next(c for c in board.charts if c.key == "flow")
    assert len(flow.rows) == 12
    assert sum(int(r[1]) for r in flow.rows) == board.applications
    assert {c.key for c in board.charts} == {
        "reasons", "districts", "flow", "budget", "deadlines", "caseload",
    }  # fmt: skip
    assert board.interviews_on_time_pct is not None


@pytest.mark.django_db
def test_start_figures_for_the_month(seeded: Any) -> None:
    from ostoja.cases.models import Application

    figures = start_figures(on=date(2026, 11, 20))
    assert (
        figures.applications
        == Application.objects.filter(
            received_on__gte=date(2026, 11, 1), received_on__lt=date(2026, 12, 1)
        ).count()
    )
    assert (figures.report_period, figures.report_due) == ("2026-H1", "20.07.2026")


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["dyrektor", "kierownik", "ksiegowosc", "analityk"])
def test_dashboard_page_opens_for_who_decides_from_it(
    seeded: Any, client_for: Any, username: str
) -> None:
    response = client_for(_user(username)).get("/analiza/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('src="data:image/svg+xml;base64,') == 6
    assert "Dane wykresu (tabela)" in body


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["socjalny", "swiadczenia", "iod"])
def test_dashboard_page_refuses_others(seeded: Any, client_for: Any, username: str) -> None:
    assert client_for(_user(username)).get("/analiza/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["dyrektor", "kierownik", "ksiegowosc", "analityk"])
def test_start_page_has_the_centre_in_numbers_linking_to_lists(
    seeded: Any, client_for: Any, username: str
) -> None:
    body = client_for(_user(username)).get("/").content.decode()
    assert "Ośrodek w liczbach" in body
    assert 'href="/analiza/"' in body
    assert 'data-kpi="applications"' in body


@pytest.mark.django_db
def test_start_page_of_a_social_worker_has_no_centre_panel(seeded: Any, client_for: Any) -> None:
    assert "Ośrodek w liczbach" not in client_for(_user("socjalny")).get("/").content.decode()

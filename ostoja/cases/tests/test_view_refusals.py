"""Refusals on the case file come back on the same page, at their fields (the shared form
renderer: the message under the field, the summary on top), nothing saved (issue 17)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ostoja.cases.models import Case, Interview
from ostoja.org.roles import Role
from ostoja.socialwork.tests.factories import make_case
from tests.refusals import error_at_field as _at_field
from tests.refusals import error_summary as _summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_staff: Any, travel: Any) -> dict[str, Any]:
    travel("2026-03-01", hour=0)  # just after midnight in Warsaw, UTC still 28 Feb
    w1 = make_staff("prz_ro1", role=Role.SOCIAL_WORKER, unit_code="ro1")
    w2 = make_staff("prz_ro1b", role=Role.SOCIAL_WORKER, unit_code="ro1")
    other = make_staff("prz_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")
    return {"w1": w1, "w2": w2, "other": other, "case": make_case(worker=w1)}


def test_assigning_a_worker_of_another_unit_is_refused_at_the_field(world, client_for):
    case = world["case"]
    v0 = case.version
    r = client_for(world["w1"]).post(
        f"/sprawy/{case.pk}/pracownik/", {"version": v0, "worker": world["other"].pk}
    )
    page = r.content.decode()
    assert r.status_code == 422 and _at_field(page, "id_worker", "")
    assert "Pracownik socjalny" in _summary(page)
    case.refresh_from_db()
    assert case.worker_id == world["w1"].pk and case.version == v0


def test_assigning_from_a_stale_page_keeps_the_choice_and_says_refresh(world, client_for):
    """Two workers change the assignment from the same page: the second is refused with the
    conflict message on top, his choice still selected, nothing overwritten."""
    case = world["case"]
    c1, c2 = client_for(world["w1"]), client_for(world["w2"])
    v0 = case.version
    form = {"version": v0, "worker": world["w2"].pk}
    assert c1.post(f"/sprawy/{case.pk}/pracownik/", form).status_code == 302
    r = c2.post(f"/sprawy/{case.pk}/pracownik/", {**form, "worker": world["w1"].pk})
    page = r.content.decode()
    assert r.status_code == 409 and "Ktoś inny zapisał" in _summary(page)
    assert re.search(rf'<option value="{world["w1"].pk}" selected>', page)
    case.refresh_from_db()
    assert case.worker_id == world["w2"].pk and case.version == v0 + 1


def test_protected_case_assignment_by_a_worker_is_refused_on_top(world, client_for):
    case = world["case"]
    Case.objects.filter(pk=case.pk).update(protected=True)
    r = client_for(world["w1"]).post(
        f"/sprawy/{case.pk}/pracownik/", {"version": case.version, "worker": world["w2"].pk}
    )
    assert r.status_code == 403
    assert "tylko kierownik jednostki" in _summary(r.content.decode())
    case.refresh_from_db()
    assert case.worker_id == world["w1"].pk


def test_interview_start_with_a_wrong_date_is_refused_at_the_field(world, client_for):
    case = world["case"]
    r = client_for(world["w1"]).post(
        f"/sprawy/{case.pk}/wywiad/", {"wywiad-planned_on": "30.02.2026", "wywiad-application": ""}
    )
    page = r.content.decode()
    assert r.status_code == 422 and _at_field(page, "id_wywiad-planned_on", "")
    assert 'value="30.02.2026"' in page
    assert not Interview.objects.exists()
    r = client_for(world["w1"]).post(
        f"/sprawy/{case.pk}/wywiad/", {"wywiad-planned_on": "2026-03-01", "wywiad-application": ""}
    )
    assert r.status_code == 302 and Interview.objects.get().planned_on.isoformat() == "2026-03-01"


def _done_application(world: dict[str, Any], status: str = "wywiad_przeprowadzony") -> Any:
    from datetime import date

    from ostoja.cases.models import Application
    from ostoja.decisions.tests.factories import make_ready_application

    app = make_ready_application(
        "zasilek_okresowy", worker=world["w1"], received_on=date(2026, 2, 20)
    )
    Application.objects.filter(pk=app.pk).update(status=status)
    app.refresh_from_db()
    return app


def test_marking_ready_from_a_stale_page_is_refused_on_the_case_page(world, client_for):
    """Two workers of the unit mark the same application ready from one page: the second
    gets 409 with the Polish message in the summary on top and at the application's row, no
    flash; nothing changes. A broken form (no version) is 422."""
    app = _done_application(world)
    url = f"/sprawy/wnioski/{app.pk}/gotowy/"
    v0 = app.version
    r = client_for(world["w1"]).post(url, {"version": v0})
    assert r.status_code == 302 and r["Location"] == f"/sprawy/{app.case_id}/"
    app.refresh_from_db()
    assert app.status == "gotowy_do_decyzji" and app.version == v0 + 1
    c2 = client_for(world["w2"])
    r = c2.post(url, {"version": v0})
    page = r.content.decode()
    assert r.status_code == 409 and "już oznaczony jako gotowy" in _summary(page)
    row = re.search(rf'id="gotowy{app.pk}_error">(.*?)</div>', page, re.S)
    assert row and "już oznaczony jako gotowy" in row.group(1)
    r = c2.post(url, {"version": ""})
    assert r.status_code == 422 and "data-error-summary" in r.content.decode()
    app.refresh_from_db()
    assert app.version == v0 + 1


def test_marking_ready_before_the_interview_is_refused_nothing_saved(world, client_for):
    """Art. 106 ust. 4 u.p.s.: no finished interview — 409 with the reason on the page; a
    worker of another unit posting the id is answered as for an unknown record."""
    app = _done_application(world, status="wywiad_zaplanowany")
    url = f"/sprawy/wnioski/{app.pk}/gotowy/"
    r = client_for(world["w1"]).post(url, {"version": app.version})
    page = r.content.decode()
    assert r.status_code == 409 and "zakończyć wywiad" in _summary(page)
    assert f'aria-describedby="gotowy{app.pk}_error"' not in page  # no button: not yet done
    assert re.search(rf'id="gotowy{app.pk}_error">', page)
    r = client_for(world["other"]).post(url, {"version": app.version})
    assert r.status_code == 404
    v = app.version
    app.refresh_from_db()
    assert app.status == "wywiad_zaplanowany" and app.version == v


# ------------------------------------------------------------------ interview parts (issue 17)


def _interview(world: dict[str, Any]) -> Interview:
    from ostoja.cases.services import interview_start
    from ostoja.core import dates

    return interview_start(case=world["case"], application=None, user=world["w1"], now=dates.now())


def test_an_interview_answer_refused_by_its_rule_stands_at_its_field_once(world, client_for):
    iv = _interview(world)
    v0, stored = iv.version, dict(iv.sections)
    url = f"/sprawy/wywiady/{iv.pk}/czesc/analiza/"
    r = client_for(world["w1"]).post(
        url,
        {"version": v0, "analiza-ocena": "Rodzina w kryzysie", "analiza-proponowana_kwota": "-5"},
    )
    page = r.content.decode()
    assert r.status_code == 422
    assert _at_field(page, "id_analiza-proponowana_kwota", "")
    assert "Rodzina w kryzysie" in page  # as typed
    under = re.search(r'id="id_analiza-proponowana_kwota_error">(.*?)</div>', page, re.S)
    assert under and under.group(1).count("<p") == 1  # the message once, not twice
    assert page.count("data-error-summary") == 1
    iv.refresh_from_db()
    assert iv.version == v0 and iv.sections == stored


def test_an_interview_part_saved_from_a_stale_page_is_refused_on_top(world, client_for):
    """Two workers of the unit save the same part from one page: the second gets 409 with the
    conflict message in the summary on top (no flash) and the page shows what is stored."""
    iv = _interview(world)
    v0 = iv.version
    url = f"/sprawy/wywiady/{iv.pk}/czesc/analiza/"
    first = {"version": v0, "analiza-ocena": "Ocena pierwsza"}
    assert client_for(world["w1"]).post(url, first).status_code == 302
    r = client_for(world["w2"]).post(url, {"version": v0, "analiza-ocena": "Ocena druga"})
    page = r.content.decode()
    assert r.status_code == 409 and "Ktoś inny zapisał" in _summary(page)
    assert "Ocena pierwsza" in page and "Ocena druga" not in page
    iv.refresh_from_db()
    assert iv.version == v0 + 1 and iv.sections["analiza"]["ocena"] == "Ocena pierwsza"


def test_saving_a_part_or_completing_a_completed_interview_is_refused_on_top(world, client_for):
    from datetime import date

    iv = _interview(world)
    c = client_for(world["w1"])
    base = f"/sprawy/wywiady/{iv.pk}/"
    assert c.post(base + "czesc/rodzina/", {"version": iv.version}).status_code in (302, 422)
    iv.refresh_from_db()
    # completing without the assessment: the reason on top (the part is elsewhere), 409
    r = c.post(base + "zakonczenie/", {"version": iv.version, "conducted_on": "2026-02-28"})
    assert r.status_code == 409 and "ocenę sytuacji" in _summary(r.content.decode())
    iv.refresh_from_db()
    assert not iv.is_completed
    Interview.objects.filter(pk=iv.pk).update(status="zakonczony", conducted_on=date(2026, 2, 28))
    iv.refresh_from_db()
    assert iv.is_completed
    stored, v = dict(iv.sections), iv.version
    r = c.post(base + "czesc/analiza/", {"version": v, "analiza-ocena": "Dopisane po fakcie"})
    page = r.content.decode()
    assert r.status_code == 409 and "Wywiad jest zakończony" in _summary(page)
    r = c.post(base + "zakonczenie/", {"version": v, "conducted_on": "2026-02-28"})
    assert r.status_code == 409 and "już zakończony" in _summary(r.content.decode())
    iv.refresh_from_db()
    assert iv.sections == stored and iv.version == v
    # a worker of another unit posting the same part is answered as for an unknown record
    r = client_for(world["other"]).post(base + "czesc/analiza/", {"version": v})
    assert r.status_code in (403, 404)

"""The register's "wydane" filter (issue 13 §3, issue 17 §3, REST: issue 21): the decisions a start page counts
as issued in a period — signed ones, never drafts — so that a link from the number opens a list
of exactly that many rows, in the viewer's scope."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from ostoja.decisions.choices import DecisionStatus
from ostoja.decisions.models import Decision
from ostoja.decisions.selectors import (
    ISSUED,
    RegisterFilters,
    decision_register_page,
    decisions_issued_count,
)

NRB = "61109010140000071219812874"
pytestmark = pytest.mark.django_db
FEB = {"date_from": date(2028, 2, 1), "date_to": date(2028, 2, 29)}


def _decision(ready_application, users, *, unit: str, drafted_at, issued_on=None, status=None):
    from ostoja.decisions import services

    d = services.decision_draft_from_application(
        application=ready_application("zasilek_staly", unit=unit),
        actor=users["socjalny"] if unit == "ro1" else users["kierownik"],
        account_number=NRB,
    )
    fields = {"drafted_at": drafted_at}
    if status is not None:
        fields |= {"issued_on": issued_on, "status": status}
    Decision.objects.filter(pk=d.pk).update(**fields)
    return d


@pytest.fixture
def february(ready_application, users):
    """In ro1: a draft drafted at 00:00 on 29.02.2028 in Warsaw (still 28.02 in UTC), a
    decision signed on 29.02, one signed on 1.03 (drafted in February); in ro2: one signed on
    29.02 (outside the ro1 head's scope)."""
    return {
        "draft": _decision(
            ready_application, users, unit="ro1",
            drafted_at=datetime(2028, 2, 28, 23, 0, tzinfo=UTC),
        ),
        "signed": _decision(
            ready_application, users, unit="ro1",
            drafted_at=datetime(2028, 2, 27, 10, 0, tzinfo=UTC),
            issued_on=date(2028, 2, 29), status=DecisionStatus.SIGNED,
        ),
        "march": _decision(
            ready_application, users, unit="ro1",
            drafted_at=datetime(2028, 2, 28, 10, 0, tzinfo=UTC),
            issued_on=date(2028, 3, 1), status=DecisionStatus.FINAL,
        ),
        "ro2": _decision(
            ready_application, users, unit="ro2",
            drafted_at=datetime(2028, 2, 20, 10, 0, tzinfo=UTC),
            issued_on=date(2028, 2, 29), status=DecisionStatus.DELIVERED,
        ),
    }  # fmt: skip


def _rows(user, **filters) -> set[int]:
    page = decision_register_page(user=user, filters=RegisterFilters(**filters), page=1)
    return {d.pk for d in page.object_list}


def test_issued_filter_drops_drafts_that_the_date_filter_alone_counts(february, users):
    head = users["kierownik"]
    # The gap: the date filter alone counts the draft of 29 February.
    assert february["draft"].pk in _rows(head, **FEB)
    issued = _rows(head, status=ISSUED, **FEB)
    assert issued == {february["signed"].pk}
    assert decisions_issued_count(start=date(2028, 2, 1), end=date(2028, 3, 1), user=head) == 1


def test_issued_count_is_scoped_like_the_register(february, users):
    """The ro1 head neither counts nor lists ro2's decision; the director does both."""
    start, end = date(2028, 2, 1), date(2028, 3, 1)
    director = users["dyrektor"]
    assert _rows(director, status=ISSUED, **FEB) == {february["signed"].pk, february["ro2"].pk}
    assert decisions_issued_count(start=start, end=end, user=director) == 2
    assert february["ro2"].pk not in _rows(users["kierownik"], status=ISSUED, **FEB)
    assert decisions_issued_count(start=start, end=end) == 2  # the whole centre


def test_register_page_with_the_start_page_link_counts_the_number(
    february, users, client_for, travel
):
    travel("2028-03-01", hour=0)  # just after midnight in Warsaw: 29.02 in UTC
    client = client_for(users["kierownik"])
    url = "/decyzje/?status=wydane&date_from=2028-02-01&date_to=2028-02-29"
    body = client.get(url).content.decode()
    assert re.search(r"\(łącznie 1\)", body)
    assert "wydane (podpisane, bez projektów)" in body


# The REST register (issue 21): the same pseudo-status, the same rows, the same scope.
PERIOD = {"date_from": "2028-02-01", "date_to": "2028-02-29"}


def _api_ids(client, **params) -> set[int]:
    r = client.get("/api/v1/decisions", {**PERIOD, **params})
    assert r.status_code == 200, r.content
    return {row["id"] for row in r.json()}


def _search_ids(client, **params) -> set[int]:
    r = client.post(
        "/api/v1/decisions/search", {**PERIOD, **params}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    return {row["id"] for row in r.json()}


def test_api_issued_filter_lists_signed_decisions_like_the_page(
    february, users, client_for, travel
):
    travel("2028-03-01", hour=0)  # just after midnight in Warsaw: still 29.02 in UTC
    head = users["kierownik"]
    client = client_for(head)
    # the date filter alone also gives the draft of 29 February; "wydane" drops it
    assert february["draft"].pk in _api_ids(client)
    issued = _api_ids(client, status="wydane")
    assert issued == {february["signed"].pk}
    assert issued == _rows(head, status="wydane", **FEB)  # the web register's rows
    assert _search_ids(client, status="wydane") == issued


def test_api_issued_filter_keeps_the_scope(february, users, client_for):
    """The ro1 head does not get ro2's signed decision through "wydane"; the director does."""
    assert february["ro2"].pk not in _api_ids(client_for(users["kierownik"]), status="wydane")
    director = _api_ids(client_for(users["dyrektor"]), status="wydane")
    assert director == {february["signed"].pk, february["ro2"].pk}


def test_api_real_status_still_filters_exactly(february, users, client_for):
    client = client_for(users["dyrektor"])
    assert _api_ids(client, status="doreczona") == {february["ro2"].pk}
    assert _api_ids(client, status="projekt") == {february["draft"].pk}


def test_openapi_documents_the_issued_status(users, client_for):
    schema = client_for(users["dyrektor"]).get("/api/v1/openapi.json")
    assert schema.status_code == 200
    params = schema.json()["paths"]["/api/v1/decisions"]["get"]["parameters"]
    status = next(p for p in params if p["name"] == "status")
    assert "wydane" in (status.get("description") or status["schema"].get("description", ""))


def test_timeliness_counts_the_deadline_day_as_on_time_and_ex_officio_in_neither(february, users):
    """Art. 35 KPA: a decision issued on its application's ``decision_due`` is on time, a day
    later is late; a decision without an application (ex officio) is in neither class — in
    the register's filter and in the dashboard's figure alike."""
    from ostoja.cases.models import Application
    from ostoja.decisions.selectors import LATE, ON_TIME, decision_figures

    signed, march = february["signed"], february["march"]
    # issued 29.02 and 1.03.2028 (the fixture): due on the day / the day before
    Application.objects.filter(pk=signed.application_id).update(decision_due=date(2028, 2, 29))
    Application.objects.filter(pk=march.application_id).update(decision_due=date(2028, 2, 29))
    head, period = users["kierownik"], {"date_from": date(2028, 2, 1), "date_to": date(2028, 3, 1)}
    assert _rows(head, status=ISSUED, timeliness=ON_TIME, **period) == {signed.pk}
    assert _rows(head, status=ISSUED, timeliness=LATE, **period) == {march.pk}
    _, on_time, with_due = decision_figures(start=date(2028, 2, 1), end=date(2028, 3, 2), user=head)
    assert (on_time, with_due) == (1, 2)
    Decision.objects.filter(pk=march.pk).update(application=None)  # now ex officio
    assert _rows(head, status=ISSUED, timeliness=LATE, **period) == set()
    assert march.pk in _rows(head, status=ISSUED, **period)
    _, on_time, with_due = decision_figures(start=date(2028, 2, 1), end=date(2028, 3, 2), user=head)
    assert (on_time, with_due) == (1, 1)

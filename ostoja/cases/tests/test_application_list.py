"""The applications list (issue 13 §3, issue 17 §3): the list behind every count of received
applications — filtered by the period of receipt, unit and status, in the viewer's scope, its
total equal to ``applications_received_count`` for the same period and viewer."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from ostoja.cases.selectors import applications_received_count
from ostoja.org.roles import Role

pytestmark = pytest.mark.django_db
TOTAL = re.compile(r'\(łącznie <span data-testid="total">(\d+)</span>\)')


def _total(client: Any, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    found = TOTAL.search(response.content.decode())
    assert found
    return int(found.group(1))


@pytest.fixture
def received(demo_org: Any) -> dict[str, Any]:
    """ro1: received 29.02.2028, 1.03.2028 and 31.01.2028; ro2: 29.02.2028."""
    from ostoja.decisions.tests.factories import make_ready_application

    return {
        "leap": make_ready_application(unit="ro1", received_on=date(2028, 2, 29)),
        "march": make_ready_application(unit="ro1", received_on=date(2028, 3, 1)),
        "january": make_ready_application(unit="ro1", received_on=date(2028, 1, 31)),
        "ro2": make_ready_application(unit="ro2", received_on=date(2028, 2, 29)),
    }


def test_the_list_counts_what_the_start_page_counts_in_each_scope(
    received: Any, client_for: Any, make_staff: Any
) -> None:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    head, director = User.objects.get(username="kierownik"), User.objects.get(username="dyrektor")
    other = make_staff("kier2", role=Role.HEAD_OF_UNIT, unit_code="ro2")
    url = "/sprawy/wnioski/?od=2028-02-01&do=2028-02-29"
    feb = {"start": date(2028, 2, 1), "end": date(2028, 3, 1)}
    for user, expected in ((head, 1), (other, 1), (director, 2)):
        assert applications_received_count(**feb, user=user) == expected
        assert _total(client_for(user), url) == expected
    assert applications_received_count(**feb) == 2  # the whole centre
    # The adversary's side: the ro2 head never sees ro1's application in their list.
    body = client_for(other).get(url).content.decode()
    assert received["leap"].reference not in body
    assert received["ro2"].reference in body


def test_unit_and_status_filters(received: Any, client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.org.models import Unit

    director = get_user_model().objects.get(username="dyrektor")
    ro2 = Unit.objects.get(code="ro2").pk
    client = client_for(director)
    assert _total(client, f"/sprawy/wnioski/?od=2028-01-01&do=2028-03-31&jednostka={ro2}") == 1
    assert _total(client, "/sprawy/wnioski/?od=2028-01-01&do=2028-03-31&status=otwarte") == 4
    assert _total(client, "/sprawy/wnioski/?status=zarejestrowany&od=2028-01-01") == 0


def test_refusals_are_polish_field_errors(received: Any, client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.org.models import Unit

    head = get_user_model().objects.get(username="kierownik")
    client = client_for(head)
    response = client.get("/sprawy/wnioski/?od=2028-03-01&do=2028-02-01")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Data „do” nie może być wcześniejsza niż data „od”." in body
    assert 'id="id_do_error"' in body  # at the field, linked by the shared renderer
    # A unit outside the head's scope is not a choice (no way to peek at another unit).
    ro2 = Unit.objects.get(code="ro2").pk
    response = client.get(f"/sprawy/wnioski/?jednostka={ro2}")
    assert response.status_code == 422
    assert "Wybierz poprawną wartość" in response.content.decode()


def test_roles_without_client_files_are_refused(demo_org: Any, client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    for name in ("analityk", "ksiegowosc"):
        user = get_user_model().objects.get(username=name)
        assert client_for(user).get("/sprawy/wnioski/").status_code == 403


def test_a_list_filtered_by_worker_says_whose_cases_it_holds(
    received: Any, client_for: Any, make_staff: Any
) -> None:
    """Issue 13 §3: a chart's bar opens the applications of one worker (``?pracownik=``); the page
    names that worker and offers the list of all workers with the other filters kept."""
    from django.contrib.auth import get_user_model

    from ostoja.cases.models import Case

    make_staff("kier2", role=Role.HEAD_OF_UNIT, unit_code="ro2")
    worker = get_user_model().objects.get(username="socjalny")
    Case.objects.filter(pk=received["leap"].case_id).update(worker=worker)
    head = client_for(get_user_model().objects.get(username="kierownik"))
    page = head.get(f"/sprawy/wnioski/?status=otwarte&pracownik={worker.pk}").content.decode()
    name = worker.get_full_name() or worker.get_username()
    assert f"prowadzonych przez: <strong>{name}</strong>" in page
    assert 'href="?status=otwarte">Pokaż wnioski wszystkich pracowników' in page
    assert received["leap"].reference in page and received["march"].reference not in page
    plain = head.get("/sprawy/wnioski/").content.decode()
    assert "prowadzonych przez" not in plain
    # The adversary's side: the head of another district types the worker's id into the URL —
    # no rows and no name (the worker leads none of the cases that head sees).
    other = client_for(get_user_model().objects.get(username="kier2"))
    page = other.get(f"/sprawy/wnioski/?pracownik={worker.pk}").content.decode()
    assert "prowadzonych przez" not in page and name not in page


def test_reason_filter_matches_whole_codes_and_bad_filter_values_are_refused(
    received: Any, client_for: Any
) -> None:
    """Art. 7 u.p.s. reasons: ``powod=1`` never lists an application of reason 11 only, nor
    ``powod=7`` one of 7a only (the codes are matched whole); an unknown reason or a worker id
    that is not a number is a field error (422), not an empty list; a worker id no account has
    lists nothing and names nobody."""
    from django.contrib.auth import get_user_model

    from ostoja.cases.models import Application

    Application.objects.filter(pk=received["leap"].pk).update(reasons=["11"])
    Application.objects.filter(pk=received["march"].pk).update(reasons=["1", "7a"])
    Application.objects.filter(pk=received["january"].pk).update(reasons=["7"])
    client = client_for(get_user_model().objects.get(username="kierownik"))
    period = "od=2028-01-01&do=2028-03-31"
    for code, refs in (
        ("1", {"march"}),
        ("11", {"leap"}),
        ("7", {"january"}),
        ("7a", {"march"}),
        ("2", set()),
    ):
        body = client.get(f"/sprawy/wnioski/?{period}&powod={code}").content.decode()
        shown = {k for k in ("leap", "march", "january") if received[k].reference in body}
        assert shown == refs, code
    for bad in ("powod=99", "powod=%221%22", "pracownik=abc", "pracownik=0", "wywiad=W_TERMINIE"):
        assert client.get(f"/sprawy/wnioski/?{bad}").status_code == 422, bad
    nobody = (get_user_model().objects.order_by("-pk").values_list("pk", flat=True).first()) + 1
    response = client.get(f"/sprawy/wnioski/?{period}&pracownik={nobody}")
    assert response.status_code == 200
    assert "prowadzonych przez" not in response.content.decode()
    assert _total(client, f"/sprawy/wnioski/?{period}&pracownik={nobody}") == 0

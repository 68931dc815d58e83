"""Pages and API: scope (a unit sees its cases; another unit's record is refused and audited),
bad input on the pages, conflicts, and constant query counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from ostoja.cases import services
from ostoja.cases.models import Application
from ostoja.core import dates
from ostoja.org.roles import Role
from ostoja.registry.models import Household, Person, Street

ON = date(2025, 11, 5)


@pytest.fixture(autouse=True)
def _today(travel: Any) -> None:
    """Every clock read in these tests (views, API, services' callers) says ``ON``."""
    travel(ON)


def app_for(family: Any, worker: Any, size: int = 1, serial: int = 1) -> Application:
    h, a = family(size, serial=serial)
    return services.application_register(
        household=h,
        applicant=a,
        received_on=ON,
        channel="osobiscie",
        forms=["zasilek_okresowy"],
        reasons=["1"],
        user=worker,
        on=ON,
    )


def refused_entries() -> int:
    return LogEntry.objects.filter(additional_data__refused=True).count()


@pytest.mark.django_db
def test_worker_sees_own_unit_case_and_reads_are_audited(
    family: Any, worker: Any, client_for: Any
) -> None:
    app = app_for(family, worker)
    client = client_for(worker)
    r = client.get(reverse("cases:case_detail", args=[app.case_id]))
    assert r.status_code == 200 and app.reference in r.content.decode()
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(app.case_id)
    ).exists()
    assert client.get(reverse("cases:desk")).status_code == 200


@pytest.mark.django_db
def test_other_unit_case_refused_by_url_and_api_and_audited(
    family: Any, worker: Any, client_for: Any, make_staff: Any
) -> None:
    app = app_for(family, worker)
    other = make_staff("ro2worker", role=Role.SOCIAL_WORKER, unit_code="ro2")
    client = client_for(other)
    before = refused_entries()
    assert (
        client.get(reverse("cases:case_detail", args=[app.case_id])).status_code == 404
    )  # like a missing id (issue 20)
    assert client.get(reverse("registry:person_detail", args=[app.applicant_id])).status_code == 404
    assert client.get(f"/api/v1/applications/{app.pk}").status_code == 404
    assert client.get(f"/api/v1/persons/{app.applicant_id}").status_code == 404
    assert client.get(f"/api/v1/cases/{app.case_id}").status_code == 404
    assert refused_entries() == before + 5
    assert (
        client.post(
            "/api/v1/persons/search", {"search": "leck"}, content_type="application/json"
        ).json()
        == []
    )
    assert client.get("/api/v1/applications").json() == []


@pytest.mark.django_db
def test_clerk_in_parent_unit_sees_district_cases(
    family: Any, worker: Any, client_for: Any, django_user_model: Any
) -> None:
    app = app_for(family, worker)
    clerk = django_user_model.objects.get(username="swiadczenia")
    assert (
        client_for(clerk).get(reverse("cases:case_detail", args=[app.case_id])).status_code == 200
    )


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin", "analityk", "ksiegowosc", "iod"])
def test_roles_without_client_access(
    family: Any, worker: Any, client_for: Any, django_user_model: Any, username: str
) -> None:
    app = app_for(family, worker)
    client = client_for(django_user_model.objects.get(username=username))
    assert client.get(reverse("cases:case_detail", args=[app.case_id])).status_code == 403
    assert client.get(reverse("registry:person_list")).status_code == 403
    assert client.get("/api/v1/persons").status_code == 403


@pytest.mark.django_db
def test_api_unauthenticated(client: Any, demo_org: Any) -> None:
    assert client.get("/api/v1/persons").status_code in (401, 403)


@pytest.mark.django_db
def test_api_persons_create_validation_and_conflict(
    worker: Any, client_for: Any, demo_org: Any
) -> None:
    from ostoja.registry.demo import make_pesel

    client = client_for(worker)
    street = Street.objects.get(name_1="Sienkiewicza")
    body = {
        "first_name": "Józef",
        "last_name": "Żółkiewski",
        "birth_date": "1980-05-17",
        "sex": "M",
        "pesel": make_pesel(date(1980, 5, 17), 5, "M"),
        "act_street": street.sym_ul,
        "act_house": "1",
    }
    bad = client.post(
        "/api/v1/persons", {**body, "pesel": "44051401358"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "pesel"
    r = client.post("/api/v1/persons", body, content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    dup = client.post("/api/v1/persons", body, content_type="application/json")
    assert dup.status_code == 422 and dup.json()["errors"][0]["field"] == "pesel"
    future = client.post(
        "/api/v1/persons",
        {
            **body,
            "pesel": "",
            "birth_date": "2030-01-01",
            "id_document_type": "dowod",
            "id_document_number": "X",
        },
        content_type="application/json",
    )
    assert future.status_code == 422 and "birth_date" in [
        e["field"] for e in future.json()["errors"]
    ]
    outside = client.post(
        "/api/v1/persons",
        {
            **body,
            "pesel": "",
            "act_street": None,
            "act_city": "Radom",
            "id_document_type": "dowod",
            "id_document_number": "Y",
        },
        content_type="application/json",
    )
    assert outside.status_code == 422 and outside.json()["errors"][0]["field"] == "act_city"
    found = client.post(
        "/api/v1/persons/search", {"search": "zolkiewski"}, content_type="application/json"
    )
    assert found.json()[0]["id"] == pk
    ok = client.patch(
        f"/api/v1/persons/{pk}", {"version": 1, "phone": "600"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/persons/{pk}", {"version": 1, "phone": "700"}, content_type="application/json"
    )
    assert stale.status_code == 409
    neg = client.post(
        f"/api/v1/persons/{pk}/incomes",
        {"month": "2025-10-01", "kind": "emerytura", "amount": "-5"},
        content_type="application/json",
    )
    assert neg.status_code == 422 and neg.json()["errors"][0]["field"] == "amount"
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_api_households_and_applications(worker: Any, client_for: Any, family: Any) -> None:
    h, a = family(1)
    client = client_for(worker)
    r = client.post(
        "/api/v1/applications",
        {
            "household": h.pk,
            "applicant": a.pk,
            "received_on": "2025-11-05",
            "forms": ["zasilek_celowy"],
            "reasons": ["14"],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["reference"] == "RO1.4012.1.2025"
    assert client.get(f"/api/v1/households/{h.pk}").json()["members"][0]["person"] == a.pk
    assert len(client.get("/api/v1/applications").json()) == 1


@pytest.mark.django_db
def test_ui_person_bad_input_shows_polish_messages(worker: Any, client_for: Any) -> None:
    client = client_for(worker)
    street = Street.objects.get(name_1="Sienkiewicza")
    r = client.post(
        reverse("registry:person_create"),
        {
            "first_name": "Anna",
            "last_name": "Nowak",
            "pesel": "44051401358",
            "birth_date": "1944-05-14",
            "sex": "M",
            "citizenship": "polskie",
            "residence_title": "obywatel_pl",
            "act_street": street.pk,
            "act_house": "1",
            "act_city": "Kielce",
        },
    )
    assert r.status_code == 200
    assert "cyfra kontrolna" in r.content.decode()
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_ui_two_users_edit_household_second_is_told(
    worker: Any, client_for: Any, family: Any
) -> None:
    h, _ = family(1)
    c = client_for(worker)
    url = reverse("registry:household_edit", args=[h.pk])
    assert c.post(url, {"version": 1, "name": "Rodzina A", "note": ""}).status_code == 302
    r = c.post(url, {"version": 1, "name": "Rodzina B", "note": ""})
    assert "Ktoś inny zapisał" in r.content.decode()
    assert Household.objects.get(pk=h.pk).name == "Rodzina A"


@pytest.mark.django_db
def test_query_counts_constant(
    family: Any, worker: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    small = app_for(family, worker, size=1, serial=1)
    big = app_for(family, worker, size=6, serial=2)
    for n in range(3, 9):
        app_for(family, worker, size=2, serial=n)
    client = client_for(worker)
    services.calculation_run(
        now=dates.now(), application=big, benefit="zasilek_okresowy", user=worker
    )
    counts = {}
    for label, app in (("small", small), ("big", big)):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:case_detail", args=[app.case_id])).status_code == 200
        counts[label] = len(ctx)
    assert counts["small"] == counts["big"], counts
    with django_assert_max_num_queries(counts["big"]):
        client.get(reverse("cases:case_detail", args=[big.case_id]))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("cases:desk")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.post(reverse("cases:desk"), {"q": "lecka"}).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.post(reverse("registry:person_list"), {"q": "lecka"}).status_code == 200


@pytest.mark.django_db
def test_protected_case_hides_protected_timeline_entries_from_others(demo_org: None) -> None:
    """Protected records: a colleague of the unit does not see protected timeline entries."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from ostoja.cases.demo import load_demo as load_cases_demo
    from ostoja.cases.models import Case, TimelineEvent
    from ostoja.org.roles import Role
    from ostoja.registry.demo import load_demo as load_registry_demo

    load_registry_demo(now=dates.now())
    load_cases_demo(now=dates.now())
    User = get_user_model()
    case = Case.objects.filter(unit__code="ro1", worker__username="socjalny").first()
    assert case is not None
    Case.objects.filter(pk=case.pk).update(protected=True)
    TimelineEvent.objects.create(case=case, kind="praca_socjalna", title="Notatka chroniona",
                                 occurred_at=case.opened_on and TimelineEvent.objects.filter(case=case).first().occurred_at,
                                 protected=True)  # fmt: skip
    from django.contrib.auth.models import Group

    from ostoja.org.models import StaffMember, Unit

    colleague = User.objects.create_user(username="kolega", password="x")
    colleague.groups.add(Group.objects.get(name=Role.SOCIAL_WORKER))
    StaffMember.objects.create(user=colleague, unit=Unit.objects.get(code="ro1"), position="x")
    for username, sees in (("socjalny", True), ("kierownik", True), ("kolega", False)):
        client = Client()
        client.force_login(User.objects.get(username=username))
        text = client.get(f"/sprawy/{case.pk}/").content.decode()
        assert ("Notatka chroniona" in text) is sees, username

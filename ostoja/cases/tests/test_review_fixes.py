"""Production-readiness review of the cases pages: constant query counts (the same for small and
large data), Polish money formatting, unique ids, timeline filter groups, art. 101 routing of
homeless applicants, the interview history, and the demo's district assignment."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ostoja.cases import selectors, services
from ostoja.cases.models import Application, Case, TimelineEvent
from ostoja.core import dates
from ostoja.core.dates import noon
from ostoja.org.roles import Role
from ostoja.registry import services as registry_services
from ostoja.registry.demo import make_pesel
from ostoja.registry.models import Person

ON = date(2025, 11, 5)


@pytest.fixture(autouse=True)
def _today(travel: Any) -> None:
    """Every clock read in these tests (views, API, services' callers) says ``ON``."""
    travel(ON)


def register(family: Any, worker: Any, size: int = 1, serial: int = 1) -> Application:
    household, applicant = family(size, serial=serial)
    return services.application_register(
        household=household,
        applicant=applicant,
        received_on=ON,
        channel="osobiscie",
        forms=["zasilek_okresowy"],
        reasons=["1"],
        user=worker,
        on=ON,
    )


def count_queries(client: Any, url: str) -> int:
    """GET the page, or POST its search form for ``url?q=…`` (the search posts)."""
    path, _, query = url.partition("?q=")
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(path, {"q": query}) if query else client.get(path)
        assert response.status_code == 200
    return len(ctx)


@pytest.mark.django_db
def test_desk_and_search_query_counts_do_not_grow_with_data(
    family: Any, worker: Any, client_for: Any
) -> None:
    """Desk and search: the same number of queries for 1 case and for 9 cases (many hits)."""
    register(family, worker, size=1, serial=1)
    client = client_for(worker)
    desk_url = reverse("cases:desk")
    search_url = desk_url + "?q=lecka"
    ref_url = desk_url + "?q=4011"
    small = {u: count_queries(client, u) for u in (desk_url, search_url, ref_url)}
    for n in range(2, 10):
        register(family, worker, size=3, serial=n)
    large = {u: count_queries(client, u) for u in (desk_url, search_url, ref_url)}
    assert small == large
    assert b"Rodzina" in client.get(desk_url).content


@pytest.mark.django_db
def test_case_file_money_in_polish_format_and_ids_unique(
    family: Any, worker: Any, client_for: Any
) -> None:
    application = register(family, worker, size=1)
    services.calculation_run(
        now=dates.now(), application=application, benefit="zasilek_okresowy", user=worker
    )
    html = client_for(worker).get(reverse("cases:case_detail", args=[application.case_id]))
    text = html.content.decode()
    # 700,00 zł pension → income with a comma and "zł", never "700.00 zł"
    assert "700,00\u00a0zł" in text
    assert not re.search(r"\d\.\d\d zł", text)
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    # the proposal and timeline show Polish labels, not codes
    assert "zasilek_okresowy" not in re.sub(r'value="[^"]*"', "", text)


@pytest.mark.django_db
def test_timeline_filter_groups_other_contexts_kinds(
    family: Any, worker: Any, client_for: Any
) -> None:
    """Decisions write decyzja_podpisana / odwolanie: "Decyzje" must find them, with labels."""
    application = register(family, worker)
    case = application.case
    for kind, source in (("decyzja_podpisana", "decisions"), ("odwolanie", "decisions")):
        TimelineEvent.objects.create(
            case=case,
            occurred_at=timezone.make_aware(datetime(2025, 11, 5, 12)),
            kind=kind,
            title=f"Zdarzenie {kind}",
            source_app=source,
            source_id=kind,
        )
    file = selectors.case_file(case=case, user=worker, now=noon(ON), kind="decyzja")
    assert {e.kind for e in file.timeline} == {"decyzja_podpisana", "odwolanie"}
    assert {e.kind_label for e in file.timeline} == {"Decyzja podpisana", "Odwołanie"}
    file = selectors.case_file(case=case, user=worker, now=noon(ON), kind="nieznany")
    assert file.timeline_kind == "" and len(file.timeline) >= 3  # unknown filter = everything
    page = client_for(worker).get(reverse("cases:case_detail", args=[case.pk]) + "?rodzaj=decyzja")
    assert "Zdarzenie odwolanie" in page.content.decode()
    assert "Wniosek " not in page.content.decode().split("Oś czasu")[1]


@pytest.mark.django_db
def test_homeless_applicant_last_registered_elsewhere_is_routed_art_101_ust_2(
    worker: Any, client_for: Any, ro1_street: Any, make_staff: Any
) -> None:
    """Art. 101 ust. 2 u.p.s.: for a homeless person the competent gmina is the one of the last
    permanent registration — shown when registering, on the case file, and forwarding works."""
    birth = date(1966, 2, 12)
    person = registry_services.person_create(
        data={
            "first_name": "Mirosław",
            "last_name": "Gałązka",
            "birth_date": birth,
            "sex": "M",
            "pesel": make_pesel(birth, 901, "M"),
            "homeless": True,
            "act_place": "noclegownia, ul. Mielczarskiego 51",
            "reg_city": "Chęciny",
        },
        user=worker,
        on=ON,
    )
    household = registry_services.household_create(
        name="", applicant=person, valid_from=date(2025, 1, 1), user=worker
    )
    client = client_for(worker)
    form = client.get(reverse("cases:application_create", args=[household.pk])).content.decode()
    assert "właściwa gmina: Chęciny" in form and "art. 101 ust. 2 u.p.s." in form
    application = services.application_register(
        household=household,
        applicant=Person.objects.get(pk=person.pk),
        received_on=ON,
        channel="osobiscie",
        forms=["zasilek_celowy"],
        reasons=["3"],
        user=worker,
        on=ON,
    )
    # the homelessness department handles (and forwards) the case
    assert application.case.unit.code == "bezdomnosc"
    client = client_for(make_staff("bezd1", role=Role.SOCIAL_WORKER, unit_code="bezdomnosc"))
    case_page = client.get(reverse("cases:case_detail", args=[application.case_id]))
    assert "Właściwa gmina: Chęciny" in case_page.content.decode()
    url = reverse("cases:application_forward", args=[application.pk])
    page = client.get(url).content.decode()
    assert "gmina ostatniego miejsca zameldowania" in page and "Chęciny" in page
    # a future date is refused with a Polish message on the field, nothing changes
    response = client.post(
        url, {"version": application.version, "target": "OPS Chęciny", "forwarded_on": "2025-12-01"}
    )
    assert "Data przekazania nie może być przyszła." in response.content.decode()
    application.refresh_from_db()
    assert application.status != "przekazany"
    response = client.post(
        url, {"version": application.version, "target": "OPS Chęciny", "forwarded_on": "2025-11-05"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "przekazany" and application.forwarded_to == "OPS Chęciny"


@pytest.mark.django_db
def test_homeless_registered_in_kielce_stays_local(worker: Any, ro1_street: Any) -> None:
    from ostoja.registry.selectors import competence_of

    person = Person(homeless=True, reg_city="Kielce", last_name="X")
    assert competence_of(person=person).local
    assert not competence_of(person=Person(outside_kielce=True, act_city="Masłów")).local
    assert competence_of(person=Person(act_city="Kielce")).explanation == ""


@pytest.mark.django_db
def test_interview_page_history_is_readable_and_amounts_polish(
    family: Any, worker: Any, client_for: Any
) -> None:
    application = register(family, worker)
    interview = services.interview_start(
        now=dates.now(), case=application.case, application=application, user=worker, planned_on=ON
    )
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update({"mieszkanie-rodzaj": "komunalny", "mieszkanie-oplaty": "1620.50"})
    interview = services.interview_save_section(
        interview=interview, section="mieszkanie", data=data, expected_version=interview.version
    )
    data = QueryDict(mutable=True)
    data.update({"analiza-ocena": "Rodzina potrzebuje wsparcia."})
    interview = services.interview_save_section(
        interview=interview, section="analiza", data=data, expected_version=interview.version
    )
    data = QueryDict(mutable=True)
    data.update({"rodzina-opis": "Wspólne gospodarstwo."})
    interview = services.interview_save_section(
        interview=interview, section="rodzina", data=data, expected_version=interview.version
    )
    services.interview_complete(
        now=dates.now(),
        interview=interview,
        conducted_on=ON,
        expected_version=interview.version,
        user=worker,
        on=ON,
    )
    text = client_for(worker).get(reverse("cases:interview", args=[interview.pk])).content.decode()
    assert "1\u00a0620,50" in text
    assert "zmieniono: Sytuacja mieszkaniowa" in text
    assert "&quot;oplaty&quot;" not in text and "\\u0" not in text  # no raw JSON in the history
    assert "pracownik socjalny:" in text


@pytest.mark.django_db
def test_demo_assigns_unassigned_cases_to_the_district_worker(
    family: Any, worker: Any, make_staff: Any
) -> None:
    """A case opened while its district had no worker goes to that district's worker once one
    exists; a district without a worker is left alone; a second run writes nothing."""
    from ostoja.cases import demo

    application = register(family, worker)
    case = application.case
    Case.objects.filter(pk=case.pk).update(worker=None)
    demo._assign_unassigned(worker, now=noon(ON))
    case.refresh_from_db()
    assert case.worker_id == worker.pk
    other = Case.objects.create(
        household=family(1, serial=5)[0], unit_id=case.unit_id, opened_on=ON
    )
    worker.groups.clear()  # the unit now has no social worker
    demo._assign_unassigned(worker, now=noon(ON))
    other.refresh_from_db()
    assert other.worker_id is None
    second = make_staff("socjalny_ro1b", role=Role.SOCIAL_WORKER, unit_code="ro1")
    demo._assign_unassigned(worker, now=noon(ON))
    other.refresh_from_db()
    assert other.worker_id == second.pk
    events = TimelineEvent.objects.count()
    demo._assign_unassigned(worker, now=noon(ON))
    assert TimelineEvent.objects.count() == events

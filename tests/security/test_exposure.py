"""Data exposure: no PESEL or names in the URLs of the main flows, no stack traces on error
pages, the public pre-check stores nothing, API lists and searches stay inside the scope."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

URL_ATTRS = re.compile(r'(?:href|action|hx-get|hx-post|src)="([^"]*)"')


def _main_pages(ro1: dict[str, Any]) -> list[str]:
    return [
        reverse("web:home"),
        reverse("registry:person_list"),
        reverse("registry:person_detail", args=[ro1["person"].pk]),
        reverse("registry:household_detail", args=[ro1["household"].pk]),
        reverse("cases:desk"),
        reverse("cases:case_detail", args=[ro1["case"].pk]),
        reverse("cases:interview", args=[ro1["interview"].pk]),
        reverse("decisions:register"),
        reverse("decisions:detail", args=[ro1["decision"].pk]),
        reverse("socialwork:index"),
        reverse("socialwork:case", args=[ro1["case"].pk]),
        reverse("socialwork:visits"),
    ]


def test_no_pesel_or_names_in_links_of_the_main_flows(
    ro1: dict[str, Any], users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    from ostoja.registry.models import Person

    persons = list(Person.objects.all())
    pesels = {p.pesel for p in persons if p.pesel}
    surnames = {p.last_name.lower() for p in persons if len(p.last_name) > 3}
    client = client_for(users["socjalny"])
    leaks: list[tuple[str, str]] = []
    for page in _main_pages(ro1):
        response = client.get(page)
        assert response.status_code == 200, page
        for url in URL_ATTRS.findall(response.content.decode()):
            low = url.lower()
            if any(p in url for p in pesels) or any(s in low for s in surnames):
                leaks.append((page, url))
            if re.search(r"\d{11}", url):
                leaks.append((page, url))
    assert not leaks


@pytest.mark.parametrize(
    "name",
    [
        "registry:person_list",
        "cases:desk",
        "decisions:register",
    ],
)
def test_search_forms_do_not_put_the_query_in_the_url(
    name: str, demo: None, users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    html = client_for(users["socjalny"]).get(reverse(name)).content.decode()
    forms = re.findall(r"<form[^>]*>", html)
    searchy = [f for f in forms if 'role="search"' in f or "filtr" in f.lower()]
    assert searchy, "the page has a search form"
    assert all('method="post"' in f for f in searchy), searchy


def test_error_pages_leak_nothing_with_debug_off(
    demo: None,
    users: dict[str, Any],
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.DEBUG = False
    secret = "SEKRET-85010112345"

    def boom(**_: Any) -> Any:
        raise RuntimeError(secret)

    monkeypatch.setattr("ostoja.registry.selectors.person_search", boom)
    client = Client(raise_request_exception=False)
    client.force_login(users["socjalny"])
    response = client.get(reverse("registry:person_list"))
    assert response.status_code == 500
    body = response.content.decode()
    for leak in (secret, "Traceback", "RuntimeError", "site-packages", "/work/", "SECRET_KEY"):
        assert leak not in body, leak
    missing = client.get(reverse("registry:person_detail", args=[999_999]))
    assert missing.status_code == 404
    text = missing.content.decode()
    assert "Traceback" not in text and "URLconf" not in text and "urlpatterns" not in text
    refused = client.get("/api/v1/persons/abc")
    assert "Traceback" not in refused.content.decode()


def test_public_precheck_stores_nothing_and_sets_no_session(demo: None, db: Any) -> None:
    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {m._meta.label: m.objects.count() for m in apps.get_models()}
    client = Client()
    form = {"household_size": "2", "net_income": "900", "birth_date": "1985-01-01", "sex": "K"}
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/sprawdz/")
        response = client.post("/sprawdz/", form)
    assert page.status_code == 200 and response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert "sessionid" not in response.cookies and "sessionid" not in page.cookies
    assert {m._meta.label: m.objects.count() for m in apps.get_models()} == counts
    assert "900" not in response.get("Location", "") and "?" not in response.request["PATH_INFO"]


# ------------------------------------------------------------------ scoped lists


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content[:200]
    return {row["id"] for row in response.json()}


@pytest.mark.parametrize("who", ["stranger", "socjalny", "swiadczenia", "kierownik"])
def test_api_lists_return_only_what_the_scoped_selectors_allow(
    who: str,
    stranger: Any,
    users: dict[str, Any],
    token_client: Callable[[Any], Client],
) -> None:
    from ostoja.cases.models import Application
    from ostoja.cases.selectors import cases_visible
    from ostoja.decisions.models import Decision
    from ostoja.registry.selectors import households_visible, persons_visible

    user = stranger if who == "stranger" else users[who]
    api = token_client(user)
    persons = _ids(api.get("/api/v1/persons?limit=200"))
    visible = set(
        persons_visible(user=user).filter(merged_into__isnull=True).values_list("pk", flat=True)
    )
    assert persons <= visible
    assert len(persons) == min(len(visible), 200)
    households = _ids(api.get("/api/v1/households"))
    assert households == set(households_visible(user=user).values_list("pk", flat=True))
    cases = cases_visible(user=user)
    applications = _ids(api.get("/api/v1/applications"))
    assert applications <= set(
        Application.objects.filter(case__in=cases).values_list("pk", flat=True)
    )
    decisions = _ids(api.get("/api/v1/decisions"))
    assert decisions == set(Decision.objects.filter(case__in=cases).values_list("pk", flat=True))
    if who == "stranger":
        ro1 = set(Decision.objects.filter(case__unit__code="ro1").values_list("pk", flat=True))
        assert not decisions & ro1


def test_searches_are_scoped(
    ro1: dict[str, Any],
    stranger: Any,
    users: dict[str, Any],
    client_for: Callable[[Any], Client],
    token_client: Callable[[Any], Client],
) -> None:
    person = ro1["person"]
    surname = person.last_name
    ui = client_for(stranger)
    own = client_for(users["socjalny"])
    from ostoja.decisions.models import Decision

    decision = Decision.objects.filter(case__household__memberships__person=person).first()
    for name, marker in [
        ("registry:person_list", reverse("registry:person_detail", args=[person.pk])),
        ("cases:desk", reverse("cases:case_detail", args=[ro1["case"].pk])),
        ("decisions:register", reverse("decisions:detail", args=[decision.pk]) if decision else ""),
    ]:
        if not marker:
            continue
        url = reverse(name)
        found = own.post(url, {"q": surname}, follow=True).content.decode()
        assert f'"{marker}"' in found, f"positive control: {name}"
        assert f'"{marker}"' not in ui.post(url, {"q": surname}, follow=True).content.decode(), name
    if person.pesel:
        url = reverse("registry:person_list")
        assert person.pesel not in ui.post(url, {"q": person.pesel[:6]}).content.decode()
    api = token_client(stranger)
    body = {"search": surname}
    assert api.post("/api/v1/persons/search", body, content_type="application/json").json() == []
    body = {"q": surname}
    assert api.post("/api/v1/decisions/search", body, content_type="application/json").json() == []


def test_duplicate_hints_do_not_reveal_other_units_clients(
    ro1: dict[str, Any], stranger: Any, client_for: Callable[[Any], Client]
) -> None:
    from ostoja.org.models import Unit
    from ostoja.registry.models import Person

    victim = ro1["person"]
    twin = Person.objects.create(
        first_name=victim.first_name,
        last_name=victim.last_name,
        birth_date=victim.birth_date,
        sex=victim.sex,
        registered_by_unit=Unit.objects.get(code="ro2"),
    )
    assert not stranger.has_perm("registry.view_person", victim)
    page = client_for(stranger).get(reverse("registry:person_detail", args=[twin.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert reverse("registry:person_detail", args=[victim.pk]) not in text
    if victim.pesel:
        assert victim.pesel not in text


def test_payments_api_is_scoped_for_benefits_clerks(
    demo: None,
    make_staff: Callable[..., Any],
    token_client: Callable[[Any], Client],
) -> None:
    from ostoja.cases.models import Case
    from ostoja.org.roles import Role
    from ostoja.payments.models import Payment

    clerk = make_staff("sec_clerk_ro2", role=Role.BENEFITS_CLERK, unit_code="ro2")
    payment = Payment.objects.order_by("pk").first()
    assert payment is not None
    assert not clerk.has_perm("cases.view_case", Case.objects.get(pk=payment.case_id))
    rows = token_client(clerk).get("/api/v1/payments").json()
    assert payment.pk not in {r["id"] for r in rows}

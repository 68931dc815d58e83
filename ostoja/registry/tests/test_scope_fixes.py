"""Security review fixes in the registry: duplicate hints stay inside the scope (finding 7),
the merge service checks the scope itself (finding 3), the client search posts (finding 1)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from ostoja.core import dates
from ostoja.core.errors import NotPermitted
from ostoja.org.models import Unit
from ostoja.org.roles import Role
from ostoja.registry import selectors, services, views
from ostoja.registry.models import Person
from ostoja.registry.text import search_key

pytestmark = pytest.mark.django_db

PESEL = "80051712345"


@pytest.fixture
def worker(demo_org: Any) -> Any:
    return get_user_model().objects.get(username="socjalny")  # ro1


@pytest.fixture
def stranger(demo_org: Any, make_staff: Callable[..., Any]) -> Any:
    return make_staff("sw_ro2_reg", role=Role.SOCIAL_WORKER, unit_code="ro2")


def _person(unit: str, *, first: str = "Anna", last: str = "Kowalczyk", **extra: Any) -> Person:
    return Person.objects.create(
        first_name=first,
        last_name=last,
        birth_date=date(1975, 3, 4),
        sex="K",
        registered_by_unit=Unit.objects.get(code=unit),
        search_key=search_key(f"{last} {first}"),
        **extra,
    )


def _who(user: Any, person: Person) -> dict[str, Any]:
    return {
        "user": user,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "birth_date": person.birth_date,
        "exclude_pk": person.pk,
    }


# ------------------------------------------------------------------ finding 7


def test_similar_persons_are_scoped_and_the_rest_is_only_a_yes(worker: Any, stranger: Any) -> None:
    ours = _person("ro2")
    theirs = _person("ro1", pesel=PESEL)
    # The ro2 worker: the ro1 twin is never returned, only "something exists elsewhere".
    assert selectors.person_similar(**_who(stranger, ours)) == []
    assert selectors.person_similar_elsewhere(**_who(stranger, ours)) is True
    # The ro1 worker sees the ro1 twin as a possible duplicate (in scope, nothing elsewhere
    # besides the ro2 record, which is out of the ro1 worker's scope).
    assert selectors.person_similar(**_who(worker, ours)) == [theirs]
    assert selectors.person_similar_elsewhere(**_who(worker, theirs)) is True
    # Roles without client files get nothing at all.
    admin = get_user_model().objects.get(username="admin")
    assert selectors.person_similar(**_who(admin, ours)) == []
    assert selectors.person_similar_elsewhere(**_who(admin, ours)) is False


def test_person_page_hints_neutrally_at_another_units_twin(
    stranger: Any, client_for: Callable[[Any], Client]
) -> None:
    theirs = _person("ro1", pesel=PESEL, act_city="Kielce", act_house="7")
    ours = _person("ro2")
    html = client_for(stranger).get(reverse("registry:person_detail", args=[ours.pk]))
    text = html.content.decode()
    assert html.status_code == 200
    assert "Możliwe duplikaty" in text
    assert views.SIMILAR_ELSEWHERE in text
    assert reverse("registry:person_detail", args=[theirs.pk]) not in text
    assert PESEL not in text
    assert f"nr {theirs.pk}:" not in text


def test_person_page_lists_in_scope_duplicates(
    worker: Any, client_for: Callable[[Any], Client]
) -> None:
    first, second = _person("ro1"), _person("ro1", pesel=PESEL)
    text = client_for(worker).get(reverse("registry:person_detail", args=[first.pk]))
    body = text.content.decode()
    assert reverse("registry:person_detail", args=[second.pk]) in body
    assert views.SIMILAR_ELSEWHERE not in body


def test_create_warning_is_neutral_for_another_units_twin(
    stranger: Any, client_for: Callable[[Any], Client], person_data: dict[str, Any]
) -> None:
    theirs = _person(
        "ro1",
        first=person_data["first_name"],
        last=person_data["last_name"],
        pesel=PESEL,
    )
    Person.objects.filter(pk=theirs.pk).update(birth_date=person_data["birth_date"])
    data = {k: v for k, v in person_data.items() if k != "act_street"}
    data.update(
        act_street=person_data["act_street"].pk,
        citizenship="polskie",
        residence_title="obywatel_pl",
        birth_date=person_data["birth_date"].isoformat(),
    )
    client = client_for(stranger)
    response = client.post(reverse("registry:person_create"), data, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    form = response.context.get("form") if response.context else None
    assert "Zarejestrowano osobę" in text, form.errors if form else text[:500]
    assert views.SIMILAR_ELSEWHERE in text
    assert PESEL not in text
    assert reverse("registry:person_detail", args=[theirs.pk]) not in text


# ------------------------------------------------------------------ finding 3


def test_merge_service_checks_both_persons(worker: Any, stranger: Any) -> None:
    keep, victim = _person("ro2", last="Scalana"), _person("ro1", last="Scalana")
    for user, a, b in [(stranger, keep, victim), (stranger, victim, keep)]:
        with pytest.raises(NotPermitted):
            services.person_merge(
                now=dates.now(), keep=a, duplicate=b, user=user, on=date(2026, 1, 5)
            )
    victim.refresh_from_db()
    assert victim.merged_into_id is None
    analyst = get_user_model().objects.get(username="analityk")
    with pytest.raises(NotPermitted):
        services.person_merge(
            now=dates.now(), keep=victim, duplicate=keep, user=analyst, on=date(2026, 1, 5)
        )


# ------------------------------------------------------------------ finding 1


def test_client_search_posts_and_keeps_the_query_out_of_the_url(
    worker: Any, client_for: Callable[[Any], Client]
) -> None:
    person = _person("ro1", last="Wyszukiwalska", pesel=PESEL)
    client = client_for(worker)
    page = client.get(reverse("registry:person_list")).content.decode()
    form = re.search(r'<form[^>]*role="search"[^>]*>', page)
    assert form is not None and 'method="post"' in form.group(0)
    assert 'name="csrfmiddlewaretoken"' in page
    for query in ("wyszukiwalska", PESEL[:6]):
        response = client.post(reverse("registry:person_list"), {"q": query})
        assert response.status_code == 200
        assert reverse("registry:person_detail", args=[person.pk]) in response.content.decode()


def test_client_search_post_needs_the_csrf_token(worker: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    assert client.post(reverse("registry:person_list"), {"q": "x"}).status_code == 403

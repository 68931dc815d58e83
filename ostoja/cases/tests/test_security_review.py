"""Security review fixes in the cases context: the desk search posts (finding 1), protecting a
case protects the social-work entries already on its timeline (finding 8), the desk's district
count (bench, scale 10)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ostoja.cases import selectors, services
from ostoja.cases.models import Application, ApplicationStatus, TimelineEvent
from ostoja.core import dates
from ostoja.core.dates import noon
from ostoja.org.roles import Role

from .test_review_fixes import ON, register

pytestmark = pytest.mark.django_db

SECRET = "Zgłoszenie przemocy — ZNACZNIK-4471"


@pytest.fixture(autouse=True)
def _today(travel: Any) -> None:
    """Every clock read in these tests (views, API, services' callers) says ``ON``."""
    travel(ON)


def test_desk_search_posts_with_csrf_and_finds_the_client(
    family: Any, worker: Any, client_for: Any
) -> None:
    application = register(family, worker)
    client = client_for(worker)
    page = client.get(reverse("cases:desk")).content.decode()
    form = re.search(r'<form[^>]*role="search"[^>]*>', page)
    assert form is not None and 'method="post"' in form.group(0)
    response = client.post(reverse("cases:desk"), {"q": "lecka"})
    assert response.status_code == 200
    assert reverse("cases:case_detail", args=[application.case_id]) in response.content.decode()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(worker)
    assert strict.post(reverse("cases:desk"), {"q": "lecka"}).status_code == 403


def test_desk_counts_each_district_case_with_open_applications_once(
    family: Any, worker: Any
) -> None:
    first = register(family, worker, serial=1)
    second = register(family, worker, serial=2)
    register(family, worker, serial=3)
    # A second open application in the first case still counts the case once; the closed
    # case does not count.
    Application.objects.filter(pk=second.pk).update(status=ApplicationStatus.CLOSED)
    services.application_register(
        household=first.case.household,
        applicant=first.applicant,
        received_on=ON,
        channel="osobiscie",
        forms=["zasilek_celowy"],
        reasons=["1"],
        user=worker,
        on=ON,
    )
    assert Application.objects.filter(case=first.case).count() == 2
    assert selectors.desk(user=worker, on=ON).district_open == 2


def test_protecting_a_case_protects_earlier_social_work_entries(
    family: Any, worker: Any, make_staff: Any
) -> None:
    case = register(family, worker).case
    note = services.timeline_record(
        occurred_at=noon(ON),
        case=case,
        kind="praca_socjalna",
        title="Notatka: rozmowa",
        detail=SECRET,
        source=("socialwork.note", 999),
    )
    visit = services.timeline_record(
        occurred_at=noon(ON),
        case=case,
        kind="sprawa",
        title="Zastępstwo",
        detail=SECRET,
        source_app="socialwork.x",
    )
    other = services.timeline_record(
        occurred_at=noon(ON), case=case, kind="wniosek", title="Wniosek", detail="jawne"
    )
    head = make_staff("kier_ro1_sec", role=Role.HEAD_OF_UNIT, unit_code="ro1")
    colleague = make_staff("sw_ro1_sec", role=Role.SOCIAL_WORKER, unit_code="ro1")

    def shown(user: Any) -> str:
        file = selectors.case_file(case=case, user=user, now=noon(ON))
        return " ".join(f"{i.title} {i.detail}" for i in file.timeline)

    assert SECRET in shown(colleague)  # not protected yet
    services.case_set_protected(
        now=dates.now(), case=case, protected=True, user=head, reason="Niebieska Karta"
    )
    for event in (note, visit):
        event.refresh_from_db()
        assert event.protected and event.detail == ""
    other.refresh_from_db()
    assert not other.protected and other.detail == "jawne"
    assert SECRET not in shown(colleague)
    assert "Notatka: rozmowa" not in shown(colleague)
    assert "Notatka: rozmowa" in shown(worker)  # the assigned worker still sees the entry
    # Lifting the protection does not bring the text back.
    services.case_set_protected(
        now=dates.now(), case=case, protected=False, user=head, reason="koniec"
    )
    assert not TimelineEvent.objects.filter(case=case, detail=SECRET).exists()


def test_case_set_protected_takes_the_keywords_social_work_passes(family: Any, worker: Any) -> None:
    """``socialwork.services.case_protect`` calls it as ``setter(case=, protected=, reason=,
    user=)`` (through getattr) — keep the signature in step."""
    import inspect

    params = inspect.signature(services.case_set_protected).parameters
    assert {"case", "protected", "reason", "user"} <= set(params)
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())

"""Writes: workflow POSTs by the wrong role or another unit are refused and change nothing;
CSRF is enforced on session POSTs (pages and API); services refuse out-of-scope actors too."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ostoja.core import dates
from ostoja.core.dates import shift_years
from ostoja.org.roles import Role


@pytest.fixture
def draft(ro1: dict[str, Any], users: dict[str, Any]) -> Any:
    """A fresh ro1 decision draft prepared by ``socjalny`` (the ro1 worker)."""
    from ostoja.decisions import services
    from ostoja.decisions.tests.factories import make_ready_application

    application = make_ready_application(unit="ro1", worker=users["socjalny"])
    return services.decision_draft_from_application(
        application=application, actor=users["socjalny"], account_number=""
    )


@pytest.fixture
def head_ro2(make_staff: Callable[..., Any], demo: None) -> Any:
    return make_staff("sec_head_ro2", role=Role.HEAD_OF_UNIT, unit_code="ro2")


def _status(obj: Any) -> tuple[str, int]:
    obj.refresh_from_db()
    return obj.status, obj.version


def test_decision_check_refused_to_drafter_role_and_to_another_units_head(
    draft: Any,
    users: dict[str, Any],
    head_ro2: Any,
    stranger: Any,
    client_for: Callable[[Any], Client],
    token_client: Callable[[Any], Client],
) -> None:
    url = reverse("decisions:transition", args=[draft.pk, "sprawdz"])
    before = _status(draft)
    for user in (users["socjalny"], head_ro2, stranger, users["swiadczenia"]):
        if user is users["swiadczenia"]:
            continue  # the clerk of dpsr is in scope; only the role decides — covered below
        assert client_for(user).post(url).status_code in (403, 404), (
            user
        )  # 404: out of scope (issue 20)
        api = token_client(user).post(
            f"/api/v1/decisions/{draft.pk}/check", data="{}", content_type="application/json"
        )
        assert api.status_code in (403, 404), user
        assert _status(draft) == before
    assert client_for(users["swiadczenia"]).post(url).status_code == 403
    assert _status(draft) == before
    # Positive control: the head of ro1 checks it.
    assert client_for(users["kierownik"]).post(url).status_code == 302
    assert _status(draft)[0] == "sprawdzona"


def test_decision_sign_refused_to_workers_and_another_units_head(
    draft: Any,
    users: dict[str, Any],
    head_ro2: Any,
    stranger: Any,
    client_for: Callable[[Any], Client],
    token_client: Callable[[Any], Client],
) -> None:
    from ostoja.decisions import services

    services.decision_check(now=dates.now(), decision=draft, actor=users["kierownik"])
    before = _status(draft)
    url = reverse("decisions:transition", args=[draft.pk, "podpisz"])
    for user in (users["socjalny"], stranger, head_ro2, users["ksiegowosc"]):
        assert client_for(user).post(url).status_code in (403, 404), (
            user
        )  # 404: out of scope (issue 20)
        api = token_client(user).post(
            f"/api/v1/decisions/{draft.pk}/sign", data="{}", content_type="application/json"
        )
        assert api.status_code in (403, 404), user
        assert _status(draft) == before


@pytest.mark.parametrize("username", ["swiadczenia", "socjalny", "kierownik", "dyrektor"])
def test_payment_list_approval_refused_to_non_finance(
    username: str, demo: None, users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    from ostoja.payments.models import PaymentList

    pl = PaymentList.objects.order_by("pk").first()
    assert pl is not None
    before = (pl.status, pl.version, pl.approved_by_id, pl.approved_at)
    response = client_for(users[username]).post(
        reverse("payments:list_approve", args=[pl.pk]),
        {"execution_date": date.today().isoformat(), "version": pl.version},
    )
    assert response.status_code == 403
    pl.refresh_from_db()
    assert (pl.status, pl.version, pl.approved_by_id, pl.approved_at) == before


def test_payment_approval_service_refuses_non_finance(demo: None, users: dict[str, Any]) -> None:
    from ostoja.core.errors import NotPermitted
    from ostoja.payments import services
    from ostoja.payments.models import PaymentList

    pl = PaymentList.objects.order_by("pk").first()
    assert pl is not None
    with pytest.raises(NotPermitted):
        services.payment_list_approve(
            now=dates.now(),
            list_id=pl.pk,
            actor=users["swiadczenia"],
            execution_date=date.today(),
            expected_version=pl.version,
        )


@pytest.fixture
def draft_contract(ro1: dict[str, Any], users: dict[str, Any]) -> Any:
    from ostoja.socialwork import services

    today = date.today()
    return services.contract_draft(
        case=ro1["case"],
        person=ro1["person"],
        user=users["socjalny"],
        data={
            "kind": "A",
            "situation": "Sytuacja rodziny opisana na potrzeby testu bezpieczeństwa.",
            "main_goal": "Usamodzielnienie",
            "valid_from": today,
            "valid_to": shift_years(today, 1),
        },
    )


def test_contract_sign_refused_to_another_unit(
    draft_contract: Any,
    stranger: Any,
    client_for: Callable[[Any], Client],
    token_client: Callable[[Any], Client],
) -> None:
    today = date.today().isoformat()
    before = _status(draft_contract)
    form = {
        "version": draft_contract.version,
        "worker_signed_on": today,
        "person_signed_on": today,
        "consequences_explained": "on",
    }
    url = reverse("socialwork:contract_action", args=[draft_contract.pk, "podpisz"])
    assert (
        client_for(stranger).post(url, form).status_code == 404
    )  # out of scope answers like a missing id
    body = {**form, "consequences_explained": True}
    api = token_client(stranger).post(
        f"/api/v1/contracts/{draft_contract.pk}/sign",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert api.status_code in (403, 404)
    assert _status(draft_contract) == before


def test_merge_refused_when_either_person_is_out_of_scope(
    ro1: dict[str, Any],
    users: dict[str, Any],
    stranger: Any,
    client_for: Callable[[Any], Client],
) -> None:
    from ostoja.registry.models import Person

    ro2_person = Person.objects.filter(registered_by_unit__code="ro2").order_by("pk").first()
    assert ro2_person is not None
    victim = ro1["person"]
    # The ro2 worker keeps their own record and swallows an ro1 person.
    r = client_for(stranger).post(
        reverse("registry:person_merge", args=[ro2_person.pk]),
        {"duplicate": victim.pk, "confirm": "on"},
    )
    assert r.status_code in (403, 404)
    # The ro1 worker keeps their own record and swallows an ro2 person.
    r = client_for(users["socjalny"]).post(
        reverse("registry:person_merge", args=[victim.pk]),
        {"duplicate": ro2_person.pk, "confirm": "on"},
    )
    assert r.status_code in (403, 404)
    victim.refresh_from_db()
    ro2_person.refresh_from_db()
    assert victim.merged_into_id is None and ro2_person.merged_into_id is None


CSV = (
    "rodzina;rola;imie;nazwisko;pesel;data_urodzenia;plec;ulica;dom;lokal\n"
    "R1;wnioskodawca;Adam;Testowy;;1980-01-01;M;Sienkiewicza;1;1\n"
)


@pytest.mark.parametrize("username", ["socjalny", "ksiegowosc", "analityk", "admin"])
def test_csv_import_refused_to_roles_without_it(
    username: str, demo: None, users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    from ostoja.registry.models import Person

    before = Person.objects.count()
    upload = SimpleUploadedFile("osoby.csv", CSV.encode(), content_type="text/csv")
    r = client_for(users[username]).post(
        reverse("registry:person_import"), {"file": upload, "dry_run": ""}
    )
    assert r.status_code == 403
    assert Person.objects.count() == before


# ------------------------------------------------------------------ CSRF


def test_session_posts_need_a_csrf_token(ro1: dict[str, Any], users: dict[str, Any]) -> None:
    from ostoja.socialwork.models import CaseNote

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["socjalny"])
    before = CaseNote.objects.count()
    note = {"category": "rozmowa", "occurred_on": date.today().isoformat(), "text": "CSRF"}
    for url, data in [
        (reverse("socialwork:note_add", args=[ro1["case"].pk]), note),
        (reverse("decisions:transition", args=[ro1["decision"].pk, "sprawdz"]), {}),
        (reverse("registry:person_edit", args=[ro1["person"].pk]), {"first_name": "X"}),
        (reverse("cases:case_assign", args=[ro1["case"].pk]), {"worker": ""}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert CaseNote.objects.count() == before
    # Positive control: with the token from a page the same POST goes through.
    page = client.get(reverse("socialwork:case", args=[ro1["case"].pk]))
    token = page.context["csrf_token"] if page.context else client.cookies["csrftoken"].value
    r = client.post(
        reverse("socialwork:note_add", args=[ro1["case"].pk]),
        note,
        HTTP_X_CSRFTOKEN=str(token),
    )
    assert r.status_code == 302
    assert CaseNote.objects.count() == before + 1


def test_api_with_session_needs_csrf_for_unsafe_methods(
    ro1: dict[str, Any], users: dict[str, Any], token_client: Callable[[Any], Client]
) -> None:
    from ostoja.socialwork.models import CaseNote

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["socjalny"])
    before = CaseNote.objects.count()
    body = json.dumps(
        {
            "case": ro1["case"].pk,
            "category": "rozmowa",
            "occurred_on": date.today().isoformat(),
            "text": "API CSRF",
        }
    )
    assert client.get("/api/v1/me").status_code == 200  # safe method: the session suffices
    r = client.post("/api/v1/notes", data=body, content_type="application/json")
    assert r.status_code in (401, 403)
    r = client.patch(
        f"/api/v1/persons/{ro1['person'].pk}",
        data=json.dumps({"version": 0, "first_name": "X"}),
        content_type="application/json",
    )
    assert r.status_code in (401, 403)
    assert CaseNote.objects.count() == before
    # A bearer token is not a cookie: no CSRF needed, and the same call succeeds.
    r = token_client(users["socjalny"]).post(
        "/api/v1/notes", data=body, content_type="application/json"
    )
    assert r.status_code == 201
    assert CaseNote.objects.count() == before + 1


# ------------------------------------------------------------------ defence in depth


def test_merge_service_refuses_out_of_scope_actor(ro1: dict[str, Any], stranger: Any) -> None:
    from ostoja.core.errors import NotPermitted
    from ostoja.org.models import Unit
    from ostoja.registry import services
    from ostoja.registry.models import Person

    def person(unit: str) -> Person:
        return Person.objects.create(
            first_name="Anna",
            last_name=f"Scalana{unit}",
            birth_date=date(1970, 1, 1),
            sex="K",
            registered_by_unit=Unit.objects.get(code=unit),
        )

    keep, victim = person("ro2"), person("ro1")
    assert not stranger.has_perm("registry.change_person", victim)
    with pytest.raises(NotPermitted):
        services.person_merge(
            now=dates.now(), keep=keep, duplicate=victim, user=stranger, on=date.today()
        )


def test_note_service_refuses_out_of_scope_actor(ro1: dict[str, Any], stranger: Any) -> None:
    from ostoja.core.errors import NotPermitted
    from ostoja.socialwork import services

    with pytest.raises(NotPermitted):
        services.note_add(
            case=ro1["case"],
            user=stranger,
            category="rozmowa",
            occurred_on=date.today(),
            text="spoza rejonu",
            now=timezone.now(),
        )


def test_check_service_refuses_another_units_head(draft: Any, head_ro2: Any) -> None:
    from ostoja.core.errors import NotPermitted
    from ostoja.decisions import services

    with pytest.raises(NotPermitted):
        services.decision_check(now=dates.now(), decision=draft, actor=head_ro2)

"""Protected records (sprawa chroniona, e.g. „Niebieska Karta”): a same-unit colleague sees no
notes without break-glass; break-glass needs a reason, is audited, is time-limited, and never
widens the unit scope. The note text does not leak through other contexts' pages either."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ostoja.core import dates
from tests.security.conftest import reads_of

MARKER = "ZNACZNIK-PRZEMOC-7731"


@pytest.fixture
def protected(ro1: dict[str, Any], users: dict[str, Any]) -> dict[str, Any]:
    from ostoja.socialwork import services

    case = ro1["case"]
    services.note_add(
        case=case,
        user=users["socjalny"],
        category="rozmowa",
        occurred_on=date.today(),
        text=f"Zgłoszenie przemocy domowej {MARKER}",
        now=timezone.now(),
    )
    services.case_protect(
        now=dates.now(),
        case=case,
        protected=True,
        reason="Procedura „Niebieska Karta” — test bezpieczeństwa",
        user=users["kierownik"],
    )
    return ro1


def _socialwork_urls(ro1: dict[str, Any]) -> list[str]:
    """The social-work pages of the protected case (records of other ro1 cases left out)."""
    case_id = ro1["case"].pk
    urls = [
        reverse("socialwork:case", args=[case_id]),
        reverse("socialwork:note_correct", args=[ro1["note"].pk]),
    ]
    for kind, names in [
        ("visit", ["socialwork:visit"]),
        ("contract", ["socialwork:contract", "socialwork:contract_pdf"]),
        ("plan", ["socialwork:plan"]),
    ]:
        if ro1[kind] is not None and ro1[kind].case_id == case_id:
            urls += [reverse(n, args=[ro1[kind].pk]) for n in names]
    return urls


def test_same_unit_colleague_is_refused_and_the_refusal_audited(
    protected: dict[str, Any],
    colleague: Any,
    client_for: Callable[[Any], Client],
    token_client: Callable[[Any], Client],
) -> None:
    client = client_for(colleague)
    for url in _socialwork_urls(protected):
        response = client.get(url)
        assert response.status_code == 403, url
        assert MARKER not in response.content.decode(), url
    api = token_client(colleague)
    case = protected["case"].pk
    for url in (
        f"/api/v1/notes?case={case}",
        f"/api/v1/notes/{protected['note'].pk}",
        f"/api/v1/contracts?case={case}",
        f"/api/v1/visits?case={case}",
    ):
        response = api.get(url)
        assert response.status_code == 403, url
        assert MARKER not in response.content.decode()
    refusals = LogEntry.objects.filter(
        actor=colleague, additional_data__refused=True, additional_data__protected=True
    )
    assert refusals.count() >= len(_socialwork_urls(protected))


def test_the_note_does_not_leak_through_other_pages(
    protected: dict[str, Any], colleague: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(colleague)
    for url in [
        reverse("registry:household_detail", args=[protected["household"].pk]),
        reverse("registry:person_detail", args=[protected["person"].pk]),
        reverse("socialwork:index"),
        reverse("socialwork:visits"),
        reverse("cases:desk"),
    ]:
        response = client.get(url)
        assert MARKER not in response.content.decode(), url


def test_earlier_notes_do_not_leak_through_the_case_file_timeline(
    protected: dict[str, Any], colleague: Any, client_for: Callable[[Any], Client]
) -> None:
    response = client_for(colleague).get(reverse("cases:case_detail", args=[protected["case"].pk]))
    assert response.status_code == 200
    assert MARKER not in response.content.decode()


def test_notes_written_after_protection_stay_out_of_the_case_file(
    protected: dict[str, Any],
    users: dict[str, Any],
    colleague: Any,
    client_for: Callable[[Any], Client],
) -> None:
    from ostoja.socialwork import services

    later = "ZNACZNIK-PO-OCHRONIE-4410"
    services.note_add(
        case=protected["case"],
        user=users["socjalny"],
        category="rozmowa",
        occurred_on=date.today(),
        text=later,
        now=timezone.now(),
    )
    response = client_for(colleague).get(reverse("cases:case_detail", args=[protected["case"].pk]))
    assert later not in response.content.decode()


def test_assigned_worker_and_head_still_see_the_notes(
    protected: dict[str, Any], users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    url = reverse("socialwork:case", args=[protected["case"].pk])
    for username in ("socjalny", "kierownik"):
        response = client_for(users[username]).get(url)
        assert response.status_code == 200 and MARKER in response.content.decode(), username


def test_break_glass_requires_a_reason(
    protected: dict[str, Any],
    colleague: Any,
    client_for: Callable[[Any], Client],
    token_client: Callable[[Any], Client],
) -> None:
    from ostoja.socialwork.models import BreakGlassGrant

    case = protected["case"]
    url = reverse("socialwork:break_glass", args=[case.pk])
    client = client_for(colleague)
    for reason in ("", "   ", "bo tak"):
        assert client.post(url, {"reason": reason}).status_code == 403
    api = token_client(colleague)
    r = api.post(
        "/api/v1/break-glass",
        data=json.dumps({"case": case.pk, "reason": " "}),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert not BreakGlassGrant.objects.filter(case=case, user=colleague).exists()
    assert client.get(reverse("socialwork:case", args=[case.pk])).status_code == 403


def test_break_glass_with_a_reason_is_audited_and_opens_the_case(
    protected: dict[str, Any], colleague: Any, client_for: Callable[[Any], Client]
) -> None:
    from ostoja.socialwork.models import BreakGlassGrant

    case = protected["case"]
    client = client_for(colleague)
    reason = "Zastępstwo: pilna interwencja, kierownik nieobecny"
    r = client.post(reverse("socialwork:break_glass", args=[case.pk]), {"reason": reason})
    assert r.status_code == 302
    grant = BreakGlassGrant.objects.get(case=case, user=colleague)
    assert grant.reason == reason and grant.expires_at > grant.granted_at
    assert LogEntry.objects.filter(
        actor=colleague, object_pk=str(case.pk), additional_data__reason=reason
    ).exists(), "the break-glass reason is in the audit trail"
    page = client.get(reverse("socialwork:case", args=[case.pk]))
    assert page.status_code == 200 and MARKER in page.content.decode()
    assert reads_of(colleague).filter(object_pk=str(case.pk)).exists()


def test_break_glass_does_not_widen_the_unit_scope(
    protected: dict[str, Any],
    stranger: Any,
    client_for: Callable[[Any], Client],
    token_client: Callable[[Any], Client],
) -> None:
    from ostoja.socialwork.models import BreakGlassGrant

    case = protected["case"]
    reason = "Próba wejścia do sprawy innego rejonu z powodem"
    r = client_for(stranger).post(
        reverse("socialwork:break_glass", args=[case.pk]), {"reason": reason}
    )
    assert r.status_code in (403, 404)
    r = token_client(stranger).post(
        "/api/v1/break-glass",
        data=json.dumps({"case": case.pk, "reason": reason}),
        content_type="application/json",
    )
    assert r.status_code in (403, 404)
    assert not BreakGlassGrant.objects.filter(case=case, user=stranger).exists()


def test_expired_break_glass_closes_the_case_again(
    protected: dict[str, Any], colleague: Any, client_for: Callable[[Any], Client]
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from ostoja.socialwork import services
    from ostoja.socialwork.models import BreakGlassGrant

    case = protected["case"]
    long_ago = timezone.now() - timedelta(days=1)
    services.break_glass_open(
        case=case,
        user=colleague,
        reason="Interwencja wczoraj, dostęp powinien wygasnąć",
        now=long_ago,
    )
    assert BreakGlassGrant.objects.filter(case=case, user=colleague).exists()
    assert client_for(colleague).get(reverse("socialwork:case", args=[case.pk])).status_code == 403

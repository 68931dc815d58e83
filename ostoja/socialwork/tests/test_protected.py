"""Protected records (art. 100 u.p.s.; e.g. Niebieska Karta): only assigned workers and their
head see the notes; anyone else must give a reason, which is audited and shown to the head."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from ostoja.core import dates
from ostoja.core.dates import now, today
from ostoja.core.errors import NotPermitted
from ostoja.socialwork import selectors as sel
from ostoja.socialwork import services as svc
from ostoja.socialwork.models import BreakGlassGrant
from ostoja.socialwork.policy import Access

pytestmark = pytest.mark.django_db

REASON = "Interwencja — pracownik prowadzący na urlopie, zgłoszenie z policji."


@pytest.fixture
def protected_case(case: Any, sw: Any) -> Any:
    svc.note_add(
        case=case,
        user=sw.worker,
        category="konsultacja",
        occurred_on=today(),
        text="Procedura Niebieska Karta — tajne ustalenia.",
        now=now(),
    )
    svc.case_protect(
        now=dates.now(), case=case, protected=True, reason="Niebieska Karta", user=sw.head
    )
    return case


def _access_entries(case: Any) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(
            action=LogEntry.Action.ACCESS, object_pk=str(case.pk), content_type__model="case"
        ).order_by("pk")
    )


def test_only_head_may_protect_and_it_is_audited(case: Any, sw: Any) -> None:
    with pytest.raises(NotPermitted):
        svc.case_protect(now=dates.now(), case=case, protected=True, reason="NK", user=sw.worker)
    svc.case_protect(
        now=dates.now(), case=case, protected=True, reason="Niebieska Karta", user=sw.head
    )
    assert sel.case_protected(case=case)
    entry = _access_entries(case)[-1]
    assert entry.additional_data["reason"] == "Niebieska Karta"
    assert entry.additional_data["protection"] == "on"


def test_assigned_worker_and_head_see_protected_notes(
    protected_case: Any, sw: Any, client_for: Any
) -> None:
    now = timezone.now()
    assert sel.note_access(user=sw.worker, case=protected_case, now=now) is Access.ASSIGNED
    assert sel.note_access(user=sw.head, case=protected_case, now=now) is Access.HEAD
    for user in (sw.worker, sw.head):
        r = client_for(user).get(reverse("socialwork:case", args=[protected_case.pk]))
        assert r.status_code == 200
        assert "tajne ustalenia" in r.content.decode()


def test_colleague_in_same_unit_refused_without_reason_and_refusal_audited(
    protected_case: Any, colleague: Any, client_for: Any
) -> None:
    c = client_for(colleague)
    r = c.get(reverse("socialwork:case", args=[protected_case.pk]))
    assert r.status_code == 403
    html = r.content.decode()
    assert "tajne ustalenia" not in html
    assert (
        reverse("socialwork:break_glass", args=[protected_case.pk]) in html
    )  # the form is offered
    refused = _access_entries(protected_case)[-1]
    assert refused.actor == colleague and refused.additional_data.get("refused") is True
    # the API answers the same way
    assert c.get(f"/api/v1/notes?case={protected_case.pk}").status_code == 403
    # a reason that is too short opens nothing
    r = c.post(reverse("socialwork:break_glass", args=[protected_case.pk]), {"reason": "bo tak"})
    assert r.status_code == 403
    assert not BreakGlassGrant.objects.exists()


def test_director_also_needs_a_reason(protected_case: Any, sw: Any, client_for: Any) -> None:
    r = client_for(sw.director).get(reverse("socialwork:case", args=[protected_case.pk]))
    assert r.status_code == 403


def test_with_reason_allowed_audited_time_limited_and_shown_to_head(
    protected_case: Any, sw: Any, colleague: Any, client_for: Any
) -> None:
    c = client_for(colleague)
    url = reverse("socialwork:case", args=[protected_case.pk])
    r = c.post(
        reverse("socialwork:break_glass", args=[protected_case.pk]), {"reason": REASON, "next": url}
    )
    assert r.status_code == 302 and r["Location"] == url
    r = c.get(url)
    assert r.status_code == 200 and "tajne ustalenia" in r.content.decode()
    grant = BreakGlassGrant.objects.get()
    assert grant.user == colleague and grant.reason == REASON
    assert grant.expires_at - grant.granted_at == timedelta(minutes=60)
    audited = [
        e
        for e in _access_entries(protected_case)
        if (e.additional_data or {}).get("reason") == REASON
    ]
    assert audited and audited[0].actor == colleague
    # shown to the head: the work view and the case page
    head = client_for(sw.head)
    assert REASON in head.get(reverse("socialwork:index")).content.decode()
    assert REASON in head.get(url).content.decode()
    # after the grant expires the reason must be given again
    later = grant.expires_at + timedelta(seconds=1)
    assert sel.note_access(user=colleague, case=protected_case, now=later) is Access.NEEDS_REASON


def test_api_break_glass(protected_case: Any, colleague: Any, client_for: Any) -> None:
    c = client_for(colleague)
    r = c.post(
        "/api/v1/break-glass",
        {"case": protected_case.pk, "reason": REASON},
        content_type="application/json",
    )
    assert r.status_code == 201
    assert c.get(f"/api/v1/notes?case={protected_case.pk}").status_code == 200


def test_timeline_event_of_protected_note_carries_no_text(protected_case: Any, sw: Any) -> None:
    from ostoja.cases.models import TimelineEvent

    note = svc.note_add(
        case=protected_case,
        user=sw.worker,
        category="rozmowa",
        occurred_on=today(),
        text="Szczegóły przemocy.",
        now=now(),
    )
    event = TimelineEvent.objects.get(source_app="socialwork.note", source_id=str(note.pk))
    assert event.protected and event.detail == ""


def test_cover_worker_counts_as_assigned(protected_case: Any, sw: Any, colleague: Any) -> None:
    svc.case_reassign(
        now=dates.now(),
        case=protected_case,
        worker=colleague,
        kind="zastepstwo",
        starts_on=today(),
        ends_on=today() + timedelta(days=14),
        reason="Urlop",
        user=sw.head,
    )
    assert (
        sel.note_access(user=colleague, case=protected_case, now=timezone.now()) is Access.ASSIGNED
    )

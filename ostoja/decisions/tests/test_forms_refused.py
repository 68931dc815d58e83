"""Issue 18: the workflow dispatcher honours ``form.is_valid()`` — an over-long note on a return
is refused with a message naming the field, and nothing changes (it used to be dropped
silently and the return went through without it)."""

from __future__ import annotations

from django.urls import reverse

from ostoja.core import dates
from ostoja.decisions import services
from ostoja.decisions.choices import DecisionStatus
from ostoja.decisions.tests.test_workflow import draft


def test_return_with_too_long_note_is_refused_and_nothing_changes(
    ready_application, users, client_for
) -> None:
    d = draft(ready_application, users)
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    url = reverse("decisions:transition", args=[d.pk, "zwroc"])
    r = client_for(users["kierownik"]).post(url, {"note": "x" * 501})
    assert r.status_code == 422  # issue 17: at the field, not a flash
    assert 'id="id_note_error"' in r.content.decode()
    d.refresh_from_db()
    assert d.status == DecisionStatus.CHECKED
    r = client_for(users["kierownik"]).post(url, {"note": "Popraw okres."})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == DecisionStatus.DRAFTED

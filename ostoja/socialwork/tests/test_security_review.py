"""Security review fixes in social work: ``note_add`` checks the case scope itself (finding 3);
protecting a case hides the notes already on the case file's timeline (finding 8)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ostoja.cases.models import TimelineEvent
from ostoja.core import dates
from ostoja.core.dates import now, today
from ostoja.core.errors import NotPermitted
from ostoja.org.roles import Role
from ostoja.socialwork import services as svc
from ostoja.socialwork.models import CaseNote

pytestmark = pytest.mark.django_db

SECRET = "Ustalenia procedury NK — ZNACZNIK-9120"


def _note(case: Any, user: Any, text: str = "Rozmowa z rodziną.") -> CaseNote:
    return svc.note_add(
        case=case, user=user, category="rozmowa", occurred_on=today(), text=text, now=now()
    )


def test_note_add_refuses_users_outside_the_case_scope(case: Any, sw: Any, make_staff: Any) -> None:
    stranger = make_staff("sw_ro2_notes", role=Role.SOCIAL_WORKER, unit_code="ro2")
    clerk = make_staff("clerk_ro1_notes", role=Role.BENEFITS_CLERK, unit_code="ro1")
    for user in (stranger, clerk, sw.director):  # other unit; roles without notes
        with pytest.raises(NotPermitted):
            _note(case, user)
    assert not CaseNote.objects.filter(case=case).exists()
    assert _note(case, sw.worker).pk  # positive control


def test_protecting_hides_earlier_notes_on_the_case_file(
    case: Any, sw: Any, colleague: Any, client_for: Any
) -> None:
    _note(case, sw.worker, SECRET)
    url = reverse("cases:case_detail", args=[case.pk])
    assert SECRET in client_for(colleague).get(url).content.decode()
    svc.case_protect(
        now=dates.now(), case=case, protected=True, reason="Niebieska Karta", user=sw.head
    )
    case.refresh_from_db()
    assert case.protected  # the cases flag is set through case_set_protected
    assert not TimelineEvent.objects.filter(case=case, detail__contains=SECRET).exists()
    page = client_for(colleague).get(url)
    assert page.status_code == 200
    assert SECRET not in page.content.decode()
    # The note itself is intact and open to the assigned worker on the social-work page.
    assert CaseNote.objects.get(case=case).text == SECRET
    work = client_for(sw.worker).get(reverse("socialwork:case", args=[case.pk]))
    assert SECRET in work.content.decode()

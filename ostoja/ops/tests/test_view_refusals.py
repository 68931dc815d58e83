"""Refusals on the DPO's person page and on „Moje pliki do pobrania” (issue 17): the page again
with the reason at its field or in the summary on top, the right status, nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ostoja.ops.models import Anonymisation, ProcessingRestriction
from tests.refusals import error_at_field, error_summary

pytestmark = pytest.mark.django_db
REASON = "Wniosek osoby z dnia 1 grudnia (art. 18 RODO)"


@pytest.fixture
def dpo(demo_org: None) -> Any:
    return get_user_model().objects.get(username="iod")


@pytest.fixture
def person() -> Any:
    from ostoja.facilities.tests.factories import make_person

    return make_person("Żółkiewska", "Maria")


def test_person_rights_refusals_come_back_on_the_page(
    dpo: Any, person: Any, client_for: Any
) -> None:
    c = client_for(dpo)
    url = reverse("ops:person_rights", args=[person.pk])
    # lifting a restriction that is not there: the person's present state, on top (409)
    r = c.post(url, {"action": "znies", "reason": REASON})
    assert r.status_code == 409
    assert "nie jest ograniczone" in error_summary(r.content.decode())
    # a reason too short: at the field (422)
    r = c.post(url, {"action": "ogranicz", "reason": "bo tak"})
    assert r.status_code == 422 and error_at_field(r.content.decode(), "id_reason", "dwa słowa")
    assert not ProcessingRestriction.objects.filter(person_id=person.pk).exists()
    # restricted once; the second restriction (another tab) is refused and changes nothing
    assert c.post(url, {"action": "ogranicz", "reason": REASON}).status_code == 302
    r = c.post(url, {"action": "ogranicz", "reason": REASON + " — ponownie"})
    assert r.status_code == 422
    assert error_at_field(r.content.decode(), "id_reason", "już ograniczone")
    rows = ProcessingRestriction.objects.filter(person_id=person.pk)
    assert rows.count() == 1 and rows.get().reason == REASON
    # anonymisation of a person whose records must still be kept: on top (409), no request
    r = c.post(url, {"action": "anonimizuj", "reason": REASON})
    assert r.status_code == 409
    assert "anonimizacja jest niedopuszczalna" in error_summary(r.content.decode())
    assert not Anonymisation.objects.filter(person_id=person.pk).exists()

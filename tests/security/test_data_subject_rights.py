"""Issue 21 §4 — the data subject's rights kept by the DPO (ostoja.ops.rodo.rights).

- art. 18 RODO: restriction of processing blocks edits of the person and their use in a new
  decision or payment, shows a banner on the person's pages and is audited;
- art. 17 ust. 3 / art. 5 ust. 1 lit. e RODO: anonymisation only after the retention period,
  two people (the requester never confirms), identifiers replaced, statistics kept, and the
  old identifiers not copied into the audit log;
- art. 30 RODO: the register of processing activities shown to the DPO as data;
- art. 16 RODO: the rectification trail (who changed which field when) shown to the DPO.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from ostoja.core import dates
from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db

REASON = "Wniosek osoby z 3.12.2026 — kwestionuje prawidłowość danych (art. 18 ust. 1 lit. a)"


def _person(demo: Any) -> Any:
    from ostoja.registry.models import Person

    return Person.objects.get(pk=demo.person.pk)


def test_art18_restriction_blocks_edits_new_decisions_and_payments(
    demo: Any, users: dict[str, Any], client_for: Any
) -> None:
    from ostoja.decisions.models import Decision
    from ostoja.ops.models import ProcessingRestriction
    from ostoja.registry import services as registry

    person = _person(demo)
    dpo, worker = users["iod"], users["socjalny"]
    page = reverse("ops:person_rights", args=[person.pk])
    # Only the DPO may restrict; a worker is refused at the gate.
    assert client_for(worker).get(page).status_code == 403
    response = client_for(dpo).post(page, {"reason": REASON, "action": "ogranicz"})
    assert response.status_code == 302
    restriction = ProcessingRestriction.objects.get(person_id=person.pk, lifted_at__isnull=True)
    assert LogEntry.objects.filter(
        object_pk=str(restriction.pk), action=LogEntry.Action.CREATE, actor=dpo
    ).exists()
    # Edits refused, through the service and the page; nothing saved.
    with pytest.raises(DomainError, match=r"art\. 18 RODO"):
        registry.person_update(
            person=person,
            data={"last_name": "Zmieniona"},
            expected_version=person.version,
            on=dates.today(),
            user=worker,
        )
    assert _person(demo).last_name != "Zmieniona"
    # The banner on the person's page.
    detail = client_for(worker).get(reverse("registry:person_detail", args=[person.pk]))
    assert "Przetwarzanie danych osoby" in detail.text and "ograniczone" in detail.text
    # No new decision addressed to the person (every path saves the model).
    decision = Decision.objects.filter(addressee_id=person.pk).first()
    if decision is not None:
        clone = Decision.objects.get(pk=decision.pk)
        clone.pk = None
        clone._state.adding = True
        with pytest.raises(DomainError, match=r"art\. 18 RODO"):
            clone.save()
    # No new payment of the person.
    from ostoja.payments.models import Payment

    paid = Payment.objects.filter(person_id=person.pk).first()
    if paid is not None:
        copy = Payment.objects.get(pk=paid.pk)
        copy.pk = None
        copy._state.adding = True
        with pytest.raises(DomainError, match=r"art\. 18 RODO"):
            copy.save()
    assert decision is not None or paid is not None  # the world has one of them
    # Lifted by the DPO (with a reason): edits work again.
    client_for(dpo).post(
        page, {"reason": "Dane potwierdzone, wniosek rozpatrzony", "action": "znies"}
    )
    person = _person(demo)
    registry.person_update(
        person=person,
        data={"phone": "600100200"},
        expected_version=person.version,
        on=dates.today(),
        user=worker,
    )
    assert _person(demo).phone == "600100200"


def test_art18_restriction_needs_a_meaningful_reason(demo: Any, users: dict[str, Any]) -> None:
    from ostoja.ops.rodo import rights

    with pytest.raises(ValidationFailed):
        rights.restriction_start(
            person_id=demo.person.pk, reason="aaaa", actor=users["iod"], now=dates.now()
        )
    with pytest.raises(NotPermitted):
        rights.restriction_start(
            person_id=demo.person.pk, reason=REASON, actor=users["socjalny"], now=dates.now()
        )


def test_anonymisation_after_retention_needs_two_people(
    demo: Any, users: dict[str, Any], client_for: Any
) -> None:
    from ostoja.cases.models import Application, Case
    from ostoja.ops.models import Anonymisation, AnonymisationStatus
    from ostoja.ops.rodo import rights

    person = _person(demo)
    dpo, director = users["iod"], users["dyrektor"]
    sex, year, pesel = person.sex, person.birth_date.year, person.pesel
    on = dates.today()
    # The case file is still within its period: refused.
    with pytest.raises(ValidationFailed, match="Okres przechowywania"):
        rights.anonymisation_request(
            person_id=person.pk, reason=REASON, actor=dpo, now=dates.now(), on=on
        )
    # Every case of the person's households closed in 2014: B10 ended on 1 January 2025.
    cases = Case.objects.filter(household__memberships__person_id=person.pk)
    Application.objects.filter(case__in=cases).update(closed_on=date(2014, 6, 30))
    client_for(dpo).post(
        reverse("ops:person_rights", args=[person.pk]),
        {"reason": "Upływ okresu przechowywania teczki (B10)", "action": "anonimizuj"},
    )
    req = Anonymisation.objects.get(person_id=person.pk)
    # The requester cannot confirm (service and page); nothing changed.
    with pytest.raises(NotPermitted, match="druga osoba"):
        rights.anonymisation_confirm(request_id=req.pk, actor=dpo, now=dates.now(), on=on)
    client_for(dpo).post(reverse("ops:anonymisation_confirm", args=[req.pk]))
    assert _person(demo).pesel == pesel
    # A social worker has no say.
    worker = users["socjalny"]
    assert (
        client_for(worker).post(reverse("ops:anonymisation_confirm", args=[req.pk])).status_code
        == 403
    )
    # The director confirms: identifiers replaced, statistics kept.
    assert (
        client_for(director).post(reverse("ops:anonymisation_confirm", args=[req.pk])).status_code
        == 302
    )
    req.refresh_from_db()
    assert req.status == AnonymisationStatus.DONE and req.decided_by == director
    after = _person(demo)
    assert after.pesel is None and after.last_name == f"zanonimizowana nr {person.pk}"
    assert after.sex == sex and after.birth_date == date(year, 7, 1)
    assert after.phone == "" and after.id_document_number == ""
    # The anonymisation's own audit row names fields, never the old values.
    entry = LogEntry.objects.filter(additional_data__anonymisation=req.pk).get()
    assert pesel not in str(entry.changes) and person.last_name not in str(entry.changes)
    assert entry.actor == director


def test_register_of_processing_activities_for_the_dpo(
    demo: Any, users: dict[str, Any], client_for: Any
) -> None:
    page = client_for(users["iod"]).get(reverse("ops:register"))
    assert page.status_code == 200
    assert "Rejestr czynności przetwarzania" in page.text
    assert "Przyznawanie świadczeń z pomocy społecznej" in page.text
    assert "Podstawa prawna" in page.text
    assert client_for(users["socjalny"]).get(reverse("ops:register")).status_code == 403


def test_rectification_trail_shows_who_changed_which_field(
    demo: Any, users: dict[str, Any], client_for: Any
) -> None:
    from ostoja.registry import services as registry

    person = _person(demo)
    worker = users["socjalny"]
    old = person.last_name
    from auditlog.context import set_actor

    with set_actor(worker):
        registry.person_update(
            person=person,
            data={"last_name": "Sprostowana"},
            expected_version=person.version,
            on=dates.today(),
            user=worker,
        )
    page = client_for(users["iod"]).get(reverse("ops:rectifications") + f"?osoba={person.pk}")
    assert page.status_code == 200
    text = page.text
    assert "nazwisko" in text and old in text and "Sprostowana" in text
    assert (worker.get_full_name() or worker.username) in text
    assert client_for(worker).get(reverse("ops:rectifications")).status_code == 403

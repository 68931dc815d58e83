"""Exclusion of staff (wyłączenie pracownika, art. 24 KPA): a staff member who declared a
relation with a party may not draft, check or sign that case's decision; every refusal is
written to the audit trail."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from auditlog.models import LogEntry

from ostoja.core import dates
from ostoja.core.errors import NotPermitted, ValidationFailed
from ostoja.decisions import services
from ostoja.decisions.tests.test_workflow import NRB
from ostoja.org import services as org_services

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _declare(user, person, kind="malzonek", by_pesel=False):
    return org_services.relation_declare(
        staff=user,
        pesel=person.pesel or "" if by_pesel else "",
        first_name=person.first_name,
        last_name=person.last_name,
        birth_date=person.birth_date,
        kind=kind,
        since=date(2010, 6, 5),
        now=NOW,
    )


def _refusals(user):
    return LogEntry.objects.filter(
        actor=user, action=LogEntry.Action.ACCESS, additional_data__refused=True
    )


def test_art_24_par_1_pkt_2_spouse_cannot_draft_and_refusal_is_audited(ready_application, users):
    app = ready_application("zasilek_staly")
    worker = users["socjalny"]
    _declare(worker, app.applicant, "malzonek")
    with pytest.raises(NotPermitted, match=r"art\. 24 § 1 KPA"):
        services.decision_draft_from_application(application=app, actor=worker, account_number=NRB)
    assert not app.decisions.exists()
    entry = _refusals(worker).get()
    assert "art. 24 KPA" in entry.additional_data["reason"]


def test_art_24_relative_cannot_check_the_draft(ready_application, users):
    app = ready_application("zasilek_staly")
    d = services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB
    )
    _declare(users["kierownik"], app.applicant, "krewny")
    with pytest.raises(NotPermitted, match="sprawdzić projektu"):
        services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    d.refresh_from_db()
    assert d.status == "projekt" and d.checker_id is None
    assert _refusals(users["kierownik"]).filter(object_pk=str(d.pk)).exists()


def test_art_24_director_with_the_clients_surname_related_cannot_sign(ready_application, users, on):
    """The demo case: the director signed against a client of his own surname. Once he
    declares the relation (here an in-law of a household member), the signature is refused."""
    app = ready_application("zasilek_staly", last_name="Żółkiewski")
    d = services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB
    )
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    _declare(users["dyrektor"], app.applicant, "powinowaty")
    with pytest.raises(NotPermitted, match="podpisać decyzji"):
        services.decision_sign(now=dates.now(), decision=d, actor=users["dyrektor"], on=on)
    d.refresh_from_db()
    assert d.status == "sprawdzona" and not d.number
    assert _refusals(users["dyrektor"]).filter(object_pk=str(d.pk)).count() == 1
    # Another authorised person may still sign: exclusion binds the person, not the case.
    services.decision_sign(now=dates.now(), decision=d, actor=users["kierownik"], on=on)


def test_art_24_same_surname_without_declaration_is_not_excluded(ready_application, users, on):
    app = ready_application("zasilek_staly", last_name="Żółkiewski")
    d = services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB
    )
    services.decision_check(
        now=dates.now(), decision=d, actor=users["dyrektor"]
    )  # no declaration, no refusal


def test_art_24_par_2_withdrawn_declaration_no_longer_excludes(ready_application, users):
    app = ready_application("zasilek_staly")
    decl = _declare(users["socjalny"], app.applicant, "inne")
    org_services.relation_withdraw(
        declaration=decl, actor=users["socjalny"], reason="pomyłka — inna osoba", on=NOW.date()
    )
    services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB
    )


def test_art_24_declaration_by_pesel_matches_a_household_member(ready_application, users):
    from ostoja.registry.models import HouseholdMembership, Person

    app = ready_application("zasilek_staly")
    son = Person.objects.create(
        first_name="Adam", last_name="Nowy", pesel="02270803624", birth_date=date(2002, 7, 8),
        sex="K",
    )  # fmt: skip
    HouseholdMembership.objects.create(
        household=app.case.household, person=son, relation="dziecko", valid_from=date(2020, 1, 1)
    )
    org_services.relation_declare(
        staff=users["socjalny"], pesel="02270803624", first_name="Adam", last_name="Inny",
        birth_date=None, kind="krewny", since=date(2002, 7, 8), now=NOW,
    )  # fmt: skip
    with pytest.raises(NotPermitted):
        services.decision_draft_from_application(
            application=app, actor=users["socjalny"], account_number=NRB
        )


def test_art_24_declaration_names_every_missing_field(users):
    with pytest.raises(ValidationFailed) as exc:
        org_services.relation_declare(
            staff=users["socjalny"], pesel="12345678901", first_name="", last_name="",
            birth_date=None, kind="kuzyn", since=date(2020, 1, 1), now=NOW,
        )  # fmt: skip
    assert set(exc.value.errors) == {"pesel", "first_name", "last_name", "kind"}


def test_art_24_pages_staff_declares_head_sees(client, users):
    from ostoja.org.models import RelationDeclaration

    client.force_login(users["socjalny"])
    page = client.get("/moje-konto/powiazania/")
    assert page.status_code == 200 and "art. 24" in page.content.decode()
    response = client.post(
        "/moje-konto/powiazania/",
        {
            "kind": "malzonek", "first_name": "Anna", "last_name": "Kowalska",
            "pesel": "02270803624", "since": "2015-05-05",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert RelationDeclaration.objects.filter(staff=users["socjalny"]).count() == 1
    client.force_login(users["kierownik"])
    listing = client.get("/powiazania-pracownikow/")
    assert listing.status_code == 200 and "Kowalska" in listing.content.decode()
    client.force_login(users["socjalny"])
    assert client.get("/powiazania-pracownikow/").status_code == 403


def test_art_24_only_the_declarant_withdraws(client, users):
    decl = org_services.relation_declare(
        staff=users["socjalny"], pesel="02270803624", first_name="Anna", last_name="Nowa",
        birth_date=None, kind="krewny", since=date(2002, 7, 8), now=NOW,
    )  # fmt: skip
    client.force_login(users["kierownik"])
    url = f"/moje-konto/powiazania/{decl.pk}/wycofaj/"
    # Another person's declaration answers like a missing one (issue 20: no id probing).
    assert client.post(url, {"reason": "to nie ta osoba"}).status_code == 404
    client.force_login(users["socjalny"])
    assert client.post(url, {"reason": "pomyłka w numerze"}).status_code == 302
    decl.refresh_from_db()
    assert decl.withdrawn_on is not None

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


def _age_activity(person_id: int, *, year: int) -> None:
    """Move the person's records outside the case file (contracts, payments) into ``year``."""
    from django.db.models import QuerySet

    from ostoja.payments.models import Payment
    from ostoja.socialwork.models import SocialContract

    day = date(year, 3, 1)
    SocialContract.objects.filter(person_id=person_id).update(
        valid_from=day, valid_to=date(year, 6, 1), ended_on=None, created_at=dates.noon(day)
    )
    # test data only: a plain queryset steps around the approved-list guard
    QuerySet(Payment).filter(person_id=person_id).update(due_date=day, settled_on=None)


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
    # Adversary: the file closed in 2014, but the person's social contract and payments live on
    # outside it — anonymising them would gut live records: still refused.
    with pytest.raises(ValidationFailed, match="Okres przechowywania"):
        rights.anonymisation_request(
            person_id=person.pk, reason=REASON, actor=dpo, now=dates.now(), on=on
        )
    _age_activity(person.pk, year=2014)
    client_for(dpo).post(
        reverse("ops:person_rights", args=[person.pk]),
        {"reason": "Upływ okresu przechowywania teczki (B10)", "action": "anonimizuj"},
    )
    req = Anonymisation.objects.get(person_id=person.pk)
    # The requester cannot confirm (service and page); nothing changed.
    with pytest.raises(NotPermitted, match="druga osoba"):
        rights.anonymisation_confirm(request_id=req.pk, actor=dpo, now=dates.now(), on=on)
    # Issue 17: the refusal comes back on the list (403, the reason in the summary on top).
    refused = client_for(dpo).post(reverse("ops:anonymisation_confirm", args=[req.pk]))
    summary = refused.content.decode().split("data-error-summary>", 1)[-1].split("</div>", 1)[0]
    assert refused.status_code == 403 and "druga osoba" in summary
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
    # Decided already: a late rejection (another tab) is refused on the page, 409.
    late = client_for(director).post(reverse("ops:anonymisation_reject", args=[req.pk]))
    summary = late.content.decode().split("data-error-summary>", 1)[-1].split("</div>", 1)[0]
    assert late.status_code == 409 and "już rozstrzygnięty" in summary
    req.refresh_from_db()
    assert req.status == AnonymisationStatus.DONE
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


# ----------------------------------------------------------------------------- person records


def _registered(demo: Any, user: Any, last: str, serial: int, at: Any) -> Any:
    """A person registered only (no application, no case), created at the local time ``at``."""
    from ostoja.registry import services as registry
    from ostoja.registry.demo import make_pesel
    from ostoja.registry.models import Person
    from tests.factories import _street

    birth, street = date(1961, 5, 17), _street()
    person = registry.person_create(
        data={
            "first_name": "Adam", "last_name": last, "pesel": make_pesel(birth, serial, "M"),
            "birth_date": birth, "sex": "M", "act_city": "Kielce", "act_street": street,
            "act_house": "17", "act_postal_code": street.postal_codes.split("|")[0],
        },
        user=user, on=demo.on,
    )  # fmt: skip
    Person.objects.filter(pk=person.pk).update(created_at=at)
    return person


def _warsaw(*args: int) -> Any:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime(*args, tzinfo=ZoneInfo("Europe/Warsaw"))


def test_person_record_without_case_expires_1_january_after_last_record(
    demo: Any, users: dict[str, Any]
) -> None:
    """Retention class ``person_record`` (JRWA 4017, B10 — ``ops/rodo/retention.csv``): counted
    from 1 January after the (Warsaw) year of the last record; the dry run and
    ``anonymisation_eligible`` (art. 5 ust. 1 lit. e RODO) agree on both sides of the boundary."""
    from ostoja.ops.rodo import rights
    from ostoja.ops.rodo.maps import retention_rules
    from ostoja.ops.rodo.retention import retention_dry_run
    from ostoja.registry.models import Income

    rule = retention_rules()["person_record"]
    assert (rule.jrwa_symbol, rule.archival_category, rule.period_years) == ("4017", "B10", 10)
    worker = users["socjalny"]
    # 31.12.2015 23:30 in Warsaw — last record in 2015: expires 1.1.2026.
    late = _registered(demo, worker, "Retencyjny", 901, _warsaw(2015, 12, 31, 23, 30))
    # 1.1.2016 00:30 in Warsaw (still 2015 in UTC) — 2016 locally: expires 1.1.2027.
    early = _registered(demo, worker, "Noworoczny", 902, _warsaw(2016, 1, 1, 0, 30))

    def expired(on: date) -> set[int]:
        case_files, persons = retention_dry_run(on=on)
        assert persons.record_class == "person_record" and case_files.record_class == "case_file"
        found = {late.pk, early.pk} & set(persons.expired_ids)
        for p in (late, early):
            assert rights.anonymisation_eligible(p.pk, on=on) == (p.pk in found)
        return found

    assert expired(date(2025, 12, 31)) == set()
    assert expired(date(2026, 1, 1)) == {late.pk}
    assert expired(date(2027, 1, 1)) == {late.pk, early.pk}
    # A later record concerning the person (an income recorded in 2020) restarts the period.
    Income.objects.create(person=late, month=date(2020, 3, 1), kind="emerytura", amount=100)
    Income.objects.filter(person=late).update(created_at=_warsaw(2020, 3, 10, 12, 0))
    assert expired(date(2030, 12, 31)) == {early.pk}
    assert expired(date(2031, 1, 1)) == {late.pk, early.pk}


def test_member_of_an_open_case_is_never_eligible(demo: Any, users: dict[str, Any]) -> None:
    """Adversary: an old person record (2005) attached as a household member of an open case
    (an application not closed, or ongoing help) is no longer a ``person_record`` and never
    eligible, however far the day (art. 5 ust. 1 lit. e RODO: the case file is in use)."""
    from ostoja.cases.models import Application, Case
    from ostoja.ops.rodo import rights
    from ostoja.ops.rodo.retention import retention_dry_run
    from ostoja.registry.models import HouseholdMembership

    old = _registered(demo, users["socjalny"], "Dawny", 903, _warsaw(2005, 4, 1, 9, 0))
    assert rights.anonymisation_eligible(old.pk, on=date(2026, 12, 4))
    membership = HouseholdMembership.objects.create(
        household_id=demo.household.pk, person=old, relation="inny", valid_from=date(2005, 4, 1)
    )
    HouseholdMembership.objects.filter(pk=membership.pk).update(
        created_at=_warsaw(2005, 4, 1, 9, 0)
    )
    apps = Application.objects.filter(case_id=demo.case.pk)
    apps.update(closed_on=date(2005, 6, 1))
    Case.objects.filter(pk=demo.case.pk).update(ongoing_help=False)
    assert rights.anonymisation_eligible(old.pk, on=date(2099, 1, 1))  # a closed file: it ends
    for opened in ({"closed_on": None}, {"ongoing_help": True}):
        Application.objects.filter(pk=apps.order_by("pk")[0].pk).update(
            closed_on=None if "closed_on" in opened else date(2005, 6, 1)
        )
        Case.objects.filter(pk=demo.case.pk).update(ongoing_help="ongoing_help" in opened)
        for on in (date(2026, 12, 4), date(2099, 1, 1)):
            assert not rights.anonymisation_eligible(old.pk, on=on)
            case_files, persons = retention_dry_run(on=on)
            assert old.pk not in persons.expired_ids
            assert demo.case.pk not in case_files.expired_ids


# ----------------------------------------------------------------------------- anonymisation reach

KEPT_APPS = {"decisions", "payments", "auditlog", "ops"}  # issued/paid/trail: documented, kept
# issued letters; the case chronology (append-only down to a PostgreSQL trigger, part of the
# case file that is due for destruction as a whole) — docs/security.md §4
KEPT_MODELS = {"cases.CaseLetter", "socialwork.CaseNote"}


def _texts_reachable(person_id: int, household_ids: set[int], case_ids: set[int]) -> list[str]:
    """Every text value (plain and JSON) of every row hanging from the person, their households
    or their case files by a reverse relation — walked independently of the code under test."""
    import json

    from ostoja.cases.models import Case
    from ostoja.registry.models import Household, Person

    out: list[str] = []

    def texts(obj: Any) -> None:
        for f in obj._meta.concrete_fields:
            if f.get_internal_type() in ("CharField", "TextField", "JSONField"):
                value = getattr(obj, f.attname)
                out.append(
                    value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                )

    roots = [(Person, {person_id}), (Household, household_ids), (Case, case_ids)]
    for model, ids in roots:
        for obj in model.objects.filter(pk__in=ids):
            if model is not Person or obj.pk == person_id:
                texts(obj)
        for rel in model._meta.related_objects:
            related = rel.related_model
            if related._meta.app_label in KEPT_APPS or related._meta.label in KEPT_MODELS:
                continue
            from django.db.models import QuerySet

            for obj in QuerySet(related).filter(**{f"{rel.field.name}__in": ids}):
                texts(obj)
    return out


def test_anonymisation_replaces_identifiers_in_every_reachable_text_keeps_statistics(
    demo: Any, users: dict[str, Any]
) -> None:
    """Art. 17 ust. 3 lit. b / art. 5 ust. 1 lit. e RODO: after anonymisation no text field
    reachable from the person (incomes, household note, application, case notes, contracts,
    interviews, …) holds the old surname, PESEL or address line; the statistics (counts by sex,
    birth year, city) do not move; decisions, payments and audit rows are kept as issued."""
    from django.db.models import Count

    from ostoja.cases.models import Application, Case
    from ostoja.ops.rodo import rights
    from ostoja.payments.models import Payment
    from ostoja.registry.models import Household, HouseholdMembership, Income, Person
    from ostoja.socialwork.models import CaseNote

    person = _person(demo)
    surname, pesel = person.last_name, person.pesel
    street = str(person.act_street) if person.act_street_id else person.act_street_text
    address = f"{street} {person.act_house}"
    households = set(
        HouseholdMembership.objects.filter(person=person).values_list("household_id", flat=True)
    )
    cases = set(Case.objects.filter(household_id__in=households).values_list("pk", flat=True))
    Application.objects.filter(case__in=cases).update(closed_on=date(2014, 6, 30))
    _age_activity(person.pk, year=2014)
    # Identifiers typed into free text across the contexts.
    Income.objects.filter(person=person).update(proof=f"zaświadczenie pracodawcy dla {surname}")
    Household.objects.filter(pk__in=households).update(
        note=f"{person.first_name} {surname.upper()} (PESEL {pesel}) mieszka przy {address}"
    )
    Application.objects.filter(case__in=cases).update(
        description=f"Wnioskodawca {person.full_name}, {address}, tel. {person.phone}"
    )
    note = CaseNote.objects.create(
        case_id=min(cases), category=CaseNote._meta.get_field("category").choices[0][0],
        occurred_on=date(2014, 5, 5), author=users["socjalny"], created_at=dates.noon(date(2014, 5, 5)),
        text=f"Rozmowa z panem {surname}em o sytuacji rodziny {surname[:-1]}ich.",
    )  # fmt: skip
    # A record merged into the person earlier (registry's duplicate merge): the same human.
    duplicate = _registered(demo, users["socjalny"], surname, 904, dates.now())
    dup_pesel = duplicate.pesel
    Person.objects.filter(pk=duplicate.pk).update(
        merged_into_id=person.pk, merged_at=dates.now(), phone="600700800"
    )
    stats = list(
        Person.objects.values("sex", "birth_date__year", "act_city", "reg_city")
        .annotate(n=Count("pk"))
        .order_by("sex", "birth_date__year", "act_city", "reg_city")
    )
    payments = list(Payment.objects.filter(person_id=person.pk).values("recipient_name", "amount"))
    before = " ".join(_texts_reachable(person.pk, households, cases))
    assert surname in before and pesel in before and address in before  # the test can see
    assert dup_pesel in before

    req = rights.anonymisation_request(
        person_id=person.pk, reason=REASON, actor=users["iod"], now=dates.now(), on=demo.on
    )
    req = rights.anonymisation_confirm(
        request_id=req.pk, actor=users["dyrektor"], now=dates.now(), on=demo.on
    )
    after = " ".join(_texts_reachable(person.pk, households, cases))
    stem = surname[:-1] if surname[-1] in "iay" else surname
    for needle in (surname, surname.upper(), stem, pesel, address, dup_pesel, "600700800"):
        assert needle.lower() not in after.lower(), needle
    assert "[zanonimizowano]" in after
    assert Income.objects.filter(person=person).exclude(proof="").count() == 0
    # The case chronology is kept as written (append-only; destroyed with the file).
    assert CaseNote.objects.get(pk=note.pk).text.startswith("Rozmowa z panem")
    assert any("cases.Application" in f for f in req.fields_replaced)
    # Statistics unchanged; what was paid unchanged (kept as the accountability reference).
    assert (
        list(
            Person.objects.values("sex", "birth_date__year", "act_city", "reg_city")
            .annotate(n=Count("pk"))
            .order_by("sex", "birth_date__year", "act_city", "reg_city")
        )
        == stats
    )
    assert list(Payment.objects.filter(person_id=person.pk).values("recipient_name", "amount")) == (
        payments
    )
    # The audit entry counts rows, never quotes them.
    entry = LogEntry.objects.filter(additional_data__anonymisation=req.pk).get()
    assert pesel not in str(entry.additional_data) and surname not in str(entry.additional_data)

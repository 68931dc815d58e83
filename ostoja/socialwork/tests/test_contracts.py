"""Kontrakt socjalny (art. 108 u.p.s.): signing freezes the content, changes are annexes, a breach
is flagged for the next decision (art. 11 ust. 2), the PDF carries the model form's elements."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from ostoja.core import dates
from ostoja.core.dates import today
from ostoja.core.errors import DomainError, ValidationFailed
from ostoja.socialwork import selectors as sel
from ostoja.socialwork import services as svc
from ostoja.socialwork.models import ContractAction, ContractFrozen, SocialContract

pytestmark = pytest.mark.django_db


def _draft(case: Any, user: Any) -> SocialContract:
    person = case.household.memberships.first().person
    on = today()
    return svc.contract_draft(
        case=case,
        person=person,
        user=user,
        data={
            "kind": "A",
            "situation": "Zadłużenie czynszowe, bezrobocie.",
            "causes": "Utrata pracy.",
            "strengths": "Motywacja.",
            "limitations": "Opieka nad dzieckiem.",
            "main_goal": "Podjęcie zatrudnienia.",
            "specific_goals": "Rejestracja w PUP.",
            "expected_effects": "Samodzielność.",
            "valid_from": on,
            "valid_to": on + timedelta(days=90),
        },
        actions_person=f"Rejestracja w PUP | {(on + timedelta(days=7)).isoformat()}\nSzkolenie zawodowe",
        actions_worker="Pomoc w napisaniu CV | " + (on + timedelta(days=5)).isoformat(),
        review_dates=(on + timedelta(days=30)).isoformat(),
    )


def _sign(contract: SocialContract, user: Any) -> SocialContract:
    return svc.contract_sign(
        contract=contract,
        worker_signed_on=today(),
        person_signed_on=today(),
        consequences_explained=True,
        user=user,
        today=today(),
        expected_version=contract.version,
    )


def test_signing_requires_both_signatures_and_the_art11_instruction(case: Any, sw: Any) -> None:
    c = _draft(case, sw.worker)
    with pytest.raises(ValidationFailed) as exc:
        svc.contract_sign(
            contract=c,
            worker_signed_on=None,
            person_signed_on=today(),
            consequences_explained=False,
            user=sw.worker,
            today=today(),
            expected_version=c.version,
        )
    assert {"worker_signed_on", "consequences_explained"} <= set(exc.value.errors)


def test_signing_freezes_the_content(case: Any, sw: Any) -> None:
    c = _sign(_draft(case, sw.worker), sw.worker)
    assert c.status == "zawarty"
    with pytest.raises(DomainError):
        svc.contract_update(contract=c, data={"main_goal": "inny"}, expected_version=c.version)
    fresh = SocialContract.objects.get(pk=c.pk)
    fresh.main_goal = "zmieniony cel"
    with pytest.raises(ContractFrozen):
        fresh.save()
    with pytest.raises(ContractFrozen):
        ContractAction.objects.create(contract=fresh, party="osoba", description="nowe")
    with pytest.raises(ContractFrozen):
        fresh.actions.first().delete()
    # an annex is a new linked record; the original content stays
    annex = svc.contract_annex_add(
        contract=fresh,
        changes="Przedłużenie o miesiąc.",
        new_valid_to=fresh.valid_to + timedelta(days=30),
        worker_signed_on=today(),
        person_signed_on=today(),
        actions_person="Udział w warsztatach",
        actions_worker="",
        user=sw.worker,
        today=today(),
    )
    assert annex.number == 1 and annex.actions.count() == 1
    assert SocialContract.objects.get(pk=c.pk).main_goal == "Podjęcie zatrudnienia."


def test_signed_contract_appears_on_the_timeline(case: Any, sw: Any) -> None:
    from ostoja.cases.models import TimelineEvent

    c = _sign(_draft(case, sw.worker), sw.worker)
    assert TimelineEvent.objects.filter(
        case=case, source_app="socialwork.contract", source_id=str(c.pk)
    ).exists()


def test_art11_breach_flagged_via_contract_breaches_and_on_the_panel(case: Any, sw: Any) -> None:
    from ostoja.cases.panels import case_panels

    c = _sign(_draft(case, sw.worker), sw.worker)
    assert sel.contract_breaches(case=case) == []
    svc.contract_breach_record(
        contract=c,
        occurred_on=today(),
        description="Nie zarejestrował się w PUP.",
        user=sw.worker,
        today=today(),
    )
    flags = sel.contract_breaches(case=case)
    assert len(flags) == 1
    assert flags[0].contract_id == c.pk and "art. 11 ust. 2" in flags[0].consequence.lower()
    panel = next(
        p
        for p in case_panels(case=case, user=sw.worker, now=dates.now())
        if p["title"] == "Praca socjalna"
    )
    assert panel["context"]["panel"]["breaches"][0].description == "Nie zarejestrował się w PUP."


def test_panel_breaches_from_the_contracts_read_once_equal_contract_breaches(
    case: Any, sw: Any
) -> None:
    """Issue 19: the panel builds its art. 11 ust. 2 flags from the contracts it reads anyway
    (breaches prefetched) — the same flags, newest first, as ``contract_breaches``, with one
    query fewer."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _sign(_draft(case, sw.worker), sw.worker)
    for days, text in ((30, "Nie stawił się na spotkanie."), (2, "Nie zarejestrował się w PUP."),
                       (10, "Nie podjął terapii.")):  # fmt: skip
        svc.contract_breach_record(
            contract=c, occurred_on=today() - timedelta(days=days), description=text,
            user=sw.worker, today=today(),
        )  # fmt: skip
    expected = sel.contract_breaches(case=case)
    assert [f.occurred_on for f in expected] == sorted(
        (f.occurred_on for f in expected), reverse=True
    )
    with CaptureQueriesContext(connection) as ctx:
        flags = sel.breach_flags(sel.contracts_of(case=case))
    assert flags == expected
    assert len(ctx.captured_queries) == 3  # contracts (+ person, worker), breaches, recorders


def test_close_requires_evaluation_and_reason_for_termination(case: Any, sw: Any) -> None:
    c = _sign(_draft(case, sw.worker), sw.worker)
    with pytest.raises(ValidationFailed):
        svc.contract_close(
            contract=c,
            outcome="rozwiazany",
            ended_on=today(),
            evaluation="Brak współpracy.",
            reason="",
            user=sw.worker,
            expected_version=c.version,
        )
    svc.contract_close(
        contract=c,
        outcome="rozwiazany",
        ended_on=today(),
        evaluation="Brak współpracy.",
        reason="Nieprzestrzeganie ustaleń.",
        user=sw.worker,
        expected_version=c.version,
    )
    assert SocialContract.objects.get(pk=c.pk).status == "rozwiazany"


def test_pdf_contains_the_model_form_elements(case: Any, sw: Any, client_for: Any) -> None:
    from pypdf import PdfReader

    c = _sign(_draft(case, sw.worker), sw.worker)
    r = client_for(sw.worker).get(reverse("socialwork:contract_pdf", args=[c.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    for element in (
        "KONTRAKT SOCJALNY",
        "Data zawarcia kontraktu socjalnego",
        "Ocena sytuacji",
        "Cel główny",
        "Cele szczegółowe",
        "Działania osoby/rodziny",
        "Działania pracownika socjalnego",
        "Termin realizacji",
        "Rejestracja w PUP",
        "Okres obowiązywania",
        "przeglądy",
        "Ocena realizacji kontraktu",
        "art. 11 ust. 2",
        "podpis pracownika socjalnego",
        "podpis osoby",
        "art. 108",
        "poz. 1439",
        "Miejski Ośrodek Pomocy Rodzinie",
        "strona 1 z",
    ):
        assert element.lower() in text.lower(), element
    assert "ą" in text or "ę" in text or "ł" in text  # Polish characters survive


def _rows(*actions: tuple[str, str, str], reviews: list[str] = ()) -> dict[str, str]:  # type: ignore[assignment]
    """POST data of the action and review-date formsets."""
    data = {
        "dzialania-TOTAL_FORMS": str(len(actions)),
        "dzialania-INITIAL_FORMS": "0",
        "przeglady-TOTAL_FORMS": str(len(reviews)),
        "przeglady-INITIAL_FORMS": "0",
    }
    for i, (party, text, due) in enumerate(actions):
        data.update(
            {f"dzialania-{i}-party": party, f"dzialania-{i}-description": text,
             f"dzialania-{i}-due_on": due}
        )  # fmt: skip
    for i, due in enumerate(reviews):
        data[f"przeglady-{i}-due_on"] = due
    return data


def _base(person: Any, on: Any) -> dict[str, str]:
    return {
        "person": str(person.pk),
        "kind": "A",
        "situation": "Sytuacja.",
        "main_goal": "Cel.",
        "valid_from": on.isoformat(),
        "valid_to": (on + timedelta(days=60)).isoformat(),
    }


def test_ui_actions_and_reviews_are_form_rows(case: Any, sw: Any, client_for: Any) -> None:
    """Issue 17: rows, not "text | RRRR-MM-DD" lines; each row keeps its party and deadline."""
    c = client_for(sw.worker)
    on = today()
    person = case.household.memberships.first().person
    due = on + timedelta(days=7)
    r = c.post(
        reverse("socialwork:contract_new", args=[case.pk]),
        {
            **_base(person, on),
            **_rows(
                ("osoba", "Rejestracja w PUP | nie termin", due.isoformat()),
                ("pracownik", "Pomoc w napisaniu CV", ""),
                ("inny", "", ""),  # an empty row is skipped
                reviews=[(on + timedelta(days=30)).isoformat(), ""],
            ),
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    contract = SocialContract.objects.get(case=case)
    rows = [(a.party, a.description, a.due_on) for a in contract.actions.order_by("position")]
    assert rows == [
        ("osoba", "Rejestracja w PUP | nie termin", due),  # a bar is text, not a separator
        ("pracownik", "Pomoc w napisaniu CV", None),
    ]
    assert [x.due_on for x in contract.reviews.all()] == [on + timedelta(days=30)]
    # The edit form shows them as rows again, plus empty ones to add.
    page = c.get(reverse("socialwork:contract_edit", args=[contract.pk])).content.decode()
    assert 'name="dzialania-0-description"' in page and "Rejestracja w PUP | nie termin" in page
    assert 'name="dzialania-3-description"' in page  # two empty rows after the two saved
    assert "RRRR-MM-DD" not in page


def test_ui_add_row_without_javascript_and_row_errors_in_the_summary(
    case: Any, sw: Any, client_for: Any
) -> None:
    c = client_for(sw.worker)
    on = today()
    person = case.household.memberships.first().person
    url = reverse("socialwork:contract_new", args=[case.pk])
    data = {**_base(person, on), **_rows(("osoba", "Szkolenie", ""), ("osoba", "", ""))}
    r = c.post(url, {**data, "dodaj_dzialanie": "1"})
    assert r.status_code == 200 and not SocialContract.objects.exists()
    page = r.content.decode()
    assert 'name="dzialania-2-description"' in page  # a third row
    assert "Szkolenie" in page and "data-error-summary" not in page  # kept, no errors yet
    r = c.post(url, {**data, "dodaj_przeglad": "1"})
    assert 'name="przeglady-0-due_on"' in r.content.decode()
    # A deadline without a description: named by row in the error summary.
    r = c.post(url, {**_base(person, on), **_rows(("osoba", "", on.isoformat()))})
    assert r.status_code == 422 and not SocialContract.objects.exists()
    summary = r.content.decode()
    assert "data-error-summary" in summary
    assert (
        "Działania, wiersz 1 — Działanie 1: Podaj opis działania albo usuń jego termin." in summary
    )


def test_only_adults_on_the_contract_date_are_offered(case: Any, sw: Any, client_for: Any) -> None:
    """Art. 108 u.p.s. with art. 10 § 1 k.c. (parameter ``pelnoletnosc``): a contracting party
    is 18 on the contract date; a minor member is neither offered nor accepted."""
    from ostoja.registry.models import HouseholdMembership, Person

    on = today()
    minor = Person.objects.create(
        first_name="Ola", last_name="Kowalska", search_key="kowalska ola",
        birth_date=dates.shift_years(on, -18) + timedelta(days=1), sex="K",
    )  # fmt: skip
    HouseholdMembership.objects.create(
        household=case.household,
        person=minor,
        relation="dziecko",
        valid_from=on - timedelta(days=30),
    )
    c = client_for(sw.worker)
    url = reverse("socialwork:contract_new", args=[case.pk])
    r = c.get(url)
    choices = [pk for pk, _ in r.context["form"].fields["person"].choices]
    assert minor.pk not in choices
    assert case.household.memberships.first().person.pk in choices
    r = c.post(url, {**_base(minor, on), **_rows(("osoba", "Nauka", ""))})
    assert r.status_code == 422 and not SocialContract.objects.exists()


def test_age_on_counts_completed_years() -> None:
    """Art. 112 k.c.: a year of age completes on the day before the anniversary's end, so a
    person born on 29 February is 18 on 1 March of a common year."""
    from datetime import date

    from ostoja.socialwork.policy import age_on, is_adult

    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18
    assert is_adult(date(2008, 12, 5), date(2026, 12, 5), 18)
    assert not is_adult(date(2008, 12, 6), date(2026, 12, 5), 18)
    assert not is_adult(None, date(2026, 12, 5), 18)


def test_ui_draft_sign_and_breach(case: Any, sw: Any, client_for: Any) -> None:
    c = client_for(sw.worker)
    on = today()
    person = case.household.memberships.first().person
    r = c.post(
        reverse("socialwork:contract_new", args=[case.pk]),
        {
            "person": person.pk,
            "kind": "A",
            "situation": "Sytuacja.",
            "main_goal": "Cel.",
            "valid_from": on.isoformat(),
            "valid_to": (on + timedelta(days=60)).isoformat(),
            **_rows(
                ("osoba", "Rejestracja w PUP", ""),
                ("pracownik", "Wsparcie", ""),
                reviews=[(on + timedelta(days=30)).isoformat()],
            ),
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    contract = SocialContract.objects.get(case=case)
    r = c.post(
        reverse("socialwork:contract_action", args=[contract.pk, "podpisz"]),
        {
            "version": contract.version,
            "worker_signed_on": on.isoformat(),
            "person_signed_on": on.isoformat(),
            "consequences_explained": "on",
        },
    )
    assert r.status_code == 302
    contract.refresh_from_db()
    assert contract.status == "zawarty"
    r = c.get(reverse("socialwork:contract_edit", args=[contract.pk]))
    assert r.status_code == 409  # a signed contract has no edit form: said on top of its page
    assert "zmiany wprowadza się aneksem" in r.content.decode()
    assert "data-error-summary" in r.content.decode()
    page = c.get(reverse("socialwork:contract", args=[contract.pk])).content.decode()
    assert "Zapisz podpisy" not in page and "Odnotuj naruszenie" in page


def test_api_contracts(case: Any, sw: Any, client_for: Any) -> None:
    c = client_for(sw.worker)
    on = today()
    person = case.household.memberships.first().person
    r = c.post(
        "/api/v1/contracts",
        {
            "case": case.pk,
            "person": person.pk,
            "situation": "S",
            "main_goal": "G",
            "valid_from": on.isoformat(),
            "valid_to": (on + timedelta(days=30)).isoformat(),
            "actions_person": "A",
            "actions_worker": "B",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    r = c.post(
        f"/api/v1/contracts/{cid}/sign",
        {
            "worker_signed_on": on.isoformat(),
            "person_signed_on": on.isoformat(),
            "consequences_explained": True,
            "version": r.json()["version"],
        },
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "zawarty"
    r = c.post(
        f"/api/v1/contracts/{cid}/breaches",
        {"occurred_on": on.isoformat(), "description": "Brak"},
        content_type="application/json",
    )
    assert r.status_code == 201
    assert (
        c.get(f"/api/v1/contracts?case={case.pk}").json()[0]["breaches"][0]["description"] == "Brak"
    )

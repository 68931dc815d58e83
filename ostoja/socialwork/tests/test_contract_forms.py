"""The contract page's forms through the shared renderer (issue 17): a refused button shows the
page again with the error at its field (``aria-describedby`` → a real id), one error summary at
the top naming the field in Polish, nothing saved; the annex (aneks, art. 108 u.p.s.) takes its
new actions as form rows with an "add row" that works without JavaScript."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ostoja.socialwork import services as svc
from ostoja.socialwork import views
from ostoja.socialwork.models import (
    ContractAction,
    ContractAnnex,
    ContractBreach,
    ContractReview,
    SocialContract,
)

pytestmark = pytest.mark.django_db


def _draft(case: Any, user: Any, on: date) -> SocialContract:
    return svc.contract_draft(
        case=case,
        person=case.household.memberships.first().person,
        user=user,
        data={
            "kind": "A",
            "situation": "Zadłużenie czynszowe.",
            "main_goal": "Podjęcie zatrudnienia.",
            "valid_from": on,
            "valid_to": on + timedelta(days=90),
        },
        actions_person=[svc.ActionLine("Rejestracja w PUP", None)],
        actions_worker=[svc.ActionLine("Pomoc w napisaniu CV", None)],
        review_dates=[on + timedelta(days=30)],
    )


def _signed(case: Any, user: Any, on: date) -> SocialContract:
    c = _draft(case, user, on)
    return svc.contract_sign(
        contract=c,
        worker_signed_on=on,
        person_signed_on=on,
        consequences_explained=True,
        user=user,
        today=on,
        expected_version=c.version,
    )


def _url(contract: SocialContract, action: str) -> str:
    return reverse("socialwork:contract_action", args=[contract.pk, action])


def _annex_rows(*rows: tuple[str, str, str]) -> dict[str, str]:
    data = {"aneks-dzialania-TOTAL_FORMS": str(len(rows)), "aneks-dzialania-INITIAL_FORMS": "0"}
    for i, (party, text, due) in enumerate(rows):
        data.update(
            {f"aneks-dzialania-{i}-party": party, f"aneks-dzialania-{i}-description": text,
             f"aneks-dzialania-{i}-due_on": due}
        )  # fmt: skip
    return data


def _annex(on: date, **over: str) -> dict[str, str]:
    data = {
        "aneks-changes": "Przedłużenie o miesiąc.",
        "aneks-new_valid_to": "",
        "aneks-worker_signed_on": on.isoformat(),
        "aneks-person_signed_on": on.isoformat(),
    }
    data.update(over)
    return data


def _field_error(page: str, field_id: str) -> str:
    """The error text rendered under ``field_id``; asserts the field points to it."""
    tag = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    assert tag, f"no field {field_id}"
    assert (
        f"{field_id}_error" in (re.search(r'aria-describedby="([^"]*)"', tag.group(0)) or [""])[0]
    ), tag.group(0)
    box = re.search(
        rf'<div class="errors" id="{re.escape(field_id)}_error">(.*?)</div>', page, re.S
    )
    assert box, f"no error box for {field_id}"
    return box.group(1)


def _summary(page: str) -> str:
    m = re.search(r"<div class=\"error-summary\"[^>]*data-error-summary>(.*?)</div>", page, re.S)
    assert m, "no error summary"
    assert page.count("data-error-summary") == 1  # one summary on a page of several forms
    return m.group(1)


def _ids_are_unique_and_referenced(page: str) -> None:
    ids = re.findall(r'\sid="([^"]+)"', page)
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, dupes
    for refs in re.findall(r'aria-(?:describedby|labelledby)="([^"]+)"', page):
        for ref in refs.split():
            assert ref in ids, ref


def _no_flash(response: Any) -> None:
    assert list(get_messages(response.wsgi_request)) == []


# ------------------------------------------------------------------ signing (art. 108, art. 11)


def test_sign_refusal_is_at_the_field_with_the_summary_and_nothing_saved(
    case: Any, sw: Any, client_for: Any
) -> None:
    """Art. 108 u.p.s.: both parties sign; art. 11 ust. 2: the person is told the consequences."""
    on = date.today()
    contract = _draft(case, sw.worker, on)
    r = client_for(sw.worker).post(
        _url(contract, "podpisz"),
        {"version": contract.version, "worker_signed_on": on.isoformat(), "person_signed_on": ""},
    )
    assert r.status_code == 422
    _no_flash(r)
    page = r.content.decode()
    summary = _summary(page)
    assert 'href="#id_person_signed_on"' in summary
    assert "Data podpisu osoby: Podaj datę podpisu osoby zawierającej kontrakt." in summary
    assert "Podaj datę podpisu osoby" in _field_error(page, "id_person_signed_on")
    _ids_are_unique_and_referenced(page)
    # dates given, the art. 11 ust. 2 instruction not confirmed: refused at the checkbox
    r = client_for(sw.worker).post(
        _url(contract, "podpisz"),
        {
            "version": contract.version,
            "worker_signed_on": on.isoformat(),
            "person_signed_on": on.isoformat(),
        },
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert 'href="#id_consequences_explained"' in _summary(page)
    assert _field_error(page, "id_consequences_explained")
    contract.refresh_from_db()
    assert contract.status == "projekt" and contract.person_signed_on is None


@pytest.mark.parametrize("on", [date(2028, 2, 29), date(2026, 12, 31)])
def test_signature_dated_tomorrow_is_refused_on_awkward_days(
    on: date, case: Any, sw: Any, client_for: Any, monkeypatch: Any
) -> None:
    """Art. 108 u.p.s.: a signature cannot be dated after today — 29 February → 1 March and
    31 December → 1 January are 'tomorrow' too."""
    monkeypatch.setattr(views, "today", lambda: on)
    contract = _draft(case, sw.worker, on)
    tomorrow = on + timedelta(days=1)
    r = client_for(sw.worker).post(
        _url(contract, "podpisz"),
        {
            "version": contract.version,
            "worker_signed_on": on.isoformat(),
            "person_signed_on": tomorrow.isoformat(),
            "consequences_explained": "on",
        },
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert "z przyszłości" in _field_error(page, "id_person_signed_on")
    assert f'value="{tomorrow.isoformat()}"' in page  # what was typed is kept
    contract.refresh_from_db()
    assert contract.status == "projekt"


def test_second_signing_refusal_is_shown_although_its_form_is_gone(
    case: Any, sw: Any, client_for: Any
) -> None:
    """A double submit: the contract is already signed, the sign form is no longer on the page —
    the refusal still reaches the summary at the top, not a lost flash."""
    on = date.today()
    contract = _signed(case, sw.worker, on)
    r = client_for(sw.worker).post(
        _url(contract, "podpisz"),
        {
            "version": contract.version,
            "worker_signed_on": on.isoformat(),
            "person_signed_on": on.isoformat(),
            "consequences_explained": "on",
        },
    )
    assert r.status_code == 409  # the contract's state, not a field
    assert "nie można go podpisać ponownie" in _summary(r.content.decode())
    _no_flash(r)


# ------------------------------------------------------------------ the other buttons


def test_breach_review_and_close_refusals_at_their_fields(
    case: Any, sw: Any, client_for: Any, colleague: Any
) -> None:
    """Art. 11 ust. 2 u.p.s. (breach), § 2 of the model form (reviews): each refusal at its field."""
    on = date.today()
    contract = _signed(case, sw.worker, on)
    c = client_for(sw.worker)
    r = c.post(
        _url(contract, "naruszenie"),
        {"occurred_on": (on + timedelta(days=1)).isoformat(), "description": "Nie stawił się."},
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert "z przyszłości" in _field_error(page, "id_occurred_on")
    assert "Data naruszenia:" in _summary(page)
    assert "Nie stawił się." in page  # kept
    assert not ContractBreach.objects.exists()

    # a review of ANOTHER contract (an adversary edits the id): refused at the field
    other = _signed(make_other_case(sw), sw.worker, on)
    foreign = ContractReview.objects.get(contract=other)
    r = c.post(
        _url(contract, "przeglad"),
        {"review": foreign.pk, "held_on": on.isoformat(), "findings": "Postępy."},
    )
    assert r.status_code == 422
    assert _field_error(r.content.decode(), "id_review")
    foreign.refresh_from_db()
    assert foreign.held_on is None

    r = c.post(_url(contract, "zakoncz"), {"version": contract.version, "outcome": "zrealizowany"})
    assert r.status_code == 422
    page = r.content.decode()
    assert _field_error(page, "id_evaluation") and _field_error(page, "id_ended_on")
    _ids_are_unique_and_referenced(page)
    contract.refresh_from_db()
    assert contract.status == "zawarty"


def make_other_case(sw: Any) -> Any:
    from ostoja.socialwork.tests.factories import make_case

    return make_case(worker=sw.worker)


# ------------------------------------------------------------------ annex (aneks)


def test_annex_actions_are_rows_each_with_party_and_deadline(
    case: Any, sw: Any, client_for: Any
) -> None:
    """Art. 108 u.p.s.: a signed contract changes only by an annex — a new signed record; the
    contract's own actions stay as signed."""
    on = date.today()
    contract = _signed(case, sw.worker, on)
    before = list(contract.actions.values_list("pk", "description", "due_on"))
    due = on + timedelta(days=14)
    r = client_for(sw.worker).post(
        _url(contract, "aneks"),
        {
            **_annex(on),
            **_annex_rows(
                ("osoba", "Warsztaty | nie termin", due.isoformat()),
                ("inny", "Konsultacja w PCPR", ""),
                ("pracownik", "", ""),  # an empty row is skipped
            ),
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    annex = ContractAnnex.objects.get(contract=contract)
    assert [(a.party, a.description, a.due_on) for a in annex.actions.order_by("position")] == [
        ("osoba", "Warsztaty | nie termin", due),  # a bar is text, not a separator
        ("inny", "Konsultacja w PCPR", None),
    ]
    assert list(contract.actions.filter(annex__isnull=True).values_list(
        "pk", "description", "due_on")) == before  # fmt: skip
    page = client_for(sw.worker).get(reverse("socialwork:contract", args=[contract.pk]))
    text = page.content.decode()
    assert "Aneks nr 1" in text and "Konsultacja w PCPR" in text
    assert "RRRR-MM-DD" not in text and 'name="aneks-dzialania-0-description"' in text
    _ids_are_unique_and_referenced(text)


def test_annex_add_row_without_javascript_keeps_what_was_typed(
    case: Any, sw: Any, client_for: Any
) -> None:
    on = date.today()
    contract = _signed(case, sw.worker, on)
    r = client_for(sw.worker).post(
        _url(contract, "aneks"),
        {
            **_annex(on, **{"aneks-changes": "Zmiana terminu."}),
            **_annex_rows(("osoba", "Szkolenie", ""), ("osoba", "", "")),
            views.ADD_ANNEX_ACTION: "1",
        },
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert 'name="aneks-dzialania-2-description"' in page  # a third row
    assert "Szkolenie" in page and "Zmiana terminu." in page
    assert "data-error-summary" not in page  # no errors yet
    assert not ContractAnnex.objects.exists()


def test_annex_row_error_named_by_row_and_nothing_saved(
    case: Any, sw: Any, client_for: Any
) -> None:
    on = date.today()
    contract = _signed(case, sw.worker, on)
    r = client_for(sw.worker).post(
        _url(contract, "aneks"),
        {**_annex(on), **_annex_rows(("osoba", "Szkolenie", ""), ("osoba", "", on.isoformat()))},
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert (
        "Nowe działania, wiersz 2 — Działanie 2: Podaj opis działania albo usuń jego termin."
        in _summary(page)
    )
    assert "Podaj opis" in _field_error(page, "id_aneks-dzialania-1-description")
    assert not ContractAnnex.objects.exists()
    assert not ContractAction.objects.filter(annex__isnull=False).exists()


def test_annex_refused_by_the_service_saves_no_rows(case: Any, sw: Any, client_for: Any) -> None:
    """Rows valid, the annex refused (new end before the contract's start): one transaction —
    neither the annex nor its actions remain."""
    on = date.today()
    contract = _signed(case, sw.worker, on)
    r = client_for(sw.worker).post(
        _url(contract, "aneks"),
        {
            **_annex(on, **{"aneks-new_valid_to": (on - timedelta(days=1)).isoformat()}),
            **_annex_rows(("osoba", "Szkolenie", "")),
        },
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert "przed początkiem kontraktu" in _field_error(page, "id_aneks-new_valid_to")
    assert "Nowy termin obowiązywania:" in _summary(page)
    assert 'value="Szkolenie"' in page
    assert not ContractAnnex.objects.exists()
    assert not ContractAction.objects.filter(annex__isnull=False).exists()


def test_annex_to_a_draft_is_refused_in_the_summary(case: Any, sw: Any, client_for: Any) -> None:
    """An adversary posts an annex to an unsigned draft (the page shows no annex form): the
    draft is changed by editing it, never by an annex (art. 108 u.p.s.)."""
    on = date.today()
    contract = _draft(case, sw.worker, on)
    r = client_for(sw.worker).post(
        _url(contract, "aneks"), {**_annex(on), **_annex_rows(("osoba", "Szkolenie", ""))}
    )
    assert r.status_code == 409  # the contract's state, not a field
    assert "tylko do kontraktu w realizacji" in _summary(r.content.decode())
    assert not ContractAnnex.objects.exists()
    assert SocialContract.objects.get(pk=contract.pk).status == "projekt"


def test_annex_of_another_unit_answers_404(
    case: Any, sw: Any, client_for: Any, make_staff: Any
) -> None:
    from ostoja.org.roles import Role

    on = date.today()
    contract = _signed(case, sw.worker, on)
    stranger = make_staff("obcy", role=Role.SOCIAL_WORKER, unit_code="ro2")
    r = client_for(stranger).post(
        _url(contract, "aneks"), {**_annex(on), **_annex_rows(("osoba", "Szkolenie", ""))}
    )
    assert r.status_code == 404
    assert not ContractAnnex.objects.exists()


def test_signed_annexes_are_not_touched(case: Any, sw: Any, client_for: Any) -> None:
    """Nothing signed is migrated or edited in place: an annex made earlier (API lines) keeps
    its rows when another annex is added with form rows."""
    on = date.today()
    contract = _signed(case, sw.worker, on)
    first = svc.contract_annex_add(
        contract=contract,
        changes="Pierwszy aneks.",
        new_valid_to=None,
        worker_signed_on=on,
        person_signed_on=on,
        actions_person=f"Warsztaty | {on.isoformat()}",
        actions_worker="",
        user=sw.worker,
        today=on,
    )
    rows_before = list(first.actions.values_list("pk", "party", "description", "due_on"))
    r = client_for(sw.worker).post(
        _url(contract, "aneks"),
        {**_annex(on, **{"aneks-changes": "Drugi."}), **_annex_rows(("pracownik", "Wizyta", ""))},
    )
    assert r.status_code == 302
    first.refresh_from_db()
    assert first.changes == "Pierwszy aneks."
    assert list(first.actions.values_list("pk", "party", "description", "due_on")) == rows_before
    assert ContractAnnex.objects.get(contract=contract, number=2).actions.count() == 1


# ------------------------------------------------------------------ other social-work pages


def test_visit_page_cancel_refusal_summary_at_top_and_unique_ids(
    case: Any, sw: Any, client_for: Any
) -> None:
    """Two forms on the visit page: both carry ``version``, the cancel form has its own ids; a
    refused cancel is listed once at the top and shown at its field; the visit stays planned."""
    from ostoja.socialwork.models import Visit

    on = date.today()
    v = svc.visit_plan(
        case=case, worker=sw.worker, planned_on=on, purpose="Wizyta", user=sw.worker, today=on
    )
    c = client_for(sw.worker)
    _ids_are_unique_and_referenced(c.get(reverse("socialwork:visit", args=[v.pk])).content.decode())
    r = c.post(reverse("socialwork:visit_cancel", args=[v.pk]), {"version": v.version})
    assert r.status_code == 200
    page = r.content.decode()
    assert 'href="#odwolanie_cancel_reason"' in _summary(page)
    assert _field_error(page, "odwolanie_cancel_reason")
    _ids_are_unique_and_referenced(page)
    assert Visit.objects.get(pk=v.pk).status == "zaplanowana"


@pytest.mark.parametrize(
    "name", ["plan_new", "protect", "reassign", "contract_new", "visit_plan", "case"]
)
def test_socialwork_forms_leave_validation_to_the_server(
    name: str, case: Any, sw: Any, client_for: Any
) -> None:
    """The browser's own bubbles would stop a submit before the server's summary and field
    errors (issue 17): every POST form of social work is ``novalidate``."""
    user = sw.head if name in ("protect", "reassign") else sw.worker
    page = client_for(user).get(reverse(f"socialwork:{name}", args=[case.pk])).content.decode()
    forms = [  # the layout's logout button is not a form to fill
        t for t in re.findall(r'<form [^>]*method="post"[^>]*>', page) if "logout" not in t
    ]
    assert forms, name
    assert all("novalidate" in tag for tag in forms), forms


def test_two_annexes_from_the_same_page_the_second_gets_the_conflict_message(
    case: Any, sw: Any, client_for: Any, colleague: Any
) -> None:
    """Two workers type an annex on the same page (same version): the first is saved, the
    second is refused with the Polish conflict message in the summary (not a 500), what it
    typed kept, only one annex stored."""
    on = date.today()
    contract = _signed(case, sw.worker, on)
    version = contract.version
    first = client_for(sw.worker).post(
        _url(contract, "aneks"),
        {**_annex(on, **{"aneks-version": str(version)}), **_annex_rows()},
    )
    assert first.status_code == 302
    r = client_for(colleague).post(
        _url(contract, "aneks"),
        {
            **_annex(on, **{"aneks-version": str(version), "aneks-changes": "Drugi aneks."}),
            **_annex_rows(),
        },
    )
    page = r.content.decode()
    assert r.status_code == 409
    assert "Ktoś inny zmienił ten kontrakt" in _summary(page) and "odśwież" in _summary(page)
    assert "Drugi aneks." in page
    _no_flash(r)
    assert ContractAnnex.objects.filter(contract=contract).count() == 1


def test_annex_number_taken_meanwhile_is_a_conflict_not_an_integrity_error(
    case: Any, sw: Any
) -> None:
    """The race itself (another transaction inserted the same number between count and
    insert) ends in the conflict message; nothing of this annex is stored."""
    from ostoja.core.errors import ConflictError

    on = date.today()
    contract = _signed(case, sw.worker, on)
    ContractAnnex.objects.create(
        contract=contract, number=2, changes="Wstawiony w międzyczasie.",
        worker_signed_on=on, person_signed_on=on, created_by=sw.worker,
    )  # fmt: skip
    with pytest.raises(ConflictError, match="Ktoś inny zmienił"):
        svc.contract_annex_add(
            contract=contract, changes="Mój aneks.", new_valid_to=None, worker_signed_on=on,
            person_signed_on=on, actions_person="Warsztaty", actions_worker="", user=sw.worker,
            today=on,
        )  # fmt: skip
    assert ContractAnnex.objects.filter(contract=contract).count() == 1
    assert not contract.actions.filter(description="Warsztaty").exists()

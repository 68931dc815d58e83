"""The chronology is append-only: no edit or delete in the UI, the API or the ORM; a correction
is a new note linked to the original."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse

from ostoja.cases.models import TimelineEvent
from ostoja.core.dates import now, today
from ostoja.core.errors import ValidationFailed
from ostoja.socialwork import services as svc
from ostoja.socialwork.models import CaseNote, NoteImmutable

pytestmark = pytest.mark.django_db


def _note(case: Any, user: Any, text: str = "Rozmowa w ośrodku.") -> CaseNote:
    return svc.note_add(
        case=case, user=user, category="rozmowa", occurred_on=today(), text=text, now=now()
    )


def test_note_is_recorded_on_the_case_timeline(case: Any, sw: Any) -> None:
    note = _note(case, sw.worker)
    event = TimelineEvent.objects.get(
        case=case, source_app="socialwork.note", source_id=str(note.pk)
    )
    assert event.kind == "praca_socjalna"
    assert "Rozmowa" in event.detail


def test_orm_save_of_existing_note_raises(case: Any, sw: Any) -> None:
    note = _note(case, sw.worker)
    note.text = "zmienione"
    with pytest.raises(NoteImmutable):
        note.save()
    assert CaseNote.objects.get(pk=note.pk).text == "Rozmowa w ośrodku."


def test_orm_delete_and_queryset_delete_and_update_raise(case: Any, sw: Any) -> None:
    note = _note(case, sw.worker)
    with pytest.raises(NoteImmutable):
        note.delete()
    with pytest.raises(NoteImmutable):
        CaseNote.objects.filter(pk=note.pk).delete()
    with pytest.raises(NoteImmutable):
        CaseNote.objects.filter(pk=note.pk).update(text="x")
    with pytest.raises(NoteImmutable):
        CaseNote._base_manager.filter(pk=note.pk).delete()
    assert CaseNote.objects.filter(pk=note.pk).exists()


def test_pre_delete_signal_refuses_even_a_collector_delete(case: Any, sw: Any) -> None:
    from django.db.models.deletion import Collector

    note = _note(case, sw.worker)
    collector = Collector(using="default")
    collector.collect([note])
    with pytest.raises(NoteImmutable):
        collector.delete()


def test_correction_links_to_original_which_stays_unchanged(case: Any, sw: Any) -> None:
    original = _note(case, sw.worker, "Utrata pracy w marcu.")
    fix = svc.note_add(
        case=case,
        user=sw.worker,
        category="rozmowa",
        occurred_on=today(),
        text="Utrata pracy w lutym.",
        now=now(),
        corrects=original,
        correction_reason="Błędny miesiąc.",
    )
    original.refresh_from_db()
    assert original.text == "Utrata pracy w marcu."
    assert original.correction == fix
    assert fix.corrects == original
    # the chain: only the latest version may be corrected
    with pytest.raises(ValidationFailed) as exc:
        svc.note_add(
            case=case,
            user=sw.worker,
            category="rozmowa",
            occurred_on=today(),
            text="x",
            now=now(),
            corrects=original,
            correction_reason="znowu",
        )
    assert "corrects" in exc.value.errors


def test_correction_needs_a_reason_and_event_date_not_in_future(case: Any, sw: Any) -> None:
    original = _note(case, sw.worker)
    with pytest.raises(ValidationFailed):
        svc.note_add(
            case=case,
            user=sw.worker,
            category="rozmowa",
            occurred_on=today(),
            text="x",
            now=now(),
            corrects=original,
        )
    with pytest.raises(ValidationFailed):
        svc.note_add(
            case=case,
            user=sw.worker,
            category="rozmowa",
            occurred_on=today() + timedelta(days=1),
            text="x",
            now=now(),
        )


def test_ui_shows_corrected_badge_with_link_and_no_edit_or_delete(
    case: Any, sw: Any, client_for: Any
) -> None:
    original = _note(case, sw.worker, "Pierwotna treść.")
    fix = svc.note_add(
        case=case,
        user=sw.worker,
        category="rozmowa",
        occurred_on=today(),
        text="Poprawiona treść.",
        now=now(),
        corrects=original,
        correction_reason="Pomyłka.",
    )
    c = client_for(sw.worker)
    html = c.get(reverse("socialwork:case", args=[case.pk])).content.decode()
    assert "skorygowana" in html
    assert f'href="#notatka-{fix.pk}"' in html
    assert "Usuń" not in html and "Edytuj" not in html


def test_ui_would_be_edit_and_delete_urls_do_not_exist(case: Any, sw: Any, client_for: Any) -> None:
    note = _note(case, sw.worker)
    c = client_for(sw.worker)
    for path in (
        f"/praca-socjalna/notatki/{note.pk}/edycja/",
        f"/praca-socjalna/notatki/{note.pk}/usun/",
        f"/praca-socjalna/notatki/{note.pk}/",
    ):
        assert c.post(path, {"text": "x"}).status_code == 404
    # the only note URL that takes POST is the correction, and it never changes the note
    assert c.get(reverse("socialwork:note_correct", args=[note.pk])).status_code == 200
    assert c.delete(reverse("socialwork:note_correct", args=[note.pk])).status_code == 405
    assert CaseNote.objects.get(pk=note.pk).text == "Rozmowa w ośrodku."


def test_ui_add_note_and_correct(case: Any, sw: Any, client_for: Any) -> None:
    c = client_for(sw.worker)
    r = c.post(
        reverse("socialwork:note_add", args=[case.pk]),
        {"category": "telefon", "occurred_on": today().isoformat(), "text": "Telefon od córki."},
    )
    assert r.status_code == 302
    note = CaseNote.objects.get(case=case)
    r = c.post(
        reverse("socialwork:note_correct", args=[note.pk]),
        {
            "category": "telefon",
            "occurred_on": today().isoformat(),
            "text": "Telefon od syna.",
            "correction_reason": "Pomyłka osoby.",
        },
    )
    assert r.status_code == 302
    assert CaseNote.objects.filter(case=case).count() == 2
    assert CaseNote.objects.get(pk=note.pk).text == "Telefon od córki."


def test_api_notes_create_list_and_no_update_or_delete(case: Any, sw: Any, client_for: Any) -> None:
    c = client_for(sw.worker)
    r = c.post(
        "/api/v1/notes",
        {
            "case": case.pk,
            "category": "pismo",
            "occurred_on": today().isoformat(),
            "text": "Pismo z MZB.",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    note_id = r.json()["id"]
    r = c.get(f"/api/v1/notes?case={case.pk}")
    assert r.status_code == 200 and [n["id"] for n in r.json()] == [note_id]
    for method in ("put", "patch", "delete"):
        resp = getattr(c, method)(
            f"/api/v1/notes/{note_id}", {"text": "x"}, content_type="application/json"
        )
        assert resp.status_code in (403, 405), method
    assert CaseNote.objects.get(pk=note_id).text == "Pismo z MZB."
    r = c.post(
        "/api/v1/notes",
        {
            "case": case.pk,
            "category": "pismo",
            "occurred_on": today().isoformat(),
            "text": "Pismo z MZB (korekta).",
            "corrects": note_id,
            "correction_reason": "literówka",
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    listed = {n["id"]: n for n in c.get(f"/api/v1/notes?case={case.pk}").json()}
    assert listed[note_id]["corrected_by"] == r.json()["id"]


def test_api_refuses_case_outside_scope(sw: Any, make_staff: Any, client_for: Any) -> None:
    from ostoja.socialwork.tests.factories import make_case

    other = make_case(unit_code="ro2")
    c = client_for(sw.worker)
    assert (
        c.get(f"/api/v1/notes?case={other.pk}").status_code == 404
    )  # like a missing id (issue 20)
    assert c.get(reverse("socialwork:case", args=[other.pk])).status_code == 404


def test_benefits_clerk_has_no_notes(sw: Any, case: Any, client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.get(username="swiadczenia")
    assert client_for(clerk).get(reverse("socialwork:index")).status_code == 403
    assert date.today()  # keep import used


def test_database_refuses_raw_update_and_delete_on_postgresql(case: Any, sw: Any) -> None:
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    note = _note(case, sw.worker)
    for sql in ("UPDATE socialwork_casenote SET text = 'x' WHERE id = %s",
                "DELETE FROM socialwork_casenote WHERE id = %s"):  # fmt: skip
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [note.pk])

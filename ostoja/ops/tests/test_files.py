"""Files prepared in the background (issue 21 §1): the MRPiPS-03 export and a day's decisions
as one PDF are queued from their pages, built by the worker's task, listed on „Moje pliki do
pobrania” and downloaded only by their requester, with a fresh role/scope check and an audit
entry. Tests run the task in the request (the immediate backend of the test settings) unless a
test routes it through the database queue."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ostoja.core import dates
from ostoja.core.dates import today
from ostoja.ops.models import GeneratedFile
from tests.refusals import error_at_field, error_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_org: None) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def signed_decision(users: dict[str, Any]) -> Any:
    """A signed decision of district ro1 (the decisions tests' recipe)."""
    from ostoja.decisions import services
    from ostoja.decisions.tests.factories import make_ready_application

    app = make_ready_application("zasilek_staly")
    d = services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB
    )
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    return services.decision_sign(now=dates.now(), decision=d, actor=users["kierownik"], on=today())


NRB = "61109010140000071219812874"


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """``with committed():`` — run what waits for the commit (the queued task, which the
    immediate backend then builds) at the end of the block: a test's own transaction never
    commits, and the task is queued only on commit (``transaction.on_commit``)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _audit_rows(row: GeneratedFile) -> Any:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(GeneratedFile),
        object_pk=str(row.pk),
        action=LogEntry.Action.ACCESS,
    )


# ------------------------------------------------------------------ MRPiPS-03


def test_mrpips03_xlsx_is_queued_built_listed_and_downloaded_with_an_audit_entry(
    users: dict[str, Any], client_for: Any, committed: Any
) -> None:
    analyst = users["analityk"]
    c = client_for(analyst)
    with committed():
        r = c.post(
            reverse("ops:file_request"),
            {"kind": "mrpips03", "okres": "2026-H1", "format": "xlsx"},
        )
    assert r.status_code == 302 and r["Location"] == reverse("ops:my_files")
    row = GeneratedFile.objects.get(requested_by=analyst)
    assert row.status == "gotowy", row.error
    assert row.params == {"okres": "2026-H1", "format": "xlsx"}
    assert row.filename == "MRPiPS-03_2026-H1.xlsx"
    assert row.sha256 == hashlib.sha256(bytes(row.data)).hexdigest()
    assert row.expires_at - row.created_at == timedelta(days=7)
    assert row.task_id
    page = c.get(reverse("ops:my_files"))
    body = page.content.decode()
    assert "Zlecono przygotowanie pliku „Sprawozdanie MRPiPS-03 — okres 2026-H1 (XLSX)”" in body
    assert reverse("ops:file_download", args=[row.pk]) in body
    download = c.get(reverse("ops:file_download", args=[row.pk]))
    assert download.status_code == 200
    assert download.content[:2] == b"PK"  # an XLSX is a zip
    assert download["X-Content-SHA256"] == row.sha256
    assert 'filename="MRPiPS-03_2026-H1.xlsx"' in download["Content-Disposition"]
    entry = _audit_rows(row).get()
    assert entry.actor == analyst
    assert entry.additional_data["sha256"] == row.sha256
    assert entry.additional_data["kind"] == "mrpips03"


def test_the_synchronous_export_url_still_answers(users: dict[str, Any], client_for: Any) -> None:
    r = client_for(users["analityk"]).get(
        reverse("analysis:mrpips03"), {"okres": "2026-H1", "format": "csv"}
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")


def test_the_mrpips03_page_queues_xlsx_pdf_and_cas(users: dict[str, Any], client_for: Any) -> None:
    body = client_for(users["analityk"]).get(reverse("analysis:mrpips03"), {"okres": "2026-H1"})
    html = body.content.decode()
    assert reverse("ops:file_request") in html
    for fmt in ("cas", "xlsx", "pdf"):
        assert f'name="format" value="{fmt}"' in html


def test_a_role_without_reports_cannot_queue_the_report(
    users: dict[str, Any], client_for: Any
) -> None:
    r = client_for(users["socjalny"]).post(
        reverse("ops:file_request"), {"kind": "mrpips03", "okres": "2026-H1", "format": "pdf"}
    )
    assert r.status_code == 403
    assert "Sprawozdanie MRPiPS-03 przygotowują osoby z dostępem do sprawozdań." in (
        r.content.decode()
    )
    assert not GeneratedFile.objects.exists()


def test_a_wrong_period_is_refused_at_its_field(users: dict[str, Any], client_for: Any) -> None:
    r = client_for(users["analityk"]).post(
        reverse("ops:file_request"), {"kind": "mrpips03", "okres": "2026-H3", "format": "pdf"}
    )
    assert r.status_code == 409
    form = r.context["form"]
    assert "Nieprawidłowy okres „2026-H3”" in form.errors["okres"][0]
    r = client_for(users["analityk"]).post(
        reverse("ops:file_request"), {"kind": "mrpips03", "okres": "2026", "format": "csv"}
    )
    assert r.context["form"].errors["format"]
    assert not GeneratedFile.objects.exists()


# ------------------------------------------------------------------ scope of the download


def test_another_person_cannot_download_even_by_id_and_the_attempt_is_recorded(
    users: dict[str, Any], client_for: Any
) -> None:
    from ostoja.ops.files import generated_file_request

    row, _ = generated_file_request(
        user=users["analityk"],
        kind="mrpips03",
        params={"okres": "2026", "format": "cas"},
        now=dates.now(),
    )
    url = reverse("ops:file_download", args=[row.pk])
    # the director may read reports himself, but this is not his file
    assert client_for(users["dyrektor"]).get(url).status_code == 404
    assert client_for(users["socjalny"]).get(url).status_code == 404
    # an id that does not exist answers the same
    assert (
        client_for(users["dyrektor"])
        .get(reverse("ops:file_download", args=[row.pk + 1000]))
        .status_code
        == 404
    )
    refused = _audit_rows(row)
    assert refused.count() == 2 and all(e.additional_data.get("refused") for e in refused)
    assert {e.actor.username for e in refused} == {"dyrektor", "socjalny"}
    # his own list does not show it
    assert url not in client_for(users["dyrektor"]).get(reverse("ops:my_files")).content.decode()


def test_the_role_is_checked_again_at_download_time(
    users: dict[str, Any], client_for: Any, committed: Any
) -> None:
    from ostoja.ops.files import generated_file_request

    analyst = users["analityk"]
    with committed():
        row, _ = generated_file_request(
            user=analyst,
            kind="mrpips03",
            params={"okres": "2026", "format": "pdf"},
            now=dates.now(),
        )
    row.refresh_from_db()
    assert row.status == "gotowy"
    analyst.groups.clear()  # the role was taken away after the file was made
    r = client_for(analyst).get(reverse("ops:file_download", args=[row.pk]))
    assert r.status_code == 404
    assert _audit_rows(row).get().additional_data["refused"] is True


def test_an_expired_file_is_not_served(
    users: dict[str, Any], client_for: Any, travel: Any, committed: Any
) -> None:
    from ostoja.ops.files import generated_file_request, generated_files_purge

    travel("2028-02-29", hour=0)  # just after midnight in Warsaw: still 28 Feb in UTC
    with committed():
        row, _ = generated_file_request(
            user=users["analityk"],
            kind="mrpips03",
            params={"okres": "2027", "format": "pdf"},
            now=dates.now(),
        )
    assert dates.local_date(row.expires_at) == dates.local_date(row.created_at) + timedelta(7)
    travel("2028-03-07", hour=1)
    c = client_for(users["analityk"])
    r = c.get(reverse("ops:file_download", args=[row.pk]))
    # the list again, the reason at the file's row and in the summary (issue 17), 410 Gone
    page = r.content.decode()
    assert r.status_code == 410 and r["Content-Type"].startswith("text/html")
    assert error_at_field(page, f"plik-{row.pk}", "Plik wygasł")
    assert "Sprawozdanie MRPiPS-03" in error_summary(page)
    assert "Plik wygasł" not in c.get(reverse("ops:my_files")).content.decode()  # no flash
    assert generated_files_purge(now=dates.now()) == 1
    assert GeneratedFile.objects.get(pk=row.pk).data is None
    assert not _audit_rows(row).exists()


def test_a_file_not_ready_yet_is_refused_on_the_list_and_nothing_is_recorded(
    users: dict[str, Any], client_for: Any
) -> None:
    from ostoja.ops.files import generated_file_request

    # not committed: the task waits in the queue, the file is not built yet
    row, _ = generated_file_request(
        user=users["analityk"],
        kind="mrpips03",
        params={"okres": "2026", "format": "pdf"},
        now=dates.now(),
    )
    c = client_for(users["analityk"])
    r = c.get(reverse("ops:file_download", args=[row.pk]))
    page = r.content.decode()
    assert r.status_code == 409
    assert error_at_field(page, f"plik-{row.pk}", "nie jest jeszcze gotowy")
    assert page.count("data-error-summary") == 1
    # the adversary's side: nothing was served or recorded, the job is untouched
    assert "X-Content-SHA256" not in r
    assert not _audit_rows(row).exists()
    fresh = GeneratedFile.objects.get(pk=row.pk)
    assert (fresh.status, fresh.data) == (row.status, None)
    # someone else asking for the same id still sees no such file (404), not the reason
    other = client_for(users["dyrektor"]).get(reverse("ops:file_download", args=[row.pk]))
    assert other.status_code == 404 and "nie jest jeszcze gotowy" not in other.content.decode()


# ------------------------------------------------------------------ decisions of a day


def test_the_days_decisions_are_built_as_one_pdf_and_other_units_cannot_take_it(
    signed_decision: Any, users: dict[str, Any], client_for: Any, make_staff: Any, committed: Any
) -> None:
    from auditlog.models import LogEntry

    from ostoja.cases.models import Case
    from ostoja.org.models import Unit
    from ostoja.org.roles import Role

    head = users["kierownik"]
    c = client_for(head)
    with committed():
        r = c.post(
            reverse("ops:file_request"), {"kind": "decyzje_dnia", "dzien": today().isoformat()}
        )
    assert r.status_code == 302
    row = GeneratedFile.objects.get(requested_by=head)
    assert row.status == "gotowy", row.error
    assert row.meta == {"decision_ids": [signed_decision.pk]}
    pdf = c.get(reverse("ops:file_download", args=[row.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert signed_decision.number in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert _audit_rows(row).count() == 1
    bulk = LogEntry.objects.filter(object_repr__contains="plik przygotowany w tle").get()
    assert bulk.additional_data["rows"] == 1
    # a worker of another district (same role, other unit) — even with the id: 404
    other = make_staff("ro2head", role=Role.HEAD_OF_UNIT, unit_code="ro2")
    assert client_for(other).get(reverse("ops:file_download", args=[row.pk])).status_code == 404
    # the case file moved to another unit: the file is no longer the head's to take
    Case.objects.filter(pk=signed_decision.case_id).update(unit=Unit.objects.get(code="ro2"))
    assert c.get(reverse("ops:file_download", args=[row.pk])).status_code == 404


def test_a_day_without_signed_decisions_fails_with_a_polish_reason(
    users: dict[str, Any], client_for: Any, committed: Any
) -> None:
    c = client_for(users["kierownik"])
    with committed():
        c.post(reverse("ops:file_request"), {"kind": "decyzje_dnia", "dzien": "2026-02-28"})
    row = GeneratedFile.objects.get()
    assert row.status == "blad"
    assert row.error == "Brak podpisanych decyzji z dnia 2026-02-28."
    assert row.data is None and row.finished_at is not None
    body = c.get(reverse("ops:my_files")).content.decode()
    assert "nie udało się" in body and "Brak podpisanych decyzji z dnia 2026-02-28." in body
    assert reverse("ops:file_download", args=[row.pk]) not in body
    r = c.get(reverse("ops:file_download", args=[row.pk]))
    # it never will be: the list again (410) with the reason at the row, not "not ready yet"
    page = r.content.decode()
    assert r.status_code == 410
    assert error_at_field(page, f"plik-{row.pk}", "nie udało się przygotować")
    assert "nie jest jeszcze gotowy" not in page


def test_an_unexpected_error_is_shown_in_polish_and_logged_without_the_message(
    users: dict[str, Any], client_for: Any, monkeypatch: pytest.MonkeyPatch, committed: Any
) -> None:
    from dataclasses import replace

    from ostoja.ops import files

    def boom(user: Any, params: Any, now: Any) -> Any:
        raise RuntimeError("Kowalski Jan 44051401359")

    monkeypatch.setitem(files.KINDS, "mrpips03", replace(files.KINDS["mrpips03"], build=boom))
    with committed():
        client_for(users["analityk"]).post(
            reverse("ops:file_request"), {"kind": "mrpips03", "okres": "2026", "format": "xlsx"}
        )
    row = GeneratedFile.objects.get()
    assert row.status == "blad" and row.error == files.INTERNAL_ERROR
    assert "Kowalski" not in row.error


def test_a_role_lost_before_the_worker_runs_fails_the_job(users: dict[str, Any]) -> None:

    analyst = users["analityk"]
    row = GeneratedFile.objects.create(
        requested_by=analyst,
        kind="mrpips03",
        params={"okres": "2026", "format": "pdf"},
        params_key="x",
        created_at=dates.now(),
        expires_at=dates.now() + timedelta(days=7),
    )
    analyst.groups.clear()
    from ostoja.ops.tasks import generated_file_task

    generated_file_task.call(row.pk)
    row.refresh_from_db()
    assert row.status == "blad"
    assert row.error == "Sprawozdanie MRPiPS-03 przygotowują osoby z dostępem do sprawozdań."
    # a second delivery of the same task builds nothing
    assert generated_file_task.call(row.pk)["status"].startswith("pominięto")


# ------------------------------------------------------------------ through the database queue

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_repeated_request_while_queued_queues_nothing_twice_and_the_worker_builds_it(
    users: dict[str, Any], client_for: Any, travel: Any
) -> None:
    from django.core.management import call_command
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    travel("2026-12-31", hour=23)  # New Year's Eve, late: the job is still one job
    c = client_for(users["analityk"])
    form = {"kind": "mrpips03", "okres": "2026-H1", "format": "cas"}
    with override_settings(TASKS=DB_TASKS):
        first = c.post(reverse("ops:file_request"), form, follow=True)
        assert "Zlecono przygotowanie pliku" in first.content.decode()
        row = GeneratedFile.objects.get()
        assert row.status == "w_kolejce" and row.data is None
        assert "w kolejce" in first.content.decode()
        second = c.post(reverse("ops:file_request"), form, follow=True)
        assert "jest już w przygotowaniu" in second.content.decode()
        assert GeneratedFile.objects.count() == 1 and DBTaskResult.objects.count() == 1
        # another format, or another person, is another job
        c.post(reverse("ops:file_request"), {**form, "format": "pdf"})
        client_for(users["dyrektor"]).post(reverse("ops:file_request"), form)
        assert GeneratedFile.objects.count() == 3 and DBTaskResult.objects.count() == 3
        expired = GeneratedFile.objects.create(
            requested_by=users["analityk"],
            kind="mrpips03",
            params={"okres": "2025", "format": "pdf"},
            params_key="old",
            status="gotowy",
            data=b"%PDF old",
            created_at=dates.now() - timedelta(days=8),
            expires_at=dates.now() - timedelta(days=1),
        )
        call_command("worker", batch=True, startup_delay=False, interval=0, heartbeat=3600)
    expired.refresh_from_db()
    assert expired.data is None  # the worker dropped the expired bytes; the row stays
    assert set(GeneratedFile.objects.values_list("status", flat=True)) == {"gotowy"}
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3
    row.refresh_from_db()
    assert row.content_type == "application/xml" and bytes(row.data).startswith(b"<?xml")
    # done: a new request makes a new file (the figures may have changed)
    with override_settings(TASKS=DB_TASKS):
        c.post(reverse("ops:file_request"), form)
    assert GeneratedFile.objects.filter(requested_by=users["analityk"]).count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_job_the_worker_never_took_is_replaced_after_an_hour(
    users: dict[str, Any], travel: Any
) -> None:
    from django.test import override_settings

    from ostoja.ops.files import STALE_ERROR, generated_file_request

    travel("2026-11-30", hour=23)
    params = {"okres": "2026", "format": "pdf"}
    with override_settings(TASKS=DB_TASKS):
        old, created = generated_file_request(
            user=users["analityk"], kind="mrpips03", params=params, now=dates.now()
        )
        assert created
        travel("2026-12-01", hour=1)
        new, created = generated_file_request(
            user=users["analityk"], kind="mrpips03", params=params, now=dates.now()
        )
    assert created and new.pk != old.pk
    old.refresh_from_db()
    assert old.status == "blad" and old.error == STALE_ERROR


def test_a_job_stuck_running_is_replaced_and_its_late_finish_changes_nothing(
    users: dict[str, Any], travel: Any
) -> None:
    from django.test import override_settings

    from ostoja.ops import files

    travel("2026-12-31", hour=23)
    params = {"okres": "2026", "format": "pdf"}
    with override_settings(TASKS=DB_TASKS):
        stuck, _ = files.generated_file_request(
            user=users["analityk"], kind="mrpips03", params=params, now=dates.now()
        )
        taken = files.generated_file_start(file_id=stuck.pk, now=dates.now())
        assert taken is not None and taken.status == "w_toku"
        # the worker died in it; 59 minutes later (past midnight: another year) the same job
        same, created = files.generated_file_request(
            user=users["analityk"],
            kind="mrpips03",
            params=params,
            now=taken.started_at + timedelta(minutes=59),
        )
        assert not created and same.pk == stuck.pk
        travel("2027-01-01", hour=1)
        new, created = files.generated_file_request(
            user=users["analityk"], kind="mrpips03", params=params, now=dates.now()
        )
    assert created and new.pk != stuck.pk
    out = files.Output(data=b"%PDF late", filename="x.pdf", content_type="application/pdf")
    files.generated_file_finish(row=taken, outcome=out, now=dates.now())
    stuck.refresh_from_db()
    assert stuck.status == "blad" and stuck.error == files.STALE_ERROR and stuck.data is None


def test_the_database_refuses_a_second_active_job_of_the_same_request(
    users: dict[str, Any],
) -> None:
    from django.db import IntegrityError, transaction

    fields = {
        "requested_by": users["analityk"],
        "kind": "mrpips03",
        "params_key": '{"format":"pdf","okres":"2026"}',
        "created_at": dates.now(),
        "expires_at": dates.now() + timedelta(days=7),
    }
    GeneratedFile.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        GeneratedFile.objects.create(**fields, status="w_toku")
    GeneratedFile.objects.create(**fields, status="gotowy")  # finished jobs may repeat
    GeneratedFile.objects.create(**{**fields, "requested_by": users["dyrektor"]})


# ------------------------------------------------------------------ queued on commit


@pytest.mark.django_db(transaction=True)
def test_the_task_is_queued_only_when_the_row_commits_and_a_rollback_queues_nothing(
    users: dict[str, Any],
) -> None:
    """With Redis the worker could take a task queued inside the transaction before its row
    exists: the task waits for the commit, and a rolled-back request queues nothing."""
    from django.db import transaction
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from ostoja.ops.files import generated_file_request

    params = {"okres": "2026", "format": "pdf"}
    with override_settings(TASKS=DB_TASKS):
        with pytest.raises(RuntimeError), transaction.atomic():  # the request fails later on
            generated_file_request(
                user=users["analityk"], kind="mrpips03", params=params, now=dates.now()
            )
            assert not DBTaskResult.objects.exists()  # nothing queued before the commit
            raise RuntimeError("the rest of the request failed")
        assert not GeneratedFile.objects.exists() and not DBTaskResult.objects.exists()
        with transaction.atomic():
            row, created = generated_file_request(
                user=users["analityk"], kind="mrpips03", params=params, now=dates.now()
            )
            assert created and not DBTaskResult.objects.exists()
        task = DBTaskResult.objects.get()
    row.refresh_from_db()
    assert row.task_id == str(task.id) and task.args_kwargs["args"] == [row.pk]

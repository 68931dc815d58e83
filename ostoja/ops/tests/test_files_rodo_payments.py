"""Files prepared in the background, continued (issue 21 §1/§4): a person's data export
(art. 15 RODO, PDF and JSON) for the DPO, and the payment list's printout (PDF) — queued like
the other kinds, built by the worker as the requester, downloaded only by them after a fresh
check of the right, each download audited as a read of personal data."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from pypdf import PdfReader

from ostoja.core import dates
from ostoja.ops.models import GeneratedFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_org: None) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """The task is queued on commit; a test's own transaction never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def person() -> Any:
    from ostoja.facilities.tests.factories import make_person

    return make_person("Żółkiewska", "Maria")


def _reads(obj: Any, **extra: Any) -> Any:
    from django.contrib.contenttypes.models import ContentType

    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_pk=str(obj.pk),
        action=LogEntry.Action.ACCESS,
        **extra,
    )


# ------------------------------------------------------------------ art. 15 RODO


def test_the_dpo_queues_the_pdf_and_the_json_from_the_persons_page(
    users: dict[str, Any], client_for: Any, person: Any, committed: Any
) -> None:
    iod = users["iod"]
    c = client_for(iod)
    page = c.get(reverse("ops:person_rights", args=[person.pk])).content.decode()
    assert 'name="kind" value="rodo_eksport"' in page and 'value="json"' in page
    for fmt in ("pdf", "json"):
        with committed():
            r = c.post(
                reverse("ops:file_request"),
                {"kind": "rodo_eksport", "osoba": str(person.pk), "format": fmt},
            )
        assert r.status_code == 302
    pdf_row = GeneratedFile.objects.get(requested_by=iod, params__format="pdf")
    json_row = GeneratedFile.objects.get(requested_by=iod, params__format="json")
    assert pdf_row.status == json_row.status == "gotowy", (pdf_row.error, json_row.error)
    assert pdf_row.filename == f"dane-osoby-{person.pk}-art15.pdf"
    listing = c.get(reverse("ops:my_files")).content.decode()
    assert f"Dane osoby nr {person.pk} — art. 15 RODO (PDF do odczytu)" in listing
    got = c.get(reverse("ops:file_download", args=[json_row.pk]))
    assert got["Content-Type"] == "application/json"
    data = json.loads(got.content)
    assert data["person"]["nazwisko"] == person.last_name
    got = c.get(reverse("ops:file_download", args=[pdf_row.pk]))
    text = " ".join(PdfReader(io.BytesIO(got.content)).pages[0].extract_text().split())
    assert "art. 15 RODO" in text and person.last_name in text
    # each download is a read of the person's data, with the file and its hash
    reads = _reads(person, actor=iod)
    assert reads.count() >= 2
    entry = reads.filter(additional_data__file=pdf_row.pk).get()
    assert entry.additional_data["sha256"] == pdf_row.sha256
    assert "art. 15 RODO" in entry.additional_data["reason"]


def test_no_one_but_the_dpo_may_queue_the_export(
    users: dict[str, Any], client_for: Any, person: Any
) -> None:
    for name in ("socjalny", "dyrektor", "kierownik"):
        r = client_for(users[name]).post(
            reverse("ops:file_request"),
            {"kind": "rodo_eksport", "osoba": str(person.pk), "format": "pdf"},
        )
        assert r.status_code == 403
        assert "przygotowuje inspektor ochrony danych" in r.content.decode()
    assert not GeneratedFile.objects.exists()


def test_wrong_parameters_are_refused_at_their_fields(
    users: dict[str, Any], client_for: Any, committed: Any
) -> None:
    c = client_for(users["iod"])
    r = c.post(reverse("ops:file_request"), {"kind": "rodo_eksport", "osoba": "x", "format": "pdf"})
    assert r.context["form"].errors["osoba"] == ["Podaj numer osoby (liczba)."]
    r = c.post(reverse("ops:file_request"), {"kind": "rodo_eksport", "osoba": "1", "format": "cas"})
    assert r.context["form"].errors["format"]
    assert not GeneratedFile.objects.exists()
    with committed():
        c.post(
            reverse("ops:file_request"),
            {"kind": "rodo_eksport", "osoba": "999999", "format": "pdf"},
        )
    row = GeneratedFile.objects.get()
    assert row.status == "blad" and row.error == "Nie ma osoby o numerze 999999."


def test_the_export_is_the_dpos_alone_and_the_right_is_checked_again(
    users: dict[str, Any], client_for: Any, person: Any, committed: Any, make_staff: Any
) -> None:
    from ostoja.ops.files import generated_file_request
    from ostoja.org.roles import Role

    iod = users["iod"]
    with committed():
        row, _ = generated_file_request(
            user=iod, kind="rodo_eksport", params={"osoba": person.pk, "format": "json"},
            now=dates.now(),
        )  # fmt: skip
    row.refresh_from_db()
    assert row.status == "gotowy", row.error
    url = reverse("ops:file_download", args=[row.pk])
    # another DPO (same role, the id known) — not their file: 404 and a refused entry
    other = make_staff("iod2", role=Role.DATA_PROTECTION_OFFICER, unit_code="iod")
    assert client_for(other).get(url).status_code == 404
    assert client_for(users["dyrektor"]).get(url).status_code == 404
    assert not _reads(person).exists()  # nobody read the person's data
    # the role taken away after the file was made
    iod.groups.clear()
    assert client_for(iod).get(url).status_code == 404
    assert not _reads(person).exists()


def test_a_person_anonymised_after_the_export_takes_the_file_away(
    users: dict[str, Any], client_for: Any, person: Any, committed: Any, travel: Any
) -> None:
    from datetime import timedelta

    from ostoja.ops.files import generated_file_request
    from ostoja.ops.models import Anonymisation

    travel("2028-02-29", hour=0)  # just after midnight in Warsaw (28 Feb in UTC)
    iod = users["iod"]
    with committed():
        row, _ = generated_file_request(
            user=iod, kind="rodo_eksport", params={"osoba": person.pk, "format": "pdf"},
            now=dates.now(),
        )  # fmt: skip
    c = client_for(iod)
    assert c.get(reverse("ops:file_download", args=[row.pk])).status_code == 200
    Anonymisation.objects.create(
        person_id=person.pk, reason="upływ okresu", status="wykonana", requested_by=iod,
        requested_at=dates.now(), decided_by=users["dyrektor"],
        decided_at=dates.now() + timedelta(minutes=5),
    )  # fmt: skip
    assert c.get(reverse("ops:file_download", args=[row.pk])).status_code == 404


# ------------------------------------------------------------------ payment list printout


@pytest.fixture
def payment_list(users: dict[str, Any]) -> Any:
    from ostoja.payments import services
    from ostoja.payments.models import PaymentList
    from ostoja.payments.testing import make_line

    lines = [make_line(i, amount="612.50") for i in (1, 2, 3)]
    services.payroll_build(now=dates.now(), month="2026-11", lines=lines, actor=None)
    return PaymentList.objects.get()


def test_finance_queues_the_list_printout_and_downloads_it_with_an_audit_entry(
    users: dict[str, Any], client_for: Any, payment_list: Any, committed: Any
) -> None:
    finance = users["ksiegowosc"]
    c = client_for(finance)
    page = c.get(reverse("payments:list_print", args=[payment_list.pk])).content.decode()
    assert 'name="kind" value="lista_wyplat"' in page
    with committed():
        r = c.post(reverse("ops:file_request"), {"kind": "lista_wyplat", "lista": payment_list.pk})
    assert r.status_code == 302
    row = GeneratedFile.objects.get(requested_by=finance)
    assert row.status == "gotowy", row.error
    assert row.meta == {"list_id": payment_list.pk, "rows": 3}
    got = c.get(reverse("ops:file_download", args=[row.pk]))
    assert got["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(got.content)).pages).split()
    )
    assert payment_list.number in text and "Jan Kowalski-2" in text
    entry = _reads(payment_list, actor=finance, additional_data__file=row.pk).get()
    assert entry.additional_data["rows"] == 3 and entry.additional_data["sha256"] == row.sha256


def test_a_district_clerk_cannot_queue_or_take_the_list(
    users: dict[str, Any], client_for: Any, payment_list: Any, make_staff: Any, committed: Any
) -> None:
    from ostoja.org.roles import Role

    # the right to payments, but only one district's: the list mixes districts
    clerk = make_staff("clerk_ro2", role=Role.BENEFITS_CLERK, unit_code="ro2")
    r = client_for(clerk).post(
        reverse("ops:file_request"), {"kind": "lista_wyplat", "lista": payment_list.pk}
    )
    assert r.status_code == 403 and "widzą wszystkie rejony" in r.content.decode()
    assert not GeneratedFile.objects.exists()
    finance = users["ksiegowosc"]
    with committed():
        client_for(finance).post(
            reverse("ops:file_request"), {"kind": "lista_wyplat", "lista": payment_list.pk}
        )
    row = GeneratedFile.objects.get()
    url = reverse("ops:file_download", args=[row.pk])
    assert client_for(clerk).get(url).status_code == 404
    assert client_for(users["dyrektor"]).get(url).status_code == 404  # sees lists, not his file
    finance.groups.clear()
    assert client_for(finance).get(url).status_code == 404
    assert not _reads(payment_list).exclude(additional_data__has_key="refused").exists()


# ------------------------------------------------------------------ the link in the user box


def test_moje_pliki_is_linked_from_the_user_box_of_every_staff_page(
    users: dict[str, Any], client_for: Any
) -> None:
    import re

    link = f'<a href="{reverse("ops:my_files")}" class="my-files"'
    for name, url in (
        ("socjalny", reverse("web:home")),
        ("ksiegowosc", reverse("payments:index")),
        ("iod", reverse("ops:register")),
    ):
        body = client_for(users[name]).get(url).content.decode()
        box = re.search(r'<div class="user-box">(.*?)</div>', body, re.S)
        assert box and link in box.group(1), name
        assert 'aria-current="page"' not in box.group(1)
    body = client_for(users["socjalny"]).get(reverse("ops:my_files")).content.decode()
    assert f'{link} aria-current="page">Moje pliki</a>' in body

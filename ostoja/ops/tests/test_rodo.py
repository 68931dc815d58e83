"""RODO: the data subject's export (art. 15), the retention map (JRWA), the register (art. 30)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from ostoja.ops.rodo.maps import processing_register, retention_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(demo_org: None) -> object:
    from ostoja.core.dates import now
    from ostoja.registry.models import Person
    from ostoja.web.demo import load_demo

    load_demo(now=now())
    return Person.objects.exclude(pesel="").order_by("pk").first()


def test_export_json_holds_the_person_and_related_rows(person: object, tmp_path: Path) -> None:
    out = tmp_path / "osoba.json"
    call_command("rodo", "export", person=person.pk, fmt="json", output=str(out), by="iod")
    data = json.loads(out.read_text())
    assert data["title"].endswith("(art. 15 RODO)")
    assert data["person"]["nazwisko"] == person.last_name
    assert data["person"]["PESEL"] == person.pesel
    assert data["sections"], "no related rows (memberships, incomes, applications)"
    # the export is a read of personal data: audited
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(person.pk),
        additional_data__reason="eksport danych osoby (art. 15 RODO)",
    ).exists()  # fmt: skip


def test_export_pdf_is_readable(person: object, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "osoba.pdf"
    call_command("rodo", "export", person=person.pk, fmt="pdf", output=str(out), by="iod")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "art. 15 RODO" in text
    assert person.last_name in text


def test_only_the_dpo_may_export(person: object, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="inspektor ochrony danych"):
        call_command("rodo", "export", person=person.pk, fmt="json",
                     output=str(tmp_path / "x.json"), by="socjalny")  # fmt: skip
    assert not (tmp_path / "x.json").exists()


def test_retention_map_covers_each_record_class_with_a_source() -> None:
    rules = retention_rules()
    assert {"case_file", "decision", "payment", "audit_entry", "statistics"} <= set(rules)
    for r in rules.values():
        assert r.source and r.archival_category
    # art. 74 ust. 2 pkt 4 ustawy o rachunkowości: accounting records 5 years from the next year
    assert rules["payment"].expires_on(closed_in_year=2026) == date(2032, 1, 1)
    assert rules["case_file"].expires_on(closed_in_year=2026) == date(2037, 1, 1)
    assert rules["statistics"].expires_on(closed_in_year=2026) is None  # kategoria A


def test_register_of_processing_activities_names_basis_and_retention() -> None:
    register = processing_register()
    assert register
    for activity in register:
        assert "RODO" in activity["legal_basis"] and activity["retention"]


def test_retention_dry_run_lists_expired_case_files_only(db: None) -> None:
    from ostoja.cases.models import Application, Case
    from ostoja.ops.rodo.retention import retention_dry_run
    from tests.factories import build_world

    build_world(on=date(2026, 12, 1))
    cases = list(Case.objects.filter(applications__isnull=False).distinct().order_by("pk")[:3])
    assert len(cases) == 3
    # B10 from 1 January after closure: closed in 2015 → expired 1.1.2026; 2016 → 1.1.2027
    Application.objects.filter(case=cases[0]).update(closed_on=date(2015, 6, 30))
    Application.objects.filter(case=cases[1]).update(closed_on=date(2016, 1, 4))
    Application.objects.filter(case=cases[2]).update(closed_on=None)  # still open: kept
    Application.objects.exclude(case__in=cases).update(closed_on=date(2025, 1, 1))
    before = Case.objects.count()
    report, _ = retention_dry_run(on=date(2026, 12, 31))
    assert report.expired_ids == [cases[0].pk]
    assert report.archival_category == "B10"
    assert Case.objects.count() == before  # a dry run changes nothing
    later, _ = retention_dry_run(on=date(2027, 1, 1))
    assert later.expired_ids == [cases[0].pk, cases[1].pk]

"""Street import (GUS ULIC) and the CSV import of persons and households (all-or-nothing)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command

from ostoja.registry.demo import make_pesel
from ostoja.registry.importer import persons_import
from ostoja.registry.models import Household, Person, Street
from ostoja.registry.streets import streets_import_ulic

HEADER = "WOJ;POW;GMI;RODZ_GMI;SYM;SYM_UL;CECHA;NAZWA_1;NAZWA_2;STAN_NA\n"


@pytest.mark.django_db
def test_streets_loaded_by_migration() -> None:
    assert Street.objects.count() == 725
    assert Street.objects.filter(search_key__contains="zeromskiego").exists()


@pytest.mark.django_db
def test_ulic_import_renames_adds_and_deactivates(tmp_path: Any) -> None:
    keep = list(Street.objects.order_by("sym_ul")[:2])
    text = (
        HEADER
        + "".join(
            f"26;61;01;1;0945930;{s.sym_ul};{s.cecha};{s.name_1}{' Nowa' if i == 0 else ''};{s.name_2};2025-01-01\n"
            for i, s in enumerate(keep)
        )
        + "26;61;01;1;0945930;99999;rondo;Unii Europejskiej;;2025-01-01\n"
        + "26;04;01;2;0000000;12345;ul.;Polna;;2025-01-01\n"
    )
    report = streets_import_ulic(text=text)
    assert report.created == ["rondo Unii Europejskiej"]
    assert len(report.renamed) == 1 and report.skipped_other_gminas == 1
    assert len(report.deactivated) == 723
    assert Street.objects.count() == 726  # never deleted
    assert Street.objects.filter(active=True).count() == 3
    path = tmp_path / "ulic.csv"
    path.write_text(text, encoding="utf-8")
    call_command("streets", "import", str(path))  # idempotent second run
    assert Street.objects.count() == 726


def _csv(rows: list[str]) -> str:
    return (
        "nr_rodziny;pokrewienstwo;nazwisko;imie;drugie_imie;pesel;data_urodzenia;plec;"
        "obywatelstwo;ulica;nr_domu;nr_lokalu;kod_pocztowy;miejscowosc;telefon;od_dnia\n"
        + "\n".join(rows)
        + "\n"
    )


@pytest.mark.django_db
def test_csv_import_all_or_nothing_with_report(demo_org: Any) -> None:
    good_a = make_pesel(date(1975, 3, 4), 11, "K")
    good_b = make_pesel(date(2012, 6, 7), 12, "M")
    text = _csv(
        [
            f"R1;Wnioskodawca;Łęcka;Zofia;;{good_a};1975-03-04;K;polskie;Sienkiewicza;5;2;25-007;Kielce;;2024-01-01",
            f"R1;Syn;Łęcki;Jan;;{good_b};07.06.2012;M;polskie;ul. Sienkiewicza;5;2;25-007;Kielce;;2024-01-01",
            "R2;wnioskodawca;Nowak;Adam;;44051401358;1944-05-14;M;polskie;Nieistniejąca;1;;;Kielce;;",
        ]
    )
    result = persons_import(text=text, user=None, on=date(2025, 11, 5), dry_run=False)
    assert [p.line for p in result.rejected] == [4]
    reasons = " ".join(result.rejected[0].reasons)
    assert "Nieistniejąca" in reasons
    assert Person.objects.count() == 0  # nothing half-imported
    ok = persons_import(
        text=_csv(text.splitlines()[1:3]), user=None, on=date(2025, 11, 5), dry_run=True
    )
    assert ok.ok and Person.objects.count() == 0  # dry run
    done = persons_import(
        text=_csv(text.splitlines()[1:3]), user=None, on=date(2025, 11, 5), dry_run=False
    )
    assert done.ok and Person.objects.count() == 2 and Household.objects.count() == 1
    again = persons_import(
        text=_csv(text.splitlines()[1:3]), user=None, on=date(2025, 11, 5), dry_run=False
    )
    assert len(again.rejected) == 2 and "już zarejestrowana" in again.rejected[0].reasons[0]


@pytest.mark.django_db
def test_csv_import_family_without_applicant_rejected(demo_org: Any) -> None:
    p = make_pesel(date(1980, 1, 1), 3, "K")
    result = persons_import(
        text=_csv([f"R9;córka;Kowalska;Ewa;;{p};1980-01-01;K;polskie;Sienkiewicza;1;;;Kielce;;"]),
        user=None,
        on=date(2025, 11, 5),
        dry_run=True,
    )
    assert "dokładnie jednego wnioskodawcę" in result.rejected[0].reasons[0]

"""The analyst's pseudonymised export (issue 13 §6): no names, PESEL, addresses or accounts;
a stable pseudonym per person; the data dictionary describes every column; the export is
recorded (art. 4 pkt 5 and art. 5 ust. 2 RODO)."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest

from ostoja.analysis.periods import ReportPeriod
from ostoja.analysis.pseudonymised import DICTIONARY, pseudonym

H1 = ReportPeriod(2026, half=True)


def _read(data: bytes) -> tuple[list[dict[str, str]], list[list[str]], str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rows = list(
            csv.DictReader(io.StringIO(z.read("dane.csv").decode("utf-8-sig")), delimiter=";")
        )
        dictionary = list(
            csv.reader(io.StringIO(z.read("slownik.csv").decode("utf-8-sig")), delimiter=";")
        )
        raw = z.read("dane.csv").decode("utf-8-sig")
    return rows, dictionary, raw


def test_pseudonym_is_stable_and_keyed() -> None:
    assert pseudonym(b"k", "osoba", 7) == pseudonym(b"k", "osoba", 7)
    assert pseudonym(b"k", "osoba", 7) != pseudonym(b"k2", "osoba", 7)
    assert pseudonym(b"k", "osoba", 7) != pseudonym(b"k", "rodzina", 7)


@pytest.mark.django_db
def test_export_has_no_identifiers_and_matches_the_ledger(seeded: Any) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.analysis import services
    from ostoja.analysis.models import DataExport
    from ostoja.payments.models import Payment
    from ostoja.registry.models import Person

    analyst = get_user_model().objects.get(username="analityk")
    export = services.pseudonymised_export(period=H1, actor=analyst)
    rows, dictionary, raw = _read(export.data)
    assert [d[0] for d in dictionary[1:]] == list(rows[0].keys()) == [c[0] for c in DICTIONARY]
    paid = Payment.objects.filter(status__in=("zatwierdzona", "przekazana", "wyplacona"),
                                  due_date__gte=H1.start, due_date__lt=H1.end)  # fmt: skip
    assert sum(Decimal(r["kwota"]) for r in rows) == sum(paid.values_list("amount", flat=True))
    assert sum(int(r["wyplat"]) for r in rows) == paid.count()
    assert len({r["osoba"] for r in rows}) == paid.values("person_id").distinct().count()
    people = Person.objects.filter(pk__in=paid.values("person_id"))
    for p in people[:50]:
        assert p.last_name not in raw and (p.pesel or "-") not in raw
    for name in paid.values_list("recipient_name", flat=True)[:50]:
        assert name not in raw
    again, _, _ = _read(services.pseudonymised_export(period=H1, actor=analyst).data)
    assert {r["osoba"] for r in again} == {r["osoba"] for r in rows}  # stable
    assert DataExport.objects.filter(exported_by=analyst, period="2026-H1").count() == 2


@pytest.mark.django_db
def test_export_page_for_the_analyst_only(seeded: Any, client_for: Any) -> None:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    analyst = client_for(users.get(username="analityk"))
    page = analyst.get("/analiza/eksport/")
    assert page.status_code == 200 and "Słownik danych" in page.content.decode()
    download = analyst.post("/analiza/eksport/", {"okres": "2026-H1"})
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert analyst.post("/analiza/eksport/", {"okres": "zły"}).status_code == 422
    for name in ("socjalny", "ksiegowosc", "kierownik"):
        assert client_for(users.get(username=name)).get("/analiza/eksport/").status_code == 403

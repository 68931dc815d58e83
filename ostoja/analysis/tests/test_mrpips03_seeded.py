"""MRPiPS-03 on the synthetic city (``ostoja seed``): totals equal the underlying payments and
decisions counted independently here with plain ORM queries; every drill-down list matches its
cell; scope and audit of the drill-down; the CLI and the API (reporting.md §1, formats.md §6)."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from ostoja.analysis import selectors
from ostoja.analysis.periods import ReportPeriod

UNTIL = date(2026, 12, 1)
H1 = ReportPeriod(2026, half=True)
YEAR = ReportPeriod(2025, half=False)
EXECUTED = ("zatwierdzona", "przekazana", "wyplacona")
OWN = ("gmina_wlasne_obowiazkowe", "gmina_wlasne_fakultatywne")


def _user(name: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def _payments(period: ReportPeriod) -> Any:
    from ostoja.payments.models import Payment

    return Payment.objects.filter(
        status__in=EXECUTED, due_date__gte=period.start, due_date__lt=period.end
    )


def _family_persons(case_ids: set[int], on: date) -> int:
    from ostoja.cases.models import Case
    from ostoja.registry.models import HouseholdMembership

    households = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "household_id"))
    total = 0
    for hh in households.values():
        n = (
            HouseholdMembership.objects.filter(household_id=hh, valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
            .count()
        )
        total += max(1, n)
    return total


@pytest.mark.django_db
@pytest.mark.parametrize("period", [H1, YEAR], ids=["2026-H1", "2025"])
def test_totals_equal_independent_sums_of_payments(seeded: Any, period: ReportPeriod) -> None:
    """Dział 1B: persons, payments, money, families and persons in families of each row and the
    total equal direct queries on the ledger (reporting.md §1.5 rules 1–5)."""
    report = selectors.mrpips03_report(period=period)
    assert report.valid, report.issues
    own = _payments(period).filter(task_type__in=OWN)
    assert own.exists(), "the seed must give the period non-zero rows"
    for row, benefits in {
        "ZS": ["zasilek_staly"],
        "ZO": ["zasilek_okresowy"],
        "ZC": ["zasilek_celowy", "specjalny_zasilek_celowy", "zasilek_celowy_zdarzenie_losowe"],
        "TOTAL": None,
    }.items():
        qs = own if benefits is None else own.filter(benefit__in=benefits)
        agg = qs.aggregate(n=Count("id"), p=Count("person_id", distinct=True),
                           f=Count("case_id", distinct=True))  # fmt: skip
        cases = set(qs.values_list("case_id", flat=True))
        assert report.value(f"1B.{row}.persons") == agg["p"], row
        assert report.value(f"1B.{row}.benefits") == agg["n"], row
        # SQLite sums decimals as floats: add the stored amounts exactly instead
        money = sum(qs.values_list("amount", flat=True), Decimal("0.00"))
        assert report.value(f"1B.{row}.amount") == money, row
        assert report.value(f"1B.{row}.families") == agg["f"], row
        assert report.value(f"1B.{row}.family_persons") == _family_persons(
            cases, period.last_day
        ), row
    assert report.value("1B.TOTAL.persons") > 0


@pytest.mark.django_db
def test_reasons_equal_the_applications_behind_the_paid_decisions(seeded: Any) -> None:
    """Dział 2 (art. 7 u.p.s.): families whose paid decision answered an application naming
    the reason; the total counts each family once."""
    from ostoja.decisions.models import Decision

    report = selectors.mrpips03_report(period=H1)
    pays = _payments(H1)
    reasons_of = dict(
        Decision.objects.filter(pk__in=pays.values("decision_id")).values_list(
            "pk", "application__reasons"
        )
    )
    families: dict[str, set[int]] = {}
    for case_id, decision_id in pays.values_list("case_id", "decision_id"):
        for code in reasons_of.get(decision_id) or []:
            families.setdefault(code, set()).add(case_id)
    assert report.value("2.R01.families") == len(families.get("1", set()))
    assert report.value("2.R04.families") == len(families.get("4", set()))
    assert report.value("2.TOTAL.families") == pays.values("case_id").distinct().count()
    assert (
        sum(report.value(f"2.R{n:02d}.families") for n in range(1, 16))
        >= report.value("2.TOTAL.families")
        or not families
    )


@pytest.mark.django_db
def test_every_drilldown_list_matches_its_cell(seeded: Any, monkeypatch: Any) -> None:
    """Each cell's list (as the director, who sees every unit) adds up to the cell: persons,
    payments, money, families, persons in families."""
    monkeypatch.setattr(selectors, "PAGE_SIZE", 10**6)
    director = _user("dyrektor")
    report = selectors.mrpips03_report(period=H1)
    checked = 0
    for s in report.sections:
        for r in s.rows:
            for c in r.cells:
                drill = selectors.mrpips03_drilldown(
                    user=director, period=H1, section=s.section.code, row=r.row.code,
                    column=c.column,
                )  # fmt: skip
                assert drill.value == c.value, c.ref
                items = drill.items
                assert len(items) + drill.hidden == drill.total_items
                measure = drill.column.measure
                if drill.hidden:
                    continue  # a protected case: counted, not listed
                if measure in {"distinct_persons", "distinct_families", "benefit_units"}:
                    assert len(items) == c.value, c.ref
                elif measure == "amount":
                    assert sum((i.amount for i in items), Decimal("0")) == c.value, c.ref
                elif measure == "family_persons":
                    assert sum(i.family_size for i in items) == c.value, c.ref
                checked += 1
    assert checked > 50


@pytest.mark.django_db
def test_drilldown_is_scoped_the_analyst_sees_counts_only(seeded: Any) -> None:
    """The analyst sees aggregates, never a client's name (reporting roles; docs/security.md)."""
    drill = selectors.mrpips03_drilldown(
        user=_user("analityk"), period=H1, section="1B", row="TOTAL", column="persons"
    )
    assert drill.items == []
    assert drill.hidden == drill.total_items > 0


@pytest.mark.django_db
def test_drilldown_page_audits_each_case_shown_and_links_the_case_file(
    seeded: Any, client_for: Any
) -> None:
    from auditlog.models import LogEntry

    client = client_for(_user("dyrektor"))
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    response = client.get("/analiza/mrpips03/2026-H1/1B/TOTAL/families/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/sprawy/" in body
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() > before


@pytest.mark.django_db
def test_report_page_links_every_cell(seeded: Any, client_for: Any) -> None:
    response = client_for(_user("kierownik")).get("/analiza/mrpips03/?okres=2026-H1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/analiza/mrpips03/2026-H1/1B/TOTAL/persons/" in body
    assert "Poprawne" in body


@pytest.mark.django_db
def test_report_page_invalid_period_names_the_field(seeded: Any, client_for: Any) -> None:
    response = client_for(_user("kierownik")).get("/analiza/mrpips03/?okres=2026-H3")
    assert response.status_code == 422
    assert "Nieprawidłowy okres" in response.content.decode()


@pytest.mark.django_db
def test_social_worker_cannot_open_reports(seeded: Any, client_for: Any) -> None:
    assert client_for(_user("socjalny")).get("/analiza/mrpips03/").status_code == 403


# ----------------------------------------------------------------------------- API and CLI


@pytest.mark.django_db
def test_api_returns_sections_rows_columns_with_drilldown_links(
    seeded: Any, client_for: Any
) -> None:
    response = client_for(_user("analityk")).get("/api/v1/reports/mrpips03?period=2026-H1")
    assert response.status_code == 200
    data = response.json()
    section = next(s for s in data["sections"] if s["code"] == "1B")
    total = next(r for r in section["rows"] if r["code"] == "TOTAL")
    persons = total["columns"][0]
    assert persons["code"] == "persons" and int(persons["value"]) > 0
    assert persons["drilldown"] == "/analiza/mrpips03/2026-H1/1B/TOTAL/persons/"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?period=2026-H2", "?period=x", ""])
def test_api_invalid_period_is_422_naming_the_field(
    seeded: Any, client_for: Any, query: str
) -> None:
    response = client_for(_user("analityk")).get(f"/api/v1/reports/mrpips03{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "period"


@pytest.mark.django_db
def test_api_refuses_a_social_worker(seeded: Any, client_for: Any) -> None:
    assert (
        client_for(_user("socjalny")).get("/api/v1/reports/mrpips03?period=2026").status_code == 403
    )


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "cas", "pdf"])
def test_cli_exports_each_format(seeded: Any, tmp_path: Any, fmt: str) -> None:
    out = tmp_path / f"r.{fmt}"
    call_command("report", "mrpips03", "--period", "2026-H1", "--format", fmt, "--output", str(out))
    data = out.read_bytes()
    report = selectors.mrpips03_report(period=H1)
    total = report.value("1B.TOTAL.amount")
    if fmt == "json":
        parsed = json.loads(data)
        assert parsed["period"] == "2026-H1"
    elif fmt == "csv":
        assert f"{total:.2f}" in data.decode("utf-8-sig")
    elif fmt == "xlsx":
        assert data[:2] == b"PK"
    elif fmt == "pdf":
        from pypdf import PdfReader

        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "Dział 1B" in text and "2026" in text
    else:
        from xml.etree import ElementTree as ET

        root = ET.fromstring(data)
        ns = {"c": "urn:ostoja:cas:mrpips03:1"}
        cells = root.findall("./c:Dzial[@kod='1B']/c:Wiersz[@kod='TOTAL']/c:Kolumna[@nr='3']", ns)
        assert cells[0].text == f"{total:.2f}"


@pytest.mark.django_db
def test_cli_invalid_period_exits_2_naming_the_field(seeded: Any) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("report", "mrpips03", "--period", "2026-H2")
    assert exc.value.returncode == 2
    assert "period" in str(exc.value)


@pytest.mark.django_db
def test_drilldown_of_a_district_head_lists_only_the_district_cases(seeded: Any) -> None:
    """Scope: the head of ro1 sees ro1's cases by name; the rest are counted, not named."""
    from ostoja.cases.models import Case

    head = _user("kierownik")
    drill = selectors.mrpips03_drilldown(
        user=head, period=H1, section="1B", row="TOTAL", column="families"
    )
    units = set(Case.objects.filter(pk__in=[i.case_id for i in drill.items]).values_list(
        "unit__code", flat=True
    ))  # fmt: skip
    assert units <= {"ro1"}
    assert drill.hidden > 0
    assert len(drill.items) + drill.hidden == drill.total_items == drill.value

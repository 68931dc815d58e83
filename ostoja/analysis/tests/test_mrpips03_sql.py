"""MRPiPS-03 computed by the database (issue 13): every cell equals the reference computation
(``mrpips03.compute`` over the ledger entries, the counting rules of reporting.md §1.5 and
formats.md §6.4), the number of queries does not grow with the data, and the drill-down is paged
by the database by keyset — the union of its pages is the cell, also when rows change between
page loads, and a worker of another unit sees only
the cases of their unit (art. 100 u.p.s. scope; docs/security.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ostoja.analysis import mrpips03, selectors
from ostoja.analysis.layout import layout_for
from ostoja.analysis.periods import ReportPeriod

H1 = ReportPeriod(2026, half=True)
YEAR = ReportPeriod(2025, half=False)


def _user(name: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def _reference(period: ReportPeriod) -> mrpips03.Report:
    facts = selectors.mrpips03_facts(period=period)
    return mrpips03.compute(period=period, layout=layout_for(period.start), facts=facts)


def _cells(report: mrpips03.Report) -> dict[str, Any]:
    return {c.ref: c.value for s in report.sections for r in s.rows for c in r.cells}


@pytest.mark.django_db
@pytest.mark.parametrize("period", [H1, YEAR], ids=["2026-H1", "2025"])
def test_every_cell_equals_the_reference_computation(seeded: Any, period: ReportPeriod) -> None:
    """Dział 1A, 1B, the powiat section and dział 2 (art. 7 reasons): the SQL aggregation gives
    exactly what the rule-by-rule Python computation gives (persons once per row and once per
    total, payments, money to the grosz, families, persons in families on the last day)."""
    sql = selectors.mrpips03_report(period=period)
    ref = _reference(period)
    assert _cells(sql) == _cells(ref)
    assert [i.message for i in sql.issues] == [i.message for i in ref.issues]
    assert sql.value("2.TOTAL.families") > 0 and sql.value("1B.TOTAL.persons") > 0


@pytest.mark.django_db
def test_a_payment_on_no_row_is_reported_by_the_sql_path_too(seeded: Any) -> None:
    """Cross-check (every executed payment lands on a row): a payment of a task type the form
    does not map fails validation, naming the kind — as in ``mrpips03.validate``."""
    from ostoja.payments.models import Payment

    p = Payment.objects.filter(status="wyplacona", due_date__gte=H1.start, due_date__lt=H1.end)
    pk = p.order_by("pk").values_list("pk", flat=True).first()
    table = Payment._meta.db_table
    with connection.cursor() as cursor:  # a locked payment: the model refuses, SQL does not
        cursor.execute(f"UPDATE {table} SET task_type = 'nieznane' WHERE id = %s", [pk])
    report = selectors.mrpips03_report(period=H1)
    assert not report.valid
    message = " ".join(i.message for i in report.issues)
    assert "1 płatności nie trafia do żadnego wiersza" in message
    assert "(nieznane)" in message


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_data(seeded: Any) -> None:
    """The half-year and the whole year (about twice the payments) take the same, small number
    of queries: the report is one statement, not a query per row or per payment."""
    counts = []
    for period in (H1, YEAR, ReportPeriod(2024, half=False)):
        with CaptureQueriesContext(connection) as ctx:
            selectors.mrpips03_report(period=period)
        counts.append(len(ctx.captured_queries))
    # care's events, the statement (+ on PostgreSQL its settings and the savepoint)
    assert counts[0] == counts[1] == counts[2] <= 6, counts


def _drill(user: Any, cell: str, **kw: Any) -> selectors.DrillDown:
    section, row, column = cell.split(".")
    return selectors.mrpips03_drilldown(
        user=user, period=H1, section=section, row=row, column=column, **kw
    )


def _walk(user: Any, cell: str, between: Any = None) -> list[selectors.DrillDown]:
    """Every page of a cell's list, following the "next" keys (``between(pages)`` runs after
    each page load, before the next)."""
    pages = [_drill(user, cell)]
    while pages[-1].next_key:
        if between is not None:
            between(pages)
        pages.append(_drill(user, cell, after=pages[-1].next_key))
        assert len(pages) < 1000
    return pages


def _ids(items: list[Any]) -> list[tuple[Any, ...]]:
    return [(i.case_id, i.person_id, i.reference, i.amount) for i in items]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cell",
    ["1B.TOTAL.benefits", "1B.ZC.persons", "1B.TOTAL.family_persons", "2.R01.families"],
)
def test_union_of_the_pages_is_the_cell(seeded: Any, monkeypatch: Any, cell: str) -> None:
    """Paged by keyset (the "next" link carries the last item's key): the pages, taken one
    after the other, hold every item once, in order, and add up to the cell; the positions
    run on without a gap; walking back from the end ("koniec", then "previous") gives the
    same list; a key past the end gives an empty page, not an error."""
    column = cell.split(".")[2]
    director = _user("dyrektor")
    monkeypatch.setattr(selectors, "PAGE_SIZE", 10**6)
    whole = _drill(director, cell)
    assert not whole.next_key and not whole.prev_key and not whole.paged
    monkeypatch.setattr(selectors, "PAGE_SIZE", 7)
    pages = _walk(director, cell)
    first = pages[0]
    assert len(pages) == -(-first.scoped // 7) > 1
    assert first.start == 1 and not first.prev_key and first.paged
    items = [i for p in pages for i in p.items]
    for n, page in enumerate(pages):
        assert page.start == 7 * n + 1 and len(page.items) == (7 if n < len(pages) - 1 else
                                                               page.scoped - 7 * n)  # fmt: skip
    assert _ids(items) == _ids(whole.items)  # the same order as the unpaged list
    assert len(items) + first.hidden == first.total_items
    if column == "benefits":
        assert len(items) + first.hidden == first.value
    if not first.hidden:
        keys = _ids(items)
        assert len(set(keys)) == len(keys) or column == "benefits"
        if column == "family_persons":
            assert sum(i.family_size for i in items) == first.value
        elif column in {"persons", "families", "benefits"}:
            assert len(items) == first.value
    # Backwards from the end: full pages counted from the end, together the same list.
    back = [_drill(director, cell, last=True)]
    assert not back[0].next_key and back[0].end == first.scoped
    while back[-1].prev_key:
        back.append(_drill(director, cell, before=back[-1].prev_key))
    assert _ids([i for p in reversed(back) for i in p.items]) == _ids(items)
    assert [p.start for p in back] == [first.scoped - 7 * n - 6 for n in range(len(back) - 1)] + [1]
    past = _drill(director, cell, after=pages[-1].items and _last_key(director, cell))
    assert past.items == [] and past.start == first.scoped + 1 and not past.next_key


def _last_key(user: Any, cell: str) -> str:
    """The key of the list's last item (the "next" key a last page would carry)."""
    from ostoja.analysis import ledger_sql

    section, row, column = cell.split(".")
    layout = layout_for(H1.start)
    sec = layout.section(section)
    page = ledger_sql.drill_page(
        user=user, period=H1, layout=layout, section=sec, row=sec.row(row),
        kind=selectors._KIND[sec.column(column).measure], page_size=1, last=True,
    )  # fmt: skip
    assert page.items[0].key is not None
    return page.items[0].key.token


@pytest.mark.django_db
def test_no_row_twice_or_lost_when_rows_change_between_page_loads(
    seeded: Any, monkeypatch: Any
) -> None:
    """Between two page loads a payment is inserted ahead of the reader's position, another
    behind it, and one already shown leaves the cell (its status changes): with OFFSET the
    first would push a shown row onto the next page again and the third pull an unshown one
    back onto a read page. By keyset every row present throughout is listed exactly once and
    the one inserted behind the reader is listed too."""
    from ostoja.payments.models import Payment, PaymentStatus

    director = _user("dyrektor")
    cell = "1B.TOTAL.benefits"
    monkeypatch.setattr(selectors, "PAGE_SIZE", 10**6)
    before = _ids(_drill(director, cell).items)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 5)
    touched: dict[str, Any] = {}

    def change(pages: list[selectors.DrillDown]) -> None:
        if len(pages) != 2:
            return
        shown = pages[-1].items
        ahead = Payment.objects.get(reference=shown[0].reference)
        behind = Payment.objects.filter(case_id__gt=shown[-1].case_id, due_date__gte=H1.start,
                                        due_date__lt=H1.end, reference__in=[r for *_, r, _ in
                                        before]).order_by("case_id").first()  # fmt: skip
        assert behind is not None
        for n, (source, ref) in enumerate(((ahead, "0-WSTAWIONA-PRZED"),
                                           (behind, "0-WSTAWIONA-ZA"))):  # fmt: skip
            source.pk = None
            source.reference = ref
            source.line_id = 10**12 + n  # a line of its own (one payment per line and month)
            source.save()
        gone = Payment.objects.get(reference=pages[0].items[2].reference)
        gone.status = PaymentStatus.CANCELLED
        gone.save(update_fields=["status"])
        touched.update(gone=gone.reference, behind=behind.case_id)

    pages = _walk(director, cell, between=change)
    seen = _ids([i for p in pages for i in p.items])
    assert len(seen) == len(set(seen))  # no row twice
    refs = [r for *_, r, _ in seen]
    assert {r for *_, r, _ in before} <= set(refs)  # no row lost (the cancelled one was read)
    assert "0-WSTAWIONA-ZA" in refs and "0-WSTAWIONA-PRZED" not in refs
    assert touched["gone"] in refs


@pytest.mark.django_db
def test_query_count_per_page_is_constant(seeded: Any, monkeypatch: Any) -> None:
    """The first page, a middle one, the previous one and the last cost the same queries (one
    statement each, wherever the page is: no OFFSET to skip over)."""
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    director = _user("dyrektor")
    cell = "1B.TOTAL.benefits"
    second = _drill(director, cell, after=_drill(director, cell).next_key)
    counts = []
    for kw in ({}, {"after": second.next_key}, {"before": second.prev_key}, {"last": True}):
        with CaptureQueriesContext(connection) as ctx:
            drill = _drill(director, cell, **kw)
        assert drill.items
        counts.append(len(ctx.captured_queries))
    assert len(set(counts)) == 1, counts


@pytest.mark.django_db
def test_a_worker_of_another_unit_sees_only_their_units_cases(seeded: Any) -> None:
    """The same cell for a ro1 and a ro2 social worker: each is shown only cases of their own
    district (or assigned to them), the rest counted as hidden; both lists add up to the cell."""
    from django.contrib.auth import get_user_model

    from ostoja.cases.models import Case

    users = get_user_model().objects
    seen: dict[str, set[int]] = {}
    for unit in ("ro1", "ro2"):
        worker = users.filter(username__startswith=f"{unit}.ps.").order_by("username").first()
        assert worker is not None
        drill = selectors.mrpips03_drilldown(
            user=worker, period=H1, section="1B", row="TOTAL", column="families"
        )
        ids = {i.case_id for i in drill.items}
        cases = Case.objects.filter(pk__in=ids)
        assert all(c.unit.code == unit or c.worker_id == worker.pk for c in cases), unit
        assert len(drill.items) + drill.hidden == drill.total_items == drill.value
        assert drill.hidden > 0
        seen[unit] = ids
    assert seen["ro1"] and seen["ro2"] and not seen["ro1"] & seen["ro2"]


@pytest.mark.django_db
def test_a_key_does_not_widen_the_scope_of_another_units_worker(seeded: Any) -> None:
    """A ro2 worker handed a key from the director's list (or the list's end) still sees only
    ro2's cases on every page."""
    from django.contrib.auth import get_user_model

    from ostoja.cases.models import Case

    worker = get_user_model().objects.filter(username__startswith="ro2.ps.").order_by(
        "username").first()  # fmt: skip
    director_page = _drill(_user("dyrektor"), "1B.TOTAL.families")
    for kw in ({"after": f"{director_page.items[0].case_id}.0."}, {"last": True}):
        drill = _drill(worker, "1B.TOTAL.families", **kw)
        cases = Case.objects.filter(pk__in={i.case_id for i in drill.items})
        assert all(c.unit.code == "ro2" or c.worker_id == worker.pk for c in cases)


@pytest.mark.django_db
def test_drilldown_page_links_carry_the_key_and_the_api_the_first_page(
    seeded: Any, client_for: Any, monkeypatch: Any
) -> None:
    """The page's "next" link carries its last item's key (``?po=``), "previous" the first
    item's (``?przed=``); an old ``?strona=N`` link opens the first page; a malformed key is
    404. The API gives the first page's link and the page size."""
    monkeypatch.setattr(selectors, "PAGE_SIZE", 5)
    client = client_for(_user("dyrektor"))
    url = "/analiza/mrpips03/2026-H1/1B/TOTAL/families/"
    body = client.get(url).content.decode()
    assert "Pozycje 1–5 z" in body and "?po=" in body and "?przed=" not in body
    after = _drill(_user("dyrektor"), "1B.TOTAL.families").next_key
    second = client.get(url, {"po": after}).content.decode()
    assert "Pozycje 6–10 z" in second and "?przed=" in second and "?koniec=1" in second
    assert "Pozycje 1–5 z" in client.get(url, {"strona": "2"}).content.decode()
    assert client.get(url, {"po": "nie-klucz"}).status_code == 404
    assert client.get(url, {"po": "12.x.ab"}).status_code == 404
    data = client_for(_user("analityk")).get("/api/v1/reports/mrpips03?period=2026-H1").json()
    section = next(s for s in data["sections"] if s["code"] == "1B")
    total = next(r for r in section["rows"] if r["code"] == "TOTAL")
    persons = total["columns"][0]
    assert persons["drilldown_page"] == "/analiza/mrpips03/2026-H1/1B/TOTAL/persons/"
    assert data["drilldown_page_size"] == 5


@pytest.mark.django_db
def test_boundary_days_family_on_the_last_day_and_payments_due_on_the_edges(seeded: Any) -> None:
    """Awkward days: a member who left on 30 June (``valid_to`` exclusive: not in the family on
    the period's last day) and one who leaves on 1 July (still in it); a payment moved to
    1 July (outside the half-year) and one to 30 June (inside). SQL and the reference agree
    cell by cell, and col. 2 moves by exactly those payments (reporting.md §1.5 rules 2, 5)."""
    from ostoja.cases.models import Case
    from ostoja.payments.models import Payment
    from ostoja.registry.models import HouseholdMembership

    before = selectors.mrpips03_report(period=H1)
    paid = Payment.objects.filter(
        status__in=("zatwierdzona", "przekazana", "wyplacona"), task_type__startswith="gmina_wl"
    )
    inside = paid.filter(due_date__gte=H1.start, due_date__lt=H1.end).order_by("pk")
    leaving = inside.first()
    arriving = paid.filter(due_date__gte=H1.end).order_by("pk").first()
    assert leaving is not None and arriving is not None
    table = Payment._meta.db_table
    with connection.cursor() as cursor:  # locked payments: the model refuses, SQL does not
        cursor.execute(f"UPDATE {table} SET due_date = %s WHERE id = %s", [H1.end, leaving.pk])
        cursor.execute(f"UPDATE {table} SET due_date = %s WHERE id = %s",
                       [H1.last_day, arriving.pk])  # fmt: skip
    case_ids = inside.exclude(pk=leaving.pk).values_list("case_id", flat=True).distinct()
    members: list[int] = []
    for household in Case.objects.filter(pk__in=case_ids).values_list("household_id", flat=True):
        members = list(
            HouseholdMembership.objects.filter(household_id=household, valid_to__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if len(members) >= 2:
            break
    assert len(members) >= 2, "the seed must give a paid family of two or more"
    HouseholdMembership.objects.filter(pk=members[0]).update(valid_to=H1.last_day)
    HouseholdMembership.objects.filter(pk=members[1]).update(valid_to=H1.end)
    sql = selectors.mrpips03_report(period=H1)
    assert _cells(sql) == _cells(_reference(H1))
    assert sql.value("1B.TOTAL.benefits") == before.value("1B.TOTAL.benefits")  # one out, one in

"""MRPiPS-03 computed by the database (issue 13): set-based, one statement for the whole report.

``mrpips03.compute`` is the specification (pure Python over ledger entries, tested rule by rule
in ``tests/test_counting_rules.py``); this module computes the same cells with SQL aggregation
so that a report over half a million payments does not materialise them in Python:

* ``base`` — the executed payments of the period (payments' ``EXECUTED`` statuses, due in
  ``[start, end)``) plus the help given without a decision (care's report entries, a handful,
  passed in as ``VALUES``); money in grosze (integers: exact on SQLite too);
* ``g`` — those summed per (case, person, decision, task type, benefit): every row condition
  depends only on these keys, the family size and the case's art. 7 reasons;
* ``sizes`` — persons in each case's household on the period's last day (at least 1);
* ``flags`` — per case, whether any reason of a reasons-section row was named on an
  application that one of its paid decisions answered;
* one ``SELECT``: distinct persons per row from ``x`` grouped by person, and benefits, money,
  families and persons in families from ``x`` grouped by case — ``COUNT(DISTINCT …)`` written
  as sums of per-group flags, so the database sorts nothing per cell.

The drill-down lists come from the same ``base`` and row conditions, counted in the database
and paged by keyset (``Key``: the page after the last item shown, no ``OFFSET``).

Decision record (docs/adr/0007): this module reads payments', cases', registry's and decisions'
tables read-only, by their models' table and column names, because a set-based aggregate over
four contexts cannot be composed from their list-returning selectors. What counts as
"executed" and as a report event still comes from those contexts (``payments.EXECUTED``,
``care.service_event_report_entries``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction

from ostoja.analysis.layout import Layout, Row, Section
from ostoja.analysis.periods import ReportPeriod
from ostoja.care import selectors as care
from ostoja.cases import selectors as cases
from ostoja.cases.models import Application, Case
from ostoja.decisions.models import Decision
from ostoja.payments.models import Payment
from ostoja.payments.selectors import EXECUTED
from ostoja.registry.models import HouseholdMembership

CENT = Decimal("0.01")
Sql = tuple[str, list[Any]]


def _t(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _c(model: Any, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


def _tune(cursor: Any) -> None:
    """PostgreSQL, for this transaction only: no JIT (the planner's estimates over the CTEs
    are far too high, and compiling the ~200 aggregate expressions took 6 of 10.7 s at ten
    times Kielce) and room for the hash aggregates in memory instead of on disk (a report
    runs a few times a year, not per page)."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)"
        )


def _in(column: str, values: Sequence[Any]) -> Sql:
    if not values:
        return "1=0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


# ----------------------------------------------------------------------------- the base


def _base(period: ReportPeriod) -> Sql:
    """Executed payments and decision-less report events of the period, one row each."""
    p = _t(Payment)
    cols = ", ".join(
        f"{p}.{_c(Payment, f)} AS {f}"
        for f in ("case_id", "person_id", "decision_id", "task_type", "benefit")
    )
    status, params = _in(f"{p}.{_c(Payment, 'status')}", [str(s) for s in EXECUTED])
    due = f"{p}.{_c(Payment, 'due_date')}"
    sql = (
        f"SELECT {cols}, CAST(ROUND({p}.{_c(Payment, 'amount')} * 100) AS BIGINT) AS cents, "  # noqa: S608
        f"{p}.{_c(Payment, 'id')} AS pid, {p}.{_c(Payment, 'reference')} AS reference, "
        f"{p}.{_c(Payment, 'recipient_name')} AS recipient_name, "
        f"{p}.{_c(Payment, 'decision_number')} AS decision_number "
        f"FROM {p} WHERE {status} AND {due} >= %s AND {due} < %s"
    )
    params += [period.start, period.end]
    events = care.service_event_report_entries(period_start=period.start, period_end=period.end)
    if events:
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(events))
        sql += (
            " UNION ALL SELECT CAST(column1 AS BIGINT), CAST(column2 AS BIGINT), NULL, "  # noqa: S608
            "CAST(column3 AS VARCHAR(40)), CAST(column4 AS VARCHAR(64)), "
            "CAST(column5 AS BIGINT), NULL, CAST(column6 AS VARCHAR(40)), "
            "CAST(column7 AS VARCHAR(200)), CAST(column8 AS VARCHAR(80)) "
            f"FROM (VALUES {values}) AS ev"
        )
        for e in events:
            cents = int((e.amount * 100).to_integral_value())
            params += [e.case_id, e.person_id, e.task_type, e.benefit, cents, e.reference,
                       e.recipient_name, e.decision_number]  # fmt: skip
    return sql, params


def _reasons_expansion() -> str:
    """``FROM``-clause fragment turning ``a.reasons`` (a JSON list) into rows ``r.code``."""
    reasons = f"a.{_c(Application, 'reasons')}"
    if connection.vendor == "postgresql":
        return (
            "CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof("
            f"{reasons}) = 'array' THEN {reasons} ELSE '[]'::jsonb END) AS r(code)"
        )
    return (
        f"CROSS JOIN json_each(CASE WHEN json_type({reasons}) = 'array' THEN {reasons} "
        "ELSE '[]' END) AS r"
    )


def _code() -> str:
    return "r.code" if connection.vendor == "postgresql" else "r.value"


def _ctes(period: ReportPeriod, reason_rows: Sequence[Row]) -> Sql:
    """``base``, ``g`` (summed per case, person, task, benefit), ``sizes``, ``flags`` and ``x``
    (``g`` with the family size and one reason flag ``rf<i>`` per reasons row)."""
    base_sql, params = _base(period)
    case, hm = _t(Case), _t(HouseholdMembership)
    on = period.last_day
    sql = (
        f"WITH base AS ({base_sql}), "  # noqa: S608
        "g AS MATERIALIZED (SELECT case_id, person_id, decision_id, task_type, benefit, "
        "COUNT(*) AS n, SUM(cents) AS cents FROM base "
        "GROUP BY case_id, person_id, decision_id, task_type, benefit), "
        "sizes AS (SELECT c.id AS case_id, CASE WHEN COUNT(m.id) > 1 THEN COUNT(m.id) ELSE 1 END "
        f"AS size FROM {case} c LEFT JOIN {hm} m ON m.{_c(HouseholdMembership, 'household')} = "
        f"c.{_c(Case, 'household')} AND m.{_c(HouseholdMembership, 'valid_from')} <= %s AND "
        f"(m.{_c(HouseholdMembership, 'valid_to')} IS NULL OR "
        f"m.{_c(HouseholdMembership, 'valid_to')} > %s) "
        "WHERE c.id IN (SELECT case_id FROM g) GROUP BY c.id)"
    )
    params += [on, on]
    flag_cols = ""
    if reason_rows:
        dec, app = _t(Decision), _t(Application)
        sql += (
            ", rs AS (SELECT DISTINCT b.case_id AS case_id, "  # noqa: S608
            f"{_code()} AS code FROM (SELECT DISTINCT case_id, decision_id FROM g "
            f"WHERE decision_id IS NOT NULL) b JOIN {dec} d ON d.id = b.decision_id "
            f"JOIN {app} a ON a.id = d.{_c(Decision, 'application')} {_reasons_expansion()})"
        )
        parts = []
        for i, row in enumerate(reason_rows):
            cond, ps = _in("code", [str(c) for c in row.reasons])
            parts.append(f"MAX(CASE WHEN {cond} THEN 1 ELSE 0 END) AS rf{i}")
            params += ps
        sql += f", flags AS (SELECT case_id, {', '.join(parts)} FROM rs GROUP BY case_id)"  # noqa: S608
        flag_cols = "".join(f", COALESCE(f.rf{i}, 0) AS rf{i}" for i in range(len(reason_rows)))
        sql += (
            f", x AS MATERIALIZED (SELECT g.*, s.size AS size{flag_cols} FROM g "  # noqa: S608
            "JOIN sizes s ON s.case_id = g.case_id LEFT JOIN flags f ON f.case_id = g.case_id)"
        )
    else:
        sql += (
            ", x AS MATERIALIZED (SELECT g.*, s.size AS size FROM g "
            "JOIN sizes s ON s.case_id = g.case_id)"
        )
    return sql, params


# ----------------------------------------------------------------------------- conditions


def _reason_rows(layout: Layout) -> list[Row]:
    return [r for s in layout.sections if s.kind == "reasons" for r in s.rows if not r.total]


def row_condition(section: Section, row: Row, reason_rows: Sequence[Row]) -> Sql:
    """The SQL twin of ``mrpips03._row_entries``: which rows of ``x`` (or ``base`` joined with
    ``sizes`` and ``flags``) a form row counts."""
    if section.kind == "reasons":
        if row.total:
            return "1=1", []
        if not row.reasons:
            return "1=0", []
        return f"rf{list(reason_rows).index(row)} = 1", []
    if row.total:  # the section's top-level rows ("w tym" rows are subsets of their parents)
        benefits = sorted({b for r in section.rows if not r.total and not r.parent
                           for b in r.benefits})  # fmt: skip
    else:
        benefits = list(row.benefits)
    task_sql, params = _in("task_type", list(section.task_types))
    benefit_sql, ps = _in("benefit", benefits)
    sql = f"({task_sql} AND {benefit_sql}"
    if row.household == "single":
        sql += " AND size = 1"
    elif row.household == "family":
        sql += " AND size > 1"
    return sql + ")", params + ps


def _mapped_condition(layout: Layout) -> Sql:
    parts, params = [], []
    for s in layout.sections:
        benefits = sorted({b for r in s.rows for b in r.benefits})
        if s.task_types and benefits:
            t, tp = _in("task_type", list(s.task_types))
            b, bp = _in("benefit", benefits)
            parts.append(f"({t} AND {b})")
            params += tp + bp
    return ("(" + " OR ".join(parts) + ")" if parts else "1=0"), params


# ----------------------------------------------------------------------------- the report


@dataclass(frozen=True, slots=True)
class Figures:
    values: dict[str, int | Decimal]
    unmapped: int
    unmapped_kinds: list[str]


def _cells(layout: Layout, only: Iterable[tuple[Section, Row]] | None = None) -> list[Any]:
    if only is not None:
        return list(only)
    return [(s, r) for s in layout.sections for r in s.rows]


def figures(
    *, period: ReportPeriod, layout: Layout, only: Iterable[tuple[Section, Row]] | None = None
) -> Figures:
    """Every cell of the report (or of the rows in ``only``) in one statement."""
    reason_rows = _reason_rows(layout)
    cells = _cells(layout, only)
    sql, params = _ctes(period, reason_rows)
    person_cols, person_params = [], []
    case_cols, case_params = [], []
    outer_p, outer_c = [], []
    for i, (s, r) in enumerate(cells):
        cond, ps = row_condition(s, r, reason_rows)
        person_cols.append(f"MAX(CASE WHEN {cond} THEN 1 ELSE 0 END) AS h{i}")
        person_params += ps
        case_cols.append(
            f"MAX(CASE WHEN {cond} THEN 1 ELSE 0 END) AS f{i}, "
            f"SUM(CASE WHEN {cond} THEN n ELSE 0 END) AS n{i}, "
            f"SUM(CASE WHEN {cond} THEN cents ELSE 0 END) AS c{i}"
        )
        case_params += ps * 3
        outer_p.append(f"COALESCE(SUM(h{i}), 0)")
        outer_c.append(
            f"COALESCE(SUM(f{i}), 0), COALESCE(SUM(f{i} * size), 0), "
            f"COALESCE(SUM(n{i}), 0), COALESCE(SUM(c{i}), 0)"
        )
    mapped, mapped_params = _mapped_condition(layout)
    case_cols.append(f"SUM(CASE WHEN {mapped} THEN 0 ELSE n END) AS um")
    case_params += mapped_params
    outer_c.append("COALESCE(SUM(um), 0)")
    sql += (
        f" SELECT * FROM (SELECT {', '.join(outer_p)} FROM (SELECT person_id, "  # noqa: S608
        f"{', '.join(person_cols)} FROM x GROUP BY person_id) t1) pp CROSS JOIN "
        f"(SELECT {', '.join(outer_c)} FROM (SELECT case_id, size, {', '.join(case_cols)} "
        "FROM x GROUP BY case_id, size) t2) cc"
    )
    params += person_params + case_params
    with transaction.atomic(), connection.cursor() as cursor:
        _tune(cursor)
        cursor.execute(sql, params)
        out = cursor.fetchone()
    n = len(cells)
    persons, rest = out[:n], out[n:]
    values: dict[str, int | Decimal] = {}
    for i, (s, r) in enumerate(cells):
        families, family_persons, units, cents = (int(v) for v in rest[4 * i : 4 * i + 4])
        by_measure: dict[str, int | Decimal] = {
            "distinct_persons": int(persons[i]),
            "benefit_units": units,
            "amount": (Decimal(cents) * CENT).quantize(CENT),
            "distinct_families": families,
            "family_persons": family_persons,
            "zero": 0,
        }
        for c in s.columns:
            values[f"{s.code}.{r.code}.{c.code}"] = by_measure[c.measure]
    unmapped = int(rest[-1])
    kinds: list[str] = []
    if unmapped:
        ctes, ps = _ctes(period, [])
        with connection.cursor() as cursor:
            cursor.execute(
                f"{ctes} SELECT DISTINCT benefit, task_type FROM g WHERE NOT {mapped}",  # noqa: S608
                ps + mapped_params,
            )
            kinds = sorted(f"{b} ({t})" for b, t in cursor.fetchall())
    return Figures(values, unmapped, kinds)


# ----------------------------------------------------------------------------- drill-down


@dataclass(frozen=True, slots=True)
class Key:
    """Where an item stands in its list: the keyset paging's order key, unique in a cell's list
    — (case, payment reference, payment id) for payments (a report event has no payment id: 0,
    its reference ``ZP/<id>`` is unique), (first case, "", person) for persons, (case, "", 0)
    for families. It travels in the URL as ``<case>.<num>.<ref>`` (``ref`` last: it may hold
    dots)."""

    case_id: int
    ref: str
    num: int

    @property
    def token(self) -> str:
        return f"{self.case_id}.{self.num}.{self.ref}"

    @classmethod
    def parse(cls, text: str) -> Key:
        """``ValueError`` for anything that is not a key (the page answers 404)."""
        case, num, ref = text.split(".", 2)
        if len(text) > 200 or len(case) > 19 or len(num) > 19 or "\x00" in ref:
            raise ValueError(text)
        key = cls(int(case), ref, int(num))
        # Ids are non-negative 64-bit integers: a forged number past that range (or a NUL,
        # which PostgreSQL refuses in text) would fail in the driver, a 500, not a 404.
        if not (0 <= key.case_id < 2**63 and 0 <= key.num < 2**63):
            raise ValueError(text)
        return key


@dataclass(frozen=True, slots=True)
class Item:
    case_id: int
    label: str
    payments: int
    amount: Decimal
    family_size: int
    reference: str
    person_id: int | None
    key: Key | None = None


@dataclass(frozen=True, slots=True)
class Page:
    total_items: int  # every item of the cell, in scope or not
    scoped_items: int  # those the viewer may open
    items: list[Item]
    amount: Decimal = Decimal("0.00")  # of every item (the cell's money)
    family_persons: int = 0  # Σ family sizes of every item (the cell's col. 5 for families)
    before: int = 0  # the viewer's items ahead of this page in the list (its position)


def _scope(user: Any) -> Sql:
    """``case_id`` among the cases ``user`` may list (cases' own rule, as a subquery); protected
    cases the viewer may not open (decided by cases' predicate, a few) are left out."""
    visible = cases.cases_visible(user=user)
    try:
        sub, params = visible.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return "1=0", []
    protected = list(visible.filter(protected=True).values_list("pk", flat=True))
    allowed = set(cases.cases_for_listing(user=user, case_ids=protected)) if protected else set()
    hidden = sorted(set(protected) - allowed)
    sql = f"case_id IN ({sub})"
    if hidden:
        not_in, ps = _in("case_id", hidden)
        sql += f" AND NOT ({not_in})"
        params = tuple(params) + tuple(ps)
    return sql, list(params)


def _after(key: Key, op: str) -> Sql:
    """Items strictly after (``op`` ``>``) or before (``<``) ``key`` in the list's order,
    written out (no row values) so that SQLite and PostgreSQL read it alike."""
    return (
        f"(case_id {op} %s OR (case_id = %s AND (kr {op} %s OR (kr = %s AND kn {op} %s))))",
        [key.case_id, key.case_id, key.ref, key.ref, key.num],
    )


def drill_page(
    *,
    user: Any,
    period: ReportPeriod,
    layout: Layout,
    section: Section,
    row: Row,
    kind: str,
    page_size: int,
    after: Key | None = None,
    before: Key | None = None,
    last: bool = False,
) -> Page:
    """One page of the list behind a cell (``kind``: payments, persons or families), ordered by
    ``Key`` and paged by keyset: the ``page_size`` items after ``after`` (the first page when
    neither key is given), or those just before ``before`` (``last``: the list's end). Rows
    inserted or removed between page loads do not shift the pages: an item present on both
    loads is neither listed twice nor skipped (no ``OFFSET``). Counted and paged by the database
    in one statement, scoped to ``user``."""
    if kind == "none":
        return Page(0, 0, [])
    # The reasons' flags only for dział 2 (the benefit rows do not read them).
    reason_rows = _reason_rows(layout) if section.kind == "reasons" else []
    ctes, params = _ctes(period, reason_rows)
    cond, cond_params = row_condition(section, row, reason_rows)
    flags = "".join(f", COALESCE(f.rf{i}, 0) AS rf{i}" for i in range(len(reason_rows)))
    flag_join = " LEFT JOIN flags f ON f.case_id = b.case_id" if reason_rows else ""
    rows = (
        f"SELECT b.*, s.size AS size{flags} FROM base b JOIN sizes s ON s.case_id = b.case_id"  # noqa: S608
        f"{flag_join}"
    )
    if kind == "payments":
        items = (
            "SELECT case_id, recipient_name AS label, 1 AS payments, cents, size, reference, "  # noqa: S608
            f"person_id, reference AS kr, COALESCE(pid, 0) AS kn FROM ({rows}) y WHERE {cond}"
        )
    elif kind == "persons":
        items = (
            "SELECT MIN(case_id) AS case_id, MAX(recipient_name) AS label, COUNT(*) AS payments, "  # noqa: S608
            "SUM(cents) AS cents, MAX(size) AS size, MAX(decision_number) AS reference, "
            f"person_id, CAST('' AS VARCHAR(40)) AS kr, person_id AS kn FROM ({rows}) y "
            f"WHERE {cond} GROUP BY person_id"
        )
    else:
        items = (
            "SELECT case_id, MAX(recipient_name) AS label, COUNT(*) AS payments, "  # noqa: S608
            "SUM(cents) AS cents, MAX(size) AS size, MAX(decision_number) AS reference, "
            "MIN(person_id) AS person_id, CAST('' AS VARCHAR(40)) AS kr, 0 AS kn "
            f"FROM ({rows}) y WHERE {cond} GROUP BY case_id"
        )
    scope, scope_params = _scope(user)
    backwards = before is not None or last
    if before is not None:
        keyed, key_params = _after(before, "<")
    elif after is not None and not last:
        keyed, key_params = _after(after, ">")
    else:
        keyed, key_params = "1=1", []
    order = "case_id DESC, kr DESC, kn DESC" if backwards else "case_id, kr, kn"
    # One statement: the items once, counted (all, in scope, money, family sizes, those on the
    # key's side) and one page of them taken by the key.
    sql = (
        f"{ctes}, items AS MATERIALIZED ({items}), "  # noqa: S608
        f"tot AS (SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN {scope} THEN 1 ELSE 0 END), 0) "
        "AS scoped, COALESCE(SUM(cents), 0) AS all_cents, COALESCE(SUM(size), 0) AS fp, "
        f"COALESCE(SUM(CASE WHEN {scope} AND {keyed} THEN 1 ELSE 0 END), 0) AS side "
        "FROM items), "
        "pg AS (SELECT case_id, label, payments, cents, size, reference, person_id, kr, kn "
        f"FROM items WHERE {scope} AND {keyed} ORDER BY {order} LIMIT %s) "
        "SELECT tot.total, tot.scoped, tot.all_cents, tot.fp, tot.side, pg.case_id, pg.label, "
        "pg.payments, pg.cents, pg.size, pg.reference, pg.person_id, pg.kr, pg.kn "
        "FROM tot LEFT JOIN pg ON 1 = 1 ORDER BY pg.case_id, pg.kr, pg.kn"
    )
    params = params + cond_params + scope_params + scope_params + key_params + scope_params
    params += [*key_params, page_size]
    with transaction.atomic(), connection.cursor() as cursor:
        _tune(cursor)
        cursor.execute(sql, params)
        rows_found = cursor.fetchall()
    total, scoped, all_cents, family_persons, side = (int(v) for v in rows_found[0][:5])
    found = [
        Item(int(c), label or "", int(n), (Decimal(int(cents)) * CENT).quantize(CENT),
             int(size), ref or "", None if person is None else int(person),
             Key(int(c), kr or "", int(kn)))
        for *_, c, label, n, cents, size, ref, person, kr, kn in rows_found
        if c is not None
    ]  # fmt: skip
    amount = (Decimal(all_cents) * CENT).quantize(CENT)
    ahead = side - len(found) if backwards else scoped - side
    return Page(total, scoped, found, amount, family_persons, max(0, ahead))

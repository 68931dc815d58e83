"""The management dashboard: demand, flow of applications and decisions, spending against the
plan, deadline performance and caseload — aggregates only, read through each context's
selectors, drawn as SVG (``charts``) beside their data tables."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from ostoja.analysis import charts
from ostoja.analysis.links import applications_url, decisions_url, open_applications_url
from ostoja.analysis.periods import last_completed_half_year
from ostoja.cases import selectors as cases
from ostoja.cases.models import ART7_REASONS
from ostoja.decisions import selectors as decisions
from ostoja.law.periods import YearMonth
from ostoja.payments import selectors as payments


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    image: str  # data: URI of the SVG
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the same figures as a table
    link: str = ""  # the list behind the chart
    # Per table cell (same shape as ``rows``): the list whose count is that cell, or "".
    cell_links: tuple[tuple[str, ...], ...] = ()

    @property
    def linked_rows(self) -> list[list[tuple[str, str]]]:
        """The table's rows as (value, link) pairs — link "" where no list is behind a cell."""
        links = self.cell_links or tuple(() for _ in self.rows)
        return [
            [(v, link[i] if i < len(link) else "") for i, v in enumerate(row)]
            for row, link in zip(self.rows, links, strict=True)
        ]


@dataclass
class Dashboard:
    start: date
    end: date  # exclusive
    applications: int
    decisions: int
    interviews_on_time_pct: Decimal | None
    decisions_on_time_pct: Decimal | None
    plan_execution_pct: Decimal | None
    charts: list[Chart] = field(default_factory=list)
    applications_url: str = ""  # the list of exactly the ``applications`` counted
    decisions_url: str = ""  # the register of exactly the ``decisions`` counted
    scoped: bool = False  # counted in the viewer's scope (else: the whole centre)
    # Deadline performance behind the two percentages (issue 13 §3): each class a count and,
    # for a viewer with the case lists, the list of exactly its rows (``deadline_urls``).
    interviews_on_time: int = 0
    interviews_late: int = 0
    interviews_open: int = 0  # applications still open without a completed interview
    decisions_on_time: int = 0
    decisions_late: int = 0
    applications_open: int = 0  # applications still open: no decision yet
    deadline_urls: dict[str, str] = field(default_factory=dict)

    @property
    def deadline_rows(self) -> list[tuple[str, str, int, str]]:
        """(key, label, count, list URL or "") of each deadline figure, for the page."""
        return [
            (key, label, getattr(self, attr), self.deadline_urls.get(key, ""))
            for key, label, attr in DEADLINE_FIGURES
        ]


# The deadline figures: key (also ``data-kpi``), label, attribute of ``Dashboard``.
DEADLINE_FIGURES = (
    ("interviews-on-time", "wywiady w terminie", "interviews_on_time"),
    ("interviews-late", "wywiady po terminie", "interviews_late"),
    ("interviews-open", "wnioski bez wywiadu (w toku)", "interviews_open"),
    ("decisions-on-time", "decyzje w terminie", "decisions_on_time"),
    ("decisions-late", "decyzje po terminie", "decisions_late"),
    ("applications-open", "wnioski bez decyzji (w toku)", "applications_open"),
)


def _deadline_urls(*, start: date, end: date) -> dict[str, str]:
    """Each deadline figure's list: the same period, filtered to exactly the counted rows."""
    return {
        "interviews-on-time": applications_url(
            start=start, end=end, interview=cases.INTERVIEW_ON_TIME
        ),
        "interviews-late": applications_url(start=start, end=end, interview=cases.INTERVIEW_LATE),
        "interviews-open": applications_url(start=start, end=end, interview=cases.INTERVIEW_OPEN),
        "decisions-on-time": decisions_url(start=start, end=end, timeliness=decisions.ON_TIME),
        "decisions-late": decisions_url(start=start, end=end, timeliness=decisions.LATE),
        "applications-open": applications_url(start=start, end=end, status=cases.OPEN),
    }


def _pct(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def window(*, on: date) -> tuple[date, date]:
    """The twelve whole months before ``on``'s month."""
    this = YearMonth.of(on)
    return this.shift(-12).first_day, this.first_day


def dashboard(*, on: date, links: dict[str, str] | None = None, user: Any = None) -> Dashboard:
    """``user``: a viewer who may open the case lists — applications and decisions are then
    counted in their scope (unit subtree or assignment) and every such number links to the
    filtered list showing exactly those rows (issue 13 §3, issue 17 §3); None: the whole
    centre's aggregates, without links to lists (the analyst and finance open no client
    lists)."""
    links = dict(links or {})
    start, end = window(on=on)
    if user is not None:  # the charts' own lists: the same twelve months
        links["districts"] = applications_url(start=start, end=end)
        links["flow"] = decisions_url(start=start, end=end)
    demand = cases.demand_figures(start=start, end=end, user=user)
    by_month_dec, dec_on_time, dec_with_due = decisions.decision_figures(
        start=start, end=end, user=user
    )
    month_list = [YearMonth.of(start).shift(i) for i in range(12)]
    months = [str(m) for m in month_list]
    plan = payments.plan_vs_execution(year=on.year, lines=None, from_month=YearMonth.of(on))
    planned = sum((r.plan for r in plan), Decimal("0"))
    executed = sum((r.executed for r in plan), Decimal("0"))
    board = Dashboard(
        start=start,
        end=end,
        applications=sum(demand.by_month.values()),
        decisions=sum(by_month_dec.values()),
        interviews_on_time_pct=_pct(demand.interviews_on_time, demand.interviews_done),
        decisions_on_time_pct=_pct(dec_on_time, dec_with_due),
        plan_execution_pct=_pct(executed, planned),
        scoped=user is not None,
        interviews_on_time=demand.interviews_on_time,
        interviews_late=demand.interviews_done - demand.interviews_on_time,
        interviews_open=demand.interviews_open,
        decisions_on_time=dec_on_time,
        decisions_late=dec_with_due - dec_on_time,
        applications_open=demand.still_open,
    )
    if user is not None:
        board.applications_url = applications_url(start=start, end=end)
        board.decisions_url = decisions_url(start=start, end=end)
        board.deadline_urls = _deadline_urls(start=start, end=end)
    codes = sorted(demand.by_reason, key=lambda code: -demand.by_reason[code])
    reasons = [(ART7_REASONS.get(code, code), demand.by_reason[code]) for code in codes]
    reason_chart = _chart(
        "reasons",
        "Wnioski według powodu (art. 7 u.p.s.)",
        reasons,
        ("Powód", "Wnioski"),
        horizontal=True,
        link=links.get("reasons", ""),
    )
    if user is not None:  # each reason's count: the applications list of that reason
        reason_chart = replace(
            reason_chart,
            cell_links=tuple(
                ("", applications_url(start=start, end=end, reason=code)) for code in codes
            ),
        )
    board.charts.append(reason_chart)
    districts = sorted(demand.by_unit.items())
    district_chart = _chart(
        "districts",
        "Wnioski według rejonu opiekuńczego",
        districts,
        ("Jednostka", "Wnioski"),
        horizontal=True,
        link=links.get("districts", ""),
    )
    if user is not None:
        district_chart = replace(
            district_chart,
            cell_links=tuple(
                ("", applications_url(start=start, end=end, unit_id=demand.unit_ids.get(name)))
                for name, _ in districts
            ),
        )
    board.charts.append(district_chart)
    apps = [demand.by_month.get(m, 0) for m in months]
    decs = [by_month_dec.get(m, 0) for m in months]
    title = "Wnioski i decyzje w miesiącach"
    board.charts.append(
        Chart(
            "flow",
            title,
            charts.data_uri(charts.lines(months, {"wnioski": apps, "decyzje": decs}, title=title)),
            ("Miesiąc", "Wnioski", "Decyzje"),
            tuple((m, str(a), str(d)) for m, a, d in zip(months, apps, decs, strict=True)),
            links.get("flow", ""),
            tuple(
                (
                    "",
                    applications_url(start=m.first_day, end=m.shift(1).first_day),
                    decisions_url(start=m.first_day, end=m.shift(1).first_day),
                )
                for m in month_list
            )
            if user is not None
            else (),
        )
    )
    lines = [r for r in plan if r.plan or r.executed]
    title = f"Wydatki a plan {on.year} według pozycji budżetu (zł)"
    short = {"budzet_miasta": "miasto", "dotacja_celowa": "dotacja"}
    labels = [f"{r.key[1]} §{r.key[2]} {short.get(r.key[4], r.key[4])}" for r in lines]
    board.charts.append(
        Chart(
            "budget",
            title,
            charts.data_uri(
                charts.bars(
                    labels,
                    [r.plan for r in lines],
                    title=title,
                    second=[r.executed for r in lines],
                    legend=("plan", "wykonanie"),
                )
            ),
            ("Rozdział / §", "Plan", "Wykonanie", "%"),
            tuple(
                (lab, f"{r.plan:.2f}", f"{r.executed:.2f}", str(r.percent or "—"))
                for lab, r in zip(labels, lines, strict=True)
            ),
            links.get("budget", ""),
        )
    )
    title = "Terminowość (%)"
    timeliness = [
        ("wywiady w terminie", board.interviews_on_time_pct or Decimal(0)),
        ("decyzje w terminie", board.decisions_on_time_pct or Decimal(0)),
    ]
    deadlines = _chart(
        "deadlines", title, timeliness, ("Miara", "%"), link=links.get("deadlines", "")
    )
    # The table under the chart: the counts the percentages are made of, each (for a viewer
    # with the case lists) linked to the list of exactly its rows.
    u = board.deadline_urls
    n = {key: str(getattr(board, attr)) for key, _, attr in DEADLINE_FIGURES}
    keys = (
        ("interviews-on-time", "interviews-late", "interviews-open"),
        ("decisions-on-time", "decisions-late", "applications-open"),
    )
    board.charts.append(
        replace(
            deadlines,
            header=("Miara", "%", "W terminie", "Po terminie", "W toku (bez wywiadu / decyzji)"),
            rows=tuple(
                (row[0], row[1], *(n[k] for k in ks))
                for row, ks in zip(deadlines.rows, keys, strict=True)
            ),
            cell_links=tuple(("", "", *(u.get(k, "") for k in ks)) for ks in keys),
        )
    )
    caseload = _chart(
        "caseload",
        "Wnioski w toku na pracownika (20 najbardziej obciążonych)",
        demand.caseload[:20],
        ("Pracownik", "Wnioski w toku"),
        horizontal=True,
        link=links.get("caseload", ""),
    )
    if user is not None:  # each worker's count: their open applications (any date received)
        caseload = replace(
            caseload,
            cell_links=tuple(
                ("", open_applications_url(worker_id=w)) for w in demand.caseload_worker_ids[:20]
            ),
        )
    board.charts.append(caseload)
    return board


def _chart(
    key: str,
    title: str,
    pairs: list[tuple[str, Any]],
    header: tuple[str, str],
    *,
    horizontal: bool = False,
    link: str = "",
) -> Chart:
    labels = [p[0] for p in pairs]
    values = [p[1] for p in pairs]
    svg = charts.bars(labels, values, title=title, horizontal=horizontal)
    return Chart(key, title, charts.data_uri(svg), header,
                 tuple((str(a), str(b)) for a, b in pairs), link)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StartFigures:
    """What the management start page shows of the centre (cheap: counts on indexed columns)."""

    month: str
    applications: int
    decisions: int
    report_period: str
    report_label: str
    report_due: str  # ⚠ the printed form's deadline; the ministry's yearly table may differ
    applications_url: str = ""  # the list of exactly the applications counted ("": none)
    decisions_url: str = ""  # the register of exactly the decisions counted ("": none)
    scoped: bool = False  # counted in the viewer's scope (else: the whole centre)
    # Deadline performance of the month (issue 13 §3): applications received in the month with
    # the interview done on time / late (art. 106 ust. 4 u.p.s.), decisions issued in the month
    # on time / late (art. 35 KPA); each count's list in ``deadline_urls`` (keys as on the
    # dashboard: DEADLINE_FIGURES).
    interviews_on_time: int = 0
    interviews_late: int = 0
    decisions_on_time: int = 0
    decisions_late: int = 0
    deadline_urls: dict[str, str] = field(default_factory=dict)

    @property
    def interviews_on_time_pct(self) -> Decimal | None:
        return _pct(self.interviews_on_time, self.interviews_on_time + self.interviews_late)

    @property
    def decisions_on_time_pct(self) -> Decimal | None:
        return _pct(self.decisions_on_time, self.decisions_on_time + self.decisions_late)

    @property
    def deadline_links(self) -> dict[str, str]:
        """The lists behind the deadline counts, keyed for templates (no hyphens)."""
        return {key.replace("-", "_"): url for key, url in self.deadline_urls.items()}


def start_figures(*, on: date, user: Any = None) -> StartFigures:
    """The month's figures; ``user``: a viewer who may open the case lists — counted in their
    scope, each number linked to the filtered list of exactly its rows (None: the centre)."""
    month = YearMonth.of(on)
    start, end = month.first_day, month.shift(1).first_day
    period = last_completed_half_year(on=on)
    # formats.md §6.1: by 20 July (half-year) and 20 January (year), printed on the form.
    due = f"20.07.{period.year}" if period.half else f"20.01.{period.year + 1}"
    interviews = cases.interview_timeliness_counts(start=start, end=end, user=user)
    issued = decisions.decisions_timeliness_counts(start=start, end=end, user=user)
    return StartFigures(
        month=str(month),
        applications=cases.applications_received_count(start=start, end=end, user=user),
        decisions=decisions.decisions_issued_count(start=start, end=end, user=user),
        report_period=period.code,
        report_label=period.label,
        report_due=due,
        applications_url=applications_url(start=start, end=end) if user is not None else "",
        decisions_url=decisions_url(start=start, end=end) if user is not None else "",
        scoped=user is not None,
        interviews_on_time=interviews[0],
        interviews_late=interviews[1],
        decisions_on_time=issued[0],
        decisions_late=issued[1],
        deadline_urls=_deadline_urls(start=start, end=end) if user is not None else {},
    )
